/**
 * The daemon (`picket run`): the live agent — acquisition, parsers, buckets on the wall clock,
 * postoverflows, alerts — with an on-disk alert queue delivered to a Local API (in-process or
 * remote) with retries, bucket state and file positions saved and restored across restarts and
 * reloads, CrowdSec's config.yaml read key by key, and `/metrics`.
 */

/** The live agent: start (restoring saved state), reload (keeping buckets of unchanged scenarios), stop (saving state). */
export { Agent, type AgentOptions, type AgentSetup, type AgentStats } from "./agent";
/** config.yaml for the daemon: paths, agent, API server/client, prometheus; unknown keys are file:line problems. */
export { agentFiles, readCredentials, readDaemonConfig, readSimulation, type DaemonConfig, type LapiCredentials, type PrometheusSettings } from "./config";
export { checkConfigKeys, CROWDSEC_KEYS, type KeyCheck } from "./config-keys";
/** Alerts committed to disk until the Local API has them. */
export { AlertQueue, type QueuedAlert } from "./queue";
/** Delivery of the queue to a Local API with backoff; invalid alerts set aside. */
export { startDelivery, type Delivery, type DeliveryOptions, type PushAlerts } from "./delivery";
/** Saved agent state (buckets, scenario hashes, file positions), written atomically. */
export { keepUnchangedScenarios, loadState, saveState, type AgentState } from "./state";
/** The in-process agent's Local API client (a machine of the local store, requests to the handler). */
export { LOCAL_MACHINE_ID, localLapiClient } from "./local-push";
/** `/metrics` and the Local API's request metrics. */
export { lapiObserver, lapiRouteLabel, refreshDecisionGauges, serveMetrics, type MetricsServer } from "./serve-metrics";
