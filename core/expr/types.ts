/**
 * The static type model of expressions, and how values are represented at run time.
 *
 * Value representation (shared by the engine, helpers and callers):
 * - string → JS string; bool → boolean; nil → null (undefined is read as nil too).
 * - int and float → JS number. The checker tracks int vs float statically (`ExprProgram.resultType`);
 *   a number whose static type is `any` is a Go float64 (JSON decoding gives float64).
 * - map → plain or null-prototype object, string keys, read with own-property semantics
 *   ("constructor" is never found on Object.prototype). A Go nil map is null: reading it gives
 *   zero values, `in` is false, len is 0.
 * - array → JS array; a Go nil slice is null (len 0, equals nil).
 * - struct → an object whose own properties carry the Go field names (`Line`, `Parsed`…);
 *   class instances may expose their StructType under STRUCT_TYPE for any-typed access.
 * - time.Time → GoTime (immutable); time.Duration → number of nanoseconds.
 */
import { formatDuration, GoTime, monthName, weekdayName, HOUR, MICROSECOND, MILLISECOND, MINUTE, SECOND } from "./time";

export { GoTime } from "./time";

interface Named {
  /** Go type name for named types (`time.Weekday`, `pipeline.MatchedRules`); absent for plain ones. */
  readonly name?: string;
  /** Methods callable from expressions. */
  readonly methods?: MethodTable;
}

export interface AnyType { readonly kind: "any" }
export interface NilType { readonly kind: "nil" }
export interface BoolType extends Named { readonly kind: "bool" }
export interface IntType extends Named { readonly kind: "int" }
export interface FloatType extends Named { readonly kind: "float" }
export interface StringType extends Named { readonly kind: "string" }
export interface TimeType extends Named { readonly kind: "time" }
export interface DurationType extends Named { readonly kind: "duration" }
export interface ArrayType extends Named { readonly kind: "array"; readonly elem: ExprType }
/** Keys are always strings. */
export interface MapType extends Named { readonly kind: "map"; readonly elem: ExprType }
export interface StructType {
  readonly kind: "struct";
  /** Go name used in messages, e.g. "pipeline.Event". */
  readonly name: string;
  /** Fields by Go name; computed lazily so types may refer to each other. */
  readonly fields: Readonly<Record<string, ExprType>>;
  readonly methods?: MethodTable;
  /** Held through a pointer: a nil value has no fields to read (upstream fails on it). */
  readonly pointer: boolean;
}
export interface FuncType {
  readonly kind: "func";
  readonly params: readonly ExprType[];
  /** The last parameter is `...T`: params holds T. */
  readonly variadic: boolean;
  readonly result: ExprType;
  /** Go signature returns (T, error): the function may fail at run time. */
  readonly canFail: boolean;
  /** Go signature has no result: calling it is a compile error, as upstream. */
  readonly noResult?: boolean;
}

export type ExprType =
  | AnyType | NilType | BoolType | IntType | FloatType | StringType | TimeType | DurationType
  | ArrayType | MapType | StructType | FuncType;

export interface MethodDef {
  readonly type: FuncType;
  /** Receives the receiver (possibly null for a nil pointer) then the arguments. */
  readonly impl: (self: never, ...args: never[]) => unknown;
}

export type MethodTable = Readonly<Record<string, MethodDef>>;

/** Variables visible to an expression, by name. */
export type EnvSpec = Readonly<Record<string, ExprType>>;

/** Where struct instances (event classes) expose their StructType, for any-typed access. */
export const STRUCT_TYPE: unique symbol = Symbol.for("picket.expr.struct-type");

export const ANY: AnyType = { kind: "any" };
export const NIL: NilType = { kind: "nil" };
export const BOOL: BoolType = { kind: "bool" };
export const INT: IntType = { kind: "int" };
export const FLOAT: FloatType = { kind: "float" };
export const STRING: StringType = { kind: "string" };

export function arrayOf(elem: ExprType, name?: string, methods?: () => MethodTable): ArrayType {
  return withLazyMethods({ kind: "array", elem, ...(name ? { name } : {}) }, methods);
}

export function mapOf(elem: ExprType, name?: string): MapType {
  return name ? { kind: "map", elem, name } : { kind: "map", elem };
}

export function funcType(params: readonly ExprType[], result: ExprType, opts: { variadic?: boolean; canFail?: boolean } = {}): FuncType {
  return { kind: "func", params, result, variadic: opts.variadic ?? false, canFail: opts.canFail ?? false };
}

