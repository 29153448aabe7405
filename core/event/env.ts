/**
 * The typed environments expressions are compiled against, per place (EXPR.md §1), and the
 * shapes hubtest assertions read.
 */
import { arrayOf, BOOL, DURATION, type EnvSpec, INT, mapOf, method, pointerTo, STRING, structType, type StructType, TIME, type GoTime } from "../expr";
import { EVENT_TYPE, RUNTIME_ALERT_TYPE, type Event } from "./event";

/** `pipeline.Queue`: the events a bucket holds. */
export interface QueueView {
  readonly Queue: readonly Event[];
  /** Capacity. */
  readonly L: number;
}

export const QUEUE_TYPE: StructType = structType(
  "pipeline.Queue",
  () => ({ Queue: arrayOf(EVENT_TYPE), L: INT }),
  () => ({ GetQueue: method([], arrayOf(EVENT_TYPE), (q: QueueView | null) => q?.Queue ?? null) }),
);

/** The fields of upstream's `leakybucket.Leaky` a condition expression can read as `leaky`. */
export interface LeakyView {
  readonly Mode: number;
  readonly Mapkey: string;
  readonly Uuid: string;
  readonly First_ts: GoTime;
  readonly Last_ts: GoTime;
  readonly Ovflw_ts: GoTime;
  readonly Total_count: number;
  /** Leak speed as a duration in nanoseconds. */
  readonly Duration: number;
  readonly Queue: QueueView | null;
}

export const LEAKY_TYPE: StructType = structType("leakybucket.Leaky", () => ({
  Mode: INT, Mapkey: STRING, Uuid: STRING, First_ts: TIME, Last_ts: TIME, Ovflw_ts: TIME, Total_count: INT, Duration: DURATION, Queue: pointerTo(QUEUE_TYPE),
}));

const EVENT_POINTER = pointerTo(EVENT_TYPE);

/** Parser filter, statics, whitelists, grok.expression, stash: `evt`. */
export const PARSER_ENV: EnvSpec = Object.freeze({ evt: EVENT_POINTER });

/** Scenario filter, groupby, distinct, cancel_on, scope.expression: `evt`. */
export const SCENARIO_ENV: EnvSpec = Object.freeze({ evt: EVENT_POINTER });

/** Conditional bucket `condition`: `evt`, `queue` (the bucket's events), `leaky` (the bucket). */
export const CONDITION_ENV: EnvSpec = Object.freeze({ evt: EVENT_POINTER, queue: pointerTo(QUEUE_TYPE), leaky: pointerTo(LEAKY_TYPE) });

/** Scenario `overflow_filter`: `evt`, `queue`, `signal` (the overflow's RuntimeAlert), `leaky`. */
export const OVERFLOW_FILTER_ENV: EnvSpec = Object.freeze({ evt: EVENT_POINTER, queue: pointerTo(QUEUE_TYPE), signal: pointerTo(RUNTIME_ALERT_TYPE), leaky: pointerTo(LEAKY_TYPE) });

/** One entry of a parser dump: the event after the node ran. */
export interface ParserResult {
  /** 1-based order in which node names were first seen in the stage. */
  readonly Idx: number;
  readonly Evt: Event;
  readonly Success: boolean;
}

export const PARSER_RESULT_TYPE: StructType = structType("hubtest.ParserResult", () => ({ Idx: INT, Evt: EVENT_TYPE, Success: BOOL }));

/** parser.assert `results`: stage → node name → results, in processing order. */
export const PARSER_RESULTS_TYPE = mapOf(mapOf(arrayOf(PARSER_RESULT_TYPE)));

/** scenario.assert `results`: the overflow events, sorted as hubtest sorts them. */
export const SCENARIO_RESULTS_TYPE = arrayOf(EVENT_TYPE);

/** Environment of parser.assert lines. */
export const PARSER_ASSERT_ENV: EnvSpec = Object.freeze({ results: PARSER_RESULTS_TYPE });

/** Environment of scenario.assert lines. */
export const SCENARIO_ASSERT_ENV: EnvSpec = Object.freeze({ results: SCENARIO_RESULTS_TYPE });
