/**
 * The CrowdSec Event (upstream pkg/pipeline/event.go, line.go) with Go field names, so hub
 * expressions read `evt.Parsed.x`, `evt.Line.Labels.type`, `evt.GetMeta("k")` unchanged.
 * Maps are null-prototype objects; a map that Go would hold as nil is null.
 */
import ipaddr from "ipaddr.js";
import { ANY, arrayOf, BOOL, eventWrites, GoTime, INT, mapOf, method, pointerTo, STRING, STRUCT_TYPE, structType, TIME, type StructType } from "../expr";
import { AppsecEvent, APPSEC_EVENT_TYPE } from "./appsec";
import { Alert, ALERT_TYPE, metaValue, SOURCE_TYPE, type Source } from "./models";

/** Event.Type values. */
export const LOG = 0;
export const OVFLW = 1;
export const APPSEC = 2;

/** Event.ExpectMode values. */
export const LIVE = 0;
export const TIMEMACHINE = 1;

export type StringMap = Record<string, string>;
export type AnyMap = Record<string, unknown>;

/** A fresh map value (null prototype: no key is inherited). */
export function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `pipeline.Line`: the raw line as the datasource read it. */
export class Line {
  Raw = "";
  Src = "";
  /** Acquisition time. */
  Time: GoTime = GoTime.ZERO;
  Labels: StringMap | null = null;
  Process = false;
  Module = "";

  get [STRUCT_TYPE](): StructType {
    return LINE_TYPE;
  }
}

/** `pipeline.RuntimeAlert`: what a scenario overflow carries. */
export class RuntimeAlert {
  Mapkey = "";
  BucketId = "";
  Whitelisted = false;
  Reprocess = false;
  /** Keyed by IP, range or other scope value. */
  Sources: Record<string, Source> | null = null;
  /** The first alert (APIAlerts[0]). */
  Alert: Alert | null = null;
  APIAlerts: Alert[] | null = null;

  get [STRUCT_TYPE](): StructType {
    return RUNTIME_ALERT_TYPE;
  }

  GetSources(): string[] {
    return this.Sources ? Object.keys(this.Sources) : [];
  }
}

/** `pipeline.Event`: a log line (Type LOG), an overflow (OVFLW) or an AppSec request (APPSEC). */
export class Event {
  Type = LOG;
  ExpectMode = LIVE;
  Whitelisted = false;
  WhitelistReason = "";
  /** Current parser stage, e.g. "s01-parse". */
  Stage = "";
  Line: Line = new Line();
  Parsed: StringMap | null = null;
  Enriched: StringMap | null = null;
  Unmarshaled: AnyMap | null = null;
  Overflow: RuntimeAlert = new RuntimeAlert();
  /** Event time (parsed log date in time-machine mode). */
  Time: GoTime = GoTime.ZERO;
  StrTime = "";
  StrTimeFormat = "";
  MarshaledTime = "";
  Process = false;
  Appsec: AppsecEvent = new AppsecEvent();
  Meta: StringMap | null = null;

  get [STRUCT_TYPE](): StructType {
    return EVENT_TYPE;
  }

  /** LOG: Meta[key]; OVFLW: first non-empty meta `key` of the alerts' events; otherwise "". */
  GetMeta(key: string): string {
    return eventMeta(this, key);
  }

  /** "log", "overflow" or "unknown" (APPSEC included). */
  GetType(): string {
    return this.Type === OVFLW ? "overflow" : this.Type === LOG ? "log" : "unknown";
  }

  SetMeta(key: string, value: string): boolean {
    eventWrites.count++;
    (this.Meta ??= newMap<string>())[key] = value;
    return true;
  }

  SetParsed(key: string, value: string): boolean {
    eventWrites.count++;
    (this.Parsed ??= newMap<string>())[key] = value;
    return true;
  }

  /** IPs the event is about: LOG → Meta.source_ip if valid; OVFLW → the source keys that are IPs. */
  ParseIPSources(): string[] {
    const valid = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s) || ipaddr.IPv6.isValid(s);
    if (this.Type === LOG) {
      const ip = this.Meta?.source_ip;
      return ip !== undefined && Object.hasOwn(this.Meta ?? {}, "source_ip") && valid(ip) ? [ip] : [];
    }
    if (this.Type === OVFLW) return this.Overflow.GetSources().filter(valid);
    return [];
  }
}

// Shapes the expression methods read, so plain objects shaped like events work too.
interface EventLike {
  readonly Type?: number;
  readonly Meta?: Readonly<StringMap> | null;
  readonly Overflow?: { readonly APIAlerts?: readonly { readonly Events?: readonly ({ readonly Meta?: readonly ({ Key?: string; Value?: string } | null)[] | null } | null)[] | null }[] | null } | null;
}

