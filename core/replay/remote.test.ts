import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alertToWire } from "../alerts";
import { DEFAULT_PARSERS, DEFAULT_SCENARIOS } from "../defaults";
import { buildPipeline } from "../pipeline";
import { TESTDATA } from "../testing";
import { createParseService, RemoteParser, type ParseReply, type ParseRequest, type ParseWorkerPort } from "./remote";
import { replaySources, type ReplayInput } from "./run";

const NOW = Date.UTC(2026, 11, 1);
const pipeline = () => buildPipeline({ parserFiles: DEFAULT_PARSERS, scenarioFiles: DEFAULT_SCENARIOS, dataDir: TESTDATA, now: () => NOW });

/** A worker in this thread: requests are served by a parse service, replies arrive as later tasks. */
function inProcessPort(opts: { failAt?: number; notReady?: boolean } = {}): ParseWorkerPort & { requests: number } {
  const service = createParseService(pipeline());
  const port = {
    requests: 0,
    onmessage: null as ((e: MessageEvent<ParseReply>) => void) | null,
    onerror: null as ((e: ErrorEvent) => void) | null,
    postMessage(req: ParseRequest) {
      if (req.kind === "lines") port.requests++;
      const reply: ParseReply | undefined =
        req.kind === "lines" && port.requests === opts.failAt ? { kind: "failed", seq: req.seq, message: "boom" } : service(structuredClone(req));
      if (reply) setTimeout(() => port.onmessage?.({ data: structuredClone(reply) } as MessageEvent<ParseReply>), 0);
    },
    terminate() {},
  };
  setTimeout(() => port.onmessage?.({ data: opts.notReady ? { kind: "ready", error: "no items" } : { kind: "ready" } } as MessageEvent<ParseReply>), 0);
  return port;
}

function input(file: string, type: string, batch: number): ReplayInput {
  const lines = readFileSync(join(TESTDATA, "samples", "logs", file), "utf8").split("\n");
  return {
    name: file,
    type,
    batches: (async function* () {
      for (let i = 0; i < lines.length; i += batch) yield lines.slice(i, i + batch);
    })(),
  };
}

async function run(file: string, type: string, remote?: RemoteParser, batch = 7) {
  const alerts: string[] = [];
  const unparsed: string[] = [];
  const progress: number[] = [];
  const stats = await replaySources(pipeline(), [input(file, type, batch)], {
    onAlert: (a) => alerts.push(...(a.APIAlerts ?? []).map((x) => JSON.stringify(alertToWire(x)))),
    onUnparsed: (_s, line) => unparsed.push(line),
    onProgress: (n) => progress.push(n),
  }, NOW, { remote });
  return { alerts, unparsed, stats: [...stats.sources.values()], count: stats.alerts, lines: progress.at(-1) };
}

describe("replay with a parse worker", () => {
  for (const [file, type] of [["auth.log", "syslog"], ["access.log", "nginx"]] as const) {
    test(`${file}: same alerts, counts, unparsed lines and progress as parsing here`, async () => {
      const local = await run(file, type);
      const port = inProcessPort();
      const remote = await run(file, type, new RemoteParser(port));
      expect(local.count).toBeGreaterThan(0);
      expect(remote).toEqual(local);
      expect(port.requests).toBeGreaterThan(3); // the lines did go through the worker
    });
  }

  test("a worker that could not load its items leaves the parsing to this thread", async () => {
    const port = inProcessPort({ notReady: true });
    const r = await run("auth.log", "syslog", new RemoteParser(port));
    expect(r).toEqual(await run("auth.log", "syslog"));
    expect(port.requests).toBe(0);
  });

  test("a batch the worker fails on fails the replay", async () => {
    const remote = new RemoteParser(inProcessPort({ failAt: 2 }));
    await expect(run("auth.log", "syslog", remote)).rejects.toThrow(/boom/);
  });
});
