/**
 * Scenarios (leaky buckets): loading and compiling scenario files, and the engine events are
 * poured into — trigger, leaky, counter, conditional and bayesian buckets with groupby, distinct,
 * cancel_on, overflow_filter, blackhole, scope — with CrowdSec's token arithmetic, on event time
 * in replay and wall time live, bounded in memory, and savable as plain data.
 */

/** The engine: pour events, get overflows (OVFLW events carrying their alert); tick, flush, snapshot/restore. */
export { createBucketEngine, type BucketEngine, type BucketEngineOptions } from "./engine";
/** An overflow (the OVFLW event and its scenario); the observer of pours and its outcomes. */
export type { Overflow, PourObserver, PourOutcome } from "./outcome";
/** What snapshot() returns and restore() takes. */
export type { BucketRecord, BucketSnapshot, EventRecord, TimeRecord } from "./snapshot";
/** Scenario files → compiled scenarios (every problem collected; the rest load). */
export { loadScenarios, type LoadedScenarios, type LoadScenariosOptions, type ScenarioFile } from "./load";
export { compileScenario, OVERFLOW_FILTER_ENV, type CompiledScenario } from "./compile";
export { readScenarioDocument, type BucketType, type ScenarioConfig } from "./scenario-config";
/** Replay clock: Go's Time.UnmarshalText of evt.MarshaledTime. */
export { parseMarshaledTime } from "./event-time";
