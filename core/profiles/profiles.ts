/**
 * Compiled profiles and their evaluation on one alert, as upstream pkg/csprofiles/csprofiles.go
 * and the alert controller (pkg/apiserver/controllers/v1/alerts.go) do it.
 */
import type { WireAlert } from "../alerts";
import { formatPath, type SourceDoc, type YamlPath } from "../config";
import { Decision, type Alert } from "../event";
import { compileExpr, ExprRuntimeError, formatGoValue, type ExprProgram, type HelperContext, type HelperDef } from "../expr";
import { err, ok, problem, type Problem, type Result } from "../result";
import { alertFromWire, PROFILE_ENV } from "./alert-env";
import { decodeProfiles, readProfileTexts, type ProfileConfig, type ProfileSource } from "./config";
import { parseDurationWithDays } from "./duration";
import { historyHelpers, newEvaluationState, type DecisionHistory, type EvaluationState } from "./history";

/** A decision a profile built for an alert, before it is stored. */
export interface ProfileDecision {
  type: string;
  scope: string;
  value: string;
  origin: string;
  scenario: string;
  simulated: boolean;
  durationNs: number;
  /** The duration as text (`4h`, or the duration_expr result such as `12h`). */
  duration: string;
}

export interface ProfileOutcome {
  /** The alert's decisions; empty when the alert came with its own or no profile produced any. */
  decisions: ProfileDecision[];
  /** Names of the profiles that matched, in order. */
  matched: string[];
  /** Notification plugin names, once per matching profile that lists them (upstream sends one copy per profile). */
  notifications: string[];
  /** What upstream logs as warnings while evaluating (duration_expr failures, skipped profile errors). */
  warnings: string[];
}

export interface Profiles {
  /** Profile names in evaluation order (`.local` ones first). */
  readonly names: readonly string[];
  /** True when some expression calls a decision-history helper: only then does `history` matter. */
  readonly usesHistory: boolean;
  /** Load warnings (a decision without duration gets the default 4h). */
  readonly warnings: readonly Problem[];
  /**
   * Runs the profiles on an alert. `history` answers the decision-history helpers
   * (GetDecisionsCount…) for a value; `nowMs` is the clock those helpers and `now()` read
   * (default: the wall clock). A filter error not allowed by the profile's `on_error` is the
   * error (the Local API answers 500).
   */
  evaluate(alert: WireAlert, history?: DecisionHistory, nowMs?: number): Result<ProfileOutcome, Problem>;
}

const DEFAULT_DURATION = "4h";
const DEFAULT_DURATION_NS = 4 * 3600 * 1e9;
const HISTORY_CALL = /\bGet(?:Active)?Decisions(?:Since)?(?:Count|TimeLeft)\b/;

interface CompiledFilter {
  readonly source: string;
  readonly program: ExprProgram;
  readonly doc: SourceDoc;
  readonly at: YamlPath;
}

interface CompiledTemplate {
  readonly type: string;
  readonly scope: string;
  readonly origin: string;
  readonly simulated: boolean;
  /** Template duration; undefined when missing or unparsable (then 4h). */
  readonly duration: string | undefined;
  readonly durationNs: number | undefined;
}

type OnError = "apply" | "continue" | "break" | "ignore" | "fail";

interface CompiledProfile {
  readonly name: string;
  readonly filters: readonly CompiledFilter[];
  readonly durationExpr: ExprProgram | undefined;
  readonly templates: readonly CompiledTemplate[];
  readonly isBreak: boolean;
  readonly onError: OnError;
  readonly notifications: readonly string[];
}

/** What one profile's filters gave: matched, the decisions built, and the first error. */
interface ProfileRun {
  matched: boolean;
  decisions: ProfileDecision[];
  error: Problem | undefined;
}

/**
 * Loads and compiles profiles.yaml (a path, read with its `.local`; or a given text): the first
 * problem found is the error. See readProfiles for all of them.
 */
export function loadProfiles(source: string | ProfileSource): Result<Profiles, Problem> {
  const r = readProfiles(source);
  if (r.profiles) return ok(r.profiles);
  const first = r.problems[0];
  if (!first) throw new Error("readProfiles gave neither profiles nor a problem");
  return err(r.problems.length > 1 ? { ...first, hint: first.hint ?? `and ${r.problems.length - 1} more problem(s)` } : first);
}

/** Loads and compiles profiles, collecting every problem; `profiles` is set only when there is none. */
export function readProfiles(source: string | ProfileSource): { profiles: Profiles | undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const texts = readProfileTexts(source, problems);
  const configs = decodeProfiles(texts, problems);
  if (configs.length === 0 && problems.length === 0) {
    const file = typeof source === "string" ? source : source.path;
    problems.push(problem("profiles.none", "Zero profiles loaded for LAPI", { file, hint: "profiles.yaml needs at least one profile document" }));
  }
  const state = newEvaluationState();
  const functions = historyHelpers(state);
  const helpers: HelperContext = {
    now: () => state.nowMs,
    warn: (m) => state.warnings.push(m),
  };
  const warnings: Problem[] = [];
  const compiled: CompiledProfile[] = [];
  for (const c of configs) {
    const p = compileProfile(c, functions, helpers, problems, warnings);
    if (p) compiled.push(p);
  }
  if (problems.length > 0) return { profiles: undefined, problems };
  const usesHistory = configs.some((c) => c.filters.some((f) => HISTORY_CALL.test(f)) || (c.durationExpr !== undefined && HISTORY_CALL.test(c.durationExpr)));
  return { profiles: new CompiledProfiles(compiled, state, usesHistory, warnings), problems };
}

