/**
 * `/metrics` on prometheus.listen_addr:listen_port (Bun.serve), and the Local API's request
 * counters under CrowdSec's route labels.
 */
import type { Store } from "../db";
import { EXPOSITION_CONTENT_TYPE, setStoreGauges, writeExposition, type CrowdsecMetrics, type DecisionCount } from "../metrics";
import { err, ok, problem, type Result } from "../result";

export interface MetricsServer {
  readonly url: string;
  stop(): void;
}

/** Serves the registry; `beforeScrape` refreshes what is computed rather than counted. */
export function serveMetrics(metrics: CrowdsecMetrics, host: string, port: number, beforeScrape: () => Promise<void> | void): Result<MetricsServer> {
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: host,
      port,
      async fetch(req) {
        const path = new URL(req.url).pathname;
        if (path !== "/metrics") return new Response("not found\n", { status: 404 });
        await beforeScrape();
        return new Response(writeExposition(metrics.registry.collect()), { headers: { "Content-Type": EXPOSITION_CONTENT_TYPE } });
      },
    });
  } catch (e) {
    return err(problem("daemon.metrics", `Cannot serve metrics on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`, { field: "prometheus.listen_port" }));
  }
  return ok({ url: `http://${host.includes(":") ? `[${host}]` : host}:${server.port}/metrics`, stop: () => void server.stop(true) });
}

/** gin's route template for a Local API path (`/v1/alerts/12` → `/v1/alerts/:alert_id`); undefined for unknown paths. */
export function lapiRouteLabel(path: string): string | undefined {
  if (KNOWN_ROUTES.has(path)) return path;
  if (path.startsWith("/v1/alerts/") && !path.slice(11).includes("/")) return "/v1/alerts/:alert_id";
  if (path.startsWith("/v1/decisions/") && !path.slice(14).includes("/")) return "/v1/decisions/:decision_id";
  return undefined;
}

const KNOWN_ROUTES: ReadonlySet<string> = new Set([
  "/health", "/v1/watchers", "/v1/watchers/login", "/v1/watchers/self", "/v1/refresh_token", "/v1/heartbeat",
  "/v1/alerts", "/v1/decisions", "/v1/decisions/stream", "/v1/usage-metrics",
]);

/** The Local API observer: `cs_lapi_route_requests_total` and `cs_lapi_request_duration_seconds`. */
export function lapiObserver(metrics: CrowdsecMetrics): (method: string, path: string, status: number, seconds: number) => void {
  return (method, path, _status, seconds) => {
    const route = lapiRouteLabel(path);
    if (route === undefined) return; // unknown paths would let any client grow the label set
    metrics.lapiRouteRequests.labels(route, method).inc();
    metrics.lapiRequestSeconds.labels(route, method).observe(seconds);
  };
}

/** `cs_active_decisions` from the store, as upstream recomputes it before each scrape. */
export async function refreshDecisionGauges(metrics: CrowdsecMetrics, store: Store, now = new Date()): Promise<void> {
  const counts = new Map<string, DecisionCount>();
  for (const d of await store.findDecisions({ includeSimulated: true }, now)) {
    const key = `${d.scenario}\u0000${d.origin}\u0000${d.type}`;
    const c = counts.get(key);
    counts.set(key, { scenario: d.scenario, origin: d.origin, action: d.type, count: (c?.count ?? 0) + 1 });
  }
  setStoreGauges(metrics, counts.values(), []);
}
