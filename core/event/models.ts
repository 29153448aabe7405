/**
 * The Local API models an overflow carries (upstream pkg/models): Alert, Source, the alert's
 * events and their meta, decisions. Go pointer fields (`*string`, `*int32`) are `T | null`.
 */
import { arrayOf, BOOL, FLOAT, INT, method, pointerTo, STRING, STRUCT_TYPE, structType, type StructType } from "../expr";

/** `models.MetaItems0`: one key/value of an alert or API event meta list. */
export class MetaItem {
  Key = "";
  Value = "";

  constructor(key = "", value = "") {
    this.Key = key;
    this.Value = value;
  }

  get [STRUCT_TYPE](): StructType {
    return META_ITEM_TYPE;
  }
}

/** `models.Source`: where an alert comes from (an IP, a range, or another scope). */
export class Source {
  AsName = "";
  AsNumber = "";
  Cn = "";
  IP = "";
  Latitude = 0;
  Longitude = 0;
  Range = "";
  Scope: string | null = null;
  Value: string | null = null;

  get [STRUCT_TYPE](): StructType {
    return SOURCE_TYPE;
  }

  GetScope(): string {
    return sourceScope(this);
  }

  GetValue(): string {
    return sourceValue(this);
  }
}

/** A field-by-field copy of a source (alerts own their sources; postoverflows may rewrite them). */
export function cloneSource(s: Source): Source {
  const c = new Source();
  c.AsName = s.AsName;
  c.AsNumber = s.AsNumber;
  c.Cn = s.Cn;
  c.IP = s.IP;
  c.Latitude = s.Latitude;
  c.Longitude = s.Longitude;
  c.Range = s.Range;
  c.Scope = s.Scope;
  c.Value = s.Value;
  return c;
}

/** `models.Event`: an event as stored in an alert: its meta list (sorted by key) and timestamp. */
export class APIEvent {
  Meta: MetaItem[] | null = null;
  Timestamp: string | null = null;

  get [STRUCT_TYPE](): StructType {
    return API_EVENT_TYPE;
  }

  GetMeta(key: string): string {
    return metaValue(this.Meta, key);
  }
}

/** `models.Decision`. */
export class Decision {
  Duration: string | null = null;
  ID = 0;
  Origin: string | null = null;
  Scenario: string | null = null;
  Scope: string | null = null;
  Simulated: boolean | null = null;
  Type: string | null = null;
  Until = "";
  UUID = "";
  Value: string | null = null;

  get [STRUCT_TYPE](): StructType {
    return DECISION_TYPE;
  }
}

/** `models.Alert`. */
export class Alert {
  Capacity: number | null = null;
  CreatedAt = "";
  Decisions: Decision[] | null = null;
  Events: APIEvent[] | null = null;
  EventsCount: number | null = null;
  ID = 0;
  Kind = "";
  Labels: string[] | null = null;
  Leakspeed: string | null = null;
  MachineID = "";
  Message: string | null = null;
  Meta: MetaItem[] | null = null;
  Remediation = false;
  Scenario: string | null = null;
  ScenarioHash: string | null = null;
  ScenarioVersion: string | null = null;
  Simulated: boolean | null = null;
  Source: Source | null = null;
  StartAt: string | null = null;
  StopAt: string | null = null;
  UUID = "";

  get [STRUCT_TYPE](): StructType {
    return ALERT_TYPE;
  }

  GetScope(): string {
    return this.Source ? sourceScope(this.Source) : "";
  }

  GetValue(): string {
    return this.Source ? sourceValue(this.Source) : "";
  }

  GetScenario(): string {
    return this.Scenario ?? "";
  }

  GetEventsCount(): number {
    return this.EventsCount ?? 0;
  }

  GetMeta(key: string): string {
    return metaValue(this.Meta, key);
  }
}

