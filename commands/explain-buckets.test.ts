import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { memoryIo } from "../cli/io";
import { TESTDATA } from "../core/testing";
import { explain, type ExplainOptions } from "./explain";

const AUTH = join(TESTDATA, "samples", "logs", "auth.log");
const base: ExplainOptions = { type: "syslog", verbose: false, json: false, failures: false, builtin: true, now: () => Date.UTC(2026, 11, 1) };

async function run(opts: Partial<ExplainOptions>) {
  const io = memoryIo();
  const code = await explain({ ...base, ...opts }, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("explain --buckets", () => {
  test("shows each bucket a line was poured into, with its level before and after", async () => {
    const r = await run({ log: "Nov 18 06:15:22 web-1 sshd[1]: Failed password for root from 203.0.113.7 port 4 ssh2", buckets: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain("bucket picket/ssh-bruteforce [203.0.113.7] 0 → 1 / 5: poured");
    expect(r.out).toContain("bucket picket/ssh-user-enumeration [203.0.113.7] 0 → 1 / 5: poured");
  });
});

describe("explain --why-not", () => {
  test.each([
    { key: "203.0.113.7", scenario: "picket/ssh-bruteforce", verdict: "overflowed 1 time" },
    { key: "192.0.2.44", scenario: "picket/ssh-bruteforce", verdict: "did not overflow: the level peaked at 1 of capacity 5; 15 leaked out between events" },
    { key: "192.0.2.44", scenario: "picket/ssh-slow-bruteforce", verdict: "overflowed 1 time" },
    { key: "10.0.0.5", scenario: "picket/ssh-bruteforce", verdict: 'no event for key "10.0.0.5" passed the filter (44 did for other keys: check the groupby value)' },
    { key: "198.51.100.23", scenario: "picket/ssh-user-enumeration", verdict: "overflowed 1 time" },
  ])("$scenario for $key", async ({ key, scenario, verdict }) => {
    const r = await run({ file: AUTH, whyNot: scenario, key });
    expect(r.out.trim().split("\n").at(-1)).toBe(`  → ${verdict}`);
  });

  test("refuses a scenario that is not loaded, and --why-not without --key", async () => {
    expect((await run({ file: AUTH, whyNot: "nope/nope", key: "1.2.3.4" })).code).toBe(2);
    expect((await run({ file: AUTH, whyNot: "picket/ssh-bruteforce" })).code).toBe(2);
  });
});