function compileProfile(
  c: ProfileConfig,
  functions: readonly HelperDef[],
  helpers: HelperContext,
  problems: Problem[],
  warnings: Problem[],
): CompiledProfile | undefined {
  const before = problems.length;
  const compile = (source: string, at: YamlPath): ExprProgram | undefined => {
    const r = compileExpr(source, { env: PROFILE_ENV, expect: "any", functions, helpers });
    if (r.ok) return r.value;
    problems.push(locateExpr(c.doc, at, r.error, `Cannot compile ${formatPath(at)} of profile "${c.name}"`));
    return undefined;
  };
  const filters: CompiledFilter[] = [];
  c.filters.forEach((source, i) => {
    const at = ["filters", i];
    const program = compile(source, at);
    if (program) filters.push({ source, program, doc: c.doc, at });
  });
  const durationExpr = c.durationExpr === undefined ? undefined : compile(c.durationExpr, ["duration_expr"]);
  const templates: CompiledTemplate[] = [];
  for (const d of c.decisions) {
    let durationNs: number | undefined;
    if (d.duration !== undefined) {
      const parsed = parseDurationWithDays(d.duration);
      if (parsed.ok) durationNs = parsed.ns;
      // as upstream: only checked when no duration_expr may replace it
      else if (c.durationExpr === undefined) {
        problems.push(at(c.doc, [...d.at, "duration"], "profiles.duration", `Cannot load profile "${c.name}": duration "${d.duration}" is not a duration: ${parsed.message}`));
      }
    } else if (c.durationExpr === undefined) {
      warnings.push(at(c.doc, d.at, "profiles.no-duration", `No duration specified for profile "${c.name}", using default duration ${DEFAULT_DURATION}`));
    }
    templates.push({
      type: d.type ?? "",
      scope: d.scope ?? "",
      origin: d.origin === undefined ? "crowdsec" : `crowdsec/${d.origin}`,
      simulated: d.simulated,
      duration: durationNs === undefined ? undefined : d.duration,
      durationNs,
    });
  }
  if (problems.length > before) return undefined;
  return {
    name: c.name,
    filters,
    durationExpr,
    templates,
    isBreak: c.onSuccess === "break",
    onError: onErrorOf(c.onError),
    notifications: c.notifications,
  };
}

function onErrorOf(value: string): OnError {
  switch (value) {
    case "apply":
    case "continue":
    case "break":
    case "ignore":
      return value;
    default:
      return "fail";
  }
}

function at(doc: SourceDoc, path: YamlPath, code: string, message: string): Problem {
  const pos = doc.locate(path);
  return problem(code, message, { file: doc.file, line: pos?.line, column: pos?.column, field: formatPath(path) });
}

/** An expression problem, moved from its position in the expression to its position in the file. */
function locateExpr(doc: SourceDoc, path: YamlPath, p: Problem, prefix: string): Problem {
  const inExpr = p.line !== undefined && p.column !== undefined ? doc.locateInScalar(path, p.line, p.column) : undefined;
  const pos = inExpr ?? doc.locate(path);
  return { ...p, message: `${prefix}: ${p.message}`, file: doc.file, line: pos?.line, column: pos?.column, field: formatPath(path) };
}

class CompiledProfiles implements Profiles {
  readonly names: readonly string[];

  constructor(
    private readonly profiles: readonly CompiledProfile[],
    private readonly state: EvaluationState,
    readonly usesHistory: boolean,
    readonly warnings: readonly Problem[],
  ) {
    this.names = profiles.map((p) => p.name);
  }

