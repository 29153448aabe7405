/**
 * URL helpers with Go net/url semantics (PathUnescape, QueryEscape, ParseUri …) and
 * CrowdSec's own lenient query parser (ParseQuery, ExtractQueryParam in waf.go).
 */
import { asString, newMap } from "./args";
import { utf8Decode, utf8Encode } from "./go-text";
import type { HelperDef } from "./types";

type Mode = "path" | "pathSegment" | "query" | "host" | "zone" | "userPassword" | "fragment";

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function unhex(c: number): number {
  if (c <= 57) return c - 48;
  if (c <= 70) return c - 55;
  return c - 87;
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Go url.shouldEscape for one byte. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if (mode === "host" || mode === "zone") {
    if ("!$&'()*+,;=:[]<>\"".includes(String.fromCharCode(c))) return false;
  }
  switch (c) {
    case 45: // - _ . ~
    case 95:
    case 46:
    case 126:
      return false;
    case 36: // $ & + , / : ; = ? @
    case 38:
    case 43:
    case 44:
    case 47:
    case 58:
    case 59:
    case 61:
    case 63:
    case 64:
      switch (mode) {
        case "path":
          return c === 63;
        case "pathSegment":
          return c === 47 || c === 59 || c === 44 || c === 63;
        case "userPassword":
          return c === 64 || c === 47 || c === 63 || c === 58;
        case "query":
          return true;
        case "fragment":
          return false;
        default:
          break;
      }
  }
  if (mode === "fragment" && (c === 33 || c === 40 || c === 41 || c === 42)) return false;
  return true;
}

/** Go url.unescape: the decoded text, or undefined where Go returns an error. */
function goUnescape(s: string, mode: Mode): string | undefined {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      n++;
      if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return undefined;
      if (mode === "host" && unhex(s.charCodeAt(i + 1)) < 8 && s.slice(i, i + 3) !== "%25") return undefined;
      if (mode === "zone") {
        const v = (unhex(s.charCodeAt(i + 1)) << 4) | unhex(s.charCodeAt(i + 2));
        if (s.slice(i, i + 3) !== "%25" && v !== 32 && shouldEscape(v, "host")) return undefined;
      }
      i += 3;
    } else if (c === 43) {
      hasPlus = mode === "query";
      i++;
    } else {
      if ((mode === "host" || mode === "zone") && c < 0x80 && shouldEscape(c, mode)) return undefined;
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  const bytes = utf8Encode(s);
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 37) {
      out[j++] = (unhex(bytes[i + 1]!) << 4) | unhex(bytes[i + 2]!);
      i += 2;
    } else if (b === 43 && mode === "query") out[j++] = 32;
    else out[j++] = b;
  }
  return utf8Decode(out.subarray(0, j));
}

const UPPER_HEX = "0123456789ABCDEF";

/** Go url.escape for QueryEscape (space → "+") and PathEscape. */
function goEscape(s: string, mode: "query" | "pathSegment"): string {
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || shouldEscape(c, mode)) plain = false;
  }
  if (plain) return s;
  let out = "";
  for (const b of utf8Encode(s)) {
    if (b === 32 && mode === "query") out += "+";
    else if (b >= 0x80 || shouldEscape(b, mode)) out += "%" + UPPER_HEX[b >> 4] + UPPER_HEX[b & 15];
    else out += String.fromCharCode(b);
  }
  return out;
}

function hasControlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseHostOk(host: string): boolean {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0 || !validOptionalPort(host.slice(i + 1))) return false;
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      return goUnescape(host.slice(0, zone), "host") !== undefined && goUnescape(host.slice(zone, i), "zone") !== undefined && goUnescape(host.slice(i), "host") !== undefined;
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i >= 0 && !validOptionalPort(host.slice(i))) return false;
  }
  return goUnescape(host, "host") !== undefined;
}

const USERINFO_PUNCT = "-._:~!$&'()*+,;=%@";

function parseAuthorityOk(authority: string): boolean {
  const at = authority.lastIndexOf("@");
  if (!parseHostOk(at < 0 ? authority : authority.slice(at + 1))) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  for (let i = 0; i < userinfo.length; i++) {
    const c = userinfo.charCodeAt(i);
    if (!isAlnum(c) && !USERINFO_PUNCT.includes(userinfo[i]!)) return false;
  }
  const colon = userinfo.indexOf(":");
  if (colon < 0) return goUnescape(userinfo, "userPassword") !== undefined;
  return goUnescape(userinfo.slice(0, colon), "userPassword") !== undefined && goUnescape(userinfo.slice(colon + 1), "userPassword") !== undefined;
}

/** The scheme split of Go getScheme: [scheme, rest], or undefined for "missing protocol scheme". */
function splitScheme(raw: string): [string, string] | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) continue;
    if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === 58) return i === 0 ? undefined : [raw.slice(0, i), raw.slice(i + 1)];
    return ["", raw];
  }
  return ["", raw];
}

