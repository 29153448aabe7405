/**
 * String helpers: the Go strings wrappers of upstream pkg/exprhelpers/strings.go and
 * helpers.go (Upper, Split, Sprintf, Match, Atof, B64Decode, …), with Go's byte-oriented
 * answers where they differ from JS (Index counts UTF-8 bytes, Match's "?" is one byte).
 */
import { hostname } from "node:os";
import { ExprRuntimeError } from "../errors";
import { asInt, asString, asStringArray } from "./args";
import { goSprintf } from "./go-fmt";
import { goFields, goToLower, goToUpper, goTrimSpace, isAscii, runeCount, utf8Decode, utf8Encode, utf8Length } from "./go-text";
import type { HelperDef } from "./types";

/** Go strings.Index semantics on UTF-16 text, converted to a UTF-8 byte offset. */
function byteIndex(s: string, at: number): number {
  return at < 0 ? -1 : utf8Length(s, 0, at);
}

/** Go explode: the first n-1 code points one by one, then the rest. */
function explode(s: string, n: number): string[] {
  const l = runeCount(s);
  if (n < 0 || n > l) n = l;
  const out: string[] = [];
  let i = 0;
  while (out.length < n - 1) {
    const width = s.codePointAt(i)! > 0xffff ? 2 : 1;
    out.push(s.slice(i, i + width));
    i += width;
  }
  if (n > 0) out.push(s.slice(i));
  return out;
}

function countOccurrences(s: string, sep: string): number {
  let n = 0;
  for (let i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, i + sep.length)) n++;
  return n;
}

/** Go genSplit: Split, SplitN, SplitAfter, SplitAfterN. */
export function goSplit(s: string, sep: string, keepSep: boolean, n: number): string[] {
  if (n === 0) return [];
  if (sep === "") return explode(s, n);
  if (n < 0) n = countOccurrences(s, sep) + 1;
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const m = rest.indexOf(sep);
    if (m < 0) break;
    out.push(rest.slice(0, keepSep ? m + sep.length : m));
    rest = rest.slice(m + sep.length);
  }
  out.push(rest);
  return out;
}

/** Go strings.Replace. */
export function goReplace(s: string, from: string, to: string, n: number): string {
  if (from === to || n === 0) return s;
  const m = from === "" ? runeCount(s) + 1 : countOccurrences(s, from);
  if (m === 0) return s;
  if (n < 0 || m < n) n = m;
  let out = "";
  let start = 0;
  for (let i = 0; i < n; i++) {
    let j = start;
    if (from === "") {
      if (i > 0) j += s.codePointAt(start)! > 0xffff ? 2 : 1;
    } else j = s.indexOf(from, start);
    out += s.slice(start, j) + to;
    start = j + from.length;
  }
  return out + s.slice(start);
}

function cutsetOf(cutset: string): Set<number> {
  const set = new Set<number>();
  for (const ch of cutset) set.add(ch.codePointAt(0)!);
  return set;
}

/** Go strings.Trim / TrimLeft / TrimRight: cutset is a set of code points. */
export function goTrim(s: string, cutset: string, left: boolean, right: boolean): string {
  if (s === "" || cutset === "") return s;
  const set = cutsetOf(cutset);
  let start = 0;
  let end = s.length;
  if (left) {
    while (start < end) {
      const cp = s.codePointAt(start)!;
      if (!set.has(cp)) break;
      start += cp > 0xffff ? 2 : 1;
    }
  }
  if (right) {
    while (end > start) {
      let at = end - 1;
      const low = s.charCodeAt(at);
      if (low >= 0xdc00 && low <= 0xdfff && at > start) {
        const high = s.charCodeAt(at - 1);
        if (high >= 0xd800 && high <= 0xdbff) at--;
      }
      if (!set.has(s.codePointAt(at)!)) break;
      end = at;
    }
  }
  return s.slice(start, end);
}

function goIndexAny(s: string, chars: string): number {
  if (chars === "") return -1;
  const set = cutsetOf(chars);
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    if (set.has(cp)) return utf8Length(s, 0, i);
    i += cp > 0xffff ? 2 : 1;
  }
  return -1;
}

type Units = string | Uint8Array;

