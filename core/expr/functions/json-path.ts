/**
 * The lookup of buger/jsonparser Get (v1.1/v1.2), which JsonExtract* use upstream: a scanner
 * that never validates the whole document, only walks to the requested key path. Its
 * leniency is observable (JsonExtract on a truncated line still finds early keys), so it is
 * reproduced rather than replaced by JSON.parse. Positions are UTF-16 offsets: every byte the
 * scanner looks at is ASCII, so they walk the same way as upstream's byte offsets.
 */
import { ExprRuntimeError } from "../errors";
import { utf8Decode, utf8Encode } from "./go-text";

export type JsonType = "string" | "number" | "object" | "array" | "boolean" | "null";

export type JsonGet =
  | { ok: true; type: JsonType; /** Raw text; for strings, between the quotes and still escaped. */ value: string }
  | { ok: false; notFound: boolean };

const NOT_FOUND: JsonGet = { ok: false, notFound: true };
const MALFORMED: JsonGet = { ok: false, notFound: false };

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function nextToken(data: string, from: number): number {
  for (let i = from; i < data.length; i++) if (!isWs(data.charCodeAt(i))) return i;
  return -1;
}

/** End (exclusive) of a string whose opening quote precedes `from`; and whether it held a backslash. */
function stringEnd(data: string, from: number): { end: number; escaped: boolean } {
  let escaped = false;
  for (let i = from; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 34) {
      if (!escaped) return { end: i + 1, escaped: false };
      let j = i - 1;
      for (;;) {
        if (j < from || data.charCodeAt(j) !== 92) return { end: i + 1, escaped: true };
        j--;
        if (j < from || data.charCodeAt(j) !== 92) break;
        j--;
      }
    } else if (c === 92) escaped = true;
  }
  return { end: -1, escaped };
}

/** End (exclusive) of the block opening at `from`, or -1. */
function blockEnd(data: string, from: number, open: number, close: number): number {
  let level = 0;
  for (let i = from; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 34) {
      const se = stringEnd(data, i + 1);
      if (se.end === -1) return -1;
      i = se.end - 1;
    } else if (c === open) level++;
    else if (c === close) {
      level--;
      if (level === 0) return i + 1;
    }
  }
  return -1;
}

function tokenEnd(data: string, from: number): number {
  for (let i = from; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 125 || c === 93) return i;
  }
  return data.length;
}

/** The value starting at `offset`: [start, end) and type, as jsonparser getType. */
function valueAt(data: string, offset: number): { end: number; type: JsonType } | undefined {
  const c = data.charCodeAt(offset);
  if (c === 34) {
    const se = stringEnd(data, offset + 1);
    return se.end === -1 ? undefined : { end: se.end, type: "string" };
  }
  if (c === 91) {
    const e = blockEnd(data, offset, 91, 93);
    return e === -1 ? undefined : { end: e, type: "array" };
  }
  if (c === 123) {
    const e = blockEnd(data, offset, 123, 125);
    return e === -1 ? undefined : { end: e, type: "object" };
  }
  const end = tokenEnd(data, offset);
  const token = data.slice(offset, end);
  if (c === 116 || c === 102) return token === "true" || token === "false" ? { end, type: "boolean" } : undefined;
  if (c === 117 || c === 110) return token === "null" ? { end, type: "null" } : undefined;
  if ((c >= 48 && c <= 57) || c === 45) return { end, type: "number" };
  return undefined;
}

/** Start of the `index`-th element of the array opening at `from` (jsonparser ArrayEach), or -1. */
function arrayElement(data: string, from: number, index: number): number {
  let offset = nextToken(data, from + 1);
  if (offset === -1 || data.charCodeAt(offset) === 93) return -1;
  for (let cur = 0; ; cur++) {
    const start = nextToken(data, offset);
    if (start === -1) return -1;
    const v = valueAt(data, start);
    if (!v) return -1;
    if (cur === index) return start;
    offset = nextToken(data, v.end);
    if (offset === -1 || data.charCodeAt(offset) !== 44) return -1;
    offset++;
  }
}

