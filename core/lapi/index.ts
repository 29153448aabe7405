/**
 * The Local API server, wire-compatible with CrowdSec's LAPI v1 (1.4.6 formats, plus the current
 * routes bouncers use): machines push alerts and manage decisions with a JWT, bouncers read
 * decisions with an API key. Also the formatting and filter parsing the admin commands reuse.
 */

/** createLapiServer(options) → Result<LapiServer>: Bun.serve on host:port, a unix socket, or TLS. */
export { createLapiServer, lapiContext, tokenSecret, type LapiListen, type LapiOptions, type LapiServer } from "./server";
/** The request handler without a socket: `(Request, clientIp) → Promise<Response>`. */
export { createLapiHandler, type LapiHandler } from "./handler";
export type { LapiContext } from "./context";
export { DEFAULT_BODY_LIMITS, type BodyLimits } from "./body";
/** Stored rows → 1.4.6 JSON (alerts, bouncer decisions), Go duration and time texts. */
export {
  alertRecordToWire,
  decisionJson,
  decisionRecordToWire,
  goDurationText,
  goTimeText,
  goTimeTextOfDate,
  parseRfc3339,
  remainingText,
  rfc3339Seconds,
} from "./format";
/** Query parameters → store filters, with upstream's error texts (500 bodies). */
export { parseAlertFilter, parseDecisionDeleteFilter, parseDecisionFilter, parseDurationDays, parseGoBool, parseStreamParams } from "./filters";
/** Bouncer key hashing (sha512 hex) as CrowdSec stores keys. */
export { hashApiKey } from "./auth";
/** Tokens: HS256, claims id/exp/orig_iat. */
export { issueToken, verifyToken, type TokenClaims } from "./jwt";
/** POST /v1/alerts bodies: Go unmarshal + swagger validation, then the rows to store. */
export { decodeAlertsBody, hasOwnDecisions, wireToNewAlert, type AlertsBody } from "./alerts-body";
/** Alert search and delete with 1.4.6's include_capi=false (crowdsec/cscli origins only). */
/** The client side: what cscli-like commands and a remote agent (`run --no-api`) speak to a Local API. */
export { createLapiClient, encodeQuery, type AlertsApi, type LapiClient, type LapiClientOptions, type LapiProblem, type LapiQuery, type LapiToken } from "./client";
