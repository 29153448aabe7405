/**
 * Run-time semantics for values whose static type is `any` (and shared helpers for typed paths):
 * equality, ordering, fetch, membership, arithmetic, len — as expr-lang's vm/runtime does them.
 */
import { fail } from "./errors";
import { formatGoValue } from "./format";
import { GoTime } from "./time";
import { methodOf, STRUCT_TYPE, TIME, typeName, zeroValue, type ExprType, type MethodDef, type StructType } from "./types";

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function structTypeOf(v: unknown): StructType | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const t = (v as { [STRUCT_TYPE]?: unknown })[STRUCT_TYPE];
  return t && typeof t === "object" && (t as StructType).kind === "struct" ? (t as StructType) : undefined;
}

/** A map value: a plain or null-prototype object that is not a struct instance or a time. */
export function isMapValue(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof GoTime) && structTypeOf(v) === undefined;
}

/** Go's %T of a run-time value (numbers of unknown static type are float64, as JSON gives them). */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "string": return "string";
    case "boolean": return "bool";
    case "number": return "float64";
    case "function": return "func(...interface {}) (interface {}, error)";
  }
  if (v instanceof GoTime) return "time.Time";
  if (Array.isArray(v)) return "[]interface {}";
  const st = structTypeOf(v);
  if (st) return `*${st.name}`;
  return "map[string]interface {}";
}

/** The type named in "interface conversion" messages: `nil` rather than `<nil>`. */
function conversionName(v: unknown): string {
  return isNil(v) ? "nil" : goTypeOf(v);
}

export function asBool(v: unknown, at: number): boolean {
  if (typeof v === "boolean") return v;
  return fail(`interface conversion: interface {} is ${conversionName(v)}, not bool`, at);
}

export function assertType(v: unknown, want: ExprType, at: number): never {
  return fail(`interface conversion: interface {} is ${conversionName(v)}, not ${typeName(want)}`, at);
}

/** Own-property read: a key that exists only on Object.prototype ("constructor", "__proto__") is missing. */
export function ownValue(m: Record<string, unknown>, key: string): unknown {
  const v = m[key];
  if (v === undefined) return undefined;
  if (typeof v === "function" || key === "__proto__") return Object.prototype.hasOwnProperty.call(m, key) ? v : undefined;
  return v;
}

export function hasOwnKey(m: Record<string, unknown>, key: string): boolean {
  const v = m[key];
  if (v === undefined) return false;
  if (typeof v === "function" || key === "__proto__") return Object.prototype.hasOwnProperty.call(m, key);
  return true;
}

export function countKeys(m: object): number {
  let n = 0;
  for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) n++;
  return n;
}

/** Unicode code points in a string (Go's utf8.RuneCountInString). */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

/** Orders strings by their UTF-8 bytes (code points), as Go compares strings; JS `<` compares UTF-16 units. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) {
      // surrogates (code points above U+FFFF) sort after U+E000–U+FFFF in code point order
      x = x >= 0xe000 ? x - 0x800 : x >= 0xd800 ? x + 0x2000 : x;
      y = y >= 0xe000 ? y - 0x800 : y >= 0xd800 ? y + 0x2000 : y;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Go's runtime.Equal: numbers compare across int/float, no string/number coercion, nil equals nil. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  const ta = typeof a;
  if (ta !== "object" || typeof b !== "object") return false;
  if (a instanceof GoTime) return b instanceof GoTime && a.Equal(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  return deepEqual(a as object, b as object);
}

function deepEqual(a: object, b: object): boolean {
  if (Array.isArray(b) || b instanceof GoTime) return false;
  if (structTypeOf(a) !== structTypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Ordering for <, >, <=, >= on any-typed values: -1/0/1, or a run-time error on mismatched types. */
export function compareDynamic(a: unknown, b: unknown, op: string, at: number): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (a instanceof GoTime && b instanceof GoTime) return a.Compare(b);
  return fail(`invalid operation: ${goTypeOf(a)} ${op} ${goTypeOf(b)}`, at);
}

export function addDynamic(a: unknown, b: unknown, at: number): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (a instanceof GoTime && typeof b === "number") return a.Add(b);
  if (typeof a === "number" && b instanceof GoTime) return b.Add(a);
  return fail(`invalid operation: ${goTypeOf(a)} + ${goTypeOf(b)}`, at);
}

export function subtractDynamic(a: unknown, b: unknown, at: number): unknown {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (a instanceof GoTime && b instanceof GoTime) return a.Sub(b);
  if (a instanceof GoTime && typeof b === "number") return a.Add(-b);
  return fail(`invalid operation: ${goTypeOf(a)} - ${goTypeOf(b)}`, at);
}

export function numberOperand(a: unknown, b: unknown, op: string, at: number): void {
  if (typeof a !== "number" || typeof b !== "number") fail(`invalid operation: ${goTypeOf(a)} ${op} ${goTypeOf(b)}`, at);
}

/** `%` is integer-only; an any-typed operand must hold an integral number. */
export function modulo(a: unknown, b: unknown, at: number): number {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isInteger(a) || !Number.isInteger(b)) {
    return fail(`invalid operation: ${goTypeOf(a)} % ${goTypeOf(b)}`, at);
  }
  if (b === 0) return fail("runtime error: integer divide by zero", at);
  const r = a % b;
  return r === 0 ? 0 : r; // no -0
}

