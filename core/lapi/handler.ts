/**
 * The route table (LAPI.md §1) and the request handler: `(Request, clientIp) → Response`, usable
 * without a socket. Unknown paths are 404 and wrong methods 405, both with empty bodies, as gin's
 * router answers; a handler failure is a 500 `{"message":…}`, never a crash.
 */
import { deleteAlert, deleteAlerts, getAlert, pushAlerts, searchAlerts } from "./alerts";
import type { LapiContext, LapiRequest } from "./context";
import { deleteDecision, deleteDecisions, getDecisions, streamDecisions } from "./decisions";
import { empty, json, message } from "./respond";
import { deleteSelf, heartbeat, loginWatcher, refreshToken, registerWatcher, usageMetrics } from "./watchers";

type Handler = (ctx: LapiContext, r: LapiRequest, param: string) => Promise<Response> | Response;
type Methods = Readonly<Partial<Record<string, Handler>>>;

const health: Handler = () => json(200, { status: "up" });

/** Exact paths. */
const ROUTES: Readonly<Record<string, Methods>> = {
  "/health": { GET: health, HEAD: health },
  "/v1/watchers": { POST: registerWatcher },
  "/v1/watchers/login": { POST: loginWatcher },
  "/v1/watchers/self": { DELETE: deleteSelf },
  "/v1/refresh_token": { GET: refreshToken },
  "/v1/heartbeat": { GET: heartbeat },
  "/v1/alerts": { GET: searchAlerts, HEAD: searchAlerts, POST: pushAlerts, DELETE: deleteAlerts },
  "/v1/decisions": { GET: getDecisions, HEAD: getDecisions, DELETE: deleteDecisions },
  "/v1/decisions/stream": { GET: streamDecisions, HEAD: streamDecisions, DELETE: deleteDecision },
  "/v1/usage-metrics": { POST: usageMetrics },
};

/** Paths with one trailing parameter: `/v1/alerts/{alert_id}`, `/v1/decisions/{decision_id}`. */
const PARAM_ROUTES: readonly (readonly [string, Methods])[] = [
  ["/v1/alerts/", { GET: getAlert, HEAD: getAlert, DELETE: deleteAlert }],
  ["/v1/decisions/", { DELETE: deleteDecision }],
];

function route(path: string): { methods: Methods; param: string } | undefined {
  const exact = ROUTES[path];
  // DELETE /v1/decisions/stream reaches the {decision_id} route, as with gin
  if (exact) return { methods: exact, param: path === "/v1/decisions/stream" ? "stream" : "" };
  for (const [prefix, methods] of PARAM_ROUTES) {
    if (path.startsWith(prefix)) {
      const param = path.slice(prefix.length);
      if (param !== "" && !param.includes("/")) return { methods, param: decodeURIComponentSafe(param) };
    }
  }
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type LapiHandler = (req: Request, clientIp: string) => Promise<Response>;

/** The peer address as Go shows it: `::ffff:1.2.3.4` → `1.2.3.4`. */
export function normaliseClientIp(ip: string): string {
  return ip.toLowerCase().startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

/** The Local API as a function of one request. */
export function createLapiHandler(ctx: LapiContext): LapiHandler {
  return async (req, clientIp) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return empty(400);
    }
    const path = url.pathname;
    const found = route(path);
    if (!found) {
      // gin redirects a trailing slash to the route without it (301 for GET, 307 otherwise)
      if (path.length > 1 && path.endsWith("/") && route(path.slice(0, -1))) {
        const to = path.slice(0, -1) + url.search;
        return new Response(null, { status: req.method === "GET" ? 301 : 307, headers: { Location: to } });
      }
      return empty(404);
    }
    const handler = found.methods[req.method];
    if (!handler) return empty(405);
    const r: LapiRequest = { req, url, method: req.method, clientIp: normaliseClientIp(clientIp) };
    try {
      return await handler(ctx, r, found.param);
    } catch (e) {
      ctx.log(`${req.method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return message(500, "internal server error");
    }
  };
}
