/**
 * The request-target as Go's url.Parse reads it (pitfall P4): fragment dropped, `//host/x` is a
 * host and a path, the path percent-decoded (`+` stays), a bad escape or a control byte is an
 * error. `requestUri` is what Coraza stores as REQUEST_URI: Go's URL.String() re-serialisation.
 */
import { err, ok, problem, type Result } from "../result";

export interface ParsedTarget {
  readonly scheme: string;
  readonly host: string;
  /** Decoded path: REQUEST_FILENAME. */
  readonly path: string;
  readonly rawQuery: string;
  /** URL.String(): REQUEST_URI. */
  readonly requestUri: string;
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder("utf-8");

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Go url.PathUnescape: strict `%XX`, `+` kept. */
function pathUnescape(s: string): string | undefined {
  if (s.indexOf("%") < 0) return s;
  const bytes = ENCODER.encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x25) {
      if (i + 2 >= bytes.length) return undefined;
      const hi = hexValue(bytes[i + 1]!);
      const lo = hexValue(bytes[i + 2]!);
      if (hi < 0 || lo < 0) return undefined;
      out[n++] = (hi << 4) | lo;
      i += 2;
      continue;
    }
    out[n++] = c;
  }
  return DECODER.decode(out.subarray(0, n));
}

function isUnreserved(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e;
}

// net/url shouldEscape(c, encodePath)
function pathNeedsEscape(c: number): boolean {
  if (isUnreserved(c)) return false;
  return !"$&+,/:;=@".includes(String.fromCharCode(c));
}

// net/url validEncoded(s, encodePath)
function validEncoded(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ("!$&'()*+,;=:@[]%".includes(s[i]!)) continue;
    if (c > 0x7f || pathNeedsEscape(c)) return false;
  }
  return true;
}

function escapePath(path: string): string {
  let simple = true;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 0x7f || pathNeedsEscape(c)) {
      simple = false;
      break;
    }
  }
  if (simple) return path;
  let out = "";
  for (const b of ENCODER.encode(path)) out += b <= 0x7f && !pathNeedsEscape(b) ? String.fromCharCode(b) : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  return out;
}

/** Parses a forwarded request-target; an error is what makes upstream answer 500. */
export function parseTarget(uri: string): Result<ParsedTarget> {
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return err(problem("appsec.bad-uri", `Cannot parse URI "${uri}": invalid control character in URL`));
  }
  let rest = uri;
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  let rawQuery = "";
  const q = rest.indexOf("?");
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let scheme = "";
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]!.toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  } else if (rest.startsWith(":")) {
    return err(problem("appsec.bad-uri", `Cannot parse URI "${uri}": missing protocol scheme`));
  }
  let host = "";
  if (rest.startsWith("//") && !(scheme === "" && rest.startsWith("///"))) {
    const slash = rest.indexOf("/", 2);
    host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
  } else if (scheme === "" && !rest.startsWith("/")) {
    const colon = rest.indexOf(":");
    const slash = rest.indexOf("/");
    if (colon >= 0 && (slash < 0 || colon < slash)) return err(problem("appsec.bad-uri", `Cannot parse URI "${uri}": first path segment in URL cannot contain colon`));
  }
  const path = pathUnescape(rest);
  if (path === undefined) return err(problem("appsec.bad-uri", `Cannot parse URI "${uri}": invalid URL escape`));
  const escaped = validEncoded(rest) ? rest : escapePath(path);
  let requestUri = "";
  if (scheme !== "") requestUri += scheme + ":";
  if (scheme !== "" || host !== "") requestUri += "//" + host;
  requestUri += escaped;
  if (rawQuery !== "") requestUri += "?" + rawQuery;
  return ok({ scheme, host, path, rawQuery, requestUri });
}
