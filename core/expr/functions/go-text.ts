/**
 * Go's view of text, for helpers that must answer as Go's strings, unicode and strconv
 * packages do: Go strings are UTF-8 bytes, ours are UTF-16, so byte offsets, "one byte"
 * wildcards and white space need explicit code.
 */

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

export function utf8Encode(s: string): Uint8Array {
  return ENCODER.encode(s);
}

/** Invalid sequences become U+FFFD, as everywhere else in the engine (see EVENT.md). */
export function utf8Decode(bytes: Uint8Array): string {
  return DECODER.decode(bytes);
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** UTF-8 length of s[from, to): what Go's len() and byte indexes count. */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Number of code points (Go runes) in s. */
export function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Go unicode.IsSpace: Latin-1 spaces plus the White_Space property; unlike JS trim, no U+FEFF. */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** Go strings.TrimSpace. */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s.charCodeAt(start))) start++;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Go strings.Fields: runs of non-space code points. */
export function goFields(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const space = isGoSpace(s.charCodeAt(i)); // every space is in the BMP
    if (space) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

// Go maps case with Unicode's simple (one code point) mappings; JS applies SpecialCasing
// too, expanding "ß" to "SS" and lower-casing a final sigma to "ς". These tables give Go's
// answer for the code points where JS expands.
function simpleUpperOfExpanding(cp: number): number {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) return cp + 8;
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return cp + 9;
  return cp; // ß, ŉ, ǰ, ﬀ … have no single-code-point upper case in Go either
}

function mapCodePoints(s: string, upper: boolean): string {
  let out = "";
  for (const ch of s) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    const cp = ch.codePointAt(0)!;
    if (mapped.length === ch.length || (mapped.length === 2 && mapped.codePointAt(0)! > 0xffff)) {
      out += mapped;
    } else if (upper) {
      out += String.fromCodePoint(simpleUpperOfExpanding(cp));
    } else {
      out += cp === 0x130 ? "i" : ch; // "İ" lower-cases to "i" in Go, to "i̇" in JS
    }
  }
  return out;
}

/** Go strings.ToUpper. */
export function goToUpper(s: string): string {
  const up = s.toUpperCase();
  if (up.length === s.length) return up; // no expansion happened: identical to Go
  return mapCodePoints(s, true);
}

/** Go strings.ToLower. */
export function goToLower(s: string): string {
  const low = s.toLowerCase();
  if (low.length === s.length && s.indexOf("Σ") < 0) return low;
  return mapCodePoints(s, false);
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go strconv.IsPrint. */
export function isGoPrint(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function quoteRuneInto(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return "\\" + String.fromCharCode(cp);
  if (asciiOnly ? cp < 0x80 && isGoPrint(cp) : isGoPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07: return "\\a";
    case 0x08: return "\\b";
    case 0x0c: return "\\f";
    case 0x0a: return "\\n";
    case 0x0d: return "\\r";
    case 0x09: return "\\t";
    case 0x0b: return "\\v";
  }
  if (cp < 0x20 || cp === 0x7f) return "\\x" + hex(cp, 2);
  if (cp >= 0xd800 && cp <= 0xdfff) return "\\ufffd"; // a lone surrogate is invalid UTF-8 in Go
  if (cp < 0x10000) return "\\u" + hex(cp, 4);
  return "\\U" + hex(cp, 8);
}

/** Go strconv.Quote (or QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += quoteRuneInto(ch.codePointAt(0)!, 0x22, asciiOnly);
  return out + '"';
}

/** Go strconv.QuoteRune (or QuoteRuneToASCII). */
export function goQuoteRune(cp: number, asciiOnly = false): string {
  const r = cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0 ? 0xfffd : cp;
  return "'" + quoteRuneInto(r, 0x27, asciiOnly) + "'";
}

/** Go strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x60 || cp === 0xfeff || (cp < 0x20 && cp !== 0x09) || cp === 0x7f) return false;
  }
  return true;
}
