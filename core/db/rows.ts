/**
 * Rows → records. Drivers hand integers back differently (bun:sqlite with safeIntegers: bigint;
 * Bun.SQL: BIGINT as a decimal string), so every column goes through a small narrowing helper.
 */
import type {
  AlertRecord,
  BouncerAuthType,
  BouncerRecord,
  DecisionRecord,
  IpRange,
  MachineAuthType,
  MachineRecord,
  StoredEvent,
  StoredMeta,
} from "./types";

export type Row = Record<string, unknown>;

export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "string") return Number(v);
  throw new Error(`expected an integer column, got ${typeof v}`);
}

export function toBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" || typeof v === "string") return BigInt(v);
  throw new Error(`expected an integer column, got ${typeof v}`);
}

export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === "1" || v === "t";
}

function toText(v: unknown): string {
  return typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
}

function toDate(v: unknown): Date {
  return new Date(toNumber(v));
}

function toDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(toNumber(v));
}

export const MACHINE_COLUMNS =
  "id, created_at, updated_at, last_push, last_heartbeat, machine_id, password, ip_address, scenarios, version, is_validated, auth_type";

export function machineOfRow(r: Row): MachineRecord {
  return {
    id: toNumber(r.id),
    machineId: toText(r.machine_id),
    passwordHash: toText(r.password),
    ipAddress: toText(r.ip_address),
    scenarios: toText(r.scenarios),
    version: toText(r.version),
    isValidated: toBool(r.is_validated),
    authType: toText(r.auth_type) as MachineAuthType,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    lastPush: toDateOrNull(r.last_push),
    lastHeartbeat: toDateOrNull(r.last_heartbeat),
  };
}

export const BOUNCER_COLUMNS = "id, created_at, updated_at, name, api_key, revoked, ip_address, type, version, last_pull, auth_type";

export function bouncerOfRow(r: Row): BouncerRecord {
  return {
    id: toNumber(r.id),
    name: toText(r.name),
    apiKeyHash: toText(r.api_key),
    revoked: toBool(r.revoked),
    ipAddress: toText(r.ip_address),
    type: toText(r.type),
    version: toText(r.version),
    lastPull: toDateOrNull(r.last_pull),
    authType: toText(r.auth_type) as BouncerAuthType,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export const DECISION_COLUMNS =
  "d.id, d.created_at, d.updated_at, d.until, d.scenario, d.type, d.ip_size, d.start_ip, d.end_ip, d.start_suffix, d.end_suffix, d.scope, d.value, d.origin, d.simulated, d.uuid, d.alert_decisions";

function rangeOfRow(r: Row): IpRange | null {
  if (r.ip_size === null || r.ip_size === undefined) return null;
  const size = toNumber(r.ip_size);
  if (size !== 4 && size !== 16) return null;
  return {
    size,
    startIp: toBigInt(r.start_ip),
    endIp: toBigInt(r.end_ip),
    startSuffix: toBigInt(r.start_suffix),
    endSuffix: toBigInt(r.end_suffix),
  };
}

export function decisionOfRow(r: Row): DecisionRecord {
  return {
    id: toNumber(r.id),
    alertId: toNumber(r.alert_decisions),
    type: toText(r.type),
    scope: toText(r.scope),
    value: toText(r.value),
    origin: toText(r.origin),
    scenario: toText(r.scenario),
    simulated: toBool(r.simulated),
    until: toDate(r.until),
    range: rangeOfRow(r),
    uuid: toText(r.uuid),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}

export const ALERT_COLUMNS =
  "a.id, a.created_at, a.updated_at, a.scenario, a.message, a.events_count, a.started_at, a.stopped_at, a.source_ip, a.source_range, " +
  "a.source_as_number, a.source_as_name, a.source_country, a.source_latitude, a.source_longitude, a.source_scope, a.source_value, " +
  "a.capacity, a.leak_speed, a.scenario_version, a.scenario_hash, a.simulated, a.remediation, a.labels, a.uuid, a.kind, m.machine_id AS owner";

/** The columns of ALERT_COLUMNS come from `alerts a` left-joined with its owner `machines m`. */
export const ALERT_FROM = "alerts a LEFT JOIN machines m ON m.id = a.machine_alerts";

function labelsOf(v: unknown): string[] | null {
  if (typeof v !== "string") return null;
  const parsed: unknown = JSON.parse(v);
  return Array.isArray(parsed) ? parsed.map((x) => String(x)) : null;
}

export function alertOfRow(r: Row, decisions: DecisionRecord[], events: StoredEvent[], meta: StoredMeta[]): AlertRecord {
  return {
    id: toNumber(r.id),
    machineId: r.owner === null || r.owner === undefined ? null : toText(r.owner),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    scenario: toText(r.scenario),
    scenarioHash: toText(r.scenario_hash),
    scenarioVersion: toText(r.scenario_version),
    message: toText(r.message),
    eventsCount: toNumber(r.events_count),
    capacity: toNumber(r.capacity),
    leakSpeed: toText(r.leak_speed),
    simulated: toBool(r.simulated),
    remediation: toBool(r.remediation),
    startedAt: toText(r.started_at),
    stoppedAt: toText(r.stopped_at),
    source: {
      scope: toText(r.source_scope),
      value: toText(r.source_value),
      ip: toText(r.source_ip),
      range: toText(r.source_range),
      asNumber: toText(r.source_as_number),
      asName: toText(r.source_as_name),
      country: toText(r.source_country),
      latitude: toNumber(r.source_latitude),
      longitude: toNumber(r.source_longitude),
    },
    labels: labelsOf(r.labels),
    events,
    meta,
    decisions,
    uuid: toText(r.uuid),
    kind: toText(r.kind),
  };
}

export function eventOfRow(r: Row): StoredEvent {
  const parsed: unknown = JSON.parse(toText(r.serialized));
  const meta: StoredMeta[] = [];
  if (Array.isArray(parsed)) {
    for (const m of parsed as unknown[]) {
      if (m && typeof m === "object") {
        const o = m as Record<string, unknown>;
        meta.push({ key: toText(o.key), value: toText(o.value) });
      }
    }
  }
  return { timestamp: toText(r.time), meta };
}

export function metaOfRow(r: Row): StoredMeta {
  return { key: toText(r.key), value: toText(r.value) };
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** The instant of an RFC 3339 text in nanoseconds since the epoch; `fallbackMs` when unreadable. */
export function instantNs(text: string, fallbackMs: number): bigint {
  const m = RFC3339.exec(text);
  const seconds = m ? Date.parse(`${m[1]!.replace(/[t ]/, "T")}${m[3]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(seconds)) return BigInt(Math.round(fallbackMs)) * 1_000_000n;
  const fraction = (m[2] ?? "").padEnd(9, "0");
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}
