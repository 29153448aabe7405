/**
 * The expression language of hub files (expr-lang/expr v1.17 as CrowdSec uses it): compiled once
 * against a typed environment into JS closures, run per event. Also the static type model shared
 * with the event module, Go value formatting, and Go time values. Value representation: types.ts.
 */

/** compileExpr(source, options) → Result<ExprProgram>; ExprProgram.run(vars) never throws. */
export { compileExpr, type CompileOptions, type ExprProgram } from "./program";
/** Leading field tests of a program, checkable before running it (a filter's `evt.Meta.log_type in [...]`). */
export { guardsHold, type FieldGuard } from "./guards";
/** Bumped at every write of an expression into event data: values read from an event stay valid while it does not move. */
export { eventWrites } from "./writes";
/** The fields of held events (`queue.Queue`) a program reads. */
export type { QueueReads } from "./queue-reads";
/** What `run` returns (instead of throwing) when an expression fails at run time. */
export { ExprRuntimeError } from "./errors";
/** Go fmt: %v (formatGoValue), %f (formatFloatF), static results (formatStaticValue), encoding/json (marshalGoJSON). */
export { formatFloatF, formatFloatV, formatGoValue, formatInt, formatStaticValue, marshalGoJSON, type StaticText } from "./format";
/** Go time.Time (GoTime) and time.Duration (nanoseconds) helpers. */
export { formatDuration, GoTime, parseDuration, parseGoTime } from "./time";
/** The static type model: type constants, constructors for environments, and Go type names. */
export {
  ANY, arrayOf, BOOL, DURATION, FLOAT, funcType, INT, mapOf, method, MONTH, NIL, pointerTo, STRING, STRUCT_TYPE, structType, TIME, typeName, WEEKDAY, zeroValue,
  type EnvSpec, type ExprType, type FuncType, type MethodDef, type MethodTable, type StructType,
} from "./types";
/** The CrowdSec helper registry and the helper contract. */
export { HELPERS, type DataFileLookup, type HelperContext, type HelperDef, type StashLookup } from "./functions";