function eventMeta(e: EventLike | null, key: string): string {
  if (!e) return "";
  if (e.Type === OVFLW) {
    for (const alert of e.Overflow?.APIAlerts ?? []) {
      for (const ev of alert.Events ?? []) {
        const v = metaValue(ev?.Meta, key);
        if (v !== "") return v;
      }
    }
    return "";
  }
  if ((e.Type ?? LOG) === LOG && e.Meta && Object.prototype.hasOwnProperty.call(e.Meta, key)) return e.Meta[key] ?? "";
  return "";
}

function mutableMap(e: unknown, field: "Meta" | "Parsed"): StringMap | null {
  eventWrites.count++;
  if (!e || typeof e !== "object") return null;
  const holder = e as Record<string, unknown>;
  if (!holder[field]) holder[field] = newMap<string>();
  return holder[field] as StringMap;
}

export const LINE_TYPE: StructType = structType("pipeline.Line", () => ({
  Raw: STRING, Src: STRING, Time: TIME, Labels: mapOf(STRING), Process: BOOL, Module: STRING,
}));

export const RUNTIME_ALERT_TYPE: StructType = structType(
  "pipeline.RuntimeAlert",
  () => ({
    Mapkey: STRING, BucketId: STRING, Whitelisted: BOOL, Reprocess: BOOL,
    Sources: mapOf(SOURCE_TYPE), Alert: pointerTo(ALERT_TYPE), APIAlerts: arrayOf(ALERT_TYPE),
  }),
  () => ({
    GetSources: method([], arrayOf(STRING), (r: { Sources?: object | null } | null) => (r?.Sources ? Object.keys(r.Sources) : [])),
  }),
);

export const EVENT_TYPE: StructType = structType(
  "pipeline.Event",
  () => ({
    Type: INT, ExpectMode: INT, Whitelisted: BOOL, WhitelistReason: STRING, Stage: STRING,
    Line: LINE_TYPE, Parsed: mapOf(STRING), Enriched: mapOf(STRING), Unmarshaled: mapOf(ANY),
    Overflow: RUNTIME_ALERT_TYPE, Time: TIME, StrTime: STRING, StrTimeFormat: STRING, MarshaledTime: STRING,
    Process: BOOL, Appsec: APPSEC_EVENT_TYPE, Meta: mapOf(STRING),
  }),
  () => ({
    GetMeta: method([STRING], STRING, (e: EventLike | null, k: string) => eventMeta(e, k)),
    GetType: method([], STRING, (e: EventLike | null) => (e?.Type === OVFLW ? "overflow" : (e?.Type ?? LOG) === LOG ? "log" : "unknown")),
    SetMeta: method([STRING, STRING], BOOL, (e: unknown, k: string, v: string) => {
      const m = mutableMap(e, "Meta");
      if (m) m[k] = v;
      return true;
    }),
    SetParsed: method([STRING, STRING], BOOL, (e: unknown, k: string, v: string) => {
      const m = mutableMap(e, "Parsed");
      if (m) m[k] = v;
      return true;
    }),
  }),
);

export interface LogEventInit {
  /** The line, without its trailing newline. */
  readonly raw: string;
  /** Where it came from (file path as given). */
  readonly src?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * A labels map used as it is rather than copied: every line of a datasource shares its
   * config's map, as upstream's datasources give it (replay passes one per input).
   */
  readonly sharedLabels?: Record<string, string>;
  /** Datasource name; "file" by default. */
  readonly module?: string;
  /** Acquisition time; the zero time by default (callers pass the clock). */
  readonly time?: GoTime;
  /** TIMEMACHINE (replay, hubtest) by default; false for LIVE. */
  readonly timeMachine?: boolean;
}

/**
 * A LOG event as a datasource emits it in one-shot mode: Line filled (Process true), Type LOG,
 * Process true, Unmarshaled {}; Parsed, Meta and Enriched stay nil until parsing starts.
 */
export function newLogEvent(init: LogEventInit): Event {
  const e = new Event();
  e.Type = LOG;
  e.ExpectMode = init.timeMachine === false ? LIVE : TIMEMACHINE;
  e.Process = true;
  e.Line.Raw = init.raw;
  e.Line.Src = init.src ?? "";
  e.Line.Time = init.time ?? GoTime.ZERO;
  e.Line.Labels = init.sharedLabels ?? Object.assign(newMap<string>(), init.labels ?? {});
  e.Line.Process = true;
  e.Line.Module = init.module ?? "file";
  e.Unmarshaled = newMap<unknown>();
  return e;
}
