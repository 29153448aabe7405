import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { memoryIo } from "../cli/io";
import { expectGolden, TESTDATA } from "../core/testing";
import { replay, type ReplayOptions } from "./replay";

const AUTH = join(TESTDATA, "samples", "logs", "auth.log");
const ACCESS = join(TESTDATA, "samples", "logs", "access.log");
// A fixed clock: yearless syslog dates take this year, and the output carries no timing.
const NOW = Date.UTC(2026, 11, 1);
const base: ReplayOptions = { files: [], output: "human", progress: false, now: () => NOW, builtin: true };

function stdinOf(text: string): () => ReadableStream<Uint8Array> {
  return () => new Blob([text]).stream();
}

/** Runs replay with the built-in collection whatever /etc/crowdsec holds. */
async function run(opts: Partial<ReplayOptions>, stdin = stdinOf("")) {
  const io = memoryIo();
  const code = await replay({ ...base, ...opts }, io, stdin);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("replay (built-in collection)", () => {
  test("finds the attackers of the bundled samples and exits 1", async () => {
    const r = await run({ files: [AUTH, ACCESS] });
    expect(r.code).toBe(1);
    expectGolden("replay/samples.txt", r.out);
    expect(r.err).toContain("testdata/samples/logs/auth.log: 113 lines, 52 parsed, 61 unparsed, 8 whitelisted");
    expect(r.err).toContain("replay: 296 lines, 10 alerts");
  });

  test("writes one JSON alert per line with --json", async () => {
    const r = await run({ files: [ACCESS], output: "json", type: "nginx" });
    const alerts = r.out.trim().split("\n").map((l) => JSON.parse(l) as { scenario: string; source: { ip: string; scope: string } });
    expect(alerts.map((a) => `${a.scenario} ${a.source.ip} ${a.source.scope}`)).toEqual([
      "picket/http-probing 45.33.32.156 Ip",
      "picket/http-sensitive-files 185.220.101.3 Ip",
      "picket/http-bad-user-agent 89.248.165.52 Ip",
      "picket/http-path-traversal 141.98.10.1 Ip",
    ]);
  });

  test("writes CSV with -o csv", async () => {
    const r = await run({ files: [AUTH], output: "csv" });
    expectGolden("replay/auth.csv", r.out);
  });

  test("reads stdin and gzip, and gives the same alerts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-replay-"));
    const gz = join(dir, "auth.log.gz");
    writeFileSync(gz, gzipSync(readFileSync(AUTH)));
    const fromGzip = await run({ files: [gz], output: "csv" });
    const fromStdin = await run({ files: ["-"], output: "csv", type: "syslog" }, stdinOf(readFileSync(AUTH, "utf8")));
    const plain = await run({ files: [AUTH], output: "csv" });
    expect(fromGzip.out).toBe(plain.out);
    expect(fromStdin.out).toBe(plain.out);
  });

  test("writes unparsed lines with --unparsed and exits 0 without alerts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-replay-"));
    const log = join(dir, "quiet.log");
    writeFileSync(log, "Nov 18 06:13:35 web-1 sshd[2000]: Accepted publickey for deploy from 82.64.12.9 port 1 ssh2\nnot a log line at all\n");
    const unparsed = join(dir, "unparsed.txt");
    const r = await run({ files: [log], type: "syslog", unparsed });
    expect(r.code).toBe(0);
    expect(r.out).toBe("No alert.\n");
    expect(readFileSync(unparsed, "utf8")).toBe(
      "Nov 18 06:13:35 web-1 sshd[2000]: Accepted publickey for deploy from 82.64.12.9 port 1 ssh2\nnot a log line at all\n",
    );
  });

  test("refuses an unknown format without --type, and a missing file (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-replay-"));
    const log = join(dir, "odd.log");
    writeFileSync(log, "hello\nworld\n");
    const odd = await run({ files: [log] });
    expect(odd.code).toBe(2);
    expect(odd.err).toContain("cannot tell the log format");
    const missing = await run({ files: [join(dir, "nope.log")] });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such file");
  });
});

describe("replay on a parse worker thread", () => {
  /** Without a fixed clock a single input is parsed on the worker; PICKET_REPLAY_WORKER=0 keeps it here. */
  async function runClock(opts: Partial<ReplayOptions>, worker: boolean) {
    const saved = process.env.PICKET_REPLAY_WORKER;
    process.env.PICKET_REPLAY_WORKER = worker ? "1" : "0";
    try {
      return await run({ ...opts, now: undefined });
    } finally {
      if (saved === undefined) delete process.env.PICKET_REPLAY_WORKER;
      else process.env.PICKET_REPLAY_WORKER = saved;
    }
  }

  for (const [file, type] of [[AUTH, "syslog"], [ACCESS, "nginx"]] as const) {
    test(`${file.slice(file.lastIndexOf("/") + 1)}: the same alerts and counts as parsing on the main thread`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "picket-replay-"));
      const here = await runClock({ files: [file], type, output: "json", unparsed: join(dir, "a.txt") }, false);
      // count the batches of lines sent to worker threads
      const proto = globalThis.Worker.prototype as unknown as { postMessage: (...args: unknown[]) => void };
      const original = proto.postMessage;
      let batches = 0;
      proto.postMessage = function (this: unknown, ...args: unknown[]) {
        if ((args[0] as { kind?: string } | undefined)?.kind === "lines") batches++;
        Reflect.apply(original, this, args);
      };
      let there: Awaited<ReturnType<typeof runClock>>;
      try {
        there = await runClock({ files: [file], type, output: "json", unparsed: join(dir, "b.txt") }, true);
      } finally {
        proto.postMessage = original;
      }
      expect(batches).toBeGreaterThan(0);
      expect(here.out.length).toBeGreaterThan(0);
      expect(there.out).toBe(here.out);
      // counts are the same; the timing differs
      const counts = (err: string) => err.split("\n").filter((l) => l.includes(" lines")).map((l) => l.replace(/ in [\d.]+ s \([\d,]+ lines\/s\)/, ""));
      expect(counts(there.err)).toEqual(counts(here.err));
      expect(readFileSync(join(dir, "b.txt"), "utf8")).toBe(readFileSync(join(dir, "a.txt"), "utf8"));
    });
  }
});
