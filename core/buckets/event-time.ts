/**
 * The replay clock: upstream pours a time-machine event at `evt.MarshaledTime` parsed with Go's
 * Time.UnmarshalText (strict RFC 3339), not at `evt.Time` (pkg/leakybucket/timemachine.go).
 */
import { GoTime } from "../expr";

// Go's parseRFC3339: fixed-width fields, 'T', optional fraction (any number of digits, nanosecond
// precision kept), then 'Z' or ±hh:mm. Lower-case 't'/'z' and ',' fractions are refused.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

// Consecutive log lines often share their timestamp: the last answer is kept.
let lastText = "";
let lastTime: GoTime | undefined;

/** `time.Time.UnmarshalText`: the time with the offset it was written in, or undefined when Go refuses the text. */
export function parseMarshaledTime(text: string): GoTime | undefined {
  if (text === lastText) return lastTime;
  lastTime = parseRfc3339(text);
  lastText = text;
  return lastTime;
}

function parseRfc3339(text: string): GoTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const dim = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > dim) return undefined;
  let nanos = 0;
  if (m[7] !== undefined) nanos = Number(m[7].slice(0, 9).padEnd(9, "0"));
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetSeconds = (oh * 60 + om) * 60 * (m[9] === "-" ? -1 : 1);
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const unixMs = d.getTime() - offsetSeconds * 1000 + Math.floor(nanos / 1e6);
  return new GoTime(unixMs, offsetSeconds, nanos % 1e6);
}

/** `time.Now().UTC()` for a wall clock in milliseconds. */
export function wallTime(nowMs: number): GoTime {
  return new GoTime(nowMs);
}
