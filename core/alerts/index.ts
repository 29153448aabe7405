/**
 * Alerts: what a scenario overflow becomes (the RuntimeAlert and its API alerts, shaped as
 * upstream's NewAlert builds them), and the output stage that follows — postoverflows,
 * whitelisted overflows, reprocess — plus simulation.
 */

/** Overflowing bucket + queue → RuntimeAlert (sources, events, message); the scenario fields it needs. */
export { alertEvents, alertMessage, CROWDSEC_ALERT_KIND, newRuntimeAlert, type AlertBucket, type AlertScenario, type NewAlertResult } from "./new-alert";
/** The sources of queued events under a scenario scope (Ip, Range, custom). */
export { sourcesFromEvent, sourcesFromQueue, type ScopeSpec, type SourcesResult } from "./sources";
/** The output stage: postoverflows, whitelist skip, reprocess; one alert per source for the Local API. */
export { alertsBySource, createAlertOutput, type AlertOutput, type AlertOutputOptions, type OutputBatch } from "./output";
/** simulation.yaml semantics: which scenarios' alerts are simulated. */
export { isSimulated, simulatedScenarios, type SimulationConfig } from "./simulation";
export { alertToWire, decisionToWire, eventToWire, sourceToWire, type WireAlert, type WireDecision, type WireEvent, type WireMeta, type WireSource } from "./wire";
