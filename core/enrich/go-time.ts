/**
 * Go's time.Time as the enrichers need it (an instant, nanoseconds, a fixed zone) and Go's RFC 3339
 * output (`Time.MarshalText`, `Format(time.RFC3339)`), plus CrowdSec's current-year rule for
 * yearless dates. Layout parsing (`time.Parse`) is in go-parse.ts, the layout grammar in
 * go-layout.ts.
 *
 * "Local" is UTC, as under hubtest (`TZ=UTC`): a zone abbreviation other than `UTC` gets offset 0
 * (`GMT+3` gets +3h, with Go's quirk of keeping the wall clock as UTC), and offset 0 prints `Z`.
 */
import { GoTime } from "../expr";
import { civil, civilFromEpoch, daysFromCivil } from "./go-calendar";
import { CC_0 } from "./go-layout";
import { compileGoLayout, ZERO_TIME_EPOCH_SEC } from "./go-parse";

/** A time.Time as Go keeps it for our purposes: an instant and the fixed offset it is shown in. */
export interface GoTimeValue {
  /** Whole seconds of the instant since 1970-01-01T00:00:00Z. */
  readonly epochSec: number;
  /** Nanoseconds within that second, 0 to 999 999 999. */
  readonly nsec: number;
  /** Offset of the zone the time is shown in, in seconds east of UTC. */
  readonly offsetSec: number;
  /** Abbreviation of a named zone read from the text (`CET`, `GMT+3`); absent for UTC and bare offsets. */
  readonly zoneName?: string;
}

/** A compiled Go layout. */
export interface GoLayout {
  readonly layout: string;
  /** Go's `time.Parse(layout, text)`; null where Go returns an error. */
  parse(text: string): GoTimeValue | null;
}

export interface GoParseOptions {
  /**
   * Clock (ms since epoch). When given, a time whose year is 0 (the layout has no year) gets the
   * current UTC year added with Go's `AddDate` normalisation, as CrowdSec's ParseDate does
   * (Feb 29 of year 0 becomes Mar 1 in a non-leap year).
   */
  readonly now?: () => number;
}

/** Go's `Time.IsZero`: the instant 0001-01-01T00:00:00Z, whatever the zone. */
export function isZeroGoTime(t: GoTimeValue): boolean {
  return t.epochSec === ZERO_TIME_EPOCH_SEC && t.nsec === 0;
}

/** Local seconds of 0000-01-01T00:00:00 and 0001-01-01T00:00:00: year 0 lies between. */
const YEAR0_START_SEC = -62167219200;
const YEAR1_START_SEC = -62135596800;

/** The year of t in its own zone. */
export function goTimeYear(t: GoTimeValue): number {
  civilFromEpoch(t.epochSec + t.offsetSec);
  return civil.year;
}

function isYearZero(t: GoTimeValue): boolean {
  const local = t.epochSec + t.offsetSec;
  return local >= YEAR0_START_SEC && local < YEAR1_START_SEC;
}

/** Go's `t.AddDate(years, 0, 0)` in t's zone: Feb 29 into a non-leap year becomes Mar 1. */
export function addGoYears(t: GoTimeValue, years: number): GoTimeValue {
  civilFromEpoch(t.epochSec + t.offsetSec);
  const wall = daysFromCivil(civil.year + years, civil.month, civil.day) * 86400 + civil.secOfDay;
  if (t.zoneName === undefined) return { epochSec: wall - t.offsetSec, nsec: t.nsec, offsetSec: t.offsetSec };
  return { epochSec: wall - t.offsetSec, nsec: t.nsec, offsetSec: t.offsetSec, zoneName: t.zoneName };
}

/** A GoTimeValue for a millisecond instant, shown at a fixed offset (UTC by default). */
export function goTimeFromEpochMs(epochMs: number, offsetSec = 0): GoTimeValue {
  const epochSec = Math.floor(epochMs / 1000);
  return { epochSec, nsec: Math.round((epochMs - epochSec * 1000) * 1e6), offsetSec };
}

/** The event's time.Time (core/expr's GoTime) for t, nanoseconds and zone name included. */
export function toGoTime(t: GoTimeValue): GoTime {
  const subMsNanos = t.nsec % 1e6;
  return new GoTime(t.epochSec * 1000 + (t.nsec - subMsNanos) / 1e6, t.offsetSec, subMsNanos, t.zoneName);
}

/** The instant of t in ms since epoch (sub-millisecond digits dropped). */
export function goTimeToEpochMs(t: GoTimeValue): number {
  return t.epochSec * 1000 + Math.floor(t.nsec / 1e6);
}

