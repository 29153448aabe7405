import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSource, parseAcquisition, SourceCounters, type CommonConfig, type DataSource, type EventSink } from "../acquisition";
import { DEFAULT_PARSERS, DEFAULT_SCENARIOS } from "../defaults";
import { Line, newLogEvent, newMap, type Event } from "../event";
import { GoTime } from "../expr";
import { createCrowdsecMetrics } from "../metrics";
import { buildPipeline } from "../pipeline";
import { Agent, type AgentSetup } from "./agent";
import { AlertQueue } from "./queue";
import { loadState } from "./state";

const dir = mkdtempSync(join(tmpdir(), "picket-agent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pipeline = buildPipeline({ parserFiles: DEFAULT_PARSERS, scenarioFiles: DEFAULT_SCENARIOS, dataDir: dir });
const labels = Object.assign(newMap<string>(), { type: "syslog" });
const config: CommonConfig = { source: "test", mode: "tail", labels, name: "test", useTimeMachine: false, uniqueId: "t" };

/** A datasource that emits its events, then waits to be stopped (a tail with nothing more to read). */
class ListSource implements DataSource {
  readonly module = "file";
  readonly config = config;
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  private stopNow: (() => void) | undefined;
  constructor(private readonly events: readonly Event[]) {}
  async start(sink: EventSink, signal: AbortSignal): Promise<void> {
    for (const e of this.events) await sink(e);
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      this.stopNow = resolve;
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }
  async stop(): Promise<void> {
    this.stopNow?.();
  }
}

const failed = (ip: string, n: number): Event[] =>
  Array.from({ length: n }, () => newLogEvent({
    raw: `Nov 23 10:00:0${n} web sshd[12]: Failed password for invalid user admin from ${ip} port 22 ssh2`,
    src: "/var/log/auth.log", sharedLabels: labels, module: "file", time: new GoTime(Date.now()), timeMachine: false,
  }));

function setupOf(events: readonly Event[]): AgentSetup {
  return { pipeline, sources: [new ListSource(events)], simulated: new Set() };
}

function agentWith(name: string, events: readonly Event[]) {
  const queue = new AlertQueue(join(dir, `${name}.db`));
  const metrics = createCrowdsecMetrics({ version: "test" });
  const logs: string[] = [];
  let alerted: () => void = () => undefined;
  const firstAlert = new Promise<void>((resolve) => (alerted = resolve));
  const agent = new Agent(setupOf(events), { queue, statePath: join(dir, `${name}.json`), metrics, log: (l) => logs.push(l), onAlerts: () => alerted() });
  return { agent, queue, metrics, logs, firstAlert };
}

describe("Agent", () => {
  test("lines become alerts committed to the queue, with parser and bucket metrics", async () => {
    const { agent, queue, metrics, firstAlert } = agentWith("alerts", failed("192.0.2.1", 6));
    expect(agent.start()).toEqual([]);
    await firstAlert;
    await agent.stop();
    const alerts = queue.peek(10).map((q) => `${q.alert.scenario} ${q.alert.source.value}`);
    expect(alerts).toContain("picket/ssh-bruteforce 192.0.2.1");
    expect(agent.stats).toMatchObject({ events: 6, parsed: 6, unparsed: 0, failed: 0 });
    expect(metrics.parserHitsOk.labels("/var/log/auth.log", "file").value).toBe(6);
    expect(metrics.bucketOverflowed.labels("picket/ssh-bruteforce").value).toBe(1);
    queue.close();
  });

  test("an event that throws is logged, counted and skipped; the next ones go on", async () => {
    const broken = newLogEvent({ raw: "x", timeMachine: false });
    (broken as { Line: Line | null }).Line = null;
    const events = [broken, ...failed("192.0.2.2", 6)];
    const { agent, queue, logs, firstAlert } = agentWith("broken", events);
    agent.start();
    await firstAlert;
    await agent.stop();
    expect(agent.stats.failed).toBe(1);
    expect(agent.stats.parsed).toBe(6);
    expect(logs.some((l) => l.startsWith("Event from") && l.includes("skipped"))).toBe(true);
    expect(queue.length).toBeGreaterThan(0);
    queue.close();
  });

  test("garbage lines are counted as unparsed", async () => {
    const garbage = ["", "\u0000\u0001", "x".repeat(10_000), "{not json"].map((raw) => newLogEvent({ raw, src: "g", sharedLabels: labels, timeMachine: false }));
    const { agent, queue } = agentWith("garbage", garbage);
    agent.start();
    await agent.stop();
    expect(agent.stats).toMatchObject({ events: 4, parsed: 0, unparsed: 4, failed: 0 });
    queue.close();
  });

  test("stop saves the buckets; the next start restores them, so the counter goes on", async () => {
    const first = agentWith("restart", failed("192.0.2.3", 3));
    first.agent.start();
    await first.agent.stop();
    expect(first.queue.length).toBe(0);
    first.queue.close();
    const second = agentWith("restart", failed("192.0.2.3", 3));
    second.agent.start();
    expect(second.logs.some((l) => l.startsWith("Restored"))).toBe(true);
    await second.firstAlert;
    await second.agent.stop();
    expect(second.queue.peek(10).map((q) => q.alert.scenario)).toContain("picket/ssh-bruteforce");
    second.queue.close();
  });

  test("reload keeps the buckets of unchanged scenarios", async () => {
    const { agent, queue } = agentWith("reload", failed("192.0.2.4", 3));
    agent.start();
    const before = agent.bucketCount;
    expect(await agent.reload(setupOf([]))).toEqual([]);
    expect(agent.bucketCount).toBeGreaterThan(0);
    expect(agent.bucketCount).toBeGreaterThanOrEqual(before);
    await agent.stop();
    queue.close();
  });
});

/** Polls `cond` until it holds or `ms` passes (then fails with `what`). */
async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

function tailOf(path: string): FileSource {
  const { sources, problems } = parseAcquisition(`filenames: [${path}]\nlabels: {type: syslog}\npoll_without_inotify: true\n`, join(dir, "acquis.yaml"), { pollIntervalMs: 10 });
  expect(problems).toEqual([]);
  return sources[0] as FileSource;
}

describe("Agent: saved file positions (issue 9)", () => {
  test("cover only processed lines: lines handed over but still queued at a checkpoint are read again after a crash", async () => {
    const log = join(dir, "slow.log");
    writeFileSync(log, "");
    const lines = failed("192.0.2.9", 3).map((e) => `${e.Line.Raw}\n`).join("");
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = tailOf(log);
    const queue = new AlertQueue(join(dir, "slow.db"));
    const statePath = join(dir, "slow.json");
    // a slow consumer: the first batch waits at the gate
    const agent = new Agent({ pipeline, sources: [source], simulated: new Set() }, { queue, statePath, metrics: createCrowdsecMetrics({ version: "test" }), pace: () => gate });
    try {
      expect(agent.start()).toEqual([]);
      expect(await agent.ready()).toBe(true);
      appendFileSync(log, lines);
      await waitFor(() => source.counters.linesRead === 3, "the source to hand over 3 lines");
      expect(source.positions()[log]!.offset).toBe(lines.length);
      agent.checkpoint();
      // the lines are queued, not processed: the saved position stays where reading began
      const saved = loadState(statePath);
      if (!saved.ok || !saved.value) throw new Error("no state saved");
      expect(saved.value.positions[log]!.offset).toBe(0);
      expect(agent.stats.events).toBe(0);
      // a SIGKILL now: the next start from that state reads the 3 lines again
      copyFileSync(statePath, join(dir, "slow-crash.json"));
      const queue2 = new AlertQueue(join(dir, "slow-crash.db"));
      const again = new Agent({ pipeline, sources: [tailOf(log)], simulated: new Set() }, { queue: queue2, statePath: join(dir, "slow-crash.json"), metrics: createCrowdsecMetrics({ version: "test" }) });
      again.start();
      await waitFor(() => again.stats.events === 3, "the restarted agent to read the queued lines again");
      await again.stop();
      queue2.close();
      // once processed, the position moves past them
      release();
      await waitFor(() => agent.stats.events === 3, "the slow consumer to process the lines");
      agent.checkpoint();
      const after = loadState(statePath);
      expect(after.ok && after.value?.positions[log]?.offset).toBe(lines.length);
    } finally {
      release();
      await agent.stop();
      queue.close();
    }
  });
});

describe("Agent: a SIGKILL between an alert and the next save (issue 9)", () => {
  test("the restart reads the lines again from the older state, and the alert already sent is not sent twice", async () => {
    const log = join(dir, "crash.log");
    writeFileSync(log, "");
    const queuePath = join(dir, "crash.db");
    const statePath = join(dir, "crash.json");
    const queue = new AlertQueue(queuePath);
    let alerted: () => void = () => undefined;
    const firstAlert = new Promise<void>((resolve) => (alerted = resolve));
    const agent = new Agent({ pipeline, sources: [tailOf(log)], simulated: new Set() }, {
      queue, statePath, metrics: createCrowdsecMetrics({ version: "test" }), onAlerts: () => alerted(),
    });
    try {
      agent.start();
      expect(await agent.ready()).toBe(true);
      agent.checkpoint(); // the last save before the attack: position 0, no bucket
      appendFileSync(log, failed("192.0.2.10", 6).map((e) => `${e.Line.Raw}\n`).join(""));
      await firstAlert;
      expect(queue.length).toBe(1);
      // SIGKILL now, before the next save: what is on disk is the older state and the queue as committed
      copyFileSync(statePath, join(dir, "crash-after.json"));
      const copy = new Database(queuePath);
      copy.exec(`VACUUM INTO '${join(dir, "crash-after.db")}'`);
      copy.close();
    } finally {
      await agent.stop();
      queue.close();
    }
    const queue2 = new AlertQueue(join(dir, "crash-after.db"));
    expect(queue2.unsaved()).toEqual([{ scenario: "picket/ssh-bruteforce", scope: "Ip", value: "192.0.2.10" }]);
    const logs: string[] = [];
    const again = new Agent({ pipeline, sources: [tailOf(log)], simulated: new Set() }, {
      queue: queue2, statePath: join(dir, "crash-after.json"), metrics: createCrowdsecMetrics({ version: "test" }), log: (l) => logs.push(l),
    });
    again.start();
    await waitFor(() => again.stats.events === 6, "the restarted agent to read the 6 lines again");
    expect(queue2.length).toBe(1); // the one queued before the crash, not a second one
    expect(logs.some((l) => l.includes("picket/ssh-bruteforce for 192.0.2.10 was sent before the restart"))).toBe(true);
    // the next save covers everything: the note goes, and a later alert for the same source is sent
    again.checkpoint();
    expect(queue2.unsaved()).toEqual([]);
    await again.stop();
    queue2.close();
  });
});
