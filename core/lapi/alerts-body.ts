/**
 * POST /v1/alerts bodies: Go's unmarshal (wrong JSON types → 400 with Go's text), swagger
 * validation (missing required fields → 500 `validation failure list:\n0.capacity in body is
 * required…`), then the conversion to stored rows with upstream's rules (LAPI.md §5.1):
 * `until = stop_at + duration`, Go durations without `d`, ranges for Ip/Range scopes.
 */
import { randomUUID } from "node:crypto";
import type { WireAlert, WireDecision } from "../alerts";
import type { NewAlert, NewDecision, StoredEvent } from "../db";
import { rangeForDecision } from "../db";
import { parseDuration } from "../expr";
import type { ProfileDecision } from "../profiles";
import { err, ok, type Result } from "../result";
import { goJsonKind } from "./go-json";
import { parseRfc3339, preciseToRfc3339, type PreciseTime } from "./format";

export type AlertsBody = { ok: true; alerts: WireAlert[] } | { ok: false; status: 400 | 500; message: string };

/** A Go field type: how a JSON value must look to unmarshal into it. */
type FieldType =
  | { kind: "string" | "bool" | "float32" | "int32" | "int64" | "strings" }
  | { kind: "object"; model: Model }
  | { kind: "array"; model: Model; goType: string };

interface Model {
  readonly goName: string;
  readonly fields: Readonly<Record<string, FieldType>>;
  /** Required keys in swagger's (alphabetical) validation order. */
  readonly required: readonly string[];
}

const STRING = { kind: "string" } as const;
const BOOL = { kind: "bool" } as const;
const INT32 = { kind: "int32" } as const;
const INT64 = { kind: "int64" } as const;
const FLOAT32 = { kind: "float32" } as const;

const META_ITEM: Model = { goName: "MetaItems0", fields: { key: STRING, value: STRING }, required: [] };
const DECISION: Model = {
  goName: "Decision",
  fields: { duration: STRING, id: INT64, origin: STRING, scenario: STRING, scope: STRING, simulated: BOOL, type: STRING, until: STRING, uuid: STRING, value: STRING },
  required: ["duration", "origin", "scenario", "scope", "type", "value"],
};
const EVENT: Model = { goName: "Event", fields: { meta: { kind: "array", model: META_ITEM, goType: "models.Meta" }, timestamp: STRING }, required: ["meta", "timestamp"] };
const SOURCE: Model = {
  goName: "Source",
  fields: { as_name: STRING, as_number: STRING, cn: STRING, ip: STRING, latitude: FLOAT32, longitude: FLOAT32, range: STRING, scope: STRING, value: STRING },
  required: ["scope", "value"],
};
const ALERT: Model = {
  goName: "Alert",
  fields: {
    capacity: INT32,
    created_at: STRING,
    decisions: { kind: "array", model: DECISION, goType: "[]*models.Decision" },
    events: { kind: "array", model: EVENT, goType: "[]*models.Event" },
    events_count: INT32,
    id: INT64,
    kind: STRING,
    labels: { kind: "strings" },
    leakspeed: STRING,
    machine_id: STRING,
    message: STRING,
    meta: { kind: "array", model: META_ITEM, goType: "models.Meta" },
    remediation: BOOL,
    scenario: STRING,
    scenario_hash: STRING,
    scenario_version: STRING,
    simulated: BOOL,
    source: { kind: "object", model: SOURCE },
    start_at: STRING,
    stop_at: STRING,
    uuid: STRING,
  },
  required: ["capacity", "events", "events_count", "leakspeed", "message", "scenario", "scenario_hash", "scenario_version", "simulated", "source", "start_at", "stop_at"],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go's UnmarshalTypeError text for one field, or undefined when the value fits. */
function typeError(model: Model, path: string[], v: unknown): string | undefined {
  for (const [key, type] of Object.entries(model.fields)) {
    const value = v === null ? undefined : (v as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    const fieldPath = [...path, key];
    const fail = (goType: string, what = goJsonKind(value)) => `json: cannot unmarshal ${what} into Go struct field ${model.goName}.${fieldPath.join(".")} of type ${goType}`;
    switch (type.kind) {
      case "string":
        if (typeof value !== "string") return fail("string");
        break;
      case "bool":
        if (typeof value !== "boolean") return fail("bool");
        break;
      case "float32":
        if (typeof value !== "number") return fail("float32");
        break;
      case "int32":
      case "int64": {
        if (typeof value !== "number") return fail(type.kind);
        const limit = type.kind === "int32" ? 2 ** 31 : 2 ** 63;
        if (!Number.isInteger(value) || value >= limit || value < -limit) return fail(type.kind, `number ${value}`);
        break;
      }
      case "strings":
        if (!Array.isArray(value)) return fail("[]string");
        for (const s of value) if (s !== null && typeof s !== "string") return fail("string");
        break;
      case "object":
        if (!isObject(value)) return fail(`models.${type.model.goName}`);
        {
          const inner = typeError(type.model, fieldPath, value);
          if (inner) return inner;
        }
        break;
      case "array":
        if (!Array.isArray(value)) return fail(type.goType);
        for (const item of value) {
          if (item === null) continue;
          if (!isObject(item)) return fail(`models.${type.model.goName}`);
          const inner = typeError(type.model, fieldPath, item);
          if (inner) return inner;
        }
        break;
    }
  }
  return undefined;
}

/** swagger's required checks, in its order; paths like `0.decisions.1.duration`. */
function requiredErrors(model: Model, prefix: string, v: Record<string, unknown>, out: string[]): void {
  const fieldNames = Object.keys(model.fields).sort();
  for (const key of fieldNames) {
    const value = v[key];
    const type = model.fields[key]!;
    if (model.required.includes(key) && (value === undefined || value === null)) {
      out.push(`${prefix}${key} in body is required`);
      continue;
    }
    if (type.kind === "object" && isObject(value)) requiredErrors(type.model, `${prefix}${key}.`, value, out);
    if (type.kind === "array" && Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isObject(item)) requiredErrors(type.model, `${prefix}${key}.${i}.`, item, out);
      });
    }
  }
}

