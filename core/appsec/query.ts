/**
 * Percent-decoding and query strings as CrowdSec reads them (pkg/exprhelpers/waf.go ParseQuery):
 * only `&` separates, `+` is a space, a malformed `%` sequence is kept literally, empty pieces are
 * skipped and repeated keys keep every value in arrival order. Go works on bytes; decoded bytes
 * are read back as UTF-8 here (an invalid sequence becomes U+FFFD).
 */

const DECODER = new TextDecoder("utf-8");

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** `%XX` → byte and `+` → space; anything malformed stays as written (never fails). */
export function unescapeQuery(input: string, plusIsSpace = true): string {
  if (input.indexOf("%") < 0 && (!plusIsSpace || input.indexOf("+") < 0)) return input;
  const bytes = new TextEncoder().encode(input);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x2b && plusIsSpace) {
      out[n++] = 0x20;
      continue;
    }
    if (c === 0x25 && i + 2 < bytes.length) {
      const hi = hexValue(bytes[i + 1]!);
      const lo = hi < 0 ? -1 : hexValue(bytes[i + 2]!);
      if (lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = c;
  }
  return DECODER.decode(out.subarray(0, n));
}

/** Ordered key/value pairs: a Go url.Values that remembers arrival order across keys. */
export interface Pairs {
  readonly keys: string[];
  readonly values: string[];
}

export function emptyPairs(): Pairs {
  return { keys: [], values: [] };
}

/** Appends the pairs of `query` to `into` (lenient, as ParseQuery). */
export function parseQueryInto(into: Pairs, query: string): Pairs {
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    if (end > start) {
      const piece = query.slice(start, end);
      const eq = piece.indexOf("=");
      into.keys.push(unescapeQuery(eq < 0 ? piece : piece.slice(0, eq)));
      into.values.push(eq < 0 ? "" : unescapeQuery(piece.slice(eq + 1)));
    }
    start = end + 1;
  }
  return into;
}

export function parseQuery(query: string): Pairs {
  return parseQueryInto(emptyPairs(), query);
}