function unitAt(u: Units, i: number): number {
  return typeof u === "string" ? u.charCodeAt(i) : u[i]!;
}

/** Classic "*" / "?" wildcard match, "?" being one unit. */
function wildcard(p: Units, n: Units): boolean {
  let pi = 0;
  let ni = 0;
  let starP = -1;
  let starN = 0;
  while (ni < n.length) {
    if (pi < p.length && unitAt(p, pi) === 42) {
      starP = pi++;
      starN = ni;
    } else if (pi < p.length && (unitAt(p, pi) === 63 || unitAt(p, pi) === unitAt(n, ni))) {
      pi++;
      ni++;
    } else if (starP >= 0) {
      pi = starP + 1;
      ni = ++starN;
    } else return false;
  }
  while (pi < p.length && unitAt(p, pi) === 42) pi++;
  return pi === p.length;
}

/**
 * Upstream Match (helpers.go) is a recursive glob over bytes whose only departure from the
 * usual one is at the end of the name: what is left of the pattern must be "" or a single
 * "*". So "a*" matches "a" but "a**" does not, and "**" matches "x" but not "".
 * With k ≥ 2 trailing stars, that means the part before them must leave at least one byte.
 */
export function goGlobMatch(pattern: string, name: string): boolean {
  if (pattern === "") return name === "";
  const ascii = isAscii(pattern) && isAscii(name);
  let head = pattern.length;
  while (head > 0 && pattern.charCodeAt(head - 1) === 42) head--;
  const p = pattern.length - head >= 2 ? pattern.slice(0, head) + "?*" : pattern;
  return ascii ? wildcard(p, name) : wildcard(utf8Encode(p), utf8Encode(name));
}

