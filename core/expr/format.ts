/**
 * Go's fmt as expressions need it: `%v` (Sprintf, string(), messages), `%f`, and the conversion
 * of an expression result into the text a parser static writes (PARSERS.md §5.2).
 */
import { formatDuration, GoTime } from "./time";
import { methodOf, STRUCT_TYPE, type ExprType, type MethodDef, type StructType } from "./types";

/** Go %v of a float64: shortest digits, exponent form below 1e-4 and from 1e6 (strconv 'g', -1: `1e+06`). */
export function formatFloatV(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = x.toExponential(); // shortest round-trip digits: "d.ddde±x"
  const eAt = exp.indexOf("e");
  const mantissa = exp.slice(0, eAt);
  const e = Number(exp.slice(eAt + 1));
  // %g with the shortest precision decides on precision 6: %e when exp < -4 || exp >= 6
  if (e < -4 || e >= 6) {
    const sign = e < 0 ? "-" : "+";
    const digits = String(Math.abs(e)).padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return String(x);
}

/** Go %f with `prec` decimals (6 by default, what statics write for floats). */
export function formatFloatF(x: number, prec = 6): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  let text: string;
  if (abs >= 1e21) {
    text = BigInt(abs).toString() + (prec > 0 ? `.${"0".repeat(prec)}` : "");
  } else {
    text = abs.toFixed(prec);
    // toFixed breaks exact ties upwards; Go rounds them to even (1/128 → "0.007812")
    const long = abs.toFixed(Math.min(100, prec + 40));
    const cut = long.indexOf(".") + 1 + prec - (prec === 0 ? 1 : 0);
    if (TIE.test(long.slice(prec === 0 ? cut + 1 : cut))) {
      const kept = long.slice(0, cut);
      const last = kept.charCodeAt(kept.length - 1) - 48;
      if (last % 2 === 0) text = kept.endsWith(".") ? kept.slice(0, -1) : kept;
    }
  }
  return negative ? `-${text}` : text;
}

const TIE = /^50*$/;

/** Go %d / %v of an int. */
export function formatInt(n: number): string {
  if (Math.abs(n) >= 1e21) return BigInt(Math.trunc(n)).toString();
  return String(Math.trunc(n));
}

function stringer(t: ExprType | undefined): MethodDef | undefined {
  if (!t) return undefined;
  const m = methodOf(t, "String");
  return m && m.type.params.length === 0 ? m : undefined;
}

function structTypeOf(v: object): StructType | undefined {
  const t = (v as { [STRUCT_TYPE]?: unknown })[STRUCT_TYPE];
  return t && typeof t === "object" && (t as StructType).kind === "struct" ? (t as StructType) : undefined;
}

/**
 * Go's %v. `type` is the static type when known; without it, integral numbers print as ints
 * (helpers such as Sprintf see no static types); with `ANY`, numbers print as float64.
 */
export function formatGoValue(value: unknown, type?: ExprType): string {
  return formatValue(value, type, true);
}

function formatValue(value: unknown, type: ExprType | undefined, top: boolean): string {
  if (value === null || value === undefined) {
    if (type && (type.kind === "array")) return "[]";
    if (type && type.kind === "map") return "map[]";
    return "<nil>";
  }
  const s = stringer(type);
  if (s) return String((s.impl as (self: unknown) => unknown)(value));
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (type?.kind === "duration") return formatDuration(value);
      if (type?.kind === "int") return formatInt(value);
      if (type?.kind === "float" || type?.kind === "any") return formatFloatV(value);
      return Number.isInteger(value) ? formatInt(value) : formatFloatV(value);
    case "function":
      return "<func>";
    case "object":
      break;
    default:
      return String(value);
  }
  if (value instanceof GoTime) return value.String();
  if (Array.isArray(value)) {
    const elem = type?.kind === "array" ? type.elem : undefined;
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? " " : "") + formatValue(value[i], elem, false);
    return `${out}]`;
  }
  const st = type?.kind === "struct" ? type : structTypeOf(value);
  if (st) {
    const fields = st.fields;
    const parts: string[] = [];
    for (const name of Object.keys(fields)) {
      parts.push(formatValue((value as Record<string, unknown>)[name], fields[name], false));
    }
    return `${top && st.pointer ? "&" : ""}{${parts.join(" ")}}`;
  }
  const elem = type?.kind === "map" ? type.elem : undefined;
  const keys = Object.keys(value).sort();
  const parts = keys.map((k) => `${k}:${formatValue((value as Record<string, unknown>)[k], elem, false)}`);
  return `map[${parts.join(" ")}]`;
}

