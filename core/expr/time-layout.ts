/**
 * Go time layouts (reference time Mon Jan 2 15:04:05 MST 2006): formatting and parsing of the
 * fields a GoTime holds, as Go's time.Format and time.Parse do them.
 */

/** What a layout formats and parsing produces: a GoTime's fields. */
export interface TimeFields {
  readonly unixMs: number;
  readonly subMsNanos: number;
  readonly offsetSeconds: number;
  readonly zoneName: string;
}

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"] as const;

export function weekdayName(d: number): string {
  return WEEKDAYS[d] ?? `%!Weekday(${d})`;
}

export function monthName(m: number): string {
  return MONTHS[m - 1] ?? `%!Month(${m})`;
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
function parseLayout(layout: string): readonly Chunk[] {
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

function zoneText(t: TimeFields, code: string): string {
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

/** Formats time fields with a Go layout. */
export function formatLayout(t: TimeFields, layout: string): string {
  const d = new Date(t.unixMs + t.offsetSeconds * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const yday = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
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
      case "002": out += pad(yday, 3); break;
      case "__2": out += String(yday).padStart(3, " "); break;
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
 * the value, the time is in `defaultOffsetSeconds`. Returns Go's error text on failure.
 */
export function parseLayoutValue(layout: string, value: string, defaultOffsetSeconds: number): TimeFields | string {
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
  return { unixMs: fixed - off * 1000 + Math.floor(nanos / 1e6), subMsNanos: nanos % 1e6, offsetSeconds: off, zoneName: zoneName ?? (off === 0 ? "UTC" : "") };
}