/** RawQuery of Go url.Parse(raw), or undefined where url.Parse fails. */
export function goRawQuery(raw: string): string | undefined {
  const hash = raw.indexOf("#");
  const u = hash < 0 ? raw : raw.slice(0, hash);
  if (hasControlByte(u)) return undefined;
  if (u === "*") return "";
  const split = splitScheme(u);
  if (!split) return undefined;
  const [scheme] = split;
  let rest = split[1];
  let rawQuery = "";
  const q = rest.indexOf("?");
  if (q >= 0 && q === rest.length - 1) rest = rest.slice(0, -1);
  else if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/")) {
    if (scheme !== "") return checkFragment(raw, hash, rawQuery); // opaque
    const slash = rest.indexOf("/");
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(":")) return undefined;
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    if (!parseAuthorityOk(authority)) return undefined;
  }
  if (goUnescape(rest, "path") === undefined) return undefined;
  return checkFragment(raw, hash, rawQuery);
}

function checkFragment(raw: string, hash: number, rawQuery: string): string | undefined {
  if (hash < 0 || hash === raw.length - 1) return rawQuery;
  return goUnescape(raw.slice(hash + 1), "fragment") === undefined ? undefined : rawQuery;
}

/** Go url.ParseQuery: the values, or undefined when it reports an error (upstream then keeps nothing). */
export function goParseQuery(query: string): Record<string, string[]> | undefined {
  const m = newMap<string[]>();
  let failed = false;
  for (const part of query.split("&")) {
    if (part.includes(";")) {
      failed = true;
      continue;
    }
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = goUnescape(eq < 0 ? part : part.slice(0, eq), "query");
    const value = goUnescape(eq < 0 ? "" : part.slice(eq + 1), "query");
    if (key === undefined || value === undefined) {
      failed = true;
      continue;
    }
    (m[key] ??= []).push(value);
  }
  return failed ? undefined : m;
}

/** CrowdSec's lenient unescape (waf.go): a bad "%" escape stays as it is, "+" is a space. */
function lenientUnescape(s: string): string {
  if (!s.includes("%") && !s.includes("+")) return s;
  const bytes = utf8Encode(s);
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 43) out[j++] = 32;
    else if (b === 37 && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out[j++] = (unhex(bytes[i + 1]!) << 4) | unhex(bytes[i + 2]!);
      i += 2;
    } else out[j++] = b;
  }
  return utf8Decode(out.subarray(0, j));
}

/** CrowdSec ParseQuery (waf.go): "&"-separated, ";" kept in values, never fails. */
export function lenientParseQuery(query: string): Record<string, string[]> {
  const m = newMap<string[]>();
  if (query === "") return m;
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = lenientUnescape(eq < 0 ? part : part.slice(0, eq));
    const value = lenientUnescape(eq < 0 ? "" : part.slice(eq + 1));
    (m[key] ??= []).push(value);
  }
  return m;
}

export const URL_HELPERS: readonly HelperDef[] = [
  {
    name: "PathUnescape",
    signatures: ["func(string) string"],
    pure: true,
    make: () => (s) => {
      const str = asString(s);
      return goUnescape(str, "pathSegment") ?? str;
    },
  },
  {
    name: "QueryUnescape",
    signatures: ["func(string) string"],
    pure: true,
    make: () => (s) => {
      const str = asString(s);
      return goUnescape(str, "query") ?? str;
    },
  },
  { name: "PathEscape", signatures: ["func(string) string"], make: () => (s) => goEscape(asString(s), "pathSegment") },
  { name: "QueryEscape", signatures: ["func(string) string"], make: () => (s) => goEscape(asString(s), "query") },
  {
    name: "ParseUri",
    signatures: ["func(string) map[string][]string"],
    make: (ctx) => (s) => {
      const uri = asString(s);
      const rawQuery = goRawQuery(uri);
      if (rawQuery === undefined) {
        ctx.warn?.(`Could not parse URI '${uri}'`);
        return newMap<string[]>();
      }
      const values = goParseQuery(rawQuery);
      if (!values) {
        ctx.warn?.(`Could not parse query uri '${uri}'`);
        return newMap<string[]>();
      }
      return values;
    },
  },
  {
    name: "ParseQuery",
    signatures: ["func(string) url.Values"],
    make: () => (s) => lenientParseQuery(asString(s)),
  },
  {
    name: "ExtractQueryParam",
    signatures: ["func(string, string) []string"],
    make: () => (u, p) => {
      const uri = asString(u);
      const param = asString(p);
      const q = uri.indexOf("?");
      if (q < 0 || q === uri.length - 1) return [];
      const values = lenientParseQuery(uri.slice(q + 1));
      return Object.prototype.hasOwnProperty.call(values, param) ? values[param] : [];
    },
  },
];
