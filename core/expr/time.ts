/**
 * Go's time.Time and time.Duration as expressions see them. A GoTime is immutable: epoch
 * milliseconds, the nanoseconds below the millisecond, and the zone offset it is shown in.
 * A duration is a plain number of nanoseconds (static type `duration` tells it from an int).
 */
import { formatLayout, parseLayoutValue } from "./time-layout";

export { monthName, weekdayName } from "./time-layout";

export const NANOSECOND = 1;
export const MICROSECOND = 1e3;
export const MILLISECOND = 1e6;
export const SECOND = 1e9;
export const MINUTE = 60e9;
export const HOUR = 3600e9;

/** Go's zero time (January 1, year 1, 00:00:00 UTC) in epoch milliseconds. */
const ZERO_MS = -62135596800000;

export class GoTime {
  /** Milliseconds since the Unix epoch (integer). */
  readonly unixMs: number;
  /** Nanoseconds within the millisecond, 0–999999. */
  readonly subMsNanos: number;
  /** Offset of the zone the time is shown in, seconds east of UTC. */
  readonly offsetSeconds: number;
  /** Zone abbreviation for `MST` in layouts; "" prints the offset as Go does for unnamed zones. */
  readonly zoneName: string;

  constructor(unixMs: number, offsetSeconds = 0, subMsNanos = 0, zoneName?: string) {
    const whole = Math.floor(unixMs);
    this.unixMs = whole;
    this.subMsNanos = Math.round(subMsNanos + (unixMs - whole) * 1e6);
    this.offsetSeconds = offsetSeconds;
    this.zoneName = zoneName ?? (offsetSeconds === 0 ? "UTC" : "");
  }

  /** Go's zero time.Time. */
  static readonly ZERO = new GoTime(ZERO_MS);

  static fromUnixSeconds(seconds: number, nanos = 0): GoTime {
    const ms = seconds * 1000 + Math.floor(nanos / 1e6);
    return new GoTime(ms, 0, nanos % 1e6);
  }

  private local(): Date {
    return new Date(this.unixMs + this.offsetSeconds * 1000);
  }

  Year(): number { return this.local().getUTCFullYear(); }
  /** 1–12; static type time.Month. */
  Month(): number { return this.local().getUTCMonth() + 1; }
  Day(): number { return this.local().getUTCDate(); }
  Hour(): number { return this.local().getUTCHours(); }
  Minute(): number { return this.local().getUTCMinutes(); }
  Second(): number { return this.local().getUTCSeconds(); }
  Nanosecond(): number { return this.local().getUTCMilliseconds() * 1e6 + this.subMsNanos; }
  /** 0 = Sunday; static type time.Weekday. */
  Weekday(): number { return this.local().getUTCDay(); }
  YearDay(): number {
    const d = this.local();
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return Math.round((day - start) / 86400000) + 1;
  }
  Unix(): number { return Math.floor(this.unixMs / 1000); }
  UnixMilli(): number { return this.unixMs; }
  UnixMicro(): number { return this.unixMs * 1000 + Math.floor(this.subMsNanos / 1000); }
  UnixNano(): number { return this.unixMs * 1e6 + this.subMsNanos; }
  IsZero(): boolean { return this.unixMs === ZERO_MS && this.subMsNanos === 0; }

  /** Difference in nanoseconds (a duration). */
  Sub(u: GoTime): number { return (this.unixMs - u.unixMs) * 1e6 + (this.subMsNanos - u.subMsNanos); }
  /** Adds a duration in nanoseconds, keeping the zone. */
  Add(d: number): GoTime {
    const total = this.subMsNanos + d;
    const carryMs = Math.floor(total / 1e6);
    return new GoTime(this.unixMs + carryMs, this.offsetSeconds, total - carryMs * 1e6, this.zoneName);
  }
  Before(u: GoTime): boolean { return this.unixMs < u.unixMs || (this.unixMs === u.unixMs && this.subMsNanos < u.subMsNanos); }
  After(u: GoTime): boolean { return u.Before(this); }
  Equal(u: GoTime): boolean { return this.unixMs === u.unixMs && this.subMsNanos === u.subMsNanos; }
  Compare(u: GoTime): number { return this.Before(u) ? -1 : this.After(u) ? 1 : 0; }
  UTC(): GoTime { return new GoTime(this.unixMs, 0, this.subMsNanos, "UTC"); }
  /** Shown in a fixed offset (seconds east of UTC). */
  In(offsetSeconds: number, zoneName?: string): GoTime { return new GoTime(this.unixMs, offsetSeconds, this.subMsNanos, zoneName); }

