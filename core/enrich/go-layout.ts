/**
 * Go layouts split into elements, as Go's nextStdChunk does: which parts of "02/Jan/2006:15:04:05
 * -0700" are fields and which are literal text. Runs once per layout, at load time.
 */

// Layout elements, in the spirit of Go's std* constants. Numbers, not strings: the parse loop
// switches on them per element.
export const LIT = 0;
export const LONG_MONTH = 1; // January
export const MONTH = 2; // Jan
export const NUM_MONTH = 3; // 1
export const ZERO_MONTH = 4; // 01
export const LONG_WEEKDAY = 5; // Monday
export const WEEKDAY = 6; // Mon
export const DAY = 7; // 2
export const UNDER_DAY = 8; // _2
export const ZERO_DAY = 9; // 02
export const UNDER_YDAY = 10; // __2
export const ZERO_YDAY = 11; // 002
export const HOUR = 12; // 15
export const HOUR12 = 13; // 3
export const ZERO_HOUR12 = 14; // 03
export const MINUTE = 15; // 4
export const ZERO_MINUTE = 16; // 04
export const SECOND = 17; // 5
export const ZERO_SECOND = 18; // 05
export const LONG_YEAR = 19; // 2006
export const YEAR = 20; // 06
export const PM_UPPER = 21; // PM
export const PM_LOWER = 22; // pm
export const TZ_NAME = 23; // MST
export const ISO_TZ = 24; // Z0700
export const ISO_SECONDS_TZ = 25; // Z070000
export const ISO_SHORT_TZ = 26; // Z07
export const ISO_COLON_TZ = 27; // Z07:00
export const ISO_COLON_SECONDS_TZ = 28; // Z07:00:00
export const NUM_TZ = 29; // -0700
export const NUM_SECONDS_TZ = 30; // -070000
export const NUM_SHORT_TZ = 31; // -07
export const NUM_COLON_TZ = 32; // -07:00
export const NUM_COLON_SECONDS_TZ = 33; // -07:00:00
export const FRAC0 = 34; // .000 (exact digit count)
export const FRAC9 = 35; // .999 (optional, any digit count)
export const END = 36;

/** One element of a compiled layout; every op has the same shape so the parse loop stays monomorphic. */
export interface Op {
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

export const CC_0 = 48;
export const CC_9 = 57;
export const CC_SPACE = 32;
export const CC_DOT = 46;
export const CC_COMMA = 44;
export const CC_PLUS = 43;
export const CC_MINUS = 45;
export const CC_COLON = 58;
export const CC_Z = 90;

export function isDigitAt(s: string, i: number): boolean {
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

/** The elements of a layout, in order, ending with END. */
export function compileLayoutOps(layout: string): Op[] {
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
  return ops;
}
