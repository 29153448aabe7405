/**
 * expr-lang's lower-case builtins (builtin/builtin.go) other than the predicate ones (any, all,
 * filter, map, …), which the compiler inlines. Each builtin either declares Go signatures (checked
 * like helper functions, arguments checked at run time when any-typed) or validates its argument
 * types itself, and builds its implementation once per call site from the static argument types.
 */
import { fail } from "./errors";
import { formatGoValue, marshalGoJSON } from "./format";
import { compareDynamic, countKeys, equal, fetch, goTypeOf, isMapValue, isNil, lenDynamic, runeCount, structTypeOf, toInt } from "./runtime";
import { byteIndex, goLower, goReplace, goSplit, goTrim, goTrimSpace, goUpper } from "./go-strings";
import { GoTime, parseDuration, parseGoTime } from "./time";
import { ANY, arrayOf, BOOL, DURATION, FLOAT, INT, isNumber, isUnknown, mapOf, STRING, TIME, typeName, zeroValue, type ExprType } from "./types";

export interface BuiltinContext {
  /** Wall clock in ms since epoch. */
  readonly now: () => number;
}

/** Implementation of one call site; called with positional arguments. */
export type BuiltinImpl = (...args: never[]) => unknown;

export interface BuiltinDef {
  readonly name: string;
  /** Overloads as Go signatures; the checker treats them like helper signatures. */
  readonly signatures?: readonly string[];
  /** Custom argument check: the result type, or the error message. */
  readonly validate?: (args: readonly ExprType[]) => ExprType | string;
  /** Builds the implementation for these static argument types. */
  readonly make: (types: readonly ExprType[], ctx: BuiltinContext) => BuiltinImpl;
}

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function atoi(s: string): number {
  const n = Number(s);
  if (!INT_TEXT.test(s) || Math.abs(n) > 9223372036854775807) return fail(`invalid operation: int(${s})`);
  return n;
}

function parseFloatText(s: string): number {
  if (!FLOAT_TEXT.test(s)) return fail(`invalid operation: float(${s})`);
  const lower = s.toLowerCase().replace(/^\+/, "");
  if (lower.endsWith("inf") || lower.endsWith("infinity")) return lower.startsWith("-") ? -Infinity : Infinity;
  if (lower.endsWith("nan")) return NaN;
  const v = Number(s);
  if (!Number.isFinite(v)) return fail(`invalid operation: float(${s})`);
  return v;
}

function toIntValue(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string") return atoi(v);
  return fail(`invalid operation: int(${goTypeOf(v)})`);
}

function toFloatValue(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return parseFloatText(v);
  return fail(`invalid operation: float(${goTypeOf(v)})`);
}

function numberArg(name: string, v: unknown): number {
  if (typeof v === "number") return v;
  return fail(`invalid argument for ${name} (type ${goTypeOf(v)})`);
}

/** Numbers of the arguments, arrays flattened (max, min, mean, median). */
function collectNumbers(name: string, args: readonly unknown[], out: number[], depth = 0): void {
  if (depth > 10_000) fail("recursion depth exceeded");
  for (const a of args) {
    if (typeof a === "number") out.push(a);
    else if (Array.isArray(a)) collectNumbers(name, a, out, depth + 1);
    else if (isNil(a) && depth > 0) fail(`invalid argument for ${name} (type <nil>)`);
    else if (!isNil(a)) fail(`invalid argument for ${name} (type ${goTypeOf(a)})`);
  }
}

function arrayArg(name: string, v: unknown): readonly unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  return fail(`cannot ${name} ${kindName(v)}`);
}

function kindName(v: unknown): string {
  if (isNil(v)) return "invalid";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (Array.isArray(v)) return "slice";
  if (v instanceof GoTime || structTypeOf(v)) return "struct";
  return "map";
}

function mapArg(what: string, v: unknown): Record<string, unknown> | null {
  if (isNil(v)) return null;
  if (isMapValue(v)) return v;
  return fail(`cannot ${what} ${kindName(v)}`);
}

const isArrayish = (t: ExprType) => t.kind === "array" || isUnknown(t);
const isNumberish = (t: ExprType) => isNumber(t) || isUnknown(t);

function arity(name: string, args: readonly ExprType[], n: number): string | undefined {
  return args.length === n ? undefined : `invalid number of arguments (expected ${n}, got ${args.length})`;
}

