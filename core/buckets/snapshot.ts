/**
 * Saving and restoring the bucket engine: buckets, blackhole memories and clocks as plain data
 * (JSON-able), and back. Events kept in queues are written field by field with Go names.
 */
import { Alert, APIEvent, AppsecEvent, Decision, Event, Line, MetaItem, newMap, RuntimeAlert, Source } from "../event";
import { GoTime } from "../expr";
import { problem, type Problem } from "../result";
import { Bucket } from "./bucket";
import type { BucketFactory } from "./factory";
import type { BucketStore } from "./store";

/** A time: epoch ms, nanoseconds below the ms, zone offset (s), zone name. */
export type TimeRecord = readonly [number, number, number, string];

export interface EventRecord {
  readonly Type: number;
  readonly ExpectMode: number;
  readonly Whitelisted: boolean;
  readonly WhitelistReason: string;
  readonly Stage: string;
  readonly Line: { readonly Raw: string; readonly Src: string; readonly Time: TimeRecord; readonly Labels: Record<string, string> | null; readonly Process: boolean; readonly Module: string };
  readonly Parsed: Record<string, string> | null;
  readonly Enriched: Record<string, string> | null;
  readonly Meta: Record<string, string> | null;
  readonly Unmarshaled: Record<string, unknown> | null;
  readonly Time: TimeRecord;
  readonly StrTime: string;
  readonly StrTimeFormat: string;
  readonly MarshaledTime: string;
  readonly Process: boolean;
  readonly Appsec?: { readonly HasInBandMatches: boolean; readonly HasOutBandMatches: boolean; readonly MatchedRules: Record<string, unknown>[] | null; readonly Vars: Record<string, string> | null; readonly HookVars: Record<string, string> | null };
  /** Only for overflow events (reprocessed into a bucket). */
  readonly Overflow?: RuntimeAlertRecord;
}

export interface RuntimeAlertRecord {
  readonly Mapkey: string;
  readonly BucketId: string;
  readonly Whitelisted: boolean;
  readonly Reprocess: boolean;
  readonly Sources: Record<string, Record<string, unknown>> | null;
  /** Alert is APIAlerts[0]. */
  readonly APIAlerts: Record<string, unknown>[] | null;
}

export interface BucketRecord {
  /** Index into BucketSnapshot.scenarios. */
  readonly scenario: number;
  readonly partition: string;
  readonly mapkey: string;
  readonly uuid: string;
  readonly mode: number;
  readonly durationNs: number;
  readonly first: TimeRecord;
  readonly last: TimeRecord;
  readonly overflow: TimeRecord;
  readonly totalCount: number;
  readonly tokens: number;
  readonly limiterLast: TimeRecord | null;
  readonly queueLimit: number;
  readonly queue: readonly EventRecord[];
  readonly seen: readonly string[] | null;
  readonly guillotines: readonly boolean[] | null;
  readonly timerStartMs: number | null;
}

export interface BucketSnapshot {
  readonly format: 1;
  /** Scenario names in engine order; records point into this list. */
  readonly scenarios: readonly string[];
  readonly buckets: readonly BucketRecord[];
  readonly blackholes: readonly { readonly scenario: number; readonly hidden: readonly (readonly [string, TimeRecord])[] }[];
  readonly watermark: TimeRecord | null;
  readonly nextId: number;
}

/** The engine fields a snapshot covers. */
export interface EngineState {
  readonly factories: readonly BucketFactory[];
  readonly store: BucketStore;
  watermark: GoTime | null;
  nextId: number;
}

export function encodeTime(t: GoTime): TimeRecord {
  return [t.unixMs, t.subMsNanos, t.offsetSeconds, t.zoneName];
}

export function decodeTime(r: TimeRecord): GoTime {
  return new GoTime(r[0], r[2], r[1], r[3]);
}

function copyMap<T>(m: Record<string, T> | null): Record<string, T> | null {
  return m === null ? null : Object.assign(newMap<T>(), m);
}