// Go strconv.ParseFloat syntax: decimal, hexadecimal with a p exponent, inf/infinity/nan.
const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]_?([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*\.?(?:[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)?|\.[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)[pP]([+-]?\d+(?:_\d+)*)$/;
const SPECIAL_FLOAT = /^(?:([+-]?)(inf|infinity)|nan)$/i;

/** Go strconv.ParseFloat(s, 64): the value, or undefined on a syntax error (range errors give ±Inf or 0). */
export function goParseFloat(s: string): number | undefined {
  const special = SPECIAL_FLOAT.exec(s);
  if (special) {
    if (special[2] === undefined) return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (DECIMAL_FLOAT.test(s)) return Number(s);
  const hex = HEX_FLOAT.exec(s);
  if (hex) {
    const mantissa = hex[2]!.replace(/_/g, "");
    const point = mantissa.indexOf(".");
    const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
    const fracDigits = point < 0 ? 0 : mantissa.length - point - 1;
    const v = Number.parseInt(digits || "0", 16) * 2 ** (Number(hex[3]!.replace(/_/g, "")) - 4 * fracDigits);
    return hex[1] === "-" ? -v : v;
  }
  return undefined;
}

const NEWLINES = /[\r\n]/g;
const NOT_BASE64 = /[^A-Za-z0-9+/]/;

/** Go base64.StdEncoding.DecodeString: padding required, \r and \n ignored. */
export function goBase64Decode(encoded: string): string | ExprRuntimeError {
  const s = encoded.includes("\r") || encoded.includes("\n") ? encoded.replace(NEWLINES, "") : encoded;
  let body = s;
  let pad = 0;
  while (pad < 2 && body.endsWith("=")) {
    body = body.slice(0, -1);
    pad++;
  }
  // Go reports the offset of the first bad byte; ours points at the first character that
  // cannot be part of valid input, which is the same place for the usual mistakes.
  const invalid = body.search(NOT_BASE64);
  const rem = body.length % 4;
  if (invalid >= 0) return new ExprRuntimeError(`illegal base64 data at input byte ${invalid}`);
  if ((pad > 0 && rem + pad !== 4) || (pad === 0 && rem !== 0)) {
    return new ExprRuntimeError(`illegal base64 data at input byte ${body.length - rem}`);
  }
  return utf8Decode(Buffer.from(body, "base64"));
}

function one(name: string, signature: string, fn: (a: unknown) => unknown, pure?: true): HelperDef {
  return { name, signatures: [signature], make: () => fn, pure };
}

function two(name: string, signature: string, fn: (a: unknown, b: unknown) => unknown, pure?: true): HelperDef {
  return { name, signatures: [signature], make: () => fn, pure };
}

export const STRING_HELPERS: readonly HelperDef[] = [
  one("Upper", "func(string) string", (s) => goToUpper(asString(s)), true),
  one("Lower", "func(string) string", (s) => goToLower(asString(s)), true),
  one("TrimSpace", "func(string) string", (s) => goTrimSpace(asString(s)), true),
  two("Trim", "func(string, string) string", (s, c) => goTrim(asString(s), asString(c), true, true)),
  two("TrimLeft", "func(string, string) string", (s, c) => goTrim(asString(s), asString(c), true, false)),
  two("TrimRight", "func(string, string) string", (s, c) => goTrim(asString(s), asString(c), false, true)),
  two("TrimPrefix", "func(string, string) string", (s, p) => {
    const str = asString(s);
    const prefix = asString(p);
    return prefix !== "" && str.startsWith(prefix) ? str.slice(prefix.length) : str;
  }),
  two("TrimSuffix", "func(string, string) string", (s, p) => {
    const str = asString(s);
    const suffix = asString(p);
    return suffix !== "" && str.endsWith(suffix) ? str.slice(0, str.length - suffix.length) : str;
  }),
  two("Split", "func(string, string) []string", (s, sep) => goSplit(asString(s), asString(sep), false, -1)),
  two("SplitAfter", "func(string, string) []string", (s, sep) => goSplit(asString(s), asString(sep), true, -1)),
  {
    name: "SplitN",
    signatures: ["func(string, string, int) []string"],
    make: () => (s, sep, n) => goSplit(asString(s), asString(sep), false, asInt(n)),
  },
  {
    name: "SplitAfterN",
    signatures: ["func(string, string, int) []string"],
    make: () => (s, sep, n) => goSplit(asString(s), asString(sep), true, asInt(n)),
  },
  one("Fields", "func(string) []string", (s) => goFields(asString(s))),
  two("Join", "func([]string, string) string", (a, sep) => asStringArray(a).join(asString(sep))),
  two("Index", "func(string, string) int", (s, sub) => {
    const str = asString(s);
    return byteIndex(str, str.indexOf(asString(sub)));
  }),
  two("IndexAny", "func(string, string) int", (s, chars) => goIndexAny(asString(s), asString(chars))),
  {
    name: "Replace",
    signatures: ["func(string, string, string, int) string"],
    make: () => (s, from, to, n) => goReplace(asString(s), asString(from), asString(to), asInt(n)),
  },
  {
    name: "ReplaceAll",
    signatures: ["func(string, string, string) string"],
    make: () => (s, from, to) => goReplace(asString(s), asString(from), asString(to), -1),
  },
  {
    name: "Sprintf",
    signatures: ["func(string, ...any) string"],
    make: () => (format, ...args) => goSprintf(asString(format), args),
  },
  two("Match", "func(string, string) bool", (p, n) => goGlobMatch(asString(p), asString(n))),
  one("ToString", "func(any) string", (v) => (typeof v === "string" ? v : "")),
  two("Get", "func([]string, int) string", (a, i) => {
    const arr = asStringArray(a);
    const index = asInt(i);
    if (index >= arr.length) return "";
    if (index < 0) throw new ExprRuntimeError(`runtime error: index out of range [${index}]`);
    return arr[index];
  }),
  {
    name: "Atof",
    signatures: ["func(string) float64"],
    make: (ctx) => (s) => {
      const text = asString(s);
      const v = goParseFloat(text);
      if (v === undefined) {
        ctx.warn?.(`Atof : can't convert float '${text}' : strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
        return 0;
      }
      return v;
    },
  },
  one("B64Decode", "func(string) string", (s) => {
    const out = goBase64Decode(asString(s));
    if (out instanceof ExprRuntimeError) throw out;
    return out;
  }),
  {
    name: "LogInfo",
    signatures: ["func(string, ...any) bool"],
    make: (ctx) => (format, ...args) => {
      const line = goSprintf(asString(format), args);
      (ctx.info ?? ctx.warn)?.(line);
      return true;
    },
  },
  {
    name: "Hostname",
    signatures: ["func() (string, error)"],
    make: () => () => hostname(),
  },
];