// The shapes methods read; plain objects with these fields work as well as class instances.
interface SourceLike { readonly Scope?: string | null; readonly Value?: string | null; readonly AsNumber?: string; readonly AsName?: string }
interface MetaLike { readonly Key?: string; readonly Value?: string }
interface AlertLike { readonly Source?: SourceLike | null; readonly Scenario?: string | null; readonly EventsCount?: number | null; readonly Meta?: readonly (MetaLike | null)[] | null }
interface APIEventLike { readonly Meta?: readonly (MetaLike | null)[] | null }

function sourceScope(s: SourceLike | null): string {
  return s?.Scope ?? "";
}

function sourceValue(s: SourceLike | null): string {
  return s?.Value ?? "";
}

/** First meta item with that key, as models.Event.GetMeta / Alert.GetMeta. */
export function metaValue(meta: readonly (MetaLike | null)[] | null | undefined, key: string): string {
  if (!meta) return "";
  for (const m of meta) if (m && m.Key === key) return m.Value ?? "";
  return "";
}

export const META_ITEM_TYPE: StructType = structType("models.MetaItems0", () => ({ Key: STRING, Value: STRING }));

export const SOURCE_TYPE: StructType = structType(
  "models.Source",
  () => ({ AsName: STRING, AsNumber: STRING, Cn: STRING, IP: STRING, Latitude: FLOAT, Longitude: FLOAT, Range: STRING, Scope: STRING, Value: STRING }),
  () => ({
    GetScope: method([], STRING, (s: SourceLike | null) => sourceScope(s)),
    GetValue: method([], STRING, (s: SourceLike | null) => sourceValue(s)),
    GetAsNumberName: method([], STRING, (s: SourceLike | null) => {
      let out = "";
      if (s?.AsNumber && s.AsNumber !== "0") out += s.AsNumber;
      if (s?.AsName) out += ` ${s.AsName}`;
      return out;
    }),
  }),
);

const META_TYPE = arrayOf(pointerTo(META_ITEM_TYPE), "models.Meta");

export const API_EVENT_TYPE: StructType = structType(
  "models.Event",
  () => ({ Meta: META_TYPE, Timestamp: STRING }),
  () => ({ GetMeta: method([STRING], STRING, (e: APIEventLike | null, k: string) => metaValue(e?.Meta, k)) }),
);

export const DECISION_TYPE: StructType = structType("models.Decision", () => ({
  Duration: STRING, ID: INT, Origin: STRING, Scenario: STRING, Scope: STRING, Simulated: BOOL, Type: STRING, Until: STRING, UUID: STRING, Value: STRING,
}));

export const ALERT_TYPE: StructType = structType(
  "models.Alert",
  () => ({
    Capacity: INT,
    CreatedAt: STRING,
    Decisions: arrayOf(pointerTo(DECISION_TYPE)),
    Events: arrayOf(pointerTo(API_EVENT_TYPE)),
    EventsCount: INT,
    ID: INT,
    Kind: STRING,
    Labels: arrayOf(STRING),
    Leakspeed: STRING,
    MachineID: STRING,
    Message: STRING,
    Meta: META_TYPE,
    Remediation: BOOL,
    Scenario: STRING,
    ScenarioHash: STRING,
    ScenarioVersion: STRING,
    Simulated: BOOL,
    Source: pointerTo(SOURCE_TYPE),
    StartAt: STRING,
    StopAt: STRING,
    UUID: STRING,
  }),
  // nil-safe, as the spec asks: a missing alert or source reads as "" / 0
  () => ({
    GetScope: method([], STRING, (a: AlertLike | null) => sourceScope(a?.Source ?? null)),
    GetValue: method([], STRING, (a: AlertLike | null) => sourceValue(a?.Source ?? null)),
    GetScenario: method([], STRING, (a: AlertLike | null) => a?.Scenario ?? ""),
    GetEventsCount: method([], INT, (a: AlertLike | null) => a?.EventsCount ?? 0),
    GetMeta: method([STRING], STRING, (a: AlertLike | null, k: string) => metaValue(a?.Meta, k)),
  }),
);
