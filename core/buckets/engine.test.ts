import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONDITION_ENV, newLogEvent, newMap, type Event } from "../event";
import { compileExpr, GoTime, type ExprProgram } from "../expr";
import { renderProblem } from "../result";
import { TESTDATA } from "../testing";
import { createBucketEngine, loadScenarios, parseMarshaledTime, type BucketEngine, type CompiledScenario, type Overflow, type PourOutcome } from ".";

/**
 * testdata/buckets/<case>/: scenarios.yaml (our own scenarios) and case.json — the events to pour
 * (`t`: MarshaledTime, `now`: wall clock for live mode, `tick`: run the live timers) and the
 * overflows expected, in order. Fields left out of an expected overflow are not checked.
 */
const CASES_DIR = join(TESTDATA, "buckets");

interface CaseEvent {
  readonly t?: string;
  readonly now?: string;
  readonly tick?: string;
  readonly meta?: Record<string, string>;
  readonly parsed?: Record<string, string>;
  readonly enriched?: Record<string, string>;
  readonly unmarshaled?: Record<string, unknown>;
}

interface Case {
  readonly about: string;
  readonly mode?: "live" | "timemachine";
  readonly simulated?: string[];
  readonly events: readonly CaseEvent[];
  readonly want: readonly Record<string, unknown>[];
}

function loadCase(name: string): { scenarios: readonly CompiledScenario[]; spec: Case } {
  const loaded = loadScenarios([join(CASES_DIR, name, "scenarios.yaml")]);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(renderProblem).join("\n"));
  const spec = JSON.parse(readFileSync(join(CASES_DIR, name, "case.json"), "utf8")) as Case;
  return { scenarios: loaded.scenarios, spec };
}

function ms(rfc3339: string): number {
  const t = parseMarshaledTime(rfc3339);
  if (!t) throw new Error(`bad time in case: ${rfc3339}`);
  return t.unixMs;
}

function makeEvent(e: CaseEvent, live: boolean, nowMs = 0): Event {
  const evt = newLogEvent({ raw: "", timeMachine: !live });
  evt.Meta = Object.assign(newMap<string>(), e.meta ?? {});
  evt.Parsed = Object.assign(newMap<string>(), e.parsed ?? {});
  evt.Enriched = Object.assign(newMap<string>(), e.enriched ?? {});
  evt.Unmarshaled = Object.assign(newMap<unknown>(), e.unmarshaled ?? {});
  if (e.t) {
    evt.MarshaledTime = e.t;
    evt.Time = parseMarshaledTime(e.t)!;
  } else {
    evt.Time = new GoTime(nowMs); // the parsers stamp an event without a date with the wall clock
  }
  evt.Process = true;
  return evt;
}

/** What the cases can say about an overflow. */
function summarize(o: Overflow): Record<string, unknown> {
  const ov = o.event.Overflow;
  const a = ov.Alert!;
  const src = a.Source!;
  return {
    scenario: a.Scenario,
    sources: ov.GetSources(),
    count: a.EventsCount,
    events: a.Events?.length ?? 0,
    start: a.StartAt,
    stop: a.StopAt,
    message: a.Message,
    remediation: a.Remediation,
    simulated: a.Simulated,
    capacity: a.Capacity,
    leakspeed: a.Leakspeed,
    scope: a.GetScope(),
    value: a.GetValue(),
    ip: src.IP,
    range: src.Range,
    cn: src.Cn,
    as: `${src.AsNumber} ${src.AsName}`,
    first_event_n: a.Events?.[0]?.GetMeta("n"),
  };
}

/** Runs events[from, to) of a case through `engine`, advancing the fake clock. */
function run(engine: BucketEngine, spec: Case, clock: { ms: number }, from = 0, to = spec.events.length): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const live = spec.mode === "live";
  for (const e of spec.events.slice(from, to)) {
    if (e.tick) {
      clock.ms = ms(e.tick);
      for (const o of engine.tick()) out.push(summarize(o));
      continue;
    }
    if (e.now) clock.ms = ms(e.now);
    for (const o of engine.pour(makeEvent(e, live, clock.ms))) out.push(summarize(o));
  }
  return out;
}