const SOURCE_FIELDS = ["AsName", "AsNumber", "Cn", "IP", "Latitude", "Longitude", "Range", "Scope", "Value"] as const;
const ALERT_SCALARS = [
  "Capacity", "CreatedAt", "EventsCount", "ID", "Kind", "Labels", "Leakspeed", "MachineID", "Message", "Remediation",
  "Scenario", "ScenarioHash", "ScenarioVersion", "Simulated", "StartAt", "StopAt", "UUID",
] as const;
const DECISION_FIELDS = ["Duration", "ID", "Origin", "Scenario", "Scope", "Simulated", "Type", "Until", "UUID", "Value"] as const;

function pick<K extends string>(o: object, keys: readonly K[]): Record<K, unknown> {
  const out = {} as Record<K, unknown>;
  for (const k of keys) out[k] = (o as Record<K, unknown>)[k];
  return out;
}

function assign<K extends string>(target: object, r: Record<string, unknown>, keys: readonly K[]): void {
  for (const k of keys) if (k in r) (target as Record<K, unknown>)[k] = r[k];
}

function encodeMeta(meta: readonly MetaItem[] | null): [string, string][] | null {
  return meta === null ? null : meta.map((m) => [m.Key, m.Value]);
}

function decodeMeta(r: unknown): MetaItem[] | null {
  return Array.isArray(r) ? (r as [string, string][]).map(([k, v]) => new MetaItem(k, v)) : null;
}

function encodeAlert(a: Alert): Record<string, unknown> {
  return {
    ...pick(a, ALERT_SCALARS),
    Labels: a.Labels && [...a.Labels],
    Source: a.Source && pick(a.Source, SOURCE_FIELDS),
    Events: a.Events && a.Events.map((e) => ({ Meta: encodeMeta(e.Meta), Timestamp: e.Timestamp })),
    Meta: encodeMeta(a.Meta),
    Decisions: a.Decisions && a.Decisions.map((d) => pick(d, DECISION_FIELDS)),
  };
}

function decodeSource(r: Record<string, unknown>): Source {
  const s = new Source();
  assign(s, r, SOURCE_FIELDS);
  return s;
}

function decodeAlert(r: Record<string, unknown>): Alert {
  const a = new Alert();
  assign(a, r, ALERT_SCALARS);
  if (r.Source) a.Source = decodeSource(r.Source as Record<string, unknown>);
  if (Array.isArray(r.Events)) {
    a.Events = (r.Events as { Meta: unknown; Timestamp: string | null }[]).map((e) => {
      const ev = new APIEvent();
      ev.Meta = decodeMeta(e.Meta);
      ev.Timestamp = e.Timestamp;
      return ev;
    });
  }
  a.Meta = decodeMeta(r.Meta);
  if (Array.isArray(r.Decisions)) {
    a.Decisions = (r.Decisions as Record<string, unknown>[]).map((d) => {
      const dec = new Decision();
      assign(dec, d, DECISION_FIELDS);
      return dec;
    });
  }
  return a;
}

function encodeRuntimeAlert(o: RuntimeAlert): RuntimeAlertRecord {
  let sources: Record<string, Record<string, unknown>> | null = null;
  if (o.Sources) {
    sources = {};
    for (const k in o.Sources) sources[k] = pick(o.Sources[k]!, SOURCE_FIELDS);
  }
  return { Mapkey: o.Mapkey, BucketId: o.BucketId, Whitelisted: o.Whitelisted, Reprocess: o.Reprocess, Sources: sources, APIAlerts: o.APIAlerts && o.APIAlerts.map(encodeAlert) };
}

