/**
 * Go reference-time layouts (`time.Parse`) and Go's RFC 3339 output (`Time.MarshalText`).
 *
 * Hub parsers hand us Go layouts (`StrTimeFormat`, dateparse-enrich's list), so the matcher
 * reproduces Go's time/format.go rules rather than any JS date parsing: the whole input must be
 * consumed, a space in the layout eats a run of spaces, a fractional second may follow the seconds
 * even when the layout has none, month and day names match case-insensitively, a numeric offset
 * is kept as a fixed zone (never converted to UTC). A layout is compiled once into a list of ops;
 * parsing walks the text by char codes and allocates only the result.
 *
 * "Local" is UTC, as under hubtest (`TZ=UTC`): a zone abbreviation other than `UTC` gets offset 0
 * (`GMT+3` gets +3h, with Go's quirk of keeping the wall clock as UTC), and offset 0 prints `Z`.
 */

/** A time.Time as Go keeps it for our purposes: an instant and the fixed offset it is shown in. */
export interface GoTimeValue {
  /** Whole seconds of the instant since 1970-01-01T00:00:00Z. */
  readonly epochSec: number;
  /** Nanoseconds within that second, 0 to 999 999 999. */
  readonly nsec: number;
  /** Offset of the zone the time is shown in, in seconds east of UTC. */
  readonly offsetSec: number;
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

// Layout elements, in the spirit of Go's std* constants. Numbers, not strings: the parse loop
// switches on them per element.
const LIT = 0;
const LONG_MONTH = 1; // January
const MONTH = 2; // Jan
const NUM_MONTH = 3; // 1
const ZERO_MONTH = 4; // 01
const LONG_WEEKDAY = 5; // Monday
const WEEKDAY = 6; // Mon
const DAY = 7; // 2
const UNDER_DAY = 8; // _2
const ZERO_DAY = 9; // 02
const UNDER_YDAY = 10; // __2
const ZERO_YDAY = 11; // 002
const HOUR = 12; // 15
const HOUR12 = 13; // 3
const ZERO_HOUR12 = 14; // 03
const MINUTE = 15; // 4
const ZERO_MINUTE = 16; // 04
const SECOND = 17; // 5
const ZERO_SECOND = 18; // 05
const LONG_YEAR = 19; // 2006
const YEAR = 20; // 06
const PM_UPPER = 21; // PM
const PM_LOWER = 22; // pm
const TZ_NAME = 23; // MST
const ISO_TZ = 24; // Z0700
const ISO_SECONDS_TZ = 25; // Z070000
const ISO_SHORT_TZ = 26; // Z07
const ISO_COLON_TZ = 27; // Z07:00
const ISO_COLON_SECONDS_TZ = 28; // Z07:00:00
const NUM_TZ = 29; // -0700
const NUM_SECONDS_TZ = 30; // -070000
const NUM_SHORT_TZ = 31; // -07
const NUM_COLON_TZ = 32; // -07:00
const NUM_COLON_SECONDS_TZ = 33; // -07:00:00
const FRAC0 = 34; // .000 (exact digit count)
const FRAC9 = 35; // .999 (optional, any digit count)
const END = 36;

/** One element of a compiled layout; every op has the same shape so the parse loop stays monomorphic. */
interface Op {
  readonly kind: number;
  /** LIT: the literal with each run of spaces reduced to one space. */
  readonly text: string;
  /** FRAC0/FRAC9: digits in the layout. */
  readonly digits: number;
  /** SECOND/ZERO_SECOND: the next element of the layout is a fractional second. */
  readonly fracFollows: boolean;
}

interface Chunk {
  readonly prefixEnd: number;
  readonly kind: number;
  readonly digits: number;
  readonly next: number;
}

const CC_0 = 48;
const CC_9 = 57;
const CC_SPACE = 32;
const CC_DOT = 46;
const CC_COMMA = 44;
const CC_PLUS = 43;
const CC_MINUS = 45;
const CC_COLON = 58;
const CC_Z = 90;

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i); // NaN past the end
  return c >= CC_0 && c <= CC_9;
}

function isLowerAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 97 && c <= 122;
}

/** "01" to "06". */
const ZERO_X = [ZERO_MONTH, ZERO_DAY, ZERO_HOUR12, ZERO_MINUTE, ZERO_SECOND, YEAR];

/** Go's nextStdChunk: the first layout element at or after `from`. */
function nextChunk(layout: string, from: number): Chunk {
  const n = layout.length;
  const at = (i: number, kind: number, len: number, digits = 0): Chunk => ({
    prefixEnd: i,
    kind,
    digits,
    next: i + len,
  });
  for (let i = from; i < n; i++) {
    const c = layout[i];
    switch (c) {
      case "J":
        if (layout.startsWith("Jan", i)) {
          if (layout.startsWith("January", i)) return at(i, LONG_MONTH, 7);
          if (!isLowerAt(layout, i + 3)) return at(i, MONTH, 3);
        }
        break;
      case "M":
        if (layout.startsWith("Mon", i)) {
          if (layout.startsWith("Monday", i)) return at(i, LONG_WEEKDAY, 6);
          if (!isLowerAt(layout, i + 3)) return at(i, WEEKDAY, 3);
        }
        if (layout.startsWith("MST", i)) return at(i, TZ_NAME, 3);
        break;
      case "0": {
        const d = layout.charCodeAt(i + 1);
        if (d >= 49 && d <= 54) return at(i, ZERO_X[d - 49]!, 2);
        if (layout.startsWith("002", i)) return at(i, ZERO_YDAY, 3);
        break;
      }
      case "1":
        if (layout.startsWith("15", i)) return at(i, HOUR, 2);
        return at(i, NUM_MONTH, 1);
      case "2":
        if (layout.startsWith("2006", i)) return at(i, LONG_YEAR, 4);
        return at(i, DAY, 1);
      case "_":
        if (layout[i + 1] === "2") {
          // "_2006" is a literal underscore before the year
          if (layout.startsWith("2006", i + 1)) return { prefixEnd: i + 1, kind: LONG_YEAR, digits: 0, next: i + 5 };
          return at(i, UNDER_DAY, 2);
        }
        if (layout.startsWith("__2", i)) return at(i, UNDER_YDAY, 3);
        break;
      case "3":
        return at(i, HOUR12, 1);
      case "4":
        return at(i, MINUTE, 1);
      case "5":
        return at(i, SECOND, 1);
      case "P":
        if (layout[i + 1] === "M") return at(i, PM_UPPER, 2);
        break;
      case "p":
        if (layout[i + 1] === "m") return at(i, PM_LOWER, 2);
        break;
      case "-":
        if (layout.startsWith("-070000", i)) return at(i, NUM_SECONDS_TZ, 7);
        if (layout.startsWith("-07:00:00", i)) return at(i, NUM_COLON_SECONDS_TZ, 9);
        if (layout.startsWith("-0700", i)) return at(i, NUM_TZ, 5);
        if (layout.startsWith("-07:00", i)) return at(i, NUM_COLON_TZ, 6);
        if (layout.startsWith("-07", i)) return at(i, NUM_SHORT_TZ, 3);
        break;
      case "Z":
        if (layout.startsWith("Z070000", i)) return at(i, ISO_SECONDS_TZ, 7);
        if (layout.startsWith("Z07:00:00", i)) return at(i, ISO_COLON_SECONDS_TZ, 9);
        if (layout.startsWith("Z0700", i)) return at(i, ISO_TZ, 5);
        if (layout.startsWith("Z07:00", i)) return at(i, ISO_COLON_TZ, 6);
        if (layout.startsWith("Z07", i)) return at(i, ISO_SHORT_TZ, 3);
        break;
      case ".":
      case ",": {
        const ch = layout[i + 1];
        if (ch === "0" || ch === "9") {
          let j = i + 1;
          while (j < n && layout[j] === ch) j++;
          // only a run of digits that ends there is a fractional second
          if (!isDigitAt(layout, j)) return at(i, ch === "0" ? FRAC0 : FRAC9, j - i, j - (i + 1));
        }
        break;
      }
    }
  }
  return { prefixEnd: n, kind: END, digits: 0, next: n };
}

