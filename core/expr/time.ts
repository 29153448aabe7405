/**
 * Go's time.Time and time.Duration as expressions see them. A GoTime is immutable: epoch
 * milliseconds, the nanoseconds below the millisecond, and the zone offset it is shown in.
 * A duration is a plain number of nanoseconds (static type `duration` tells it from an int).
 */

export const NANOSECOND = 1;
export const MICROSECOND = 1e3;
export const MILLISECOND = 1e6;
export const SECOND = 1e9;
export const MINUTE = 60e9;
export const HOUR = 3600e9;

/** Go's zero time (January 1, year 1, 00:00:00 UTC) in epoch milliseconds. */
const ZERO_MS = -62135596800000;

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

export function weekdayName(d: number): string {
  return WEEKDAYS[d] ?? `%!Weekday(${d})`;
}

export function monthName(m: number): string {
  return MONTHS[m - 1] ?? `%!Month(${m})`;
}

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
    return formatGoTime(this, layout);
  }

  /** Go's Time.String(): `2006-01-02 15:04:05.999999999 -0700 MST`. */
  String(): string {
    return formatGoTime(this, "2006-01-02 15:04:05.999999999 -0700 MST");
  }

  toString(): string {
    return this.String();
  }

  /** RFC 3339 with nanoseconds trimmed, as Go's MarshalText writes it. */
  toJSON(): string {
    return formatGoTime(this, "2006-01-02T15:04:05.999999999Z07:00");
  }
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + (s.length >= width ? s : "0".repeat(width - s.length) + s);
}

type Chunk =
  | { kind: "lit"; text: string }
  | { kind: "std"; code: string }
  | { kind: "frac"; digits: number; trim: boolean; sep: string };

const layoutCache = new Map<string, readonly Chunk[]>();

/** Splits a Go layout into literal text and standard chunks (Go's nextStdChunk). */
export function parseLayout(layout: string): readonly Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const out: Chunk[] = [];
  let lit = "";
  const std = (code: string) => {
    if (lit) out.push({ kind: "lit", text: lit });
    lit = "";
    out.push({ kind: "std", code });
  };
  let i = 0;
  const at = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i] as string;
    let code: string | undefined;
    switch (c) {
      case "J":
        if (at("January")) code = "January";
        else if (at("Jan")) code = "Jan";
        break;
      case "M":
        if (at("Monday")) code = "Monday";
        else if (at("Mon")) code = "Mon";
        else if (at("MST")) code = "MST";
        break;
      case "0":
        if (at("002")) code = "002";
        else if (/^0[1-6]/.test(layout.slice(i, i + 2))) code = layout.slice(i, i + 2);
        break;
      case "1":
        code = at("15") ? "15" : "1";
        break;
      case "2":
        code = at("2006") ? "2006" : "2";
        break;
      case "_":
        if (at("_2")) {
          if (layout.startsWith("2006", i + 1)) {
            lit += "_";
            i++;
            code = "2006";
          } else code = "_2";
        } else if (at("__2")) code = "__2";
        break;
      case "3": case "4": case "5":
        code = c;
        break;
      case "P":
        if (at("PM")) code = "PM";
        break;
      case "p":
        if (at("pm")) code = "pm";
        break;
      case "-":
        for (const z of ["-070000", "-07:00:00", "-0700", "-07:00", "-07"]) if (!code && at(z)) code = z;
        break;
      case "Z":
        for (const z of ["Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"]) if (!code && at(z)) code = z;
        break;
      case ".": case ",": {
        const d = layout[i + 1];
        if (d === "0" || d === "9") {
          let j = i + 1;
          while (layout[j] === d) j++;
          if (!(j < layout.length && /[0-9]/.test(layout[j] as string))) {
            if (lit) out.push({ kind: "lit", text: lit });
            lit = "";
            out.push({ kind: "frac", digits: j - i - 1, trim: d === "9", sep: c });
            i = j;
            continue;
          }
        }
        break;
      }
    }
    if (code) {
      std(code);
      i += code.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ kind: "lit", text: lit });
  if (layoutCache.size > 256) layoutCache.clear();
  layoutCache.set(layout, out);
  return out;
}

function zoneText(t: GoTime, code: string): string {
  const off = t.offsetSeconds;
  if (code.startsWith("Z") && off === 0) return "Z";
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = pad(abs % 60, 2);
  switch (code.slice(1)) {
    case "070000": return sign + hh + mm + ss;
    case "07:00:00": return `${sign}${hh}:${mm}:${ss}`;
    case "0700": return sign + hh + mm;
    case "07:00": return `${sign}${hh}:${mm}`;
    default: return sign + hh;
  }
}