  /** Go layout formatting (reference time Mon Jan 2 15:04:05 MST 2006). */
  Format(layout: string): string {
    return formatLayout(this, layout);
  }

  /** Go's Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`. */
  String(): string {
    return formatLayout(this, "2006-01-02 15:04:05.999999999 -0700 MST");
  }

  toString(): string {
    return this.String();
  }

  /** RFC 3339 with nanoseconds trimmed, as Go's MarshalText writes it. */
  toJSON(): string {
    return formatLayout(this, "2006-01-02T15:04:05.999999999Z07:00");
  }
}

/** Go's Duration.String(): "10m0s", "1.5s", "300ms", "0s". */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const negative = ns < 0;
  let u = Math.round(Math.abs(ns));
  let out: string;
  if (u < SECOND) {
    let unit: string;
    let prec: number;
    if (u < MICROSECOND) {
      unit = "ns";
      prec = 0;
    } else if (u < MILLISECOND) {
      unit = "µs";
      prec = 3;
    } else {
      unit = "ms";
      prec = 6;
    }
    out = fraction(u, prec) + unit;
  } else {
    const secs = fraction(u % MINUTE, 9);
    out = `${secs}s`;
    u = Math.floor(u / MINUTE);
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

/** v / 10^prec with the fractional digits printed without trailing zeros (Go's fmtFrac + fmtInt). */
function fraction(v: number, prec: number): string {
  if (prec === 0) return String(v);
  const scale = 10 ** prec;
  const whole = Math.floor(v / scale);
  const frac = String(v - whole * scale).padStart(prec, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}

const UNITS: Readonly<Record<string, number>> = {
  ns: NANOSECOND,
  us: MICROSECOND,
  "µs": MICROSECOND,
  "μs": MICROSECOND,
  ms: MILLISECOND,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

/** Go's time.ParseDuration: "1h10m10.5s", "-1.5h", "300ms", "0". Returns an error text on failure. */
export function parseDuration(text: string): { ok: true; ns: number } | { ok: false; message: string } {
  const quoted = `"${text}"`;
  const invalid = { ok: false as const, message: `time: invalid duration ${quoted}` };
  let s = text;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, ns: 0 };
  if (s === "") return invalid;
  let total = 0;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const frac = m?.[2];
    if (whole === "" && (frac === undefined || frac === "")) return invalid;
    s = s.slice((m?.[0] ?? "").length);
    const u = /^[^\d.]+/.exec(s)?.[0] ?? "";
    if (u === "") return { ok: false, message: `time: missing unit in duration ${quoted}` };
    const unit = UNITS[u];
    if (unit === undefined) return { ok: false, message: `time: unknown unit "${u}" in duration ${quoted}` };
    s = s.slice(u.length);
    total += Number(whole || "0") * unit;
    if (frac) total += Math.round(Number(`0.${frac}`) * unit);
  }
  if (total > 9223372036854775807) return invalid;
  return { ok: true, ns: negative ? -total : total };
}

/**
 * Go's time.Parse for a layout (reference time Mon Jan 2 15:04:05 MST 2006). Without a zone in
 * the value, the time is in `defaultOffsetSeconds` (UTC by default). Returns Go's error text on failure.
 */
export function parseGoTime(layout: string, value: string, defaultOffsetSeconds = 0): GoTime | string {
  const r = parseLayoutValue(layout, value, defaultOffsetSeconds);
  return typeof r === "string" ? r : new GoTime(r.unixMs, r.offsetSeconds, r.subMsNanos, r.zoneName);
}
