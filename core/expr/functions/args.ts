/**
 * Argument narrowing for helpers. The checker matches static types; a value typed `any`
 * (evt.Unmarshaled.x) reaches the helper unchecked, and upstream's `params[0].(string)`
 * then panics, which expr turns into a run-time error: these do the same.
 */
import { ExprRuntimeError } from "../errors";
import { goTypeName } from "./go-fmt-print";

function conversionError(v: unknown, want: string): ExprRuntimeError {
  return new ExprRuntimeError(`interface conversion: interface {} is ${goTypeName(v)}, not ${want}`);
}

export function asString(v: unknown): string {
  if (typeof v === "string") return v;
  throw conversionError(v, "string");
}

export function asInt(v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  throw conversionError(v, "int");
}

export function asFloat(v: unknown): number {
  if (typeof v === "number") return v;
  throw conversionError(v, "float64");
}

export function asStringArray(v: unknown): readonly string[] {
  if (Array.isArray(v)) {
    for (const e of v) if (typeof e !== "string") throw conversionError(v, "[]string");
    return v as string[];
  }
  throw conversionError(v, "[]string");
}

/** A map value: a plain (or null-prototype) object, not an array, not a struct. */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

export function asMap(v: unknown): Record<string, unknown> {
  if (isMap(v)) return v;
  throw conversionError(v, "map[string]interface {}");
}

export function hasOwn(m: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, key);
}

/** A fresh map value, as helpers that return Go maps build them. */
export function newMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