export function formatGoTime(t: GoTime, layout: string): string {
  const d = new Date(t.unixMs + t.offsetSeconds * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  let out = "";
  for (const chunk of parseLayout(layout)) {
    if (chunk.kind === "lit") {
      out += chunk.text;
      continue;
    }
    if (chunk.kind === "frac") {
      const nanos = pad(d.getUTCMilliseconds() * 1e6 + t.subMsNanos, 9).slice(0, chunk.digits);
      if (chunk.trim) {
        const trimmed = nanos.replace(/0+$/, "");
        if (trimmed) out += chunk.sep + trimmed;
      } else {
        out += chunk.sep + nanos;
      }
      continue;
    }
    switch (chunk.code) {
      case "2006": out += pad(year, 4); break;
      case "06": out += pad(year % 100, 2); break;
      case "January": out += monthName(month); break;
      case "Jan": out += monthName(month).slice(0, 3); break;
      case "01": out += pad(month, 2); break;
      case "1": out += String(month); break;
      case "Monday": out += weekdayName(d.getUTCDay()); break;
      case "Mon": out += weekdayName(d.getUTCDay()).slice(0, 3); break;
      case "02": out += pad(day, 2); break;
      case "_2": out += day < 10 ? ` ${day}` : String(day); break;
      case "2": out += String(day); break;
      case "002": out += pad(t.YearDay(), 3); break;
      case "__2": out += String(t.YearDay()).padStart(3, " "); break;
      case "15": out += pad(hour, 2); break;
      case "03": out += pad(hour % 12 === 0 ? 12 : hour % 12, 2); break;
      case "3": out += String(hour % 12 === 0 ? 12 : hour % 12); break;
      case "04": out += pad(d.getUTCMinutes(), 2); break;
      case "4": out += String(d.getUTCMinutes()); break;
      case "05": out += pad(d.getUTCSeconds(), 2); break;
      case "5": out += String(d.getUTCSeconds()); break;
      case "PM": out += hour >= 12 ? "PM" : "AM"; break;
      case "pm": out += hour >= 12 ? "pm" : "am"; break;
      case "MST": out += t.zoneName !== "" ? t.zoneName : zoneText(t, "-0700"); break;
      default: out += zoneText(t, chunk.code);
    }
  }
  return out;
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

const SHORT_DAYS = WEEKDAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));

function lookupName(names: readonly string[], value: string): [number, string] | undefined {
  const lower = value.toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    if (lower.startsWith(n.toLowerCase())) return [i, value.slice(n.length)];
  }
  return undefined;
}

/** Reads 1–2 digits (exactly 2 when `fixed`), as Go's getnum. */
function getNum(value: string, fixed: boolean): [number, string] | undefined {
  const d0 = value.charCodeAt(0) - 48;
  if (!(d0 >= 0 && d0 <= 9)) return undefined;
  const d1 = value.charCodeAt(1) - 48;
  if (!(d1 >= 0 && d1 <= 9)) return fixed ? undefined : [d0, value.slice(1)];
  return [d0 * 10 + d1, value.slice(2)];
}

function getDigits(value: string, n: number): [number, string] | undefined {
  if (value.length < n || !/^\d+$/.test(value.slice(0, n))) return undefined;
  return [Number(value.slice(0, n)), value.slice(n)];
}