/** The decoded JSON of a POST /v1/alerts body → typed alerts, or the status and message upstream answers. */
export function decodeAlertsBody(body: unknown): AlertsBody {
  if (body === null) return { ok: true, alerts: [] };
  if (!Array.isArray(body)) return { ok: false, status: 400, message: `json: cannot unmarshal ${goJsonKind(body)} into Go value of type models.AddAlertsRequest` };
  for (const item of body) {
    if (item !== null && !isObject(item)) return { ok: false, status: 400, message: `json: cannot unmarshal ${goJsonKind(item)} into Go value of type models.Alert` };
    const e = item === null ? undefined : typeError(ALERT, [], item);
    if (e) return { ok: false, status: 400, message: e };
  }
  const problems: string[] = [];
  body.forEach((item, i) => {
    if (isObject(item)) requiredErrors(ALERT, `${i}.`, item, problems);
  });
  if (problems.length > 0) return { ok: false, status: 500, message: `validation failure list:\n${problems.join("\n")}` };
  // a null element passes swagger (zero items are skipped) and upstream then dereferences it
  if (body.some((item) => item === null)) return { ok: false, status: 500, message: "unable to create alerts: nil alert" };
  return { ok: true, alerts: body as WireAlert[] };
}

/** True when the alert came with decisions of its own (cscli, import): profiles then add none. */
export function hasOwnDecisions(alert: WireAlert): boolean {
  return Array.isArray(alert.decisions) && alert.decisions.length > 0;
}

function timeOrNow(text: string, now: Date): PreciseTime {
  return parseRfc3339(text) ?? { ms: now.getTime(), subMsNanos: 0, fraction: "000000000" };
}

function newDecision(d: { type: string; scope: string; value: string; origin: string; scenario: string }, simulated: boolean, untilMs: number, uuid: string): Result<NewDecision, string> {
  const range = rangeForDecision(d.scope, d.value);
  if (!range.ok) return err(`unable to create alerts: invalid addr/range ${d.value} : invalid address: unable to parse duration`);
  return ok({ type: d.type, scope: d.scope, value: d.value, origin: d.origin, scenario: d.scenario, simulated, until: new Date(untilMs), range: range.value, uuid });
}

/**
 * A validated wire alert → the row to store, owned by `machineId`. `profileDecisions` are the
 * decisions the profiles built when the alert had none. Errors are upstream's 500 messages.
 */
export function wireToNewAlert(alert: WireAlert, machineId: string | null, now: Date, profileDecisions: readonly ProfileDecision[]): Result<NewAlert, string> {
  const start = timeOrNow(alert.start_at, now);
  const stop = timeOrNow(alert.stop_at, now);
  const simulated = alert.simulated;
  const decisions: NewDecision[] = [];
  for (const d of (alert.decisions ?? []) as (WireDecision | null)[]) {
    if (d === null) continue;
    const duration = parseDuration(d.duration);
    if (!duration.ok) return err(`unable to create alerts: decision duration '${d.duration}' : ${duration.message}: unable to parse duration`);
    const made = newDecision(d, simulated, stop.ms + duration.ns / 1e6, d.uuid || randomUUID());
    if (!made.ok) return made;
    decisions.push(made.value);
  }
  for (const d of profileDecisions) {
    const made = newDecision(d, d.simulated || simulated, stop.ms + d.durationNs / 1e6, randomUUID());
    if (!made.ok) return made;
    decisions.push(made.value);
  }
  const events: StoredEvent[] = [];
  for (const e of (alert.events ?? []) as (WireAlert["events"][number] | null)[]) {
    if (e === null) continue;
    events.push({
      timestamp: preciseToRfc3339(timeOrNow(e.timestamp, now)),
      meta: (e.meta ?? []).filter((m) => m !== null).map((m) => ({ key: m.key ?? "", value: m.value ?? "" })),
    });
  }
  const s = alert.source;
  return ok({
    machineId,
    scenario: alert.scenario,
    scenarioHash: alert.scenario_hash,
    scenarioVersion: alert.scenario_version,
    message: alert.message,
    eventsCount: alert.events_count,
    capacity: alert.capacity,
    leakSpeed: alert.leakspeed,
    simulated,
    remediation: alert.remediation === true,
    startedAt: preciseToRfc3339(start),
    stoppedAt: preciseToRfc3339(stop),
    source: {
      scope: s.scope,
      value: s.value,
      ip: s.ip ?? "",
      range: s.range ?? "",
      asNumber: s.as_number ?? "",
      asName: s.as_name ?? "",
      country: s.cn ?? "",
      latitude: s.latitude ?? 0,
      longitude: s.longitude ?? 0,
    },
    labels: Array.isArray(alert.labels) ? alert.labels.filter((l): l is string => typeof l === "string") : null,
    events,
    meta: (alert.meta ?? []).filter((m) => m !== null).map((m) => ({ key: m.key ?? "", value: m.value ?? "" })),
    decisions,
    uuid: alert.uuid || randomUUID(),
    kind: alert.kind ?? "",
  });
}