export function negate(v: unknown, at: number): number {
  if (typeof v === "number") return -v;
  return fail(`invalid operation: - ${goTypeOf(v)}`, at);
}

/** Go's runtime.ToInt for indexes and counts. */
export function toInt(v: unknown, at: number): number {
  if (typeof v === "number") return Math.trunc(v);
  return fail(`invalid operation: int(${goTypeOf(v)})`, at);
}

export function lenDynamic(v: unknown, at: number): number {
  if (typeof v === "string") return runeCount(v);
  if (Array.isArray(v)) return v.length;
  if (isMapValue(v)) return countKeys(v);
  return fail(`invalid argument for len (type ${goTypeOf(v)})`, at);
}

export function indexArray(a: readonly unknown[] | null | undefined, i: number, at: number): unknown {
  const n = a ? a.length : 0;
  const j = i < 0 ? n + i : i;
  if (j < 0 || j >= n || !a) return fail(`index out of range: ${j} (array length is ${n})`, at);
  const v = a[j];
  return v === undefined ? null : v;
}

/** Byte of a string at an index, as Go indexes strings (a uint8). */
export function indexStringByte(s: string, i: number, at: number): number {
  const bytes = Buffer.from(s, "utf8");
  const j = i < 0 ? bytes.length + i : i;
  if (j < 0 || j >= bytes.length) return fail(`index out of range: ${j} (array length is ${bytes.length})`, at);
  return bytes[j] as number;
}

/** A method of a run-time value, looked up by name (any-typed receivers). */
export function dynamicMethod(v: unknown, name: string): MethodDef | undefined {
  if (v instanceof GoTime) return methodOf(TIME, name);
  const st = structTypeOf(v);
  if (st) return methodOf(st, name);
  return undefined;
}

/** Go's runtime.Fetch: `a.b` / `a[k]` on an any-typed value. */
export function fetch(from: unknown, key: unknown, at: number): unknown {
  if (isNil(from)) return fail(`cannot fetch ${formatGoValue(key)} from <nil>`, at);
  if (typeof key === "string") {
    const m = dynamicMethod(from, key);
    if (m) return (...args: unknown[]) => (m.impl as (self: unknown, ...a: unknown[]) => unknown)(from, ...args);
  }
  if (Array.isArray(from)) return indexArray(from, toInt(key, at), at);
  if (typeof from === "string") return indexStringByte(from, toInt(key, at), at);
  if (typeof from === "object" && !(from instanceof GoTime)) {
    const st = structTypeOf(from);
    if (st) {
      if (typeof key === "string" && Object.hasOwn(st.fields, key)) {
        const v = (from as Record<string, unknown>)[key];
        return v === undefined ? zeroValue(st.fields[key] as ExprType) : v;
      }
    } else {
      if (isNil(key)) key = "";
      if (typeof key !== "string") return fail(`reflect.Value.MapIndex: value of type ${goTypeOf(key)} is not assignable to type string`, at);
      const v = ownValue(from as Record<string, unknown>, key);
      return v === undefined ? null : v;
    }
  }
  return fail(`cannot fetch ${formatGoValue(key)} from ${goTypeOf(from)}`, at);
}

/** Go's runtime.In: element of an array (==), key of a map, field of a struct; `x in nil` is false. */
export function inDynamic(needle: unknown, container: unknown, at: number): boolean {
  if (isNil(container)) return false;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) if (equal(container[i], needle)) return true;
    return false;
  }
  if (typeof container === "object" && !(container instanceof GoTime)) {
    const st = structTypeOf(container);
    if (st) {
      if (typeof needle !== "string") return fail(`cannot use ${goTypeOf(needle)} as field name of ${goTypeOf(container)}`, at);
      return Object.hasOwn(st.fields, needle);
    }
    if (isNil(needle)) needle = "";
    if (typeof needle !== "string") return fail(`reflect.Value.MapIndex: value of type ${goTypeOf(needle)} is not assignable to type string`, at);
    return hasOwnKey(container as Record<string, unknown>, needle);
  }
  return fail(`operator "in" not defined on ${goTypeOf(container)}`, at);
}

/** Go's runtime.Slice, clamping both ends; strings are sliced by bytes. */
export function sliceValue(v: unknown, from: number | undefined, to: number | undefined, at: number): unknown {
  if (isNil(v)) return null;
  if (Array.isArray(v)) {
    const [a, b] = clampSlice(v.length, from, to);
    return v.slice(a, b);
  }
  if (typeof v === "string") {
    if (/^[\x00-\x7f]*$/.test(v)) {
      const [a, b] = clampSlice(v.length, from, to);
      return v.slice(a, b);
    }
    const bytes = Buffer.from(v, "utf8");
    const [a, b] = clampSlice(bytes.length, from, to);
    return bytes.subarray(a, b).toString("utf8");
  }
  return fail(`cannot slice ${formatGoValue(from ?? 0)}`, at);
}

function clampSlice(length: number, from: number | undefined, to: number | undefined): [number, number] {
  let a = from ?? 0;
  let b = to ?? length;
  if (a < 0) a += length;
  if (a < 0) a = 0;
  if (b < 0) b += length;
  if (b < 0) b = 0;
  if (b > length) b = length;
  if (a > b) a = b;
  return [a, b];
}

export function makeRange(min: number, max: number): number[] {
  const out: number[] = [];
  for (let i = min; i <= max; i++) out.push(i);
  return out;
}