function daysIn(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Go's time.Parse for a layout (reference time Mon Jan 2 15:04:05 MST 2006). Without a zone in
 * the value, the time is in `defaultOffsetSeconds` (UTC by default). Returns Go's error text on failure.
 */
export function parseGoTime(layout: string, value: string, defaultOffsetSeconds = 0): GoTime | string {
  const original = value;
  const err = (chunk: string, rest: string, extra = "") => `parsing time ${JSON.stringify(original)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(chunk)}${extra}`;
  // fields missing from the layout are zero, or one when zero is impossible (year 0, January 1)
  let year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0;
  let pm = false, am = false;
  let offset: number | undefined;
  let zoneName: string | undefined;
  const chunks = parseLayout(layout);
  for (let ci = 0; ci < chunks.length; ci++) {
    const chunk = chunks[ci] as Chunk;
    if (chunk.kind === "lit") {
      if (!value.startsWith(chunk.text)) return err(chunk.text, value);
      value = value.slice(chunk.text.length);
      continue;
    }
    if (chunk.kind === "frac") {
      if (value[0] !== "." && value[0] !== ",") {
        if (chunk.trim) continue;
        return err(chunk.sep + "0".repeat(chunk.digits), value);
      }
      const m = /^[.,](\d+)/.exec(value);
      if (!m || (!chunk.trim && (m[1] as string).length !== chunk.digits)) return err(chunk.sep + "0".repeat(chunk.digits), value);
      const digits = m[1] as string;
      nanos = Number(digits.slice(0, 9).padEnd(9, "0"));
      value = value.slice(m[0].length);
      continue;
    }
    const code = chunk.code;
    let r: [number, string] | undefined;
    switch (code) {
      case "2006":
        r = getDigits(value, 4);
        if (r) year = r[0];
        break;
      case "06":
        r = getDigits(value, 2);
        if (r) year = r[0] >= 69 ? 1900 + r[0] : 2000 + r[0];
        break;
      case "January": case "Jan":
        r = lookupName(code === "January" ? MONTHS : SHORT_MONTHS, value);
        if (r) month = r[0] + 1;
        break;
      case "01": case "1":
        r = getNum(value, code === "01");
        if (r && (r[0] < 1 || r[0] > 12)) return err(code, value, ": month out of range");
        if (r) month = r[0];
        break;
      case "Monday": case "Mon":
        r = lookupName(code === "Monday" ? WEEKDAYS : SHORT_DAYS, value);
        break;
      case "02": case "2": case "_2":
        if (code === "_2" && value[0] === " ") value = value.slice(1);
        r = getNum(value, code === "02");
        if (r) day = r[0];
        break;
      case "002": case "__2":
        r = getDigits(value.trimStart(), 3);
        break;
      case "15":
        r = getNum(value, false);
        if (r && r[0] > 23) return err(code, value, ": hour out of range");
        if (r) hour = r[0];
        break;
      case "03": case "3":
        r = getNum(value, code === "03");
        if (r && r[0] > 12) return err(code, value, ": hour out of range");
        if (r) hour = r[0];
        break;
      case "04": case "4":
        r = getNum(value, code === "04");
        if (r && r[0] > 59) return err(code, value, ": minute out of range");
        if (r) minute = r[0];
        break;
      case "05": case "5": {
        r = getNum(value, code === "05");
        if (r && r[0] > 59) return err(code, value, ": second out of range");
        if (r) {
          second = r[0];
          // a fraction in the value without one in the layout is still read (Go does too)
          const next = chunks[ci + 1];
          const m = /^[.,](\d+)/.exec(r[1]);
          if (m && next?.kind !== "frac") {
            nanos = Number((m[1] as string).slice(0, 9).padEnd(9, "0"));
            r = [r[0], r[1].slice(m[0].length)];
          }
        }
        break;
      }
      case "PM": case "pm": {
        const ap = value.slice(0, 2);
        const up = ap.toUpperCase();
        if (up === "PM") pm = true;
        else if (up === "AM") am = true;
        else return err(code, value);
        r = [0, value.slice(2)];
        break;
      }
      case "MST": {
        if (value.startsWith("UTC")) {
          offset = 0;
          zoneName = "UTC";
          r = [0, value.slice(3)];
          break;
        }
        const m = /^(GMT[+-]\d{1,2}|[A-Z]{3,5})/.exec(value);
        if (!m) return err(code, value);
        const name = m[0];
        if (name.startsWith("GMT") && name.length > 3) {
          offset = Number(name.slice(3)) * 3600;
          zoneName = name;
        } else {
          offset = 0;
          zoneName = name;
        }
        r = [0, value.slice(name.length)];
        break;
      }
      default: {
        // numeric zones: Z07:00, -0700, -07 …
        if (code.startsWith("Z") && value[0] === "Z") {
          offset = 0;
          zoneName = "UTC";
          r = [0, value.slice(1)];
          break;
        }
        const shape = code.slice(1);
        const pattern = shape === "07" ? /^([+-])(\d\d)/ : shape === "0700" ? /^([+-])(\d\d)(\d\d)/ : shape === "07:00" ? /^([+-])(\d\d):(\d\d)/ : shape === "070000" ? /^([+-])(\d\d)(\d\d)(\d\d)/ : /^([+-])(\d\d):(\d\d):(\d\d)/;
        const m = pattern.exec(value);
        if (!m) return err(code, value);
        const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        offset = m[1] === "-" ? -secs : secs;
        zoneName = offset === 0 ? "UTC" : "";
        r = [0, value.slice(m[0].length)];
      }
    }
    if (!r) return err(code, value);
    value = r[1];
  }
  if (value !== "") return `parsing time ${JSON.stringify(original)}: extra text: ${JSON.stringify(value)}`;
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (day < 1 || day > daysIn(month, year)) return `parsing time ${JSON.stringify(original)}: day out of range`;
  const off = offset ?? defaultOffsetSeconds;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900–1999
  const fixed = year >= 0 && year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return new GoTime(fixed - off * 1000 + Math.floor(nanos / 1e6), off, nanos % 1e6, zoneName ?? (off === 0 ? "UTC" : ""));
}
