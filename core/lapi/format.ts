/**
 * Stored rows → the JSON CrowdSec 1.4.6's Local API writes (LAPI.md §5.2, §6; LAPI-CLIENTS.md §0):
 * keys in Go's order (alphabetical for the swagger models), empty lists as `null`, `created_at`
 * in RFC 3339 seconds, `start_at`/`stop_at`/event timestamps in Go's default time format, and
 * decision durations as Go duration text of `until - now`, negative once expired.
 */
import type { WireAlert, WireDecision, WireEvent, WireSource } from "../alerts";
import type { AlertRecord, DecisionRecord } from "../db";
import { formatDuration } from "../expr";
import { goJson } from "./respond";

/** Go's Duration.String() of a number of nanoseconds: `3h59m16.8s`, `-755ms`, `0s`. */
export function goDurationText(ns: number): string {
  return formatDuration(ns);
}

/** RFC 3339 at second precision in UTC, as Go's `Format(time.RFC3339)` of a UTC time: `2026-11-23T18:14:23Z`. */
export function rfc3339Seconds(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d\d):(\d\d))$/;

/** An instant read from RFC 3339 text, kept to the nanosecond. */
export interface PreciseTime {
  /** Whole milliseconds since the epoch. */
  ms: number;
  /** Nanoseconds within the millisecond, 0–999999. */
  subMsNanos: number;
  /** The fraction digits as sent (0–9 digits), for re-printing at the same precision. */
  fraction: string;
}

/** Go's `time.Parse(time.RFC3339, text)`; undefined when it does not parse. */
export function parseRfc3339(text: string): PreciseTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", , sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (new Date(ms).getUTCDate() !== day) return undefined;
  if (sign) {
    if (Number(oh) > 23 || Number(om) > 59) return undefined;
    const offsetMs = (Number(oh) * 60 + Number(om)) * 60000;
    ms += sign === "+" ? -offsetMs : offsetMs;
  }
  const nanos = Number(frac.padEnd(9, "0"));
  return { ms: ms + Math.floor(nanos / 1e6), subMsNanos: nanos % 1e6, fraction: frac };
}

/** A precise time as RFC 3339 in UTC with the fraction digits it was sent with: `2026-11-23T18:00:01.123456Z`. */
export function preciseToRfc3339(t: PreciseTime): string {
  const base = new Date(t.ms - (t.ms % 1000 + 1000) % 1000).toISOString().slice(0, 19);
  if (t.fraction === "") return `${base}Z`;
  const nanos = String(((t.ms % 1000) + 1000) % 1000 * 1e6 + t.subMsNanos).padStart(9, "0");
  return `${base}.${nanos.slice(0, t.fraction.length)}Z`;
}

/**
 * Go's Time.String() of a UTC instant given as RFC 3339 text: `2026-11-23 18:00:01.123456 +0000 UTC`
 * (trailing zeros of the fraction dropped). Text that does not parse is returned unchanged.
 */
export function goTimeText(rfc3339: string): string {
  const t = parseRfc3339(rfc3339);
  if (!t) return rfc3339;
  const whole = ((t.ms % 1000) + 1000) % 1000;
  const base = new Date(t.ms - whole).toISOString();
  const nanos = String(whole * 1e6 + t.subMsNanos).padStart(9, "0").replace(/0+$/, "");
  return `${base.slice(0, 10)} ${base.slice(11, 19)}${nanos ? `.${nanos}` : ""} +0000 UTC`;
}

/** Go's default time format of a Date (millisecond precision): for times picket itself took. */
export function goTimeTextOfDate(at: Date): string {
  return goTimeText(at.toISOString());
}

/** `until - now` as Go duration text. */
export function remainingText(until: Date, now: Date): string {
  return formatDuration((until.getTime() - now.getTime()) * 1e6);
}

/**
 * A decision as bouncers get it from GET /v1/decisions and the stream: exactly
 * `{"duration","id","origin","scenario","scope","type","value"}` in that order, no `simulated`.
 */
export function decisionRecordToWire(d: DecisionRecord, now: Date): WireDecision {
  return {
    duration: remainingText(d.until, now),
    id: d.id,
    origin: d.origin,
    scenario: d.scenario,
    scope: d.scope,
    type: d.type,
    value: d.value,
  };
}

/**
 * The same decision as JSON text, built without an intermediate object: the stream writes
 * hundreds of thousands of them.
 */
export function decisionJson(d: DecisionRecord, now: Date): string {
  return (
    `{"duration":"${remainingText(d.until, now)}","id":${d.id},"origin":${goJson(d.origin)},` +
    `"scenario":${goJson(d.scenario)},"scope":${goJson(d.scope)},"type":${goJson(d.type)},` +
    `"value":${goJson(d.value)}}`
  );
}

/** A decision inside an alert: the bouncer fields plus `simulated`, which 1.4.6 takes from the alert. */
function alertDecisionToWire(d: DecisionRecord, alertSimulated: boolean, now: Date): WireDecision {
  return {
    duration: remainingText(d.until, now),
    id: d.id,
    origin: d.origin,
    scenario: d.scenario,
    scope: d.scope,
    simulated: alertSimulated,
    type: d.type,
    value: d.value,
  };
}

/** Source fields in Go's (alphabetical) order; empty strings and zero coordinates omitted (omitempty). */
function sourceToWire(record: AlertRecord): WireSource {
  const s = record.source;
  const out: Partial<WireSource> = {};
  if (s.asName) out.as_name = s.asName;
  if (s.asNumber) out.as_number = s.asNumber;
  if (s.country) out.cn = s.country;
  if (s.ip) out.ip = s.ip;
  if (s.latitude) out.latitude = s.latitude;
  if (s.longitude) out.longitude = s.longitude;
  if (s.range) out.range = s.range;
  out.scope = s.scope;
  out.value = s.value;
  return out as WireSource;
}

/**
 * A stored alert in 1.4.6's output shape (controllers/v1/alerts.go FormatOneAlert): numeric `id`,
 * `machine_id` `N/A` for an owner that is gone, `labels` always null, `events`/`decisions` null
 * when empty, `meta` omitted when empty, no `remediation`/`uuid`.
 */
export function alertRecordToWire(record: AlertRecord, now: Date): WireAlert {
  const events: WireEvent[] | null =
    record.events.length === 0 ? null : record.events.map((e) => ({ meta: e.meta.map((m) => ({ key: m.key, value: m.value })), timestamp: goTimeText(e.timestamp) }));
  const decisions: WireDecision[] | null =
    record.decisions.length === 0 ? null : record.decisions.map((d) => alertDecisionToWire(d, record.simulated, now));
  const out = {
    capacity: record.capacity,
    created_at: rfc3339Seconds(record.createdAt),
    decisions,
    events,
    events_count: record.eventsCount,
    id: record.id,
    labels: null,
    leakspeed: record.leakSpeed,
    machine_id: record.machineId ?? "N/A",
    message: record.message,
    ...(record.meta.length > 0 ? { meta: record.meta.map((m) => ({ key: m.key, value: m.value })) } : {}),
    scenario: record.scenario,
    scenario_hash: record.scenarioHash,
    scenario_version: record.scenarioVersion,
    simulated: record.simulated,
    source: sourceToWire(record),
    start_at: goTimeText(record.startedAt),
    stop_at: goTimeText(record.stoppedAt),
  };
  // WireAlert types events/decisions as optional arrays; 1.4.6 writes null, which clients accept
  return out as unknown as WireAlert;
}
