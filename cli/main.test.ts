import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { REPO_ROOT } from "../core/testing";

const BUN = process.execPath;
const MAIN = join(REPO_ROOT, "cli", "main.ts");

function picket(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync([BUN, MAIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe("picket --help", () => {
  test("lists every command that exists, and nothing else", () => {
    const { code, stdout } = picket("--help");
    expect(code).toBe(0);
    const commands = [...stdout.matchAll(/^ {2}(\w+)[ [<]/gm)].map((m) => m[1]);
    expect(commands).toEqual(["lint", "replay", "explain", "hubtest", "hub", "run", "metrics", "decisions", "alerts", "bouncers", "machines"]);
  });

  test("run --help does not claim the agent runs alone by default", () => {
    const { stdout } = picket("run", "--help");
    const line = stdout.split("\n").find((l) => l.includes("--no-api")) ?? "";
    expect(line).not.toContain("default: true");
  });

  test("an unknown command is a usage error", () => {
    const { code, stderr } = picket("frobnicate");
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});
