/**
 * The AppSec engine (WAF) of CrowdSec's appsec component: appsec-configs and YAML appsec-rules
 * loaded from the hub and compiled once into picket's own matcher, hooks run with core/expr,
 * requests evaluated in-band then out-of-band into a verdict and the events/alerts to emit, and
 * the hub's `.appsec-tests` run in-process. Raw SecLang (CRS) is not supported.
 */

/** Loading: configs (by name, glob or path, merged as upstream) + rules → a runtime, compiled once. */
export { loadAppsecRuntime, globToRegExp, type AppsecLoadOptions, type AppsecLoadResult, type AppsecRuntime, type PhaseHooks } from "./runtime";
/** appsec-config decoding and merging. */
export { emptyAppsecConfig, loadAppsecConfigFiles, mergeAppsecConfig, withDefaults, type AppsecConfig, type HookConfig } from "./config";
/** The request model: from explicit fields or from the bouncer's X-Crowdsec-Appsec-* headers. */
export { canonicalHeaderName, parseAppsecRequest, requestFromForwarded, type AppsecRequest, type AppsecRequestInit } from "./request";
/** Per-request evaluation: both phases, or in-band (reply) then out-of-band. */
export {
  evaluateInBand, evaluateOutOfBand, evaluateRequest,
  type AppsecEmitted, type AppsecResult, type AppsecVerdict, type EvaluateOptions, type PendingRequest,
} from "./evaluate";
/** The expression environments of hook stages, and the `req` type. */
export { APPSEC_HOOK_ENVS, HTTP_REQUEST_TYPE, type HookStage } from "./hooks";
/** Compiled rules (ids, SecLang text) for reports and explain. */
export type { CompiledRule, CompiledChain } from "./compile-rule";
/** libinjection as the operators see it. */
export type { Injection } from "./injection";
/** `.appsec-tests`: recognise and run one test. */
export { isAppsecTest, runAppsecTest, type AppsecTestConfig, type AppsecTestEnv, type AppsecTestOutcome } from "./hubtest";