  evaluate(alert: WireAlert, history?: DecisionHistory, nowMs?: number): Result<ProfileOutcome, Problem> {
    const state = this.state;
    const warnings: string[] = [];
    state.history = history;
    state.nowMs = nowMs ?? Date.now();
    state.warnings = warnings;
    try {
      const model = alertFromWire(alert);
      const vars = { Alert: model };
      const outcome: ProfileOutcome = { decisions: [], matched: [], notifications: [], warnings };
      // as upstream: an alert that comes with decisions (cscli, console) is only routed to notifications
      const routeOnly = (alert.decisions?.length ?? 0) > 0;
      for (const profile of this.profiles) {
        const run = runProfile(profile, vars, alert, !routeOnly, warnings);
        let matched = run.matched;
        let decisions = run.decisions;
        let forceBreak = false;
        if (run.error) {
          if (routeOnly) {
            warnings.push(`error while evaluating profile ${profile.name} : ${run.error.message}`);
            continue;
          }
          // upstream's switch on on_error; the decisions of a failed profile are dropped
          decisions = [];
          switch (profile.onError) {
            case "apply":
              warnings.push(`applying profile ${profile.name} despite error: ${run.error.message}`);
              matched = true;
              break;
            case "continue":
              warnings.push(`skipping ${profile.name} profile due to error: ${run.error.message}`);
              break;
            case "break":
              forceBreak = true;
              break;
            case "ignore":
              warnings.push(`ignoring error: ${run.error.message}`);
              break;
            case "fail":
              return err(run.error);
            default: {
              const never: never = profile.onError;
              throw new Error(`unknown on_error ${String(never)}`);
            }
          }
        }
        // as upstream: `break` on error only stops when an earlier filter of the profile matched
        if (!matched) continue;
        if (!routeOnly && outcome.decisions.length === 0 && decisions.length > 0) {
          outcome.decisions = decisions;
          // later filters see the decisions the alert now carries, as upstream mutates the alert
          model.Decisions = decisions.map(toModel);
        }
        outcome.matched.push(profile.name);
        for (const n of profile.notifications) outcome.notifications.push(n);
        if (profile.isBreak || forceBreak) break;
      }
      return ok(outcome);
    } finally {
      state.history = undefined;
      state.warnings = [];
    }
  }
}

/**
 * Every filter in order; each true one adds the full decision list again (upstream appends per
 * true filter). `on_failure` is inert, as upstream's `break` only leaves its switch.
 */
function runProfile(profile: CompiledProfile, vars: { Alert: Alert }, alert: WireAlert, build: boolean, warnings: string[]): ProfileRun {
  const out: ProfileRun = { matched: false, decisions: [], error: undefined };
  for (const f of profile.filters) {
    const v = f.program.run(vars);
    if (v instanceof ExprRuntimeError) {
      out.error = filterProblem(profile, f, `filter failed: ${v.message}`, v);
      return out;
    }
    if (typeof v !== "boolean") {
      const shown = typeof v === "string" ? `"${v}"` : formatGoValue(v, f.program.resultType);
      out.error = filterProblem(profile, f, `filter returned ${shown}, not a bool`, undefined);
      return out;
    }
    if (!v) continue;
    out.matched = true;
    if (build) buildDecisions(profile, vars, alert, out.decisions, warnings);
  }
  return out;
}

function filterProblem(profile: CompiledProfile, f: CompiledFilter, detail: string, e: ExprRuntimeError | undefined): Problem {
  const inExpr = e?.position;
  const pos = (inExpr && f.doc.locateInScalar(f.at, inExpr.line, inExpr.column)) ?? f.doc.locate(f.at);
  const text = e?.toString() ?? "";
  const snippetAt = text.indexOf("\n");
  return problem("profiles.filter", `Cannot evaluate profile "${profile.name}": ${detail} (while running '${f.source}')`, {
    file: f.doc.file,
    line: pos?.line,
    column: pos?.column,
    field: formatPath(f.at),
    snippet: snippetAt >= 0 ? text.slice(snippetAt + 1) : undefined,
  });
}

function buildDecisions(profile: CompiledProfile, vars: { Alert: Alert }, alert: WireAlert, out: ProfileDecision[], warnings: string[]): void {
  const fromExpr = profile.durationExpr ? durationFromExpr(profile.durationExpr, vars, warnings) : undefined;
  for (const t of profile.templates) {
    let duration = DEFAULT_DURATION;
    let durationNs = DEFAULT_DURATION_NS;
    if (fromExpr) {
      duration = fromExpr.text;
      durationNs = fromExpr.ns;
    } else if (t.duration !== undefined && t.durationNs !== undefined) {
      duration = t.duration;
      durationNs = t.durationNs;
    }
    out.push({
      type: t.type,
      scope: t.scope !== "" ? t.scope : alert.source.scope,
      value: alert.source.value,
      origin: t.origin,
      scenario: alert.scenario,
      simulated: t.simulated || alert.simulated,
      durationNs,
      duration,
    });
  }
}

/** The duration_expr result printed as fmt.Sprint does, if it parses as a duration; else a warning. */
function durationFromExpr(program: ExprProgram, vars: { Alert: Alert }, warnings: string[]): { text: string; ns: number } | undefined {
  const v = program.run(vars);
  if (v instanceof ExprRuntimeError) {
    warnings.push(`Failed to run duration_expr : ${v.message}`);
    return undefined;
  }
  const text = formatGoValue(v, program.resultType);
  const parsed = parseDurationWithDays(text);
  if (!parsed.ok) {
    warnings.push(`Failed to parse expr duration result '${text}'`);
    return undefined;
  }
  return { text, ns: parsed.ns };
}

function toModel(d: ProfileDecision): Decision {
  const m = new Decision();
  m.Duration = d.duration;
  m.Origin = d.origin;
  m.Scenario = d.scenario;
  m.Scope = d.scope;
  m.Simulated = d.simulated ? true : null;
  m.Type = d.type;
  m.Value = d.value;
  return m;
}