function validateAggregate(name: string) {
  return (args: readonly ExprType[]): ExprType | string => {
    if (args.length === 0) return `not enough arguments to call ${name}`;
    for (const a of args) {
      if (isArrayish(a)) return ANY;
      if (!isNumber(a)) return `invalid argument for ${name} (type ${typeName(a)})`;
    }
    return args[0] as ExprType;
  };
}

function validateRound(name: string) {
  return (args: readonly ExprType[]): ExprType | string => {
    const bad = arity(name, args, 1);
    if (bad) return bad;
    return isNumberish(args[0] as ExprType) ? FLOAT : `invalid argument for ${name} (type ${typeName(args[0] as ExprType)})`;
  };
}

function round(mode: "ceil" | "floor" | "round") {
  return (v: unknown): number => {
    const x = numberArg(mode, v);
    if (mode === "ceil") return Math.ceil(x);
    if (mode === "floor") return Math.floor(x);
    return Math.sign(x) * Math.round(Math.abs(x)); // Go rounds half away from zero
  };
}

function bitInt(name: string, v: unknown): bigint {
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  return fail(`cannot use ${goTypeOf(v)} as argument (type int) to call ${name}`);
}

function bitFunc(name: string, op: (x: bigint, y: bigint) => bigint, shift = false): BuiltinDef {
  return {
    name,
    validate: (args) => {
      const bad = arity(name, args, 2);
      if (bad) return bad;
      for (const a of args) if (!(a.kind === "int" || isUnknown(a))) return `cannot use ${typeName(a)} as argument (type int) to call ${name}`;
      return INT;
    },
    make: () => (a: unknown, b: unknown) => {
      const x = bitInt(name, a);
      const y = bitInt(name, b);
      if (shift && y < 0n) return fail(`invalid operation: negative shift count ${y} (type int)`);
      return Number(BigInt.asIntN(64, op(x, y)));
    },
  };
}

/** Offset in seconds of an IANA zone at a UTC instant (Intl does the zone arithmetic). */
function zoneOffsetAt(zone: string, utcMs: number): number | undefined {
  if (zone === "UTC" || zone === "" || zone === "Local") return 0;
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(new Date(utcMs));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 1000);
  } catch {
    return undefined;
  }
}

const DATE_LAYOUTS = ["2006-01-02", "15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00", "02 Jan 06 15:04 MST", "Monday, 02-Jan-06 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 MST"];

function parseDate(value: string, layout: string | undefined, zone: string | undefined): GoTime {
  let offset = 0;
  if (zone !== undefined) {
    const probe = zoneOffsetAt(zone, Date.now());
    if (probe === undefined) return fail(`unknown time zone ${zone}`);
    offset = probe;
  }
  const attempt = (l: string): GoTime | string => {
    const t = parseGoTime(l, value, offset);
    if (typeof t === "string" || zone === undefined || zone === "UTC") return t;
    // settle the zone offset at the parsed instant (daylight saving)
    const actual = zoneOffsetAt(zone, t.unixMs) ?? offset;
    return actual === offset ? t : parseGoTime(l, value, actual);
  };
  if (layout !== undefined) {
    const t = attempt(layout);
    return typeof t === "string" ? fail(t) : t;
  }
  for (const l of DATE_LAYOUTS) {
    const t = attempt(l);
    if (typeof t !== "string") return t;
  }
  return fail(`invalid date ${value}`);
}

function get(from: unknown, key: unknown): unknown {
  if (isNil(from)) return null;
  if (Array.isArray(from)) {
    if (typeof key !== "number") return null;
    const i = key < 0 ? from.length + Math.trunc(key) : Math.trunc(key);
    return i >= 0 && i < from.length ? (from[i] ?? null) : null;
  }
  if (typeof from === "object" && !(from instanceof GoTime)) {
    if (typeof key !== "string") return null;
    const st = structTypeOf(from);
    if (st && !Object.hasOwn(st.fields, key)) return null;
    if (!st && !Object.prototype.hasOwnProperty.call(from, key)) return null;
    return fetch(from, key, -1);
  }
  return null;
}

function sortValues(values: readonly unknown[], desc: boolean, at = -1): unknown[] {
  const out = values.slice();
  out.sort((a, b) => compareDynamic(a, b, "<", at));
  if (desc) out.reverse();
  return out;
}

export function sortOrder(order: unknown): boolean {
  if (typeof order !== "string") return fail(`sort order argument must be a string (got ${goTypeOf(order)})`);
  if (order === "asc") return false;
  if (order === "desc") return true;
  return fail(`invalid order ${order}, expected asc or desc`);
}