function decodeRuntimeAlert(r: RuntimeAlertRecord): RuntimeAlert {
  const o = new RuntimeAlert();
  o.Mapkey = r.Mapkey;
  o.BucketId = r.BucketId;
  o.Whitelisted = r.Whitelisted;
  o.Reprocess = r.Reprocess;
  if (r.Sources) {
    o.Sources = newMap<Source>();
    for (const k in r.Sources) o.Sources[k] = decodeSource(r.Sources[k]!);
  }
  o.APIAlerts = r.APIAlerts && r.APIAlerts.map(decodeAlert);
  o.Alert = o.APIAlerts?.[0] ?? null;
  return o;
}

export function encodeEvent(e: Event): EventRecord {
  const a = e.Appsec;
  const hasAppsec = a.HasInBandMatches || a.HasOutBandMatches || a.MatchedRules !== null || a.Vars !== null || a.HookVars !== null;
  return {
    Type: e.Type,
    ExpectMode: e.ExpectMode,
    Whitelisted: e.Whitelisted,
    WhitelistReason: e.WhitelistReason,
    Stage: e.Stage,
    Line: { Raw: e.Line.Raw, Src: e.Line.Src, Time: encodeTime(e.Line.Time), Labels: copyMap(e.Line.Labels), Process: e.Line.Process, Module: e.Line.Module },
    Parsed: copyMap(e.Parsed),
    Enriched: copyMap(e.Enriched),
    Meta: copyMap(e.Meta),
    Unmarshaled: e.Unmarshaled && (structuredClone(e.Unmarshaled) as Record<string, unknown>),
    Time: encodeTime(e.Time),
    StrTime: e.StrTime,
    StrTimeFormat: e.StrTimeFormat,
    MarshaledTime: e.MarshaledTime,
    Process: e.Process,
    ...(hasAppsec
      ? { Appsec: { HasInBandMatches: a.HasInBandMatches, HasOutBandMatches: a.HasOutBandMatches, MatchedRules: a.MatchedRules && structuredClone(a.MatchedRules), Vars: copyMap(a.Vars), HookVars: copyMap(a.HookVars) } }
      : {}),
    ...(e.Type === 1 ? { Overflow: encodeRuntimeAlert(e.Overflow) } : {}),
  };
}

export function decodeEvent(r: EventRecord): Event {
  const e = new Event();
  e.Type = r.Type;
  e.ExpectMode = r.ExpectMode;
  e.Whitelisted = r.Whitelisted;
  e.WhitelistReason = r.WhitelistReason;
  e.Stage = r.Stage;
  const line = new Line();
  line.Raw = r.Line.Raw;
  line.Src = r.Line.Src;
  line.Time = decodeTime(r.Line.Time);
  line.Labels = copyMap(r.Line.Labels);
  line.Process = r.Line.Process;
  line.Module = r.Line.Module;
  e.Line = line;
  e.Parsed = copyMap(r.Parsed);
  e.Enriched = copyMap(r.Enriched);
  e.Meta = copyMap(r.Meta);
  e.Unmarshaled = r.Unmarshaled && Object.assign(newMap<unknown>(), structuredClone(r.Unmarshaled));
  e.Time = decodeTime(r.Time);
  e.StrTime = r.StrTime;
  e.StrTimeFormat = r.StrTimeFormat;
  e.MarshaledTime = r.MarshaledTime;
  e.Process = r.Process;
  if (r.Appsec) {
    const a = new AppsecEvent();
    a.HasInBandMatches = r.Appsec.HasInBandMatches;
    a.HasOutBandMatches = r.Appsec.HasOutBandMatches;
    a.MatchedRules = r.Appsec.MatchedRules && structuredClone(r.Appsec.MatchedRules);
    a.Vars = copyMap(r.Appsec.Vars);
    a.HookVars = copyMap(r.Appsec.HookVars);
    e.Appsec = a;
  }
  if (r.Overflow) e.Overflow = decodeRuntimeAlert(r.Overflow);
  return e;
}

