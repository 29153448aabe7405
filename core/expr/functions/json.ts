/**
 * JSON helpers (upstream pkg/exprhelpers/jsonextract.go): the JsonExtract family walks the
 * text as buger/jsonparser does (json-path.ts); UnmarshalJSON and JsonExtractSlice/Object
 * decode strictly like encoding/json; ToJsonString encodes like json.Marshal (sorted map
 * keys, HTML-safe escapes).
 */
import { ExprRuntimeError } from "../errors";
import { eventWrites } from "../writes";
import { GoTime } from "../time";
import { STRUCT_TYPE, type StructType } from "../types";
import { asMap, asString } from "./args";
import { jsonGet, unescapeJsonString, goString, type JsonType } from "./json-path";
import type { HelperDef } from "./types";

/** JsonExtract's path: "a.b[0].c" → ["a", "b", "[0]", "c"] ("[" gets a "." unless first). */
export function jsonExtractKeys(target: string): string[] {
  const path = target.startsWith("[") ? target : target.replaceAll("[", ".[");
  return path.split(".");
}

/** Go json.Unmarshal into interface{}: the value, or an error for bad JSON or out-of-range numbers. */
export function goJsonDecode(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Error handling for malformed input only: JSON.parse has no non-throwing form.
    return { ok: false, message: text.trim() === "" ? "unexpected end of JSON input" : (e as Error).message };
  }
  if (MAY_OVERFLOW.test(text) && hasNonFinite(value)) {
    return { ok: false, message: "json: cannot unmarshal number into Go value of type float64" };
  }
  return { ok: true, value };
}

// Go refuses numbers beyond float64 range where JSON.parse gives Infinity; only texts with a
// three-digit exponent or a 309-digit run can hold one, so the walk below is rare.
const MAY_OVERFLOW = /\d[eE]\+?\d{3}|\d{309}/;

function hasNonFinite(v: unknown): boolean {
  if (typeof v === "number") return !Number.isFinite(v);
  if (Array.isArray(v)) return v.some(hasNonFinite);
  if (v !== null && typeof v === "object") return Object.values(v).some(hasNonFinite);
  return false;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };
const SURROGATE = /[\ud800-\udfff]/;

function encodeString(s: string): string {
  const text = SURROGATE.test(s) ? goString(s) : s;
  return JSON.stringify(text).replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]!);
}

function encodeNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Object.is(n, -0)) return "-0";
  return String(n); // same exponent thresholds (1e-6, 1e21) and shortest digits as Go
}

const MAX_DEPTH = 1000;

function encode(v: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "string":
      return encodeString(v);
    case "number":
      return encodeNumber(v);
    case "boolean":
      return v ? "true" : "false";
    case "object":
      break;
    default:
      return undefined;
  }
  if (v instanceof GoTime) return encodeString(v.toJSON());
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const e of v) {
      const s = encode(e, depth + 1);
      if (s === undefined) return undefined;
      parts.push(s);
    }
    return "[" + parts.join(",") + "]";
  }
  const obj = v as Record<string, unknown>;
  // a struct lists its fields in declaration order; a map's keys are sorted
  const st = (v as { [STRUCT_TYPE]?: StructType })[STRUCT_TYPE];
  const keys = st ? Object.keys(st.fields) : Object.keys(obj).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const s = encode(obj[k], depth + 1);
    if (s === undefined) return undefined;
    parts.push(encodeString(k) + ":" + s);
  }
  return "{" + parts.join(",") + "}";
}

/** Go json.Marshal, or undefined where it fails (NaN, ±Inf, functions). */
export function goJsonEncode(v: unknown): string | undefined {
  return encode(v, 0);
}

function extractTyped(blob: string, target: string, want: JsonType): unknown {
  const r = jsonGet(blob, jsonExtractKeys(target));
  if (!r.ok || r.type !== want) return null;
  const decoded = goJsonDecode(r.value);
  return decoded.ok ? decoded.value : null;
}

function indexError(len: number): ExprRuntimeError {
  return new ExprRuntimeError(`runtime error: index out of range [1] with length ${len}`);
}

export const JSON_HELPERS: readonly HelperDef[] = [
  {
    name: "JsonExtract",
    signatures: ["func(string, string) string"],
    pure: true,
    make: () => (blob, target) => {
      const r = jsonGet(asString(blob), jsonExtractKeys(asString(target)));
      return r.ok ? r.value : "";
    },
  },
  {
    // Upstream reads params[1] as the key, whether one string or several: keys after the
    // first are ignored, and a call with no key is an index-out-of-range panic.
    name: "JsonExtractUnescape",
    signatures: ["func(string, ...string) string"],
    make: () => (blob, ...keys) => {
      if (keys.length === 0) throw indexError(1);
      const r = jsonGet(asString(blob), [asString(keys[0])]);
      if (!r.ok || r.type !== "string") return "";
      return unescapeJsonString(r.value) ?? "";
    },
  },
  {
    // Upstream asserts params[1].([]string), which only its Go callers satisfy: from an
    // expression the variadic keys arrive one by one, so every call is a run-time error.
    name: "JsonExtractLib",
    signatures: ["func(string, ...string) string"],
    make: () => (blob, ...keys) => {
      asString(blob);
      if (keys.length === 0) throw indexError(1);
      throw new ExprRuntimeError(`interface conversion: interface {} is string, not []string`);
    },
  },
  {
    name: "JsonExtractSlice",
    signatures: ["func(string, string) []any"],
    make: () => (blob, target) => extractTyped(asString(blob), asString(target), "array"),
  },
  {
    name: "JsonExtractObject",
    signatures: ["func(string, string) map[string]any"],
    make: () => (blob, target) => extractTyped(asString(blob), asString(target), "object"),
  },
  {
    name: "ToJsonString",
    signatures: ["func(any) string"],
    make: () => (v) => goJsonEncode(v) ?? "",
  },
  {
    // Decode errors are Go errors returned by the helper, which expr turns into run-time
    // errors: a filter `UnmarshalJSON(…) in ["", nil]` on a bad line fails, it is not false.
    name: "UnmarshalJSON",
    signatures: ["func(string, map[string]any, string) error"],
    make: () => (blob, target, key) => {
      const text = asString(blob);
      const map = asMap(target);
      const k = asString(key);
      const decoded = goJsonDecode(text);
      if (!decoded.ok) throw new ExprRuntimeError(decoded.message);
      eventWrites.count++;
      map[k] = decoded.value;
      return null;
    },
  },
];