const LAYOUT_CACHE_MAX = 256;
const layoutCache = new Map<string, GoLayout>();

/** compileGoLayout through a bounded cache, for layouts known only at run time (StrTimeFormat). */
export function cachedGoLayout(layout: string): GoLayout {
  let compiled = layoutCache.get(layout);
  if (compiled === undefined) {
    // StrTimeFormat can come from log data through an expression: keep the cache bounded
    if (layoutCache.size >= LAYOUT_CACHE_MAX) layoutCache.delete(layoutCache.keys().next().value!);
    compiled = compileGoLayout(layout);
    layoutCache.set(layout, compiled);
  }
  return compiled;
}

/**
 * Go's `time.Parse(layout, text)`, plus CrowdSec's current-year rule when `opts.now` is given.
 * Layouts are compiled on first use and cached; hot loops should hold a `compileGoLayout` result.
 */
export function parseGoTime(layout: string, text: string, opts: GoParseOptions = {}): GoTimeValue | null {
  const t = cachedGoLayout(layout).parse(text);
  if (t === null || opts.now === undefined) return t;
  return withCurrentYear(t, opts.now);
}

/** CrowdSec's rule for yearless layouts: year 0 gets the current UTC year of `now` added. */
export function withCurrentYear(t: GoTimeValue, now: () => number): GoTimeValue {
  if (!isYearZero(t)) return t;
  return addGoYears(t, utcYear(now()));
}

// The current year is asked for on every yearless date (syslog): remember the last year's bounds.
let cachedYear = 0;
let cachedYearStartMs = 0;
let cachedYearEndMs = -1;

/** The UTC year of `ms` (the year yearless dates take). */
export function currentUtcYear(ms: number): number {
  return utcYear(ms);
}

function utcYear(ms: number): number {
  if (ms >= cachedYearStartMs && ms < cachedYearEndMs) return cachedYear;
  civilFromEpoch(Math.floor(ms / 1000));
  const year = civil.year;
  cachedYear = year;
  cachedYearStartMs = daysFromCivil(year, 1, 1) * 86_400_000;
  cachedYearEndMs = daysFromCivil(year + 1, 1, 1) * 86_400_000;
  return year;
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

function pad2(n: number): string {
  return n < 100 ? PAD2[n]! : String(n);
}

function padYear(year: number): string {
  if (year >= 1000) return String(year);
  if (year < 0) return `-${padYear(-year)}`;
  return String(year).padStart(4, "0");
}

/**
 * RFC 3339 as Go formats it: `2006-01-02T15:04:05.999999999Z07:00` (trailing fraction zeros
 * dropped, `Z` for a zero offset) when `nanos`, else without the fraction (`time.RFC3339`).
 */
export function formatRfc3339(t: GoTimeValue, nanos = true): string {
  civilFromEpoch(t.epochSec + t.offsetSec);
  return formatCivil(t, nanos);
}

/** Formats t from the civil fields civilFromEpoch just computed for it. */
function formatCivil(t: GoTimeValue, nanos: boolean): string {
  const year = civil.year;
  const month = civil.month;
  const day = civil.day;
  const secOfDay = civil.secOfDay;
  const hour = Math.floor(secOfDay / 3600);
  const minute = Math.floor(secOfDay / 60) % 60;
  const second = secOfDay % 60;
  let out = `${padYear(year)}-${PAD2[month]}-${PAD2[day]}T${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}`;
  if (nanos && t.nsec !== 0) {
    let frac = String(t.nsec).padStart(9, "0");
    let end = 9;
    while (frac.charCodeAt(end - 1) === CC_0) end--;
    frac = frac.slice(0, end);
    out += `.${frac}`;
  }
  if (t.offsetSec === 0) return `${out}Z`;
  // Go truncates the offset to whole minutes toward zero before choosing the sign
  let zone = Math.trunc(t.offsetSec / 60);
  let sign = "+";
  if (zone < 0) {
    sign = "-";
    zone = -zone;
  }
  return `${out}${sign}${pad2(Math.floor(zone / 60))}:${PAD2[zone % 60]}`;
}

/**
 * Go's `Time.MarshalText`: RFC 3339 with nanoseconds, or null where Go refuses (year outside
 * 0–9999, zone offset of 24 hours or more).
 */
export function marshalGoTime(t: GoTimeValue): string | null {
  civilFromEpoch(t.epochSec + t.offsetSec);
  if (civil.year < 0 || civil.year > 9999) return null;
  if (t.offsetSec !== 0 && Math.floor(Math.abs(Math.trunc(t.offsetSec / 60)) / 60) >= 24) return null;
  return formatCivil(t, true);
}
