/**
 * Request bodies read the way CrowdSec's handlers read them (gin's ShouldBindJSON, i.e. Go's
 * json.Decoder): the first JSON value of the body is decoded and anything after it is ignored; a
 * body that is not JSON gets Go's own error text (`invalid character 'n' looking for beginning
 * of object key string`, `unexpected EOF`, `EOF`), which clients show as `API error: …`.
 */

export type GoJsonRead = { ok: true; value: unknown } | { ok: false; message: string };

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Decodes the first JSON value of `bytes` as json.Decoder.Decode does. */
export function readGoJson(bytes: Uint8Array): GoJsonRead {
  const scan = scanFirstValue(bytes);
  if (!scan.ok) return scan;
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes.subarray(scan.start, scan.end))) };
  } catch (e) {
    // the scanner accepted it, so JSON.parse can only disagree on exotic input
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** How Go's UnmarshalTypeError names a JSON value: `object`, `array`, `string`, `number`, `bool`. */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

type Scan = { ok: true; start: number; end: number } | { ok: false; message: string };

class SyntaxFailure {
  constructor(readonly message: string) {}
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Go's quoteChar: the offending byte, quoted for the message. */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const special: Record<number, string> = { 0x07: "\\a", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v", 0x5c: "\\\\" };
  const s = special[c];
  if (s) return `'${s}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  // a byte >= 0x80 is shown as the rune of the same number; strconv.Quote escapes the unprintable ones
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

function scanFirstValue(b: Uint8Array): Scan {
  let i = 0;
  const n = b.length;
  const fail = (context: string): never => {
    throw new SyntaxFailure(`invalid character ${goQuoteChar(b[i]!)} ${context}`);
  };
  const eof = (): never => {
    throw new SyntaxFailure("unexpected EOF");
  };
  const skipWs = () => {
    while (i < n && WS.has(b[i]!)) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n) eof();
      if (b[i] !== word.charCodeAt(k)) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
  const number = () => {
    if (b[i] === 0x2d) {
      i++;
      if (i >= n) eof();
      if (!isDigit(b[i])) fail("in numeric literal");
    }
    if (b[i] === 0x30) i++;
    else while (isDigit(b[i])) i++;
    if (b[i] === 0x2e) {
      i++;
      if (i >= n) eof();
      if (!isDigit(b[i])) fail("after decimal point in numeric literal");
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (i >= n) eof();
      if (!isDigit(b[i])) fail("in exponent of numeric literal");
      while (isDigit(b[i])) i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= n) eof();
      const c = b[i]!;
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail("in string literal");
      if (c === 0x5c) {
        i++;
        if (i >= n) eof();
        const e = b[i]!;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) eof();
            const h = b[i]!;
            const hex = (h >= 0x30 && h <= 0x39) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46);
            if (!hex) fail("in \\u hexadecimal character escape");
          }
        } else if (!"\"\\/bfnrt".includes(String.fromCharCode(e))) fail("in string escape code");
      }
      i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > 10000) throw new SyntaxFailure("exceeded max depth");
    if (i >= n) eof();
    const c = b[i]!;
    if (c === 0x7b) {
      i++;
      skipWs();
      if (i >= n) eof();
      if (b[i] === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        if (b[i] !== 0x22) fail("looking for beginning of object key string");
        string();
        skipWs();
        if (i >= n) eof();
        if (b[i] !== 0x3a) fail("after object key");
        i++;
        skipWs();
        value(depth + 1);
        skipWs();
        if (i >= n) eof();
        if (b[i] === 0x7d) {
          i++;
          return;
        }
        if (b[i] !== 0x2c) fail("after object key:value pair");
        i++;
        skipWs();
        if (i >= n) eof();
      }
    }
    if (c === 0x5b) {
      i++;
      skipWs();
      if (i >= n) eof();
      if (b[i] === 0x5d) {
        i++;
        return;
      }
      for (;;) {
        skipWs();
        value(depth + 1);
        skipWs();
        if (i >= n) eof();
        if (b[i] === 0x5d) {
          i++;
          return;
        }
        if (b[i] !== 0x2c) fail("after array element");
        i++;
        skipWs();
      }
    }
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) return literal("true");
    if (c === 0x66) return literal("false");
    if (c === 0x6e) return literal("null");
    fail("looking for beginning of value");
  };
  try {
    skipWs();
    if (i >= n) return { ok: false, message: "EOF" };
    const start = i;
    value(0);
    return { ok: true, start, end: i };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, message: e.message };
    throw e;
  }
}
