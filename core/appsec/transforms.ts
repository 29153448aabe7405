/**
 * The transformations of YAML appsec-rules (APPSEC.md §3.5), as Coraza implements them: pure
 * string → string functions, looked up once at load time. `count` is not here: it changes the
 * target, not the value.
 */
import { unescapeQuery } from "./query";

export type Transform = (value: string) => string;

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder("utf-8");

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Coraza base64Decode: decodes up to the first character outside the alphabet, padding optional. */
function base64Decode(s: string, lenient: boolean): string {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) {
      if (lenient && (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2e)) continue;
      break;
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return DECODER.decode(Uint8Array.from(out));
}

function base64Encode(s: string): string {
  return Buffer.from(ENCODER.encode(s)).toString("base64");
}

/** Coraza hexDecode: the decoded bytes, or the input when it is not valid hex. */
function hexDecode(s: string): string {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return s;
  return DECODER.decode(Buffer.from(s, "hex"));
}

/** Go path.Clean. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return "/" + joined;
  return joined === "" ? "." : joined;
}

/** Coraza normalizePath: path.Clean keeping a trailing slash, "." → "". */
function normalizePath(s: string): string {
  if (s === "") return s;
  const clean = cleanPath(s);
  if (clean === ".") return "";
  return s.endsWith("/") && clean !== "/" ? clean + "/" : clean;
}

const ENTITIES: Readonly<Record<string, string>> = { quot: '"', amp: "&", lt: "<", gt: ">", nbsp: "\u00a0", apos: "'" };

/** Coraza htmlEntityDecode: `&#N;`, `&#xH;` and the named entities quot, amp, lt, gt, nbsp (semicolon optional). */
function htmlEntityDecode(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(/&(?:#[xX]([0-9a-fA-F]{1,6});?|#([0-9]{1,7});?|(quot|amp|lt|gt|nbsp|apos);?)/g, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return ENTITIES[name.toLowerCase()] ?? _m;
    const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? "0", 10);
    return String.fromCharCode(code & 0xff);
  });
}

const JS_ESCAPES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
});

function jsDecode(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  return s.replace(/\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|(.))/gs, (_m, u: string | undefined, x: string | undefined, o: string | undefined, c: string | undefined) => {
    if (u !== undefined) return String.fromCharCode(parseInt(u, 16));
    if (x !== undefined) return String.fromCharCode(parseInt(x, 16));
    if (o !== undefined) return String.fromCharCode(parseInt(o, 8) & 0xff);
    return JS_ESCAPES[c ?? ""] ?? c ?? "";
  });
}

function cssDecode(s: string): string {
  if (s.indexOf("\\") < 0) return s;
  return s.replace(/\\(?:([0-9a-fA-F]{1,6})\s?|(\n)|(.))/gs, (_m, hex: string | undefined, nl: string | undefined, c: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16) & 0xff);
    if (nl !== undefined) return "";
    return c ?? "";
  });
}

/** Coraza cmdLine: drop `\ " ' ^`, `,` and `;` become spaces, whitespace collapsed, no space before `/` or `(`, lower case. */
function cmdLine(s: string): string {
  let out = "";
  let space = false;
  for (const ch of s) {
    let c = ch;
    if (c === "\\" || c === '"' || c === "'" || c === "^") continue;
    if (c === "," || c === ";" || c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      space = true;
      continue;
    }
    if (space) {
      if (c !== "/" && c !== "(" && out !== "") out += " ";
      space = false;
    }
    c = c.toLowerCase();
    out += c;
  }
  return out;
}

function removeComments(s: string, replace: boolean): string {
  return s.replace(/\/\*[\s\S]*?(?:\*\/|$)|<!--[\s\S]*?(?:-->|$)|--.*$|#.*$/gm, replace ? " " : "");
}

/** YAML transform name → function; undefined for an unknown name. */
export const TRANSFORMS: Readonly<Record<string, Transform>> = Object.assign(Object.create(null) as Record<string, Transform>, {
  lowercase: (s: string) => s.toLowerCase(),
  uppercase: (s: string) => s.toUpperCase(),
  length: (s: string) => String(utf8Length(s)),
  trim: (s: string) => s.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, ""),
  trim_left: (s: string) => s.replace(/^[ \t\n\r\f\v]+/, ""),
  trim_right: (s: string) => s.replace(/[ \t\n\r\f\v]+$/, ""),
  htmlentitydecode: htmlEntityDecode,
  html_entity_decode: htmlEntityDecode,
  js_decode: jsDecode,
  css_decode: cssDecode,
  urldecode: (s: string) => unescapeQuery(s),
  hexdecode: hexDecode,
  cmdline: cmdLine,
  b64decode: (s: string) => base64Decode(s, false),
  b64decode_lenient: (s: string) => base64Decode(s, true),
  b64encode: base64Encode,
  normalize_path: normalizePath,
  normalizepath: normalizePath,
  normalize_path_win: (s: string) => normalizePath(s.replaceAll("\\", "/")),
  normalizepathwin: (s: string) => normalizePath(s.replaceAll("\\", "/")),
  remove_whitespaces: (s: string) => s.replace(/[ \t\n\r\f\v\u00a0]+/g, ""),
  compress_whitespaces: (s: string) => s.replace(/[ \t\n\r\f\v\u00a0]+/g, " "),
  remove_nulls: (s: string) => s.replaceAll("\u0000", ""),
  replace_nulls: (s: string) => s.replaceAll("\u0000", " "),
  remove_comments: (s: string) => removeComments(s, false),
  replace_comments: (s: string) => removeComments(s, true),
});
