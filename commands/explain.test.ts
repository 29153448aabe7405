import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../cli/exit";
import { memoryIo } from "../cli/io";
import { expectGolden, TESTDATA } from "../core/testing";
import { explain, type ExplainOptions } from "./explain";

const EXPLAIN = join(TESTDATA, "explain");
const SSHD_LOG = join(EXPLAIN, "sshd.log");
const NGINX_LOG = join(EXPLAIN, "nginx.log");

// A CrowdSec config.yaml naming testdata/explain/config; its paths must be absolute.
const dir = mkdtempSync(join(tmpdir(), "picket-explain-"));
const CONFIG = join(dir, "config.yaml");
writeFileSync(CONFIG, `config_paths:\n  config_dir: ${join(EXPLAIN, "config")}\n  data_dir: ${join(EXPLAIN, "config")}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE: ExplainOptions = { config: CONFIG, verbose: false, json: false, failures: false };

function stdinOf(text: string): () => ReadableStream<Uint8Array> {
  return () => new Blob([text]).stream();
}

async function run(opts: Partial<ExplainOptions>, stdin = "") {
  const io = memoryIo();
  const code = await explain({ ...BASE, ...opts }, io, stdinOf(stdin));
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("explain() output", () => {
  const cases = [
    { golden: "explain/sshd-verbose.txt", opts: { file: SSHD_LOG, type: "syslog", verbose: true } },
    { golden: "explain/nginx-verbose.txt", opts: { file: NGINX_LOG, type: "nginx", verbose: true } },
    { golden: "explain/sshd-failures.txt", opts: { file: SSHD_LOG, type: "syslog", failures: true } },
    { golden: "explain/nginx.jsonl", opts: { file: NGINX_LOG, type: "nginx", json: true } },
    { golden: "explain/sshd-failures.jsonl", opts: { file: SSHD_LOG, type: "syslog", json: true, failures: true } },
    { golden: "explain/error-verbose.txt", opts: { log: "anything", type: "boom", verbose: true } },
  ];
  test.each(cases)("$golden", async ({ golden, opts }) => {
    const r = await run(opts);
    expect([r.code, r.stderr.includes("Cannot")]).toEqual([EXIT.FAILED, false]);
    expectGolden(golden, r.stdout);
  });

  test("--json lines are one object each, with the trace's fields", async () => {
    const r = await run({ file: NGINX_LOG, type: "nginx", json: true });
    const traces = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(traces.map((t) => [t.line, t.outcome, Object.keys(t)])).toEqual([
      [1, "parsed", ["line", "raw", "outcome", "stages", "scenarios", "meta"]],
      [2, "whitelisted", ["line", "raw", "outcome", "reason", "stages", "scenarios", "meta"]],
      [3, "unparsed", ["line", "raw", "outcome", "reason", "stages", "scenarios", "meta"]],
    ]);
  });

  test("--file - reads stdin, with the same trace as the file", async () => {
    const fromFile = await run({ file: NGINX_LOG, type: "nginx", json: true });
    const fromStdin = await run({ file: "-", type: "nginx", json: true }, readFileSync(NGINX_LOG, "utf8"));
    expect([fromStdin.code, fromStdin.stdout]).toEqual([fromFile.code, fromFile.stdout]);
  });

  test("the summary goes to stderr, and not with --json", async () => {
    const human = await run({ file: SSHD_LOG, type: "syslog" });
    const json = await run({ file: SSHD_LOG, type: "syslog", json: true });
    expect([human.stderr, json.stderr]).toEqual(["explain: 6 lines, 3 parsed, 3 unparsed\n", ""]);
  });
});

describe("explain() exit codes", () => {
  const cases = [
    { name: "0 when every line parsed (whitelisted counts as parsed)", opts: { log: '192.168.1.10 - - [04/Jan/2024:07:25:03 +0100] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0"', type: "nginx" }, stdin: "", want: EXIT.OK },
    { name: "0 for stdin with only parsed lines and blank ones", opts: { file: "-", type: "syslog" }, stdin: "\n2024-02-12T14:10:21+00:00 host-1 sshd[1]: Invalid user a from 203.0.113.9 port 2\n\n", want: EXIT.OK },
    { name: "1 when some line is unparsed", opts: { file: NGINX_LOG, type: "nginx" }, stdin: "", want: EXIT.FAILED },
    { name: "1 when a line ends in a node error", opts: { log: "x", type: "boom" }, stdin: "", want: EXIT.FAILED },
    { name: "1 with --failures too", opts: { file: NGINX_LOG, type: "nginx", failures: true }, stdin: "", want: EXIT.FAILED },
    { name: "2 without --type", opts: { log: "x" }, stdin: "", want: EXIT.USAGE },
    { name: "2 with both --log and --file", opts: { log: "x", file: NGINX_LOG, type: "nginx" }, stdin: "", want: EXIT.USAGE },
    { name: "2 with no input", opts: { type: "nginx" }, stdin: "", want: EXIT.USAGE },
    { name: "2 when the file cannot be read", opts: { file: join(EXPLAIN, "no-such.log"), type: "nginx" }, stdin: "", want: EXIT.USAGE },
    { name: "2 when the config cannot be loaded", opts: { config: join(dir, "missing.yaml"), log: "x", type: "nginx" }, stdin: "", want: EXIT.USAGE },
  ];
  test.each(cases)("$name", async ({ opts, stdin, want }) => {
    const r = await run(opts, stdin);
    expect(r.code).toBe(want);
    if (want === EXIT.USAGE) expect([r.stdout, r.stderr.length > 0]).toEqual(["", true]);
  });

  test("usage errors say what is missing", async () => {
    const r = await run({ log: "x" });
    expect(r.stderr).toBe("picket explain: --type is required: the log type the parsers expect (syslog, nginx, …)\n");
  });
});