/** A method: parameter types, result type and implementation taking the receiver first. */
export function method<S, A extends unknown[]>(params: readonly ExprType[], result: ExprType, impl: (self: S, ...args: A) => unknown, opts: { variadic?: boolean; canFail?: boolean } = {}): MethodDef {
  return { type: funcType(params, result, opts), impl: impl as unknown as MethodDef["impl"] };
}

/** A struct type whose fields (and methods) are given as thunks, so types can be recursive. */
export function structType(name: string, fields: () => Record<string, ExprType>, methods?: () => MethodTable, opts: { pointer?: boolean } = {}): StructType {
  let cache: Readonly<Record<string, ExprType>> | undefined;
  const t = {
    kind: "struct" as const,
    name,
    pointer: opts.pointer ?? false,
    get fields(): Readonly<Record<string, ExprType>> {
      if (!cache) cache = Object.freeze(Object.assign(Object.create(null) as Record<string, ExprType>, fields()));
      return cache;
    },
  };
  return withLazyMethods(t, methods);
}

/** The same struct seen through a pointer (`*models.Alert`): nil has no fields. */
export function pointerTo(t: StructType): StructType {
  const ptr = Object.create(t) as StructType;
  Object.defineProperty(ptr, "pointer", { value: true });
  return ptr;
}

function withLazyMethods<T extends object>(t: T, methods: (() => MethodTable) | undefined): T {
  if (!methods) return t;
  let cache: MethodTable | undefined;
  Object.defineProperty(t, "methods", {
    enumerable: true,
    get: () => (cache ??= methods()),
  });
  return t;
}

// time.Weekday and time.Month are named ints whose String() gives the English name.
export const WEEKDAY: IntType = { kind: "int", name: "time.Weekday", methods: { String: method([], STRING, (d: number) => weekdayName(d)) } };
export const MONTH: IntType = { kind: "int", name: "time.Month", methods: { String: method([], STRING, (m: number) => monthName(m)) } };

export const DURATION: DurationType = withLazyMethods({ kind: "duration" as const, name: "time.Duration" }, () => ({
  Hours: method([], FLOAT, (d: number) => d / HOUR),
  Minutes: method([], FLOAT, (d: number) => d / MINUTE),
  Seconds: method([], FLOAT, (d: number) => d / SECOND),
  Milliseconds: method([], INT, (d: number) => Math.trunc(d / MILLISECOND)),
  Microseconds: method([], INT, (d: number) => Math.trunc(d / MICROSECOND)),
  Nanoseconds: method([], INT, (d: number) => d),
  Abs: method([], DURATION, (d: number) => Math.abs(d)),
  String: method([], STRING, (d: number) => formatDuration(d)),
}));

const timeMethods = (): MethodTable => ({
  Year: method([], INT, (t: GoTime) => t.Year()),
  Month: method([], MONTH, (t: GoTime) => t.Month()),
  Day: method([], INT, (t: GoTime) => t.Day()),
  Hour: method([], INT, (t: GoTime) => t.Hour()),
  Minute: method([], INT, (t: GoTime) => t.Minute()),
  Second: method([], INT, (t: GoTime) => t.Second()),
  Nanosecond: method([], INT, (t: GoTime) => t.Nanosecond()),
  Weekday: method([], WEEKDAY, (t: GoTime) => t.Weekday()),
  YearDay: method([], INT, (t: GoTime) => t.YearDay()),
  Unix: method([], INT, (t: GoTime) => t.Unix()),
  UnixMilli: method([], INT, (t: GoTime) => t.UnixMilli()),
  UnixMicro: method([], INT, (t: GoTime) => t.UnixMicro()),
  UnixNano: method([], INT, (t: GoTime) => t.UnixNano()),
  IsZero: method([], BOOL, (t: GoTime) => t.IsZero()),
  Sub: method([TIME], DURATION, (t: GoTime, u: GoTime) => t.Sub(u)),
  Add: method([DURATION], TIME, (t: GoTime, d: number) => t.Add(d)),
  Before: method([TIME], BOOL, (t: GoTime, u: GoTime) => t.Before(u)),
  After: method([TIME], BOOL, (t: GoTime, u: GoTime) => t.After(u)),
  Equal: method([TIME], BOOL, (t: GoTime, u: GoTime) => t.Equal(u)),
  Compare: method([TIME], INT, (t: GoTime, u: GoTime) => t.Compare(u)),
  UTC: method([], TIME, (t: GoTime) => t.UTC()),
  Local: method([], TIME, (t: GoTime) => t),
  Format: method([STRING], STRING, (t: GoTime, layout: string) => t.Format(layout)),
  String: method([], STRING, (t: GoTime) => t.String()),
});