function engineFor(scenarios: readonly CompiledScenario[], spec: Case, clock: { ms: number }, trimHeldEvents = false): BucketEngine {
  return createBucketEngine(scenarios, { mode: spec.mode ?? "timemachine", now: () => clock.ms, simulated: new Set(spec.simulated ?? []), trimHeldEvents });
}

function pick(got: readonly Record<string, unknown>[], want: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return got.map((g, i) => {
    const w = want[i] ?? {};
    return Object.fromEntries(Object.keys(w).map((k) => [k, g[k]]));
  });
}

const CASES = readdirSync(CASES_DIR).sort();

describe("createBucketEngine() on testdata/buckets", () => {
  test.each(CASES)("%s gives the expected overflows", (name) => {
    const { scenarios, spec } = loadCase(name);
    const clock = { ms: 0 };
    const engine = engineFor(scenarios, spec, clock);
    const got = run(engine, spec, clock);
    expect(engine.flush()).toEqual([]);
    expect(got.length).toBe(spec.want.length);
    expect(pick(got, spec.want)).toEqual(spec.want.map((w) => ({ ...w })));
  });

  test.each(CASES)("%s gives the same overflows when held events are trimmed (replay)", (name) => {
    const { scenarios, spec } = loadCase(name);
    const clock = { ms: 0 };
    const whole = run(engineFor(scenarios, spec, clock), spec, clock);
    const c = { ms: 0 };
    expect(run(engineFor(scenarios, spec, c, true), spec, c)).toEqual(whole);
  });

  test.each(CASES)("%s gives the same overflows when saved and restored at every point", (name) => {
    const { scenarios, spec } = loadCase(name);
    const clock = { ms: 0 };
    const whole = run(engineFor(scenarios, spec, clock), spec, clock);
    for (let cut = 1; cut < spec.events.length; cut++) {
      const c = { ms: 0 };
      const first = engineFor(scenarios, spec, c);
      const before = run(first, spec, c, 0, cut);
      const saved = JSON.parse(JSON.stringify(first.snapshot()));
      const second = engineFor(scenarios, spec, c);
      expect(second.restore(saved)).toEqual([]);
      expect(second.size).toBe(first.size);
      const after = run(second, spec, c, cut);
      expect([...before, ...after]).toEqual(whole);
    }
  });
});

describe("createBucketEngine() observer", () => {
  test("reports each outcome with the level before and after", () => {
    const { scenarios, spec } = loadCase("distinct");
    const seen: [string, number, number, PourOutcome["kind"]][] = [];
    const engine = createBucketEngine(scenarios, {
      mode: "timemachine",
      observer: { onPour: (s, partition, before, after, outcome) => seen.push([partition, round(before), round(after), outcome.kind]) },
    });
    for (const e of spec.events) engine.pour(makeEvent(e, false));
    expect(seen).toEqual([
      ["3.3.3.3", 0, 1, "poured"],
      ["3.3.3.3", 0.9, 0.9, "duplicate"],
      ["3.3.3.3", 0.8, 1.8, "poured"],
      ["3.3.3.3", 1.7, 1.7, "duplicate"],
      ["3.3.3.3", 1.6, 1.6, "duplicate"],
      ["3.3.3.3", 1.5, 3, "overflow"],
      ["3.3.3.3", 0, 1, "poured"],
    ]);
  });

  test("reports a filter that fails at run time as an error that stops the event", () => {
    const { scenarios, spec } = loadCase("error-rule");
    const kinds: string[] = [];
    const engine = createBucketEngine(scenarios, { observer: { onPour: (s, _p, _b, _a, o) => kinds.push(`${s.config.name}:${o.kind}`) } });
    engine.pour(makeEvent(spec.events[0]!, false));
    expect(kinds).toEqual(["test/fragile:error"]);
  });
});

