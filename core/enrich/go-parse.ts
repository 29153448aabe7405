/**
 * Go's time.Parse over a compiled layout: the element rules of time/format.go (whole input
 * consumed, space runs, fractional seconds after the seconds, case-insensitive names, range
 * checks, zone handling with Local = UTC). Walks the text by char codes; allocates only the result.
 */
import { daysFromCivil, daysIn, DAYS_BEFORE, isLeap } from "./go-calendar";
import {
  CC_0, CC_9, CC_COLON, CC_COMMA, CC_DOT, CC_MINUS, CC_PLUS, CC_SPACE, CC_Z, compileLayoutOps, DAY, END, FRAC0, FRAC9, HOUR, HOUR12,
  isDigitAt, ISO_COLON_SECONDS_TZ, ISO_COLON_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_TZ, LIT, LONG_MONTH, LONG_WEEKDAY, LONG_YEAR, MINUTE,
  MONTH, NUM_COLON_SECONDS_TZ, NUM_COLON_TZ, NUM_MONTH, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_TZ, PM_LOWER, PM_UPPER, SECOND, TZ_NAME,
  UNDER_DAY, UNDER_YDAY, WEEKDAY, YEAR, ZERO_DAY, ZERO_HOUR12, ZERO_MINUTE, ZERO_MONTH, ZERO_SECOND, ZERO_YDAY, type Op,
} from "./go-layout";
import type { GoLayout, GoTimeValue } from "./go-time";

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Go's `lookup`: index of the first name that prefixes s at pos, ASCII letters folded; -1 if none. */
function lookupName(table: readonly string[], s: string, pos: number): number {
  outer: for (let t = 0; t < table.length; t++) {
    const name = table[t]!;
    if (s.length - pos < name.length) continue;
    for (let k = 0; k < name.length; k++) {
      const a = s.charCodeAt(pos + k);
      const b = name.charCodeAt(k);
      if (a === b) continue;
      const la = a | 0x20;
      if (la !== (b | 0x20) || la < 97 || la > 122) continue outer;
    }
    return t;
  }
  return -1;
}

/** Go's parseNanoseconds on s[pos, pos+nbytes): separator then at most 9 significant digits. */
function parseNanos(s: string, pos: number, nbytes: number, allowSign: boolean): number {
  const c = s.charCodeAt(pos);
  if (c !== CC_DOT && c !== CC_COMMA) return -1;
  const n = nbytes > 10 ? 10 : nbytes;
  let i = pos + 1;
  const end = pos + n;
  let negative = false;
  // Go runs atoi here, which takes a sign: ".+5" is a valid ".0" fraction, ".-5" is out of range
  if (allowSign && i < end) {
    const sign = s.charCodeAt(i);
    if (sign === CC_PLUS || sign === CC_MINUS) {
      negative = sign === CC_MINUS;
      i++;
    }
  }
  let ns = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i);
    if (d < CC_0 || d > CC_9) return -1;
    ns = ns * 10 + (d - CC_0);
  }
  if (negative && ns !== 0) return -1;
  for (let k = 10 - n; k > 0; k--) ns *= 10;
  return ns;
}

/** Go's parseTimeZone: length of a zone abbreviation at pos, 0 if none. */
function zoneNameLength(s: string, pos: number): number {
  const rest = s.length - pos;
  if (rest < 3) return 0;
  if (rest >= 4 && (s.startsWith("ChST", pos) || s.startsWith("MeST", pos))) return 4;
  if (s.startsWith("GMT", pos)) return rest === 3 ? 3 : 3 + signedOffsetLength(s, pos + 3);
  const c0 = s.charCodeAt(pos);
  if (c0 === CC_PLUS || c0 === CC_MINUS) return signedOffsetLength(s, pos);
  let upper = 0;
  while (upper < 6 && upper < rest) {
    const c = s.charCodeAt(pos + upper);
    if (c < 65 || c > 90) break;
    upper++;
  }
  switch (upper) {
    case 3:
      return 3;
    case 4:
      return s[pos + 3] === "T" || s.startsWith("WITA", pos) ? 4 : 0;
    case 5:
      return s[pos + 4] === "T" ? 5 : 0;
    default:
      return 0;
  }
}

