/**
 * appsec-configs (APPSEC.md §2.1): decoded strictly, then merged in load order as upstream's
 * LoadByPath does: lists append, scalars are overwritten by the last config even when it leaves
 * them unset, `disable_body_inspection` sticks once true; defaults apply after the merge.
 */
import { readFileSync } from "node:fs";
import { err, ok, problem, type Problem, type Result } from "../result";
import { Fields, SourceYaml, type Path } from "./yaml-source";

export interface HookConfig {
  readonly filter: string;
  readonly apply: readonly string[];
  readonly onSuccess: "" | "continue" | "break";
  /** Where it was written, for expression problems. */
  readonly file: string;
  readonly at: Path;
  readonly src: SourceYaml;
}

export interface PhaseHookConfigs {
  readonly preEval: HookConfig[];
  readonly postEval: HookConfig[];
  readonly onMatch: HookConfig[];
}

export interface AppsecConfig {
  name: string;
  inbandRules: string[];
  outofbandRules: string[];
  defaultRemediation: string;
  defaultPassAction: string;
  blockedHttpCode: number;
  passedHttpCode: number;
  userBlockedHttpCode: number;
  userPassedHttpCode: number;
  onLoad: HookConfig[];
  common: PhaseHookConfigs;
  inband: PhaseHookConfigs;
  outofband: PhaseHookConfigs;
  variablesTracking: string[];
  inbandDisableBodyInspection: boolean;
  outofbandDisableBodyInspection: boolean;
  logLevel: string;
  /** Files merged, in order. */
  files: string[];
}

const TOP_KEYS = new Set([
  "name", "outofband_rules", "inband_rules", "default_remediation", "default_pass_action", "blocked_http_code", "passed_http_code",
  "user_blocked_http_code", "user_passed_http_code", "on_load", "pre_eval", "post_eval", "on_match", "on_challenge", "on_challenge_submit",
  "variables_tracking", "inband_options", "outofband_options", "inband", "outofband", "data", "challenge", "log_level",
]);
const PHASE_KEYS = new Set(["rules", "on_match", "pre_eval", "post_eval", "on_challenge", "on_challenge_submit", "options", "variables_tracking"]);
const OPTION_KEYS = new Set(["disable_body_inspection", "request_body_in_memory_limit"]);
const HOOK_KEYS = new Set(["filter", "on_success", "apply"]);

const emptyHooks = (): PhaseHookConfigs => ({ preEval: [], postEval: [], onMatch: [] });

/** An empty config: what merging starts from. */
export function emptyAppsecConfig(): AppsecConfig {
  return {
    name: "", inbandRules: [], outofbandRules: [], defaultRemediation: "", defaultPassAction: "", blockedHttpCode: 0, passedHttpCode: 0,
    userBlockedHttpCode: 0, userPassedHttpCode: 0, onLoad: [], common: emptyHooks(), inband: emptyHooks(), outofband: emptyHooks(),
    variablesTracking: [], inbandDisableBodyInspection: false, outofbandDisableBodyInspection: false, logLevel: "", files: [],
  };
}

function readHooks(f: Fields, v: unknown, at: Path, stage: string): HookConfig[] {
  const out: HookConfig[] = [];
  (f.list(v, at) ?? []).forEach((h, i) => {
    const path = [...at, i];
    const m = f.map(h, path, `a ${stage} hook`);
    if (!m) return;
    f.keys(m, HOOK_KEYS, path, `a ${stage} hook`);
    const onSuccess = f.string(m.on_success, [...path, "on_success"]) ?? "";
    if (onSuccess !== "" && onSuccess !== "continue" && onSuccess !== "break") {
      f.problems.push(f.src.problem("appsec.bad-hook", `Invalid 'on_success' for ${stage} hook: "${onSuccess}"`, [...path, "on_success"], { hint: 'use "continue" or "break"' }));
      return;
    }
    out.push({ filter: f.string(m.filter, [...path, "filter"]) ?? "", apply: f.strings(m.apply, [...path, "apply"]) ?? [], onSuccess, file: f.src.file, at: path, src: f.src });
  });
  return out;
}

interface OneConfig {
  readonly raw: Record<string, unknown>;
  readonly f: Fields;
}

/** Decodes one appsec-config (strict) and merges it into `into`; problems are fatal for this config. */
export function mergeAppsecConfig(into: AppsecConfig, text: string, file: string, warnings: Problem[] = []): Result<AppsecConfig, Problem[]> {
  const parsed = SourceYaml.parse(text, file);
  if (!parsed.yaml) return err([parsed.problem!]);
  const problems: Problem[] = [];
  const f = new Fields(parsed.yaml, problems);
  const raw = f.map(parsed.yaml.value, [], "an appsec-config") ?? {};
  f.keys(raw, TOP_KEYS, [], "an appsec-config");
  const one: OneConfig = { raw, f };
  applyConfig(into, one, warnings);
  if (problems.length > 0) return err(problems);
  into.files.push(file);
  return ok(into);
}

