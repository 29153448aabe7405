/**
 * The remaining helpers of upstream helpers.go: the stash, key tests, Flatten/Distinct,
 * FloatApproxEqual, and the decision counters, which answer 0 as upstream does without a
 * database.
 */
import { ExprRuntimeError } from "../errors";
import { GoTime } from "../time";
import { asFloat, asString, hasOwn, isMap } from "./args";
import { goTypeName } from "./go-fmt-print";
import type { HelperDef } from "./types";

/** upstream flatten: nested arrays opened recursively; a nil element is a reflect panic there. */
function flattenInto(out: unknown[], v: unknown): void {
  if (v === null || v === undefined) throw new ExprRuntimeError("reflect: call of reflect.Value.Interface on zero Value");
  if (Array.isArray(v)) for (const e of v) flattenInto(out, e);
  else out.push(v);
}

export function flatten(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) flattenInto(out, v);
  return out;
}

/** The identity of a value as a Go map key (interface equality); unhashable values panic upstream. */
function hashKey(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== "object") return v;
  if (Array.isArray(v) || isMap(v)) throw new ExprRuntimeError(`runtime error: hash of unhashable type ${goTypeName(v)}`);
  if (v instanceof GoTime) return `time:${v.unixMs}:${v.subMsNanos}:${v.offsetSeconds}`;
  return v; // pointers to structs compare by identity
}

/** upstream Distinct: first occurrences in order; nil for anything but an array. */
export function distinct(v: unknown): unknown[] | null {
  if (!Array.isArray(v)) return null;
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const e of v) {
    const k = hashKey(e);
    if (typeof k === "number" && Number.isNaN(k)) {
      out.push(e); // NaN is never equal to itself as a Go map key
      continue;
    }
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

/** What the decision helpers answer without a database: 0 (a count, or a zero duration). */
function noDatabase(name: string, warn: ((m: string) => void) | undefined, ...args: unknown[]): number {
  for (const a of args) asString(a);
  warn?.(`No database config to call ${name}()`);
  return 0;
}

export const MISC_HELPERS: readonly HelperDef[] = [
  {
    name: "GetFromStash",
    signatures: ["func(string, string) (string, error)"],
    make: (ctx) => (cache, key) => ctx.stash?.get(asString(cache), asString(key)) ?? "",
  },
  {
    name: "KeyExists",
    signatures: ["func(string, map[string]any) bool"],
    make: () => (key, m) => {
      const k = asString(key);
      if (m === null || m === undefined) return false;
      if (!isMap(m)) throw new ExprRuntimeError(`interface conversion: interface {} is ${goTypeName(m)}, not map[string]interface {}`);
      return hasOwn(m, k);
    },
  },
  {
    name: "Flatten",
    signatures: ["func(...any) any"],
    make: () => (...values) => flatten(values),
  },
  {
    name: "Distinct",
    signatures: ["func(...any) any"],
    make: () => (...values) => {
      if (values.length === 0) throw new ExprRuntimeError("runtime error: index out of range [0] with length 0");
      return distinct(values[0]);
    },
  },
  {
    name: "FlattenDistinct",
    signatures: ["func(...any) any"],
    make: () => (...values) => distinct(flatten(values)),
  },
  {
    name: "FloatApproxEqual",
    signatures: ["func(float64, float64) bool"],
    make: () => (a, b) => Math.abs(asFloat(a) - asFloat(b)) < 1e-6,
  },
  {
    name: "GetDecisionsCount",
    signatures: ["func(string) int"],
    make: (ctx) => (value) => noDatabase("GetDecisionsCount", ctx.warn, value),
  },
  {
    name: "GetDecisionsSinceCount",
    signatures: ["func(string, string) int"],
    make: (ctx) => (value, since) => noDatabase("GetDecisionsSinceCount", ctx.warn, value, since),
  },
  {
    name: "GetActiveDecisionsCount",
    signatures: ["func(string) int"],
    make: (ctx) => (value) => noDatabase("GetActiveDecisionsCount", ctx.warn, value),
  },
  {
    name: "GetActiveDecisionsTimeLeft",
    signatures: ["func(string) time.Duration"],
    make: (ctx) => (value) => noDatabase("GetActiveDecisionsTimeLeft", ctx.warn, value),
  },
];