export function snapshotEngineState(state: EngineState): BucketSnapshot {
  const buckets: BucketRecord[] = [];
  for (const b of state.store.values()) {
    buckets.push({
      scenario: b.scenario,
      partition: b.partition,
      mapkey: b.Mapkey,
      uuid: b.Uuid,
      mode: b.Mode,
      durationNs: b.Duration,
      first: encodeTime(b.First_ts),
      last: encodeTime(b.Last_ts),
      overflow: encodeTime(b.Ovflw_ts),
      totalCount: b.Total_count,
      tokens: b.tokens,
      limiterLast: b.limiterLast && encodeTime(b.limiterLast),
      queueLimit: b.Queue.L,
      queue: b.Queue.Queue.map(encodeEvent),
      seen: b.seen && [...b.seen],
      guillotines: b.guillotines && [...b.guillotines],
      timerStartMs: Number.isNaN(b.timerStartMs) ? null : b.timerStartMs,
    });
  }
  const blackholes: BucketSnapshot["blackholes"][number][] = [];
  for (const f of state.factories) {
    if (f.blackhole && f.blackhole.hidden.size > 0) {
      blackholes.push({ scenario: f.index, hidden: [...f.blackhole.hidden].map(([k, t]) => [k, encodeTime(t)] as const) });
    }
  }
  return {
    format: 1,
    scenarios: state.factories.map((f) => f.scenario.config.name),
    buckets,
    blackholes,
    watermark: state.watermark && encodeTime(state.watermark),
    nextId: state.nextId,
  };
}

/** Maps snapshot scenario positions to engine positions by name (the n-th of a name to the n-th). */
function scenarioMapping(state: EngineState, names: readonly string[]): (number | undefined)[] {
  const free = new Map<string, number[]>();
  for (const f of state.factories) {
    const list = free.get(f.scenario.config.name) ?? [];
    list.push(f.index);
    free.set(f.scenario.config.name, list);
  }
  return names.map((n) => free.get(n)?.shift());
}

export function restoreEngineState(state: EngineState, snap: BucketSnapshot): Problem[] {
  const problems: Problem[] = [];
  if (snap.format !== 1) return [problem("buckets.snapshot", `Cannot restore buckets: unknown snapshot format "${String(snap.format)}"`)];
  const mapping = scenarioMapping(state, snap.scenarios);
  snap.scenarios.forEach((name, i) => {
    if (mapping[i] === undefined) problems.push(problem("buckets.snapshot", `Cannot restore the buckets of scenario "${name}": it is not loaded`));
  });
  state.store.clear();
  for (const f of state.factories) f.blackhole?.hidden.clear();
  for (const r of snap.buckets) {
    const index = mapping[r.scenario];
    if (index === undefined) continue;
    const f = state.factories[index]!;
    const b = new Bucket({
      group: f.group,
      scenario: index,
      partition: r.partition,
      filter: f.scenario.config.filter,
      name: f.scenario.config.name,
      mapkey: r.mapkey,
      uuid: r.uuid,
      mode: r.mode,
      durationNs: r.durationNs,
      queueLimit: r.queueLimit === Number.MAX_SAFE_INTEGER ? -1 : r.queueLimit,
    });
    b.First_ts = decodeTime(r.first);
    b.Last_ts = decodeTime(r.last);
    b.Ovflw_ts = decodeTime(r.overflow);
    b.Total_count = r.totalCount;
    b.tokens = r.tokens;
    b.limiterLast = r.limiterLast && decodeTime(r.limiterLast);
    b.Queue.Queue = r.queue.map(decodeEvent);
    b.seen = r.seen && new Set(r.seen);
    b.guillotines = r.guillotines && [...r.guillotines];
    b.timerStartMs = r.timerStartMs ?? Number.NaN;
    state.store.add(b);
  }
  for (const bh of snap.blackholes) {
    const index = mapping[bh.scenario];
    const memory = index === undefined ? null : state.factories[index]!.blackhole;
    memory?.restore(bh.hidden.map(([k, t]) => [k, decodeTime(t)] as const));
  }
  state.watermark = snap.watermark && decodeTime(snap.watermark);
  state.nextId = snap.nextId;
  return problems;
}