describe("createBucketEngine() filter guards", () => {
  test("a guard reads the event as the filters before it left it (SetMeta included)", () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-guards-"));
    const file = join(dir, "s.yaml");
    writeFileSync(
      file,
      [
        "type: trigger\nname: test/writer\ndescription: t\nfilter: \"evt.Meta.log_type == 'early' && evt.SetMeta('log_type', 'late')\"\ngroupby: evt.Meta.source_ip",
        "type: trigger\nname: test/early\ndescription: t\nfilter: \"evt.Meta.log_type == 'early'\"\ngroupby: evt.Meta.source_ip",
        "type: trigger\nname: test/late\ndescription: t\nfilter: \"evt.Meta.log_type == 'late'\"\ngroupby: evt.Meta.source_ip",
      ].join("\n---\n"),
    );
    const loaded = loadScenarios([file]);
    expect(loaded.problems).toEqual([]);
    const seen: string[] = [];
    const engine = createBucketEngine(loaded.scenarios, { observer: { onPour: (sc, _p, _b, _a, o) => seen.push(`${sc.config.name}:${o.kind}`) } });
    engine.pour(makeEvent({ t: "2026-02-12T14:00:00Z", meta: { log_type: "early", source_ip: "1.2.3.4" } }, false));
    expect(seen).toEqual(["test/writer:overflow", "test/early:filtered", "test/late:overflow"]);
  });
});

describe("createBucketEngine() memory", () => {
  test("trims a held event to what alerts read, unless a condition reads more of it", () => {
    const { scenarios } = loadCase("conditional");
    const pourOne = (trim: boolean, sources: readonly CompiledScenario[]) => {
      const engine = createBucketEngine(sources, { trimHeldEvents: trim });
      const evt = makeEvent({ t: "2026-02-12T14:00:00Z", meta: { service: "ssh", log_type: "fail", source_ip: "1.2.3.4" }, parsed: { a: "b" } }, false);
      evt.Line.Raw = "the line";
      engine.pour(evt);
      return evt;
    };
    const trimmed = pourOne(true, scenarios);
    expect([trimmed.Parsed, trimmed.Line.Raw, trimmed.Meta?.source_ip, trimmed.MarshaledTime]).toEqual([null, "", "1.2.3.4", "2026-02-12T14:00:00Z"]);
    const kept = pourOne(false, scenarios);
    expect([kept.Parsed?.a, kept.Line.Raw]).toEqual(["b", "the line"]);
    // a condition reading #.Parsed keeps held events whole
    const reading = scenarios.map((s) => ({ ...s, condition: compiled("count(queue.Queue, {#.Parsed.a == 'b'}) >= 3") }));
    const whole = pourOne(true, reading);
    expect([whole.Parsed?.a, whole.Line.Raw]).toEqual(["b", "the line"]);
  });

  test("evicts the least recently poured bucket past maxBuckets", () => {
    const { scenarios } = loadCase("leaky-capacity");
    const engine = createBucketEngine(scenarios, { maxBuckets: 3 });
    for (let i = 0; i < 10; i++) engine.pour(makeEvent({ t: "2026-02-12T14:00:00Z", meta: { log_type: "fail", source_ip: `10.0.0.${i}` } }, false));
    expect(engine.size).toBe(3);
  });

  test("collects replayed buckets idle past their life while replaying many keys", () => {
    const { scenarios } = loadCase("leaky-capacity");
    const engine = createBucketEngine(scenarios);
    const base = Date.UTC(2026, 1, 12, 14, 0, 0);
    // one new key per second: each bucket lives (5+1)×10 s = 60 s, so about 60 stay alive
    for (let i = 0; i < 12000; i++) {
      const t = new Date(base + i * 1000).toISOString().replace(".000Z", "Z");
      engine.pour(makeEvent({ t, meta: { log_type: "fail", source_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } }, false));
    }
    expect(engine.size).toBeLessThan(12000 / 2);
  });
});

function compiled(source: string): ExprProgram {
  const p = compileExpr(source, { env: CONDITION_ENV, expect: "bool" });
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
