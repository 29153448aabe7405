/**
 * The request as the AppSec component sees it (upstream pkg/appsec/request.go ParsedRequest):
 * the original method, target, headers and body that a remediation component forwarded, with
 * the target parsed as Go's url.Parse does and the query parsed by CrowdSec's lenient parser.
 */
import { err, ok, problem, type Result } from "../result";
import { parseQuery, type Pairs } from "./query";
import { parseTarget } from "./url";

/** One request to evaluate. Build it with parseAppsecRequest or requestFromForwarded. */
export interface AppsecRequest {
  /** Client IP (X-Crowdsec-Appsec-Ip): `source_ip`, Coraza REMOTE_ADDR. */
  readonly clientIp: string;
  /** Remediation component's address, without port: `remediation_cmpt_ip`. */
  readonly remoteAddr: string;
  readonly method: string;
  /** Request-target as forwarded (`/login.php?id=1`): `target_uri`. */
  readonly uri: string;
  /** Original Host ("" when not forwarded). */
  readonly host: string;
  /** "HTTP/1.1" … */
  readonly proto: string;
  /** Transaction id: `req_uuid`. */
  readonly uuid: string;
  /** Decoded path: REQUEST_FILENAME. */
  readonly path: string;
  readonly rawQuery: string;
  /** URL.String(): REQUEST_URI. */
  readonly requestUri: string;
  /** Query args (ARGS_GET), in arrival order. */
  readonly args: Pairs;
  /** Headers as the WAF gets them: Go canonical names, Host and User-Agent per the forwarding rules. */
  readonly headers: Pairs;
  readonly body: Uint8Array;
  /** Body read past the size limit (set by the HTTP layer). */
  readonly bodySizeExceeded: boolean;
}

export interface AppsecRequestInit {
  readonly clientIp: string;
  readonly method: string;
  readonly uri: string;
  readonly host?: string;
  /** Other headers of the client, names as sent; a "User-Agent" entry is taken as the client's user agent. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Uint8Array | string;
  readonly proto?: string;
  readonly uuid?: string;
  readonly remoteAddr?: string;
  readonly bodySizeExceeded?: boolean;
}

const ENCODER = new TextEncoder();

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go textproto.CanonicalMIMEHeaderKey: `x-atlassian-token` → `X-Atlassian-Token`; names with invalid bytes are kept. */
export function canonicalHeaderName(name: string): string {
  if (!TOKEN.test(name)) return name;
  let out = "";
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return out;
}

let counter = 0;

function newUuid(): string {
  counter++;
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `00000000-0000-4000-8000-${counter.toString(16).padStart(12, "0")}`;
}

/**
 * Builds the request the WAF evaluates. A target Go cannot parse is an error (upstream answers
 * 500 and evaluates nothing). A User-Agent header is kept only when non-empty (pitfall P5).
 */
export function parseAppsecRequest(init: AppsecRequestInit): Result<AppsecRequest> {
  if (init.clientIp === "") return err(problem("appsec.missing-header", "Cannot evaluate request: missing client IP"));
  if (init.uri === "") return err(problem("appsec.missing-header", "Cannot evaluate request: missing URI"));
  if (init.method === "") return err(problem("appsec.missing-header", "Cannot evaluate request: missing method"));
  const target = parseTarget(init.uri);
  if (!target.ok) return target;
  const headers: Pairs = { keys: [], values: [] };
  for (const [name, value] of init.headers ?? []) {
    const canonical = canonicalHeaderName(name);
    if (canonical === "Host") continue;
    if (canonical === "User-Agent" && value === "") continue;
    headers.keys.push(canonical);
    headers.values.push(value);
  }
  const host = init.host ?? "";
  if (host !== "") {
    headers.keys.push("Host");
    headers.values.push(host);
  }
  const body = typeof init.body === "string" ? ENCODER.encode(init.body) : (init.body ?? new Uint8Array());
  return ok({
    clientIp: init.clientIp,
    remoteAddr: init.remoteAddr ?? "127.0.0.1",
    method: init.method,
    uri: init.uri,
    host,
    proto: init.proto ?? "HTTP/1.1",
    uuid: init.uuid ?? newUuid(),
    path: target.value.path,
    rawQuery: target.value.rawQuery,
    requestUri: target.value.requestUri,
    args: parseQuery(target.value.rawQuery),
    headers,
    body,
    bodySizeExceeded: init.bodySizeExceeded ?? false,
  });
}

const HTTP_VERSIONS: Readonly<Record<string, string>> = { "10": "HTTP/1.0", "11": "HTTP/1.1", "20": "HTTP/2", "30": "HTTP/3.0" };

const FORWARDED = new Set([
  "x-crowdsec-appsec-api-key", "x-crowdsec-appsec-ip", "x-crowdsec-appsec-uri", "x-crowdsec-appsec-host",
  "x-crowdsec-appsec-verb", "x-crowdsec-appsec-user-agent", "x-crowdsec-appsec-http-version", "x-crowdsec-appsec-transaction-id",
]);

/**
 * The request a remediation component forwarded (APPSEC.md §1.3): the X-Crowdsec-Appsec-*
 * headers give IP, URI, method, host, user agent, version and transaction id; every other
 * header is the client's. `remoteAddr` is the component's own address.
 */
export function requestFromForwarded(
  headers: readonly (readonly [string, string])[],
  body: Uint8Array,
  remoteAddr: string,
  proto = "HTTP/1.1",
): Result<AppsecRequest> {
  const get = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
  const version = get("x-crowdsec-appsec-http-version");
  const userAgent = get("x-crowdsec-appsec-user-agent");
  const own: [string, string][] = [];
  for (const [k, v] of headers) {
    const lower = k.toLowerCase();
    if (FORWARDED.has(lower) || lower === "user-agent" || lower === "host") continue;
    own.push([k, v]);
  }
  if (userAgent !== "") own.push(["User-Agent", userAgent]);
  const uuid = get("x-crowdsec-appsec-transaction-id");
  return parseAppsecRequest({
    clientIp: get("x-crowdsec-appsec-ip"),
    uri: get("x-crowdsec-appsec-uri"),
    method: get("x-crowdsec-appsec-verb"),
    host: get("x-crowdsec-appsec-host"),
    headers: own,
    body,
    proto: /^[0-9]{2}$/.test(version) ? (HTTP_VERSIONS[version] ?? proto) : proto,
    uuid: uuid === "" ? undefined : uuid,
    remoteAddr: remoteAddr === "@" || remoteAddr === "" ? "127.0.0.1" : remoteAddr,
  });
}
