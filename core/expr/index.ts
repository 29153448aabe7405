/**
 * The expression language of hub files (expr-lang/expr v1.17 as CrowdSec uses it): compiled once
 * against a typed environment into JS closures, run per event. Also the static type model shared
 * with the event module, Go value formatting, and Go time values.
 */
export { compileExpr, type CompileOptions, type ExprProgram } from "./program";
export { ExprRuntimeError } from "./errors";
export { formatFloatF, formatFloatV, formatGoValue, formatInt, formatStaticValue, marshalGoJSON, type StaticText } from "./format";
export { formatDuration, GoTime, parseDuration, parseGoTime } from "./time";
export {
  ANY, arrayOf, BOOL, DURATION, FLOAT, funcType, INT, mapOf, method, MONTH, NIL, pointerTo, STRING, STRUCT_TYPE, structType, TIME, typeName, WEEKDAY, zeroValue,
  type EnvSpec, type ExprType, type FuncType, type MethodDef, type MethodTable, type StructType,
} from "./types";
export { HELPERS, type DataFileLookup, type HelperContext, type HelperDef, type StashLookup } from "./functions";
