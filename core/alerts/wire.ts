/**
 * Alerts in the Local API's JSON form (pkg/models JSON tags: snake_case, omitempty), as replay's
 * --json writes them and as the Local API will send and receive them.
 */
import type { Alert, APIEvent, Decision, MetaItem, Source } from "../event";

export interface WireMeta {
  key: string;
  value: string;
}

export interface WireSource {
  as_name?: string;
  as_number?: string;
  cn?: string;
  ip?: string;
  latitude?: number;
  longitude?: number;
  range?: string;
  scope: string;
  value: string;
}

export interface WireEvent {
  meta: WireMeta[];
  timestamp: string;
}

export interface WireDecision {
  duration: string;
  id?: number;
  origin: string;
  scenario: string;
  scope: string;
  simulated?: boolean;
  type: string;
  until?: string;
  uuid?: string;
  value: string;
}

export interface WireAlert {
  capacity: number;
  created_at?: string;
  decisions?: WireDecision[];
  events: WireEvent[];
  events_count: number;
  id?: number;
  kind?: string;
  labels?: string[] | null;
  leakspeed: string;
  machine_id?: string;
  message: string;
  meta?: WireMeta[];
  remediation?: boolean;
  scenario: string;
  scenario_hash: string;
  scenario_version: string;
  simulated: boolean;
  source: WireSource;
  start_at: string;
  stop_at: string;
  uuid?: string;
}

const meta = (list: readonly MetaItem[] | null): WireMeta[] => (list ?? []).map((m) => ({ key: m.Key, value: m.Value }));

export function sourceToWire(s: Source): WireSource {
  const out: WireSource = { scope: s.Scope ?? "", value: s.Value ?? "" };
  if (s.AsName) out.as_name = s.AsName;
  if (s.AsNumber) out.as_number = s.AsNumber;
  if (s.Cn) out.cn = s.Cn;
  if (s.IP) out.ip = s.IP;
  if (s.Latitude) out.latitude = s.Latitude;
  if (s.Longitude) out.longitude = s.Longitude;
  if (s.Range) out.range = s.Range;
  return out;
}

export function eventToWire(e: APIEvent): WireEvent {
  return { meta: meta(e.Meta), timestamp: e.Timestamp ?? "" };
}

export function decisionToWire(d: Decision): WireDecision {
  const out: WireDecision = {
    duration: d.Duration ?? "",
    origin: d.Origin ?? "",
    scenario: d.Scenario ?? "",
    scope: d.Scope ?? "",
    type: d.Type ?? "",
    value: d.Value ?? "",
  };
  if (d.ID) out.id = d.ID;
  if (d.Simulated !== null) out.simulated = d.Simulated;
  if (d.Until) out.until = d.Until;
  if (d.UUID) out.uuid = d.UUID;
  return out;
}

/** models.Alert → its JSON object (keys as upstream's swagger model names them). */
export function alertToWire(a: Alert): WireAlert {
  const out: WireAlert = {
    capacity: a.Capacity ?? 0,
    events: (a.Events ?? []).map(eventToWire),
    events_count: a.EventsCount ?? 0,
    labels: a.Labels,
    leakspeed: a.Leakspeed ?? "",
    message: a.Message ?? "",
    scenario: a.Scenario ?? "",
    scenario_hash: a.ScenarioHash ?? "",
    scenario_version: a.ScenarioVersion ?? "",
    simulated: a.Simulated ?? false,
    source: a.Source ? sourceToWire(a.Source) : { scope: "", value: "" },
    start_at: a.StartAt ?? "",
    stop_at: a.StopAt ?? "",
  };
  if (a.CreatedAt) out.created_at = a.CreatedAt;
  if (a.Decisions) out.decisions = a.Decisions.map(decisionToWire);
  if (a.ID) out.id = a.ID;
  if (a.Kind) out.kind = a.Kind;
  if (a.MachineID) out.machine_id = a.MachineID;
  if (a.Meta && a.Meta.length > 0) out.meta = meta(a.Meta);
  out.remediation = a.Remediation;
  if (a.UUID) out.uuid = a.UUID;
  return out;
}
