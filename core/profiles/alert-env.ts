/**
 * The environment profile expressions run in: `{Alert}`, a models.Alert built from the alert the
 * Local API received (as upstream csprofiles compiles them with `{"Alert": &models.Alert{}}`).
 */
import type { WireAlert, WireDecision, WireMeta } from "../alerts";
import { Alert, ALERT_TYPE, APIEvent, Decision, MetaItem, Source } from "../event";
import { pointerTo, type EnvSpec } from "../expr";

/** Filters and duration_expr: `Alert` (*models.Alert, with GetScope, GetValue, GetScenario, GetEventsCount, GetMeta). */
export const PROFILE_ENV: EnvSpec = Object.freeze({ Alert: pointerTo(ALERT_TYPE) });

const metaItems = (list: readonly WireMeta[] | undefined): MetaItem[] | null =>
  list ? list.map((m) => new MetaItem(m.key, m.value)) : null;

/** A decision in its models.Decision form (`Alert.Decisions` in expressions). */
export function decisionFromWire(d: WireDecision): Decision {
  const out = new Decision();
  out.Duration = d.duration;
  out.ID = d.id ?? 0;
  out.Origin = d.origin;
  out.Scenario = d.scenario;
  out.Scope = d.scope;
  out.Simulated = d.simulated ?? null;
  out.Type = d.type;
  out.Until = d.until ?? "";
  out.UUID = d.uuid ?? "";
  out.Value = d.value;
  return out;
}

/** The JSON alert → models.Alert (the inverse of core/alerts alertToWire). */
export function alertFromWire(w: WireAlert): Alert {
  const a = new Alert();
  a.Capacity = w.capacity;
  a.CreatedAt = w.created_at ?? "";
  a.Decisions = w.decisions ? w.decisions.map(decisionFromWire) : null;
  a.Events = w.events.map((e) => {
    const ev = new APIEvent();
    ev.Meta = metaItems(e.meta);
    ev.Timestamp = e.timestamp;
    return ev;
  });
  a.EventsCount = w.events_count;
  a.ID = w.id ?? 0;
  a.Kind = w.kind ?? "";
  a.Labels = w.labels ?? null;
  a.Leakspeed = w.leakspeed;
  a.MachineID = w.machine_id ?? "";
  a.Message = w.message;
  a.Meta = metaItems(w.meta);
  a.Remediation = w.remediation ?? false;
  a.Scenario = w.scenario;
  a.ScenarioHash = w.scenario_hash;
  a.ScenarioVersion = w.scenario_version;
  a.Simulated = w.simulated;
  const s = new Source();
  s.AsName = w.source.as_name ?? "";
  s.AsNumber = w.source.as_number ?? "";
  s.Cn = w.source.cn ?? "";
  s.IP = w.source.ip ?? "";
  s.Latitude = w.source.latitude ?? 0;
  s.Longitude = w.source.longitude ?? 0;
  s.Range = w.source.range ?? "";
  s.Scope = w.source.scope;
  s.Value = w.source.value;
  a.Source = s;
  a.StartAt = w.start_at;
  a.StopAt = w.stop_at;
  a.UUID = w.uuid ?? "";
  return a;
}