function flattenInto(out: unknown[], v: readonly unknown[], depth: number): void {
  if (depth > 10_000) fail("recursion depth exceeded");
  for (const x of v) {
    if (Array.isArray(x)) flattenInto(out, x, depth + 1);
    else out.push(x);
  }
}

const BUILTIN_LIST: readonly BuiltinDef[] = [
  {
    name: "len",
    validate: (args) => {
      const bad = arity("len", args, 1);
      if (bad) return bad;
      const t = args[0] as ExprType;
      return t.kind === "array" || t.kind === "map" || t.kind === "string" || isUnknown(t) ? INT : `invalid argument for len (type ${typeName(t)})`;
    },
    make: ([t]) => {
      switch (t?.kind) {
        case "string": return (s: string) => runeCount(s);
        case "array": return (a: readonly unknown[] | null) => (a ? a.length : 0);
        case "map": return (m: object | null) => (m ? countKeys(m) : 0);
        default: return (v: unknown) => lenDynamic(v, -1);
      }
    },
  },
  {
    name: "type",
    signatures: ["func(any) string"],
    make: ([t]) => (v: unknown) => {
      if (isNil(v)) return "nil";
      if (t?.kind === "duration") return "time.Duration";
      if (t?.kind === "int") return t.name ?? "int";
      switch (typeof v) {
        case "boolean": return "bool";
        case "number": return "float";
        case "string": return "string";
        case "function": return "func";
      }
      if (v instanceof GoTime) return "time.Time";
      if (Array.isArray(v)) return "array";
      const st = structTypeOf(v);
      return st ? st.name : "map";
    },
  },
  {
    name: "abs",
    validate: (args) => arity("abs", args, 1) ?? (isNumberish(args[0] as ExprType) ? (args[0] as ExprType) : `invalid argument for abs (type ${typeName(args[0] as ExprType)})`),
    make: () => (v: unknown) => Math.abs(numberArg("abs", v)),
  },
  { name: "ceil", validate: validateRound("ceil"), make: () => round("ceil") },
  { name: "floor", validate: validateRound("floor"), make: () => round("floor") },
  { name: "round", validate: validateRound("round"), make: () => round("round") },
  {
    name: "int",
    validate: (args) => arity("int", args, 1) ?? (isNumberish(args[0] as ExprType) || (args[0] as ExprType).kind === "string" || (args[0] as ExprType).kind === "int" || (args[0] as ExprType).kind === "duration" ? INT : `invalid argument for int (type ${typeName(args[0] as ExprType)})`),
    make: ([t]) => (t?.kind === "string" ? (s: string) => atoi(s) : toIntValue),
  },
  {
    name: "float",
    validate: (args) => arity("float", args, 1) ?? (isNumberish(args[0] as ExprType) || (args[0] as ExprType).kind === "string" || (args[0] as ExprType).kind === "int" || (args[0] as ExprType).kind === "duration" ? FLOAT : `invalid argument for float (type ${typeName(args[0] as ExprType)})`),
    make: ([t]) => (t?.kind === "string" ? (s: string) => parseFloatText(s) : toFloatValue),
  },
  {
    name: "string",
    signatures: ["func(any) string"],
    make: ([t]) => (v: unknown) => formatGoValue(v, t ?? ANY),
  },
  {
    name: "trim",
    signatures: ["func(string) string", "func(string, string) string"],
    make: (ts) => (ts.length === 1 ? (s: string) => goTrimSpace(s) : (s: string, cut: string) => goTrim(s, cut)),
  },
  {
    name: "trimPrefix",
    signatures: ["func(string, string) string", "func(string) string"],
    make: () => (s: string, p: string = " ") => (s.startsWith(p) ? s.slice(p.length) : s),
  },
  {
    name: "trimSuffix",
    signatures: ["func(string, string) string", "func(string) string"],
    make: () => (s: string, p: string = " ") => (p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s),
  },
  { name: "upper", signatures: ["func(string) string"], make: () => (s: string) => goUpper(s) },
  { name: "lower", signatures: ["func(string) string"], make: () => (s: string) => goLower(s) },
  {
    name: "split",
    signatures: ["func(string, string) []string", "func(string, string, int) []string"],
    make: () => (s: string, sep: string, n?: number) => goSplit(s, sep, n ?? -1, false),
  },
  {
    name: "splitAfter",
    signatures: ["func(string, string) []string", "func(string, string, int) []string"],
    make: () => (s: string, sep: string, n?: number) => goSplit(s, sep, n ?? -1, true),
  },
  {
    name: "replace",
    signatures: ["func(string, string, string, int) string", "func(string, string, string) string"],
    make: () => (s: string, old: string, repl: string, n?: number) => goReplace(s, old, repl, n ?? -1),
  },
  {
    name: "repeat",
    signatures: ["func(string, int) string"],
    make: () => (s: string, n: number) => {
      if (n < 0) return fail(`invalid argument for repeat (expected positive integer, got ${n})`);
      if (n > 1e6 || s.length * n > 1e7) return fail("memory budget exceeded");
      return s.repeat(n);
    },
  },
  {
    name: "join",
    signatures: ["func([]string, string) string", "func([]string) string", "func([]any, string) string", "func([]any) string"],
    make: () => (a: readonly unknown[] | null, sep: string = "") => {
      if (!a) return "";
      for (const x of a) if (typeof x !== "string") return fail(`interface conversion: interface {} is ${isNil(x) ? "nil" : goTypeOf(x)}, not string`);
      return a.join(sep);
    },
  },
  { name: "indexOf", signatures: ["func(string, string) int"], make: () => (s: string, sub: string) => byteIndex(s, s.indexOf(sub)) },
  { name: "lastIndexOf", signatures: ["func(string, string) int"], make: () => (s: string, sub: string) => byteIndex(s, s.lastIndexOf(sub)) },
  { name: "hasPrefix", signatures: ["func(string, string) bool"], make: () => (s: string, p: string) => s.startsWith(p) },
  { name: "hasSuffix", signatures: ["func(string, string) bool"], make: () => (s: string, p: string) => s.endsWith(p) },
  {
    name: "max",
    validate: validateAggregate("max"),
    make: () => (...args: unknown[]) => {
      if (args.length === 1 && !Array.isArray(args[0]) && typeof args[0] !== "number") return args[0];
      const nums: number[] = [];
      collectNumbers("max", args, nums);
      return nums.length ? nums.reduce((m, x) => (x > m ? x : m)) : null;
    },
  },
  {
    name: "min",
    validate: validateAggregate("min"),
    make: () => (...args: unknown[]) => {
      if (args.length === 1 && !Array.isArray(args[0]) && typeof args[0] !== "number") return args[0];
      const nums: number[] = [];
      collectNumbers("min", args, nums);
      return nums.length ? nums.reduce((m, x) => (x < m ? x : m)) : null;
    },
  },
  {
    name: "mean",
    validate: (args) => {
      const r = validateAggregate("mean")(args);
      return typeof r === "string" ? r : FLOAT;
    },
    make: () => (...args: unknown[]) => {
      const nums: number[] = [];
      collectNumbers("mean", args, nums);
      return nums.length ? nums.reduce((s, x) => s + x, 0) / nums.length : 0;
    },
  },
  {
    name: "median",
    validate: (args) => {
      const r = validateAggregate("median")(args);
      return typeof r === "string" ? r : FLOAT;
    },
    make: () => (...args: unknown[]) => {
      const nums: number[] = [];
      collectNumbers("median", args, nums);
      if (nums.length === 0) return 0;
      nums.sort((a, b) => a - b);
      const n = nums.length;
      return n % 2 === 1 ? (nums[(n - 1) / 2] as number) : ((nums[n / 2 - 1] as number) + (nums[n / 2] as number)) / 2;
    },
  },
  { name: "toJSON", signatures: ["func(any) string"], make: () => (v: unknown) => marshalGoJSON(v, "  ") },
  {
    name: "fromJSON",
    signatures: ["func(string) any"],
    make: () => (s: string) => {
      try {
        return JSON.parse(s) as unknown;
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
    },
  },
  { name: "toBase64", signatures: ["func(string) string"], make: () => (s: string) => Buffer.from(s, "utf8").toString("base64") },
  {
    name: "fromBase64",
    signatures: ["func(string) string"],
    make: () => (s: string) => {
      if (s.length % 4 !== 0 || !BASE64.test(s)) {
        const bad = s.search(/[^A-Za-z0-9+/=]/);
        return fail(`illegal base64 data at input byte ${bad >= 0 ? bad : s.length - (s.length % 4)}`);
      }
      return Buffer.from(s, "base64").toString("utf8");
    },
  },
  {
    name: "now",
    validate: (args) => (args.length === 0 ? TIME : `invalid number of arguments (expected 0, got ${args.length})`),
    make: (_, ctx) => () => new GoTime(ctx.now()),
  },
  {
    name: "duration",
    signatures: ["func(string) (time.Duration, error)"],
    make: () => (s: string) => {
      const d = parseDuration(s);
      return d.ok ? d.ns : fail(d.message);
    },
  },
  {
    name: "date",
    validate: (args) => {
      if (args.length < 1) return `invalid number of arguments (expected at least 1, got ${args.length})`;
      if (args.length > 3) return `invalid number of arguments (expected at most 3, got ${args.length})`;
      for (const a of args) if (!(a.kind === "string" || isUnknown(a))) return `cannot use ${typeName(a)} as argument (type string) to call date`;
      return TIME;
    },
    make: () => (value: unknown, layout?: unknown, zone?: unknown) => {
      for (const a of [value, layout, zone]) if (a !== undefined && typeof a !== "string") return fail(`interface conversion: interface {} is ${isNil(a) ? "nil" : goTypeOf(a)}, not string`);
      return parseDate(value as string, layout as string | undefined, zone as string | undefined);
    },
  },
  {
    name: "first",
    validate: (args) => arity("first", args, 1) ?? ((args[0] as ExprType).kind === "array" ? ((args[0] as { elem: ExprType }).elem) : isUnknown(args[0] as ExprType) ? ANY : `cannot get first element from ${typeName(args[0] as ExprType)}`),
    make: () => (a: unknown) => (Array.isArray(a) && a.length > 0 ? (a[0] ?? null) : null),
  },
  {
    name: "last",
    validate: (args) => arity("last", args, 1) ?? ((args[0] as ExprType).kind === "array" ? ((args[0] as { elem: ExprType }).elem) : isUnknown(args[0] as ExprType) ? ANY : `cannot get last element from ${typeName(args[0] as ExprType)}`),
    make: () => (a: unknown) => (Array.isArray(a) && a.length > 0 ? (a[a.length - 1] ?? null) : null),
  },
  {
    name: "get",
    validate: (args) => {
      if (args.length !== 2) return `invalid number of arguments (expected 2, got ${args.length})`;
      const [base, key] = args as [ExprType, ExprType];
      if (isUnknown(base)) return ANY;
      if (base.kind === "array") {
        if (!(key.kind === "int" || isUnknown(key))) return `non-integer slice index ${typeName(key)}`;
      } else if (base.kind === "map") {
        if (!(key.kind === "string" || isUnknown(key))) return `cannot use ${typeName(key)} to get an element from ${typeName(base)}`;
      } else {
        return `type ${typeName(base)} does not support indexing`;
      }
      // a missing element is nil, so only a nil-able element type is kept
      return zeroValue(base.elem) === null ? base.elem : ANY;
    },
    make: () => get,
  },
  {
    name: "take",
    validate: (args) => {
      if (args.length !== 2) return `invalid number of arguments (expected 2, got ${args.length})`;
      if (!isArrayish(args[0] as ExprType)) return `cannot take from ${typeName(args[0] as ExprType)}`;
      if (!((args[1] as ExprType).kind === "int" || isUnknown(args[1] as ExprType))) return `cannot take ${typeName(args[1] as ExprType)} elements`;
      return args[0] as ExprType;
    },
    make: () => (a: unknown, n: unknown) => {
      const arr = arrayArg("take from", a);
      if (typeof n !== "number" || !Number.isInteger(n)) return fail(`cannot take ${kindName(n)} elements`);
      return arr.slice(0, Math.max(0, n));
    },
  },
  {
    name: "keys",
    validate: (args) => arity("keys", args, 1) ?? ((args[0] as ExprType).kind === "map" || isUnknown(args[0] as ExprType) ? arrayOf(ANY) : `cannot get keys from ${typeName(args[0] as ExprType)}`),
    make: () => (m: unknown) => {
      const map = mapArg("get keys from", m);
      return map ? Object.keys(map) : [];
    },
  },
  {
    name: "values",
    validate: (args) => arity("values", args, 1) ?? ((args[0] as ExprType).kind === "map" || isUnknown(args[0] as ExprType) ? arrayOf(ANY) : `cannot get values from ${typeName(args[0] as ExprType)}`),
    make: () => (m: unknown) => {
      const map = mapArg("get values from", m);
      return map ? Object.keys(map).map((k) => map[k]) : [];
    },
  },
  {
    name: "toPairs",
    validate: (args) => arity("toPairs", args, 1) ?? ((args[0] as ExprType).kind === "map" || isUnknown(args[0] as ExprType) ? arrayOf(ANY) : `cannot transform ${typeName(args[0] as ExprType)} to pairs`),
    make: () => (m: unknown) => {
      const map = mapArg("transform", m);
      return map ? Object.keys(map).map((k) => [k, map[k]]) : [];
    },
  },
  {
    name: "fromPairs",
    validate: (args) => arity("fromPairs", args, 1) ?? (isArrayish(args[0] as ExprType) ? mapOf(ANY) : `cannot transform ${typeName(args[0] as ExprType)} from pairs`),
    make: () => (a: unknown) => {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const pair of arrayArg("transform from pairs", a)) {
        if (!Array.isArray(pair)) return fail(`invalid pair ${formatGoValue(pair)}`);
        if (pair.length !== 2) return fail(`invalid pair length ${formatGoValue(pair)}`);
        const k = pair[0];
        if (typeof k !== "string") return fail(`interface conversion: interface {} is ${goTypeOf(k)}, not string`);
        out[k] = pair[1];
      }
      return out;
    },
  },
  {
    name: "reverse",
    validate: (args) => arity("reverse", args, 1) ?? (isArrayish(args[0] as ExprType) ? arrayOf(ANY) : `cannot reverse ${typeName(args[0] as ExprType)}`),
    make: () => (a: unknown) => arrayArg("reverse", a).slice().reverse(),
  },
  {
    name: "uniq",
    validate: (args) => arity("uniq", args, 1) ?? (isArrayish(args[0] as ExprType) ? arrayOf(ANY) : `cannot uniq ${typeName(args[0] as ExprType)}`),
    make: () => (a: unknown) => {
      const out: unknown[] = [];
      for (const x of arrayArg("uniq", a)) if (!out.some((y) => equal(x, y))) out.push(x);
      return out;
    },
  },
  {
    name: "concat",
    validate: (args) => {
      if (args.length === 0) return "invalid number of arguments (expected at least 1, got 0)";
      for (const a of args) if (!isArrayish(a)) return `cannot concat ${typeName(a)}`;
      return arrayOf(ANY);
    },
    make: () => (...args: unknown[]) => {
      const out: unknown[] = [];
      for (const a of args) out.push(...arrayArg("concat", a));
      return out;
    },
  },
  {
    name: "flatten",
    validate: (args) => arity("flatten", args, 1) ?? (isArrayish(args[0] as ExprType) ? arrayOf(ANY) : `cannot flatten ${typeName(args[0] as ExprType)}`),
    make: () => (a: unknown) => {
      const out: unknown[] = [];
      flattenInto(out, arrayArg("flatten", a), 0);
      return out;
    },
  },
  {
    name: "sort",
    signatures: [
      "func([]any, string) []any", "func([]int, string) []any", "func([]float64, string) []any", "func([]string, string) []any",
      "func([]any) []any", "func([]float64) []any", "func([]string) []any", "func([]int) []any",
    ],
    make: () => (a: readonly unknown[] | null, order: unknown = "asc") => sortValues(a ?? [], sortOrder(order)),
  },
  bitFunc("bitand", (x, y) => x & y),
  bitFunc("bitor", (x, y) => x | y),
  bitFunc("bitxor", (x, y) => x ^ y),
  bitFunc("bitnand", (x, y) => x & ~y),
  bitFunc("bitshl", (x, y) => x << y, true),
  bitFunc("bitshr", (x, y) => x >> y, true),
  bitFunc("bitushr", (x, y) => BigInt.asUintN(64, x) >> y, true),
  {
    name: "bitnot",
    signatures: ["func(int) int"],
    make: () => (x: number) => Number(BigInt.asIntN(64, ~BigInt(x))),
  },
];

export const BUILTINS: ReadonlyMap<string, BuiltinDef> = new Map(BUILTIN_LIST.map((b) => [b.name, b]));

/** Predicate builtins the compiler inlines (they take `{ … }` closures). */
export const PREDICATE_BUILTINS: ReadonlySet<string> = new Set(["all", "none", "any", "one", "filter", "map", "count", "sum", "find", "findIndex", "findLast", "findLastIndex", "groupBy", "sortBy", "reduce"]);

/** Every name that parses as a builtin call. */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set([...BUILTINS.keys(), ...PREDICATE_BUILTINS]);

