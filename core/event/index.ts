/**
 * The CrowdSec event model (log lines, overflows, AppSec requests) with Go field names and the
 * methods hub expressions call, plus the typed environments expressions compile against.
 */
export {
  APPSEC, Event, EVENT_TYPE, LINE_TYPE, Line, LIVE, LOG, newLogEvent, newMap, OVFLW, RUNTIME_ALERT_TYPE, RuntimeAlert, TIMEMACHINE,
  type AnyMap, type LogEventInit, type StringMap,
} from "./event";
export { Alert, ALERT_TYPE, APIEvent, cloneSource, API_EVENT_TYPE, Decision, DECISION_TYPE, MetaItem, META_ITEM_TYPE, Source, SOURCE_TYPE } from "./models";
export { AppsecEvent, APPSEC_EVENT_TYPE, MATCHED_RULES, RULE_SEVERITY, type MatchedRule } from "./appsec";
export {
  CONDITION_ENV, LEAKY_TYPE, OVERFLOW_FILTER_ENV, PARSER_ASSERT_ENV, PARSER_ENV, PARSER_RESULT_TYPE, PARSER_RESULTS_TYPE, QUEUE_TYPE, SCENARIO_ASSERT_ENV, SCENARIO_ENV,
  SCENARIO_RESULTS_TYPE, type LeakyView, type ParserResult, type QueueView,
} from "./env";