export const TIME: TimeType = withLazyMethods({ kind: "time" as const, name: "time.Time" }, timeMethods);

/** Go spelling of a type, for messages: "map[string]string", "[]interface {}", "*models.Alert". */
export function typeName(t: ExprType): string {
  switch (t.kind) {
    case "any": return "interface {}";
    case "nil": return "nil";
    case "bool": return t.name ?? "bool";
    case "int": return t.name ?? "int";
    case "float": return t.name ?? "float64";
    case "string": return t.name ?? "string";
    case "time": return "time.Time";
    case "duration": return "time.Duration";
    case "array": return t.name ?? `[]${typeName(t.elem)}`;
    case "map": return t.name ?? `map[string]${typeName(t.elem)}`;
    case "struct": return t.pointer ? `*${t.name}` : t.name;
    case "func": {
      const params = t.params.map((p, i) => (t.variadic && i === t.params.length - 1 ? `...${typeName(p)}` : typeName(p)));
      const result = t.noResult ? "" : t.canFail ? ` (${typeName(t.result)}, error)` : ` ${typeName(t.result)}`;
      return `func(${params.join(", ")})${result}`;
    }
  }
}

/** Zero value of a type: what a missing map key reads as. Composite zero values are null (Go nil). */
export function zeroValue(t: ExprType): unknown {
  switch (t.kind) {
    case "string": return "";
    case "int": case "float": case "duration": return 0;
    case "bool": return false;
    case "time": return GoTime.ZERO;
    default: return null;
  }
}

export function isUnknown(t: ExprType): boolean {
  return t.kind === "any";
}

/** Plain int or float (named ints such as time.Weekday are not numbers for operators, as upstream). */
export function isNumber(t: ExprType): boolean {
  return (t.kind === "int" || t.kind === "float") && t.name === undefined;
}

export function isInteger(t: ExprType): boolean {
  return t.kind === "int" && t.name === undefined;
}

export function methodsOf(t: ExprType): MethodTable | undefined {
  return "methods" in t ? t.methods : undefined;
}

/** A method by name (own entries only: "constructor" is not a method). */
export function methodOf(t: ExprType, name: string): MethodDef | undefined {
  const table = methodsOf(t);
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Structural identity (named types by name). */
export function sameType(a: ExprType, b: ExprType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  const an = "name" in a ? a.name : undefined;
  const bn = "name" in b ? b.name : undefined;
  if (an !== bn) return false;
  switch (a.kind) {
    case "array": case "map":
      return an !== undefined || sameType(a.elem, (b as ArrayType | MapType).elem);
    case "struct":
      return a.name === (b as StructType).name && a.pointer === (b as StructType).pointer;
    case "func": {
      const f = b as FuncType;
      return a.params.length === f.params.length && a.variadic === f.variadic && sameType(a.result, f.result) && a.params.every((p, i) => sameType(p, f.params[i] as ExprType));
    }
    default:
      return true;
  }
}

/** Go assignability as the checker needs it: identical types, anything to interface{}, nil to nil-able kinds. */
export function assignable(from: ExprType, to: ExprType): boolean {
  if (to.kind === "any") return true;
  if (from.kind === "nil") return to.kind === "array" || to.kind === "map" || to.kind === "func" || (to.kind === "struct" && to.pointer);
  return sameType(from, to);
}

/** Run-time check that a value fits a static type (arguments reaching typed helper parameters). */
export function conforms(value: unknown, t: ExprType): boolean {
  switch (t.kind) {
    case "any": return true;
    case "nil": return value === null || value === undefined;
    case "string": return typeof value === "string";
    case "bool": return typeof value === "boolean";
    case "int": return typeof value === "number" && Number.isInteger(value);
    case "float": case "duration": return typeof value === "number";
    case "time": return value instanceof GoTime;
    case "array": return value === null || Array.isArray(value);
    case "map": return value === null || (typeof value === "object" && !Array.isArray(value) && !(value instanceof GoTime));
    case "struct": return (value === null && t.pointer) || (typeof value === "object" && value !== null && !Array.isArray(value));
    case "func": return typeof value === "function";
  }
}
