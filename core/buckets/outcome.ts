/** What the engine returns (overflows) and what its observer hears (one outcome per scenario and event). */
import type { Event } from "../event";
import type { CompiledScenario } from "./compile";

/** An overflow that produced an alert: the OVFLW event postoverflows, reprocess and hubtest see. */
export interface Overflow {
  /** The scenario whose bucket overflowed (the one that created the bucket). */
  readonly scenario: CompiledScenario;
  /** Type OVFLW; `Overflow` holds the RuntimeAlert, `MarshaledTime` the overflow time. */
  readonly event: Event;
}

/** What happened to an event in one scenario (the observer's view). */
export type PourOutcome =
  /** The scenario's filter was false. */
  | { readonly kind: "filtered" }
  /** filter or groupby failed (or the event has no valid mode): later scenarios do not see the event (upstream's error rule). */
  | { readonly kind: "error"; readonly stage: "filter" | "groupby" | "mode"; readonly message: string }
  /** distinct had already seen the value: not counted. */
  | { readonly kind: "duplicate" }
  /** cancel_on was true: the bucket is gone, without overflow. */
  | { readonly kind: "canceled" }
  /** A replay event without a usable MarshaledTime: upstream does not pour it. */
  | { readonly kind: "no-time" }
  /** Poured, no overflow. */
  | { readonly kind: "poured" }
  /** Overflowed with an alert. */
  | { readonly kind: "overflow" }
  /** Overflowed, but no alert came out. */
  | { readonly kind: "discarded"; readonly by: "overflow_filter" | "blackhole" | "alert"; readonly reason?: string };

/**
 * Traces pours for explain and "why didn't it fire". `partition` is the groupby value ("" before
 * groupby ran); levels are capacity − tokens for token buckets and Total_count otherwise.
 */
export interface PourObserver {
  onPour(scenario: CompiledScenario, partition: string, levelBefore: number, levelAfter: number, outcome: PourOutcome): void;
}

/** Shared outcome values: a pour allocates none of them. */
export const NONE: readonly Overflow[] = Object.freeze([]);
export const FILTERED: PourOutcome = { kind: "filtered" };
export const DUPLICATE: PourOutcome = { kind: "duplicate" };
export const CANCELED: PourOutcome = { kind: "canceled" };
export const NO_TIME: PourOutcome = { kind: "no-time" };
export const POURED: PourOutcome = { kind: "poured" };
export const OVERFLOWED: PourOutcome = { kind: "overflow" };
export const BY_FILTER: PourOutcome = { kind: "discarded", by: "overflow_filter" };
export const BY_BLACKHOLE: PourOutcome = { kind: "discarded", by: "blackhole" };

