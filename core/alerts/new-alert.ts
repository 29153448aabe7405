/**
 * Overflow → alert (pkg/leakybucket/overflows.go NewAlert): the RuntimeAlert an overflow carries,
 * with one API alert per source, the queued events' meta, and upstream's message text.
 */
import { Alert, APIEvent, cloneSource, MetaItem, RuntimeAlert, type Event, type Source } from "../event";
import { formatDuration, type GoTime } from "../expr";
import { sourcesFromQueue, type ScopeSpec } from "./sources";

/** What an alert needs to know about its scenario, decided once at load. */
export interface AlertScenario {
  readonly name: string;
  /** sha256 of the scenario file (hub item hash); "" when unknown. */
  readonly hash: string;
  /** Hub item version, "?" when tainted, "" for local files. */
  readonly version: string;
  readonly capacity: number;
  /** Go duration text of leakspeed: "10s", "1m0s", "0s" when unset. */
  readonly leakspeed: string;
  readonly simulated: boolean;
  /** labels.remediation is the boolean true (current upstream). */
  readonly remediation: boolean;
  readonly reprocess: boolean;
  readonly scope: ScopeSpec;
}

/** The bucket fields an alert reads (upstream leakybucket.Leaky). */
export interface AlertBucket {
  readonly Mapkey: string;
  readonly First_ts: GoTime;
  readonly Last_ts: GoTime;
  readonly Ovflw_ts: GoTime;
  readonly Total_count: number;
}

export interface NewAlertResult {
  /** Always carries Mapkey; Alert is null when no alert could be built (the overflow is then dropped). */
  readonly alert: RuntimeAlert;
  /** Why the alert could not be built (upstream logs it as an error). */
  readonly error?: string;
}

/** Upstream's alert kind for scenario alerts (types.CrowdsecAlertKind). */
export const CROWDSEC_ALERT_KIND = "crowdsec";

/**
 * EventsFromQueue: each queued event with a non-nil Meta, its meta sorted by key, stamped with
 * MarshaledTime, else Time (RFC 3339), else nothing.
 */
export function alertEvents(queue: readonly Event[]): APIEvent[] {
  const out: APIEvent[] = [];
  for (const evt of queue) {
    const meta = evt.Meta;
    if (meta === null) continue;
    const e = new APIEvent();
    const keys = Object.keys(meta).sort();
    e.Meta = keys.map((k) => new MetaItem(k, meta[k]!));
    if (evt.MarshaledTime !== "") e.Timestamp = evt.MarshaledTime;
    else if (!evt.Time.IsZero()) e.Timestamp = evt.Time.toJSON();
    out.push(e);
  }
  return out;
}

/** `<scope> <source> performed '<scenario>' (<N> events over <D>) at <T>`. */
export function alertMessage(scope: string, sources: Record<string, Source>, scenario: string, bucket: AlertBucket): string {
  const keys = Object.keys(sources);
  const source = keys.length > 1 ? `${keys.length} sources` : keys.length === 1 ? keys[0]! : "UNKNOWN";
  const over = formatDuration(bucket.Ovflw_ts.Sub(bucket.First_ts));
  return `${scope} ${source} performed '${scenario}' (${bucket.Total_count} events over ${over}) at ${bucket.Last_ts.String()}`;
}

/** NewAlert: builds the runtime alert of an overflowing bucket from its queue. */
export function newRuntimeAlert(scenario: AlertScenario, bucket: AlertBucket, queue: readonly Event[]): NewAlertResult {
  const runtime = new RuntimeAlert();
  runtime.Mapkey = bucket.Mapkey;
  const found = sourcesFromQueue(queue, scenario.scope);
  if (!found.ok) return { alert: runtime, error: `unable to collect sources from bucket ${scenario.name}: ${found.error}` };
  runtime.Sources = found.sources;

  const message = alertMessage(found.scope, found.sources, scenario.name, bucket);
  const events = alertEvents(queue);
  // models.Alert.Validate: every event needs a timestamp, or the alert is refused
  if (events.some((e) => e.Timestamp === null)) {
    return { alert: runtime, error: `invalid generated alert for ${scenario.name}: an event has no timestamp` };
  }
  const startAt = bucket.First_ts.toJSON();
  const stopAt = bucket.Ovflw_ts.toJSON();
  const alerts: Alert[] = [];
  for (const key in found.sources) {
    const a = new Alert();
    a.Scenario = scenario.name;
    a.ScenarioHash = scenario.hash;
    a.ScenarioVersion = scenario.version;
    a.Capacity = scenario.capacity;
    a.EventsCount = bucket.Total_count;
    a.Leakspeed = scenario.leakspeed;
    a.Message = message;
    a.StartAt = startAt;
    a.StopAt = stopAt;
    a.Simulated = scenario.simulated;
    a.Kind = CROWDSEC_ALERT_KIND;
    a.Events = events;
    a.Meta = [];
    a.Source = cloneSource(found.sources[key]!);
    a.Remediation = scenario.remediation;
    alerts.push(a);
  }
  runtime.APIAlerts = alerts.length > 0 ? alerts : null;
  runtime.Alert = alerts[0] ?? null;
  runtime.Reprocess = scenario.reprocess;
  return { alert: runtime };
}