function litOp(text: string): Op {
  return { kind: LIT, text: text.replace(/ +/g, " "), digits: 0, fracFollows: false };
}

/** Compiles a Go layout once; the result parses any number of texts. */
export function compileGoLayout(layout: string): GoLayout {
  const chunks: Chunk[] = [];
  let pos = 0;
  for (;;) {
    const chunk = nextChunk(layout, pos);
    chunks.push(chunk);
    if (chunk.kind === END) break;
    pos = chunk.next;
  }
  const ops: Op[] = [];
  pos = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (chunk.prefixEnd > pos) ops.push(litOp(layout.slice(pos, chunk.prefixEnd)));
    // As Go: a fraction after the seconds is left to the next element when that is a fraction.
    const after = chunks[i + 1]?.kind;
    ops.push({ kind: chunk.kind, text: "", digits: chunk.digits, fracFollows: after === FRAC0 || after === FRAC9 });
    pos = chunk.next;
  }
  return new CompiledLayout(layout, ops);
}

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

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return DAYS_BEFORE[month]! - DAYS_BEFORE[month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date; day overflow rolls into the next month. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface Civil {
  year: number;
  month: number;
  day: number;
  secOfDay: number;
}

function civilFromEpoch(localSec: number): Civil {
  const days = Math.floor(localSec / 86400);
  const secOfDay = localSec - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day, secOfDay };
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
const ZERO_TIME_EPOCH_SEC = -62135596800;

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
    if (zoneOffset !== -1) return { epochSec: wall - zoneOffset, nsec, offsetSec: zoneOffset };
    if (zoneName !== "") {
      // Unknown abbreviation (Local is UTC): Go keeps the wall clock as UTC and only shows the
      // GMT±h offset, it does not shift the instant.
      let offset = 0;
      if (zoneName.length > 3 && zoneName.startsWith("GMT")) offset = Number.parseInt(zoneName.slice(3), 10) * 3600;
      return { epochSec: wall, nsec, offsetSec: offset };
    }
    return { epochSec: wall, nsec, offsetSec: 0 };
  }
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
  return civilFromEpoch(t.epochSec + t.offsetSec).year;
}

function isYearZero(t: GoTimeValue): boolean {
  const local = t.epochSec + t.offsetSec;
  return local >= YEAR0_START_SEC && local < YEAR1_START_SEC;
}

/** Go's `t.AddDate(years, 0, 0)` in t's zone: Feb 29 into a non-leap year becomes Mar 1. */
export function addGoYears(t: GoTimeValue, years: number): GoTimeValue {
  const local = civilFromEpoch(t.epochSec + t.offsetSec);
  const wall = daysFromCivil(local.year + years, local.month, local.day) * 86400 + local.secOfDay;
  return { epochSec: wall - t.offsetSec, nsec: t.nsec, offsetSec: t.offsetSec };
}

/** A GoTimeValue for a millisecond instant, shown at a fixed offset (UTC by default). */
export function goTimeFromEpochMs(epochMs: number, offsetSec = 0): GoTimeValue {
  const epochSec = Math.floor(epochMs / 1000);
  return { epochSec, nsec: Math.round((epochMs - epochSec * 1000) * 1e6), offsetSec };
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

function utcYear(ms: number): number {
  if (ms >= cachedYearStartMs && ms < cachedYearEndMs) return cachedYear;
  const year = civilFromEpoch(Math.floor(ms / 1000)).year;
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
  return formatCivil(t, civilFromEpoch(t.epochSec + t.offsetSec), nanos);
}

function formatCivil(t: GoTimeValue, civil: Civil, nanos: boolean): string {
  const { year, month, day, secOfDay } = civil;
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
  const civil = civilFromEpoch(t.epochSec + t.offsetSec);
  if (civil.year < 0 || civil.year > 9999) return null;
  if (t.offsetSec !== 0 && Math.floor(Math.abs(Math.trunc(t.offsetSec / 60)) / 60) >= 24) return null;
  return formatCivil(t, civil, true);
}
