// Character sets as sorted, merged, inclusive code point ranges [lo0, hi0, lo1, hi1, …],
// the representation RE2 itself uses for classes. All classes here are RE2's ASCII ones.

export type Ranges = number[];

export const MAX_RUNE = 0x10ffff;

/** Sorts and merges overlapping or adjacent ranges in place; returns the same array. */
export function cleanRanges(r: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i], r[i + 1]]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  r.length = 0;
  for (const [lo, hi] of pairs) {
    const n = r.length;
    if (n > 0 && lo <= r[n - 1] + 1) {
      if (hi > r[n - 1]) r[n - 1] = hi;
    } else r.push(lo, hi);
  }
  return r;
}

export function negateRanges(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) out.push(next, r[i] - 1);
    next = r[i + 1] + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

export function rangesContain(r: Ranges, cp: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (cp >= r[i] && cp <= r[i + 1]) return true;
  return false;
}

export function rangesIntersect(a: Ranges, b: Ranges): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1] < b[j]) i += 2;
    else if (b[j + 1] < a[i]) j += 2;
    else return true;
  }
  return false;
}

export function unionRanges(a: Ranges, b: Ranges): Ranges {
  return cleanRanges([...a, ...b]);
}

// RE2 simple case folding pairs only leave ASCII for k (U+212A KELVIN SIGN) and s (U+017F LONG S).
const ASCII_FOLD_EXTRA: Record<number, number> = { 0x6b: 0x212a, 0x4b: 0x212a, 0x73: 0x17f, 0x53: 0x17f };

/**
 * Adds the case variants of ASCII letters, as RE2's (?i) does. Returns false when the set holds
 * non-ASCII characters, whose Unicode fold orbits this module leaves to the linear engine.
 */
export function foldAsciiRanges(r: Ranges): boolean {
  const extra: Ranges = [];
  for (let i = 0; i < r.length; i += 2) {
    const lo = r[i];
    const hi = r[i + 1];
    if (hi >= 0x80) return false;
    addShifted(extra, lo, hi, 0x41, 0x5a, 0x20);
    addShifted(extra, lo, hi, 0x61, 0x7a, -0x20);
    for (const k of [0x4b, 0x6b, 0x53, 0x73]) if (k >= lo && k <= hi) extra.push(ASCII_FOLD_EXTRA[k], ASCII_FOLD_EXTRA[k]);
  }
  r.push(...extra);
  cleanRanges(r);
  return true;
}

function addShifted(out: Ranges, lo: number, hi: number, from: number, to: number, delta: number): void {
  const a = Math.max(lo, from);
  const b = Math.min(hi, to);
  if (a <= b) out.push(a + delta, b + delta);
}

/** The case orbit of one code point under RE2 (?i), or null when it is not ASCII and cased. */
export function foldRune(cp: number): Ranges | null {
  if (cp < 0x80) {
    const r: Ranges = [cp, cp];
    foldAsciiRanges(r);
    return r;
  }
  const s = String.fromCodePoint(cp);
  return s.toLowerCase() === s && s.toUpperCase() === s && cp !== 0x212a && cp !== 0x17f ? [cp, cp] : null;
}

export const DIGIT: Ranges = [0x30, 0x39];
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
export const SPACE: Ranges = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20];

/** Perl classes as RE2 defines them: ASCII only, `\s` without `\v`. */
export const PERL_CLASSES: Record<string, Ranges> = { d: DIGIT, w: WORD, s: SPACE };

/** POSIX classes inside brackets, `[[:alpha:]]`. */
export const POSIX_CLASSES: Record<string, Ranges> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};
