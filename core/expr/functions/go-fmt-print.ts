/**
 * Printing one Sprintf operand the way Go's fmt does for a verb and its flags: integers,
 * floats (exact rounding via go-float.ts), strings, slices, maps, structs, and %!verb(type=value)
 * for a verb the operand does not take.
 */
import { formatGoValue } from "../format";
import { STRUCT_TYPE } from "../types";
import { formatGoFloat } from "./go-float";
import { canBackquote, goQuote, goQuoteRune, isGoPrint, runeCount, utf8Encode } from "./go-text";

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

export function newFlags(): Flags {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: 0, widPresent: false, prec: 0, precPresent: false };
}

export function isInt(v: number): boolean {
  return Number.isSafeInteger(v) && !Object.is(v, -0);
}

function isPlainMap(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

function stringMethod(v: object): (() => unknown) | undefined {
  const m: unknown = (v as { String?: unknown }).String;
  return typeof m === "function" ? (m as () => unknown) : undefined;
}

/** reflect.TypeOf(v).String() as far as our values can tell. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return isInt(v) ? "int" : "float64";
    case "boolean":
      return "bool";
    case "object":
      if (Array.isArray(v)) return "[]interface {}";
      if (isPlainMap(v)) return "map[string]interface {}";
      return (v as { constructor?: { name?: string } }).constructor?.name ?? "struct";
    default:
      return typeof v;
  }
}

function padding(f: Flags, n: number): string {
  return n > 0 ? (f.zero ? "0" : " ").repeat(n) : "";
}

function pad(f: Flags, s: string): string {
  if (!f.widPresent || f.wid === 0) return s;
  const width = f.wid - runeCount(s);
  return f.minus ? s + padding(f, width) : padding(f, width) + s;
}

function truncate(f: Flags, s: string): string {
  if (!f.precPresent) return s;
  let n = f.prec;
  let i = 0;
  for (const ch of s) {
    if (--n < 0) return s.slice(0, i);
    i += ch.length;
  }
  return s;
}

const LDIGITS = "0123456789abcdefx";
const UDIGITS = "0123456789ABCDEFX";

function fmtInteger(f: Flags, v: number, base: number, digits: string, verb: string): string {
  const negative = v < 0;
  let u = Math.abs(v);
  let prec = 0;
  if (f.precPresent) {
    prec = f.prec;
    if (prec === 0 && u === 0) {
      const z = f.zero;
      f.zero = false;
      const out = padding(f, f.wid);
      f.zero = z;
      return out;
    }
  } else if (f.zero && f.widPresent) {
    prec = f.wid;
    if (negative || f.plus || f.space) prec--;
  }
  let s = u.toString(base);
  if (digits === UDIGITS) s = s.toUpperCase();
  if (s.length < prec) s = "0".repeat(prec - s.length) + s;
  if (f.sharp) {
    if (base === 8 && s[0] !== "0") s = "0" + s;
    if (base === 16) s = "0" + digits[16] + s;
  }
  if (verb === "O") s = "0o" + s;
  if (negative) s = "-" + s;
  else if (f.plus) s = "+" + s;
  else if (f.space) s = " " + s;
  const z = f.zero;
  f.zero = false;
  const out = pad(f, s);
  f.zero = z;
  return out;
}

function fmtUnicode(f: Flags, u: number): string {
  let prec = 4;
  if (f.precPresent && f.prec > 4) prec = f.prec;
  let s = "U+" + u.toString(16).toUpperCase().padStart(prec, "0");
  if (f.sharp && u >= 0 && u <= 0x10ffff && isGoPrint(u)) s += " '" + String.fromCodePoint(u) + "'";
  const z = f.zero;
  f.zero = false;
  const out = pad(f, s);
  f.zero = z;
  return out;
}

function fmtFloat(f: Flags, v: number, verb: string, defPrec: number): string {
  const prec = f.precPresent ? f.prec : defPrec;
  let num = formatGoFloat(v, verb, prec);
  if (num[0] !== "-" && num[0] !== "+") num = "+" + num;
  if (f.space && num[0] === "+" && !f.plus) num = " " + num.slice(1);
  if (num[1] === "I" || num[1] === "N") {
    const z = f.zero;
    f.zero = false;
    if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1);
    const out = pad(f, num);
    f.zero = z;
    return out;
  }
  if (f.sharp && verb !== "b") {
    // as upstream fmt/format.go: keep a decimal point and pad significant digits to the precision
    let digits = verb === "v" || verb === "g" || verb === "G" || verb === "x" ? (prec === -1 ? 6 : prec) : 0;
    let tail = "";
    let hasPoint = false;
    let sawNonzero = false;
    for (let i = 1; i < num.length; i++) {
      const c = num[i];
      if (c === ".") hasPoint = true;
      else if (c === "e" || c === "E") {
        tail = num.slice(i);
        num = num.slice(0, i);
        break;
      } else {
        if (c !== "0") sawNonzero = true;
        if (sawNonzero) digits--;
      }
    }
    if (!hasPoint) {
      if (num.length === 2 && num[1] === "0") digits--;
      num += ".";
    }
    if (digits > 0) num += "0".repeat(digits);
    num += tail;
  }
  if (f.plus || num[0] !== "+") {
    if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
      return num[0] + "0".repeat(f.wid - num.length) + num.slice(1);
    }
    return pad(f, num);
  }
  return pad(f, num.slice(1));
}

function fmtHexBytes(f: Flags, s: string, digits: string): string {
  let bytes = utf8Encode(s);
  if (f.precPresent && f.prec < bytes.length) bytes = bytes.subarray(0, f.prec);
  let width = 2 * bytes.length;
  if (width === 0) return f.widPresent ? padding(f, f.wid) : "";
  if (f.space) {
    if (f.sharp) width *= 2;
    width += bytes.length - 1;
  } else if (f.sharp) width += 2;
  let out = "";
  if (f.sharp) out += "0" + digits[16];
  for (let i = 0; i < bytes.length; i++) {
    if (f.space && i > 0) {
      out += " ";
      if (f.sharp) out += "0" + digits[16];
    }
    out += digits[bytes[i]! >> 4]! + digits[bytes[i]! & 0xf]!;
  }
  if (f.widPresent && f.wid > width) return f.minus ? out + padding(f, f.wid - width) : padding(f, f.wid - width) + out;
  return out;
}

function fmtQ(f: Flags, s: string): string {
  s = truncate(f, s);
  if (f.sharp && canBackquote(s)) return pad(f, "`" + s + "`");
  return pad(f, goQuote(s, f.plus));
}

function badVerb(f: Flags, verb: string, arg: unknown): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(arg)}=${printArg(f, arg, "v")})`;
}

/** The text of one operand for `verb`; may reset f.zero around padding, as Go does. */
export function printArg(f: Flags, arg: unknown, verb: string): string {
  if (arg === null || arg === undefined) {
    if (verb === "T" || verb === "v") return pad(f, "<nil>");
    return badVerb(f, verb, arg);
  }
  if (verb === "T") return pad(f, goTypeName(arg));
  switch (typeof arg) {
    case "boolean":
      return verb === "t" || verb === "v" ? pad(f, arg ? "true" : "false") : badVerb(f, verb, arg);
    case "string":
      switch (verb) {
        case "v":
          return f.sharpV ? pad(f, goQuote(arg)) : pad(f, truncate(f, arg));
        case "s":
          return pad(f, truncate(f, arg));
        case "x":
          return fmtHexBytes(f, arg, LDIGITS);
        case "X":
          return fmtHexBytes(f, arg, UDIGITS);
        case "q":
          return fmtQ(f, arg);
        default:
          return badVerb(f, verb, arg);
      }
    case "number":
      if (isInt(arg)) {
        switch (verb) {
          case "v":
          case "d":
            return fmtInteger(f, arg, 10, LDIGITS, verb);
          case "b":
            return fmtInteger(f, arg, 2, LDIGITS, verb);
          case "o":
          case "O":
            return fmtInteger(f, arg, 8, LDIGITS, verb);
          case "x":
            return fmtInteger(f, arg, 16, LDIGITS, verb);
          case "X":
            return fmtInteger(f, arg, 16, UDIGITS, verb);
          case "c":
            return pad(f, String.fromCodePoint(arg < 0 || arg > 0x10ffff || (arg >= 0xd800 && arg <= 0xdfff) ? 0xfffd : arg));
          case "q":
            return pad(f, goQuoteRune(arg, f.plus));
          case "U":
            return fmtUnicode(f, arg);
          default:
            return badVerb(f, verb, arg);
        }
      }
      switch (verb) {
        case "v":
          return fmtFloat(f, arg, "g", -1);
        case "g":
        case "G":
          return fmtFloat(f, arg, verb, -1);
        case "e":
        case "E":
        case "f":
        case "F":
          return fmtFloat(f, arg, verb, 6);
        default:
          return badVerb(f, verb, arg);
      }
    case "object":
      return printObject(f, arg, verb);
    default:
      return badVerb(f, verb, arg);
  }
}

function printObject(f: Flags, v: object, verb: string): string {
  const str = stringMethod(v);
  if (str && (verb === "v" || verb === "s" || verb === "x" || verb === "X" || verb === "q") && !f.sharpV) {
    return printArg(f, String(str.call(v)), verb);
  }
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += " ";
      out += printArg(f, v[i], verb);
    }
    return out + "]";
  }
  const keys = Object.keys(v);
  if (isPlainMap(v)) {
    keys.sort();
    let out = "map[";
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += " ";
      out += printArg(f, keys[i], verb) + ":" + printArg(f, v[keys[i]!], verb);
    }
    return out + "]";
  }
  if (STRUCT_TYPE in v && (verb === "v" || verb === "s")) return pad(f, formatGoValue(v));
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += " ";
    if (f.plusV) out += keys[i] + ":";
    out += printArg(f, (v as Record<string, unknown>)[keys[i]!], verb);
  }
  return out + "}";
}