function applyConfig(wc: AppsecConfig, { raw, f }: OneConfig, warnings: Problem[]): void {
  const name = f.string(raw.name, ["name"]) ?? "";
  if (wc.name === "" && name !== "") wc.name = name;
  wc.inbandRules.push(...(f.strings(raw.inband_rules, ["inband_rules"]) ?? []));
  wc.outofbandRules.push(...(f.strings(raw.outofband_rules, ["outofband_rules"]) ?? []));
  wc.onLoad.push(...readHooks(f, raw.on_load, ["on_load"], "on_load"));
  wc.common.preEval.push(...readHooks(f, raw.pre_eval, ["pre_eval"], "pre_eval"));
  wc.common.postEval.push(...readHooks(f, raw.post_eval, ["post_eval"], "post_eval"));
  wc.common.onMatch.push(...readHooks(f, raw.on_match, ["on_match"], "on_match"));
  wc.variablesTracking.push(...(f.strings(raw.variables_tracking, ["variables_tracking"]) ?? []));
  f.list(raw.data, ["data"]);
  for (const key of ["on_challenge", "on_challenge_submit", "challenge"] as const) {
    if (raw[key] !== undefined && raw[key] !== null && raw[key] !== "") warnings.push(f.src.problem("appsec.unsupported", `"${key}" is not supported (bot challenge): ignored`, [key]));
  }
  const options = (v: unknown, at: Path) => {
    const m = f.map(v, at, "options");
    if (!m) return false;
    f.keys(m, OPTION_KEYS, at, "options");
    f.int(m.request_body_in_memory_limit, [...at, "request_body_in_memory_limit"]);
    return f.bool(m.disable_body_inspection, [...at, "disable_body_inspection"]) ?? false;
  };
  if (options(raw.inband_options, ["inband_options"])) wc.inbandDisableBodyInspection = true;
  if (options(raw.outofband_options, ["outofband_options"])) wc.outofbandDisableBodyInspection = true;
  for (const phase of ["inband", "outofband"] as const) {
    const m = f.map(raw[phase], [phase], `the ${phase} section`);
    if (!m) continue;
    f.keys(m, PHASE_KEYS, [phase], `the ${phase} section`);
    (phase === "inband" ? wc.inbandRules : wc.outofbandRules).push(...(f.strings(m.rules, [phase, "rules"]) ?? []));
    if (options(m.options, [phase, "options"])) {
      if (phase === "inband") wc.inbandDisableBodyInspection = true;
      else wc.outofbandDisableBodyInspection = true;
    }
    wc.variablesTracking.push(...(f.strings(m.variables_tracking, [phase, "variables_tracking"]) ?? []));
    const hooks = wc[phase];
    hooks.preEval.push(...readHooks(f, m.pre_eval, [phase, "pre_eval"], "pre_eval"));
    hooks.postEval.push(...readHooks(f, m.post_eval, [phase, "post_eval"], "post_eval"));
    hooks.onMatch.push(...readHooks(f, m.on_match, [phase, "on_match"], "on_match"));
    for (const key of ["on_challenge", "on_challenge_submit"] as const) {
      if (m[key] !== undefined && m[key] !== null) warnings.push(f.src.problem("appsec.unsupported", `"${key}" is not supported (bot challenge): ignored`, [phase, key]));
    }
  }
  // Scalars: the last config wins, even when it leaves them unset (upstream LoadByPath).
  wc.logLevel = f.string(raw.log_level, ["log_level"]) ?? "";
  wc.defaultRemediation = f.string(raw.default_remediation, ["default_remediation"]) ?? "";
  wc.defaultPassAction = f.string(raw.default_pass_action, ["default_pass_action"]) ?? "";
  wc.blockedHttpCode = f.int(raw.blocked_http_code, ["blocked_http_code"]) ?? 0;
  wc.passedHttpCode = f.int(raw.passed_http_code, ["passed_http_code"]) ?? 0;
  wc.userBlockedHttpCode = f.int(raw.user_blocked_http_code, ["user_blocked_http_code"]) ?? 0;
  wc.userPassedHttpCode = f.int(raw.user_passed_http_code, ["user_passed_http_code"]) ?? 0;
}

/** Reads and merges config files in order. */
export function loadAppsecConfigFiles(paths: readonly string[], warnings: Problem[] = []): Result<AppsecConfig, Problem[]> {
  const merged = emptyAppsecConfig();
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      return err([problem("appsec.read", `Cannot read appsec-config: ${e instanceof Error ? e.message : String(e)}`, { file: path })]);
    }
    const r = mergeAppsecConfig(merged, text, path, warnings);
    if (!r.ok) return r;
  }
  return ok(merged);
}

export const KNOWN_REMEDIATIONS = ["ban", "captcha", "allow", "challenge"];

/** Defaults applied after merging (upstream AppsecConfig.Build). */
export function withDefaults(c: AppsecConfig, warnings: Problem[]): AppsecConfig {
  const out = { ...c };
  if (out.blockedHttpCode === 0) out.blockedHttpCode = 403;
  if (out.passedHttpCode === 0) out.passedHttpCode = 200;
  if (out.userBlockedHttpCode === 0) out.userBlockedHttpCode = 403;
  if (out.userPassedHttpCode === 0) out.userPassedHttpCode = 200;
  if (out.defaultPassAction === "") out.defaultPassAction = "allow";
  if (out.defaultRemediation === "") out.defaultRemediation = "ban";
  if (!KNOWN_REMEDIATIONS.includes(out.defaultRemediation)) {
    warnings.push(problem("appsec.unknown-remediation", `Default remediation "${out.defaultRemediation}" of "${out.name}" is none of ${KNOWN_REMEDIATIONS.join(", ")}: ensure bouncer compatibility`));
  }
  return out;
}
