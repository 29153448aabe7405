/** Records → column values for the bulk insert of alerts with their events, meta and decisions. */
import type { SqlValue } from "./filters";
import { instantNs } from "./rows";
import type { NewAlert, NewDecision, StoredEvent, StoredMeta } from "./types";

export const ALERT_INSERT_COLUMNS = [
  "created_at",
  "updated_at",
  "scenario",
  "message",
  "events_count",
  "started_at",
  "started_at_ns",
  "stopped_at",
  "stopped_at_ns",
  "source_ip",
  "source_range",
  "source_as_number",
  "source_as_name",
  "source_country",
  "source_latitude",
  "source_longitude",
  "source_scope",
  "source_value",
  "capacity",
  "leak_speed",
  "scenario_version",
  "scenario_hash",
  "simulated",
  "remediation",
  "labels",
  "uuid",
  "kind",
  "machine_alerts",
] as const;

export function alertValues(a: NewAlert, owner: number | null, nowMs: number): SqlValue[] {
  const s = a.source;
  return [
    nowMs,
    nowMs,
    a.scenario,
    a.message,
    a.eventsCount,
    a.startedAt,
    instantNs(a.startedAt, nowMs),
    a.stoppedAt,
    instantNs(a.stoppedAt, nowMs),
    s.ip,
    s.range,
    s.asNumber,
    s.asName,
    s.country,
    s.latitude,
    s.longitude,
    s.scope,
    s.value,
    a.capacity,
    a.leakSpeed,
    a.scenarioVersion,
    a.scenarioHash,
    a.simulated,
    a.remediation,
    a.labels === null ? null : JSON.stringify(a.labels),
    a.uuid,
    a.kind,
    owner,
  ];
}

export const DECISION_INSERT_COLUMNS = [
  "created_at",
  "updated_at",
  "until",
  "scenario",
  "type",
  "ip_size",
  "start_ip",
  "end_ip",
  "start_suffix",
  "end_suffix",
  "scope",
  "value",
  "origin",
  "simulated",
  "uuid",
  "alert_decisions",
] as const;

export function decisionValues(d: NewDecision, alertId: number, nowMs: number): SqlValue[] {
  const r = d.range;
  return [
    nowMs,
    nowMs,
    d.until.getTime(),
    d.scenario,
    d.type,
    r ? r.size : null,
    r ? r.startIp : null,
    r ? r.endIp : null,
    r ? r.startSuffix : null,
    r ? r.endSuffix : null,
    d.scope,
    d.value,
    d.origin,
    d.simulated,
    d.uuid,
    alertId,
  ];
}

export const EVENT_INSERT_COLUMNS = ["created_at", "updated_at", "time", "serialized", "alert_events"] as const;

export function eventValues(e: StoredEvent, alertId: number, nowMs: number): SqlValue[] {
  return [nowMs, nowMs, e.timestamp, JSON.stringify(e.meta), alertId];
}

export const META_INSERT_COLUMNS = ["created_at", "updated_at", "key", "value", "alert_metas"] as const;

export function metaValues(m: StoredMeta, alertId: number, nowMs: number): SqlValue[] {
  return [nowMs, nowMs, m.key, m.value, alertId];
}

export function insertSql(table: string, columns: readonly string[], rows: number, placeholder: (i: number) => string): string {
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const ps: string[] = [];
    for (let c = 0; c < columns.length; c++) ps.push(placeholder(++n));
    tuples.push(`(${ps.join(", ")})`);
  }
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`;
}