/** Go's parseSignedOffset: "+3", "-04"… with |value| ≤ 23; 0 when absent. */
function signedOffsetLength(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  if (c !== CC_PLUS && c !== CC_MINUS) return 0;
  let i = pos + 1;
  let x = 0;
  while (i < s.length && isDigitAt(s, i)) {
    x = x * 10 + (s.charCodeAt(i) - CC_0);
    if (x > 23) return 0;
    i++;
  }
  return i === pos + 1 ? 0 : i - pos;
}

/** Two fixed digits at pos, or -1. */
function twoDigits(s: string, pos: number): number {
  const a = s.charCodeAt(pos) - CC_0;
  const b = s.charCodeAt(pos + 1) - CC_0;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

/** Go's zero Time, 0001-01-01T00:00:00Z, which CrowdSec treats as "not parsed". */
export const ZERO_TIME_EPOCH_SEC = -62135596800;

class CompiledLayout implements GoLayout {
  constructor(
    readonly layout: string,
    private readonly ops: readonly Op[],
  ) {}

  parse(s: string): GoTimeValue | null {
    const len = s.length;
    let pos = 0;
    let year = 0;
    let month = -1;
    let day = -1;
    let yday = -1;
    let hour = 0;
    let min = 0;
    let sec = 0;
    let nsec = 0;
    let isUtc = false;
    // -1 means "no numeric offset", as in Go (so an offset of exactly -1s is lost there too)
    let zoneOffset = -1;
    let zoneName = "";
    let amSet = false;
    let pmSet = false;
    const ops = this.ops;

    for (let o = 0; o < ops.length; o++) {
      const op = ops[o]!;
      switch (op.kind) {
        case LIT: {
          const text = op.text;
          for (let k = 0; k < text.length; k++) {
            const want = text.charCodeAt(k);
            if (want === CC_SPACE) {
              if (pos < len && s.charCodeAt(pos) !== CC_SPACE) return null;
              while (pos < len && s.charCodeAt(pos) === CC_SPACE) pos++;
            } else {
              if (pos >= len || s.charCodeAt(pos) !== want) return null;
              pos++;
            }
          }
          break;
        }
        case END:
          if (pos !== len) return null;
          break;
        case YEAR: {
          if (len - pos < 2) return null;
          // Go uses atoi on the two bytes, which accepts a sign: "+5" is 2005, "-5" is 1995
          const c0 = s.charCodeAt(pos);
          const d1 = s.charCodeAt(pos + 1) - CC_0;
          if (!(d1 >= 0 && d1 <= 9)) return null;
          let y: number;
          if (c0 === CC_PLUS) y = d1;
          else if (c0 === CC_MINUS) y = -d1;
          else if (c0 >= CC_0 && c0 <= CC_9) y = (c0 - CC_0) * 10 + d1;
          else return null;
          year = y >= 69 ? y + 1900 : y + 2000;
          pos += 2;
          break;
        }
        case LONG_YEAR: {
          if (len - pos < 4) return null;
          let y = 0;
          for (let k = 0; k < 4; k++) {
            const d = s.charCodeAt(pos + k) - CC_0;
            if (!(d >= 0 && d <= 9)) return null;
            y = y * 10 + d;
          }
          year = y;
          pos += 4;
          break;
        }
        case MONTH:
        case LONG_MONTH: {
          const table = op.kind === MONTH ? SHORT_MONTHS : LONG_MONTHS;
          const m = lookupName(table, s, pos);
          if (m < 0) return null;
          month = m + 1;
          pos += table[m]!.length;
          break;
        }
        case WEEKDAY:
        case LONG_WEEKDAY: {
          // checked for syntax only, as Go does
          const table = op.kind === WEEKDAY ? SHORT_DAYS : LONG_DAYS;
          const d = lookupName(table, s, pos);
          if (d < 0) return null;
          pos += table[d]!.length;
          break;
        }
        case NUM_MONTH:
        case ZERO_MONTH:
        case DAY:
        case UNDER_DAY:
        case ZERO_DAY:
        case HOUR:
        case HOUR12:
        case ZERO_HOUR12:
        case MINUTE:
        case ZERO_MINUTE:
        case SECOND:
        case ZERO_SECOND: {
          const kind = op.kind;
          if (kind === UNDER_DAY && s.charCodeAt(pos) === CC_SPACE) pos++;
          // Go's getnum: one or two digits, exactly two for the zero-padded forms
          const fixed = kind === ZERO_MONTH || kind === ZERO_DAY || kind === ZERO_HOUR12 || kind === ZERO_MINUTE || kind === ZERO_SECOND;
          if (!isDigitAt(s, pos)) return null;
          let v = s.charCodeAt(pos) - CC_0;
          if (isDigitAt(s, pos + 1)) {
            v = v * 10 + (s.charCodeAt(pos + 1) - CC_0);
            pos += 2;
          } else if (fixed) {
            return null;
          } else {
            pos += 1;
          }
          switch (kind) {
            case NUM_MONTH:
            case ZERO_MONTH:
              if (v === 0 || v > 12) return null;
              month = v;
              break;
            case DAY:
            case UNDER_DAY:
            case ZERO_DAY:
              day = v; // validated against the month once everything is read, as Go does
              break;
            case HOUR:
              if (v >= 24) return null;
              hour = v;
              break;
            case HOUR12:
            case ZERO_HOUR12:
              if (v > 12) return null;
              hour = v;
              break;
            case MINUTE:
            case ZERO_MINUTE:
              if (v >= 60) return null;
              min = v;
              break;
            default: {
              if (v >= 60) return null;
              sec = v;
              // Go accepts a fraction after the seconds even when the layout has none
              if (!op.fracFollows && len - pos >= 2) {
                const c = s.charCodeAt(pos);
                if ((c === CC_DOT || c === CC_COMMA) && isDigitAt(s, pos + 1)) {
                  let n = 2;
                  while (pos + n < len && isDigitAt(s, pos + n)) n++;
                  nsec = parseNanos(s, pos, n, false);
                  pos += n;
                }
              }
            }
          }
          break;
        }
        case UNDER_YDAY:
        case ZERO_YDAY: {
          if (op.kind === UNDER_YDAY) {
            if (s.charCodeAt(pos) === CC_SPACE) pos++;
            if (s.charCodeAt(pos) === CC_SPACE) pos++;
          }
          let v = 0;
          let k = 0;
          while (k < 3 && isDigitAt(s, pos + k)) {
            v = v * 10 + (s.charCodeAt(pos + k) - CC_0);
            k++;
          }
          if (k === 0 || (op.kind === ZERO_YDAY && k !== 3)) return null;
          yday = v;
          pos += k;
          break;
        }
        case PM_UPPER:
        case PM_LOWER: {
          if (len - pos < 2) return null;
          // case-sensitive: "PM" takes PM/AM, "pm" takes pm/am
          const m = s.charCodeAt(pos + 1);
          const first = s.charCodeAt(pos);
          const base = op.kind === PM_UPPER ? 0 : 32;
          if (m !== 77 + base) return null;
          if (first === 80 + base) pmSet = true;
          else if (first === 65 + base) amSet = true;
          else return null;
          pos += 2;
          break;
        }
        case ISO_TZ:
        case ISO_SECONDS_TZ:
        case ISO_SHORT_TZ:
        case ISO_COLON_TZ:
        case ISO_COLON_SECONDS_TZ:
        case NUM_TZ:
        case NUM_SECONDS_TZ:
        case NUM_SHORT_TZ:
        case NUM_COLON_TZ:
        case NUM_COLON_SECONDS_TZ: {
          const kind = op.kind;
          const isIso = kind === ISO_TZ || kind === ISO_SECONDS_TZ || kind === ISO_SHORT_TZ || kind === ISO_COLON_TZ || kind === ISO_COLON_SECONDS_TZ;
          if (isIso && s.charCodeAt(pos) === CC_Z) {
            pos++;
            isUtc = true;
            break;
          }
          const start = pos;
          const rest = len - pos;
          let hh: number;
          let mm = 0;
          let ss = 0;
          if (kind === ISO_COLON_TZ || kind === NUM_COLON_TZ) {
            if (rest < 6 || s.charCodeAt(pos + 3) !== CC_COLON) return null;
            hh = twoDigits(s, pos + 1);
            mm = twoDigits(s, pos + 4);
            pos += 6;
          } else if (kind === ISO_SHORT_TZ || kind === NUM_SHORT_TZ) {
            if (rest < 3) return null;
            hh = twoDigits(s, pos + 1);
            pos += 3;
          } else if (kind === ISO_COLON_SECONDS_TZ || kind === NUM_COLON_SECONDS_TZ) {
            if (rest < 9 || s.charCodeAt(pos + 3) !== CC_COLON || s.charCodeAt(pos + 6) !== CC_COLON) return null;
            hh = twoDigits(s, pos + 1);
            mm = twoDigits(s, pos + 4);
            ss = twoDigits(s, pos + 7);
            pos += 9;
          } else if (kind === ISO_SECONDS_TZ || kind === NUM_SECONDS_TZ) {
            if (rest < 7) return null;
            hh = twoDigits(s, pos + 1);
            mm = twoDigits(s, pos + 3);
            ss = twoDigits(s, pos + 5);
            pos += 7;
          } else {
            if (rest < 5) return null;
            hh = twoDigits(s, pos + 1);
            mm = twoDigits(s, pos + 3);
            pos += 5;
          }
          // Go compares with > rather than >=: offsets of 24h or 60min are accepted
          if (hh < 0 || mm < 0 || ss < 0 || hh > 24 || mm > 60 || ss > 60) return null;
          const sign = s.charCodeAt(start);
          const offset = (hh * 60 + mm) * 60 + ss;
          if (sign === CC_PLUS) zoneOffset = offset;
          else if (sign === CC_MINUS) zoneOffset = -offset;
          else return null;
          break;
        }
        case TZ_NAME: {
          if (s.startsWith("UTC", pos)) {
            isUtc = true;
            pos += 3;
            break;
          }
          const n = zoneNameLength(s, pos);
          if (n === 0) return null;
          zoneName = s.slice(pos, pos + n);
          pos += n;
          break;
        }
        case FRAC0: {
          const n = 1 + op.digits;
          if (len - pos < n) return null;
          const ns = parseNanos(s, pos, n, true);
          if (ns < 0) return null;
          nsec = ns;
          pos += n;
          break;
        }
        case FRAC9: {
          const c = s.charCodeAt(pos);
          if (len - pos < 2 || (c !== CC_DOT && c !== CC_COMMA) || !isDigitAt(s, pos + 1)) break; // omitted
          let n = 1;
          while (pos + n < len && isDigitAt(s, pos + n)) n++;
          nsec = parseNanos(s, pos, n, false);
          pos += n;
          break;
        }
        default:
          throw new Error(`go-time: unknown layout element ${op.kind}`);
      }
    }

    if (pmSet && hour < 12) hour += 12;
    else if (amSet && hour === 12) hour = 0;

    if (yday >= 0) {
      let d = 0;
      let m = 0;
      let yd = yday;
      if (isLeap(year)) {
        if (yd === 31 + 29) {
          m = 2;
          d = 29;
        } else if (yd > 31 + 29) {
          yd--;
        }
      }
      if (yd < 1 || yd > 365) return null;
      if (m === 0) {
        m = Math.floor((yd - 1) / 31) + 1;
        if (DAYS_BEFORE[m]! < yd) m++;
        d = yd - DAYS_BEFORE[m - 1]!;
      }
      if (month >= 0 && month !== m) return null;
      month = m;
      if (day >= 0 && day !== d) return null;
      day = d;
    } else {
      if (month < 0) month = 1;
      if (day < 0) day = 1;
    }
    if (day < 1 || day > daysIn(month, year)) return null;

    const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    if (isUtc) return { epochSec: wall, nsec, offsetSec: 0 };
    if (zoneOffset !== -1) {
      // Go: FixedZone(name, offset), unless the offset is Local's (UTC) and no other name was given
      if (zoneName === "") return { epochSec: wall - zoneOffset, nsec, offsetSec: zoneOffset };
      return { epochSec: wall - zoneOffset, nsec, offsetSec: zoneOffset, zoneName };
    }
    if (zoneName !== "") {
      // Unknown abbreviation (Local is UTC): Go keeps the wall clock as UTC and only shows the
      // GMT±h offset, it does not shift the instant.
      let offset = 0;
      if (zoneName.length > 3 && zoneName.startsWith("GMT")) offset = Number.parseInt(zoneName.slice(3), 10) * 3600;
      return { epochSec: wall, nsec, offsetSec: offset, zoneName };
    }
    return { epochSec: wall, nsec, offsetSec: 0 };
  }
}

/** Compiles a Go layout once; the result parses any number of texts. */
export function compileGoLayout(layout: string): GoLayout {
  return new CompiledLayout(layout, compileLayoutOps(layout));
}