/** Offset just after the key path (before its value), or -1: jsonparser searchKeys. */
function searchKeys(data: string, start: number, end: number, keys: readonly string[], k0: number): number {
  const lk = keys.length - k0;
  if (lk === 0) return start;
  let keyLevel = 0;
  let level = 0;
  let lastMatched = true;
  for (let i = start; i < end; i++) {
    const c = data.charCodeAt(i);
    if (c === 34) {
      i++;
      const keyBegin = i;
      const se = stringEnd(data, i);
      if (se.end === -1 || se.end > end) return -1;
      i = se.end;
      const keyEnd = i - 1;
      const vo = nextToken(data, i);
      if (vo === -1 || vo >= end) return -1;
      i = vo;
      if (data.charCodeAt(i) === 58) {
        if (level < 1) return -1;
        let key = data.slice(keyBegin, keyEnd);
        if (se.escaped) {
          const u = unescapeJsonString(key);
          if (u === undefined) return -1;
          key = u;
        }
        if (level <= lk) {
          if (key === keys[k0 + level - 1]) {
            lastMatched = true;
            if (keyLevel === level - 1) {
              keyLevel++;
              if (keyLevel === lk) return i + 1;
            }
          } else lastMatched = false;
        } else return -1;
      } else i--;
    } else if (c === 123) {
      if (!lastMatched) {
        const e = blockEnd(data, i, 123, 125);
        if (e === -1) return -1;
        i = e - 1;
      } else level++;
    } else if (c === 125) {
      level--;
      if (level === keyLevel) keyLevel--;
    } else if (c === 91) {
      const key = keys[k0 + level];
      if (keyLevel === level && key !== undefined && key.length === 0) {
        // upstream indexes keys[level][0] on an empty key: a Go panic, so a run-time error
        throw new ExprRuntimeError("runtime error: index out of range [0] with length 0");
      }
      if (keyLevel === level && key !== undefined && key.charCodeAt(0) === 91) {
        if (key.length < 3 || key.charCodeAt(key.length - 1) !== 93) return -1;
        const index = parseGoAtoi(key.slice(1, -1));
        if (index === undefined) return -1;
        const elem = arrayElement(data, i, index);
        if (elem === -1) return -1;
        const v = valueAt(data, elem)!;
        const sub = searchKeys(data, elem, v.end, keys, k0 + level + 1);
        return sub < 0 ? -1 : sub;
      }
      const e = blockEnd(data, i, 91, 93);
      if (e === -1) return -1;
      i = e - 1;
    } else if (c === 58) return -1;
  }
  return -1;
}

const ATOI = /^[+-]?\d+$/;

/** Go strconv.Atoi: optional sign, decimal digits only. */
function parseGoAtoi(s: string): number | undefined {
  return ATOI.test(s) ? Number(s) : undefined;
}

/** jsonparser.Get(data, keys...). */
export function jsonGet(data: string, keys: readonly string[]): JsonGet {
  let offset = 0;
  if (keys.length > 0) {
    offset = searchKeys(data, 0, data.length, keys, 0);
    if (offset === -1) return NOT_FOUND;
  }
  const start = nextToken(data, offset);
  if (start === -1) return MALFORMED;
  const v = valueAt(data, start);
  if (!v) return MALFORMED;
  if (v.type === "string") return { ok: true, type: "string", value: data.slice(start + 1, v.end - 1) };
  return { ok: true, type: v.type, value: data.slice(start, v.end) };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function hex4(s: string, at: number): number {
  if (at + 4 > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** jsonparser Unescape of a string body; undefined on a malformed escape. */
export function unescapeJsonString(s: string): string | undefined {
  if (!s.includes("\\")) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const bs = s.indexOf("\\", i);
    if (bs < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, bs);
    const e = s[bs + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i = bs + 2;
      continue;
    }
    if (e !== "u") return undefined;
    const r = hex4(s, bs + 2);
    if (r < 0) return undefined;
    if (r < 0xd800 || r > 0xdfff) {
      out += String.fromCharCode(r);
      i = bs + 6;
      continue;
    }
    // a surrogate needs a following \uXXXX >= DC00; upstream does not check it is <= DFFF
    if (s[bs + 6] !== "\\" || s[bs + 7] !== "u") return undefined;
    const r2 = hex4(s, bs + 8);
    if (r2 < 0xdc00) return undefined;
    const cp = 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00);
    out += cp > 0x10ffff || r > 0xdbff || r2 > 0xdfff ? "\ufffd" : String.fromCodePoint(cp);
    i = bs + 12;
  }
  return out;
}

/** Round-trips text through UTF-8 so lone surrogates read as Go would hold them (U+FFFD). */
export function goString(s: string): string {
  return utf8Decode(utf8Encode(s));
}