/** What a parser static does with an expression result (upstream pkg/parser/runtime.go). */
export type StaticText =
  /** Text to write; "" means the static is skipped (nil results land here too). */
  | { readonly kind: "text"; readonly text: string }
  /** A map or a []interface{}: upstream logs a warning and writes nothing. */
  | { readonly kind: "warning"; readonly reason: string }
  /** Any other type (bool, []string, time.Duration…): the node fails with a hard error. */
  | { readonly kind: "error"; readonly reason: string };

const SKIP: StaticText = { kind: "text", text: "" };

/**
 * Converts an expression result to the string a static writes, by the Go type the value would have:
 * string as is, int in decimal, float64 with `%f` (6 decimals), nil skipped, map and []any a
 * warning, anything else an error. `type` is the program's static result type.
 */
export function formatStaticValue(value: unknown, type: ExprType): StaticText {
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? { kind: "text", text: value } : SKIP;
    case "int":
      if (type.name !== undefined) return { kind: "error", reason: `unexpected return type ${type.name}` };
      return { kind: "text", text: formatInt(Number(value)) };
    case "float":
      return { kind: "text", text: formatFloatF(Number(value)) };
    case "nil":
      return SKIP;
    case "map":
      if (type.elem.kind === "any" && type.name === undefined) return { kind: "warning", reason: "expression returned a map" };
      return { kind: "error", reason: `unexpected return type map[string]${type.elem.kind}` };
    case "array":
      if (type.elem.kind === "any" && type.name === undefined) return { kind: "warning", reason: "expression returned an array" };
      return { kind: "error", reason: "unexpected return type for an array that is not []interface {}" };
    case "any":
      break;
    default:
      return { kind: "error", reason: `unexpected return type ${type.kind}` };
  }
  // any-typed: decide by the run-time value, whose Go type is the JSON decoding one
  if (value === null || value === undefined) return SKIP;
  if (typeof value === "string") return { kind: "text", text: value };
  if (typeof value === "number") return { kind: "text", text: formatFloatF(value) };
  if (Array.isArray(value)) return { kind: "warning", reason: "expression returned an array" };
  if (typeof value === "object" && !(value instanceof GoTime) && !structTypeOf(value)) return { kind: "warning", reason: "expression returned a map" };
  return { kind: "error", reason: `unexpected return type ${typeof value === "boolean" ? "bool" : value instanceof GoTime ? "time.Time" : typeof value}` };
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26 && c !== 0x2028 && c !== 0x2029) {
      out += s[i];
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += "\\\\"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      default: out += `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return out + '"';
}

function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) return "null";
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e-6 && abs < 1e21) return String(x);
  // Go writes exponents with at least two digits: 1e-07
  return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
}

/**
 * Go's encoding/json as expressions see it (toJSON, ToJsonString): map keys sorted, `<>&`
 * escaped, times in RFC 3339. `indent` "" gives the compact form.
 */
export function marshalGoJSON(value: unknown, indent = ""): string {
  return marshal(value, indent, "");
}

function marshal(v: unknown, indent: string, prefix: string): string {
  if (v === null || v === undefined) return "null";
  switch (typeof v) {
    case "string": return jsonString(v);
    case "number": return jsonNumber(v);
    case "boolean": return v ? "true" : "false";
    case "object": break;
    default: return "null";
  }
  if (v instanceof GoTime) return jsonString(v.toJSON());
  const inner = prefix + indent;
  const nl = indent ? `\n${inner}` : "";
  const end = indent ? `\n${prefix}` : "";
  const sep = indent ? ": " : ":";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[${nl}${v.map((x) => marshal(x, indent, inner)).join(`,${nl}`)}${end}]`;
  }
  const st = structTypeOf(v);
  const keys = st ? Object.keys(st.fields) : Object.keys(v).sort();
  if (keys.length === 0) return "{}";
  const parts = keys.map((k) => `${jsonString(k)}${sep}${marshal((v as Record<string, unknown>)[k], indent, inner)}`);
  return `{${nl}${parts.join(`,${nl}`)}${end}}`;
}
