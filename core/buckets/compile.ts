/**
 * Scenario configs → compiled scenarios: filter, groupby, distinct, cancel_on, condition,
 * overflow_filter, scope expression and bayesian conditions are compiled once, at load.
 */
import type { SourceDoc, YamlPath } from "../config";
import { CONDITION_ENV, LEAKY_TYPE, QUEUE_TYPE, RUNTIME_ALERT_TYPE, SCENARIO_ENV } from "../event";
import type { EnvSpec, ExprProgram } from "../expr";
import type { HelperContext } from "../expr/functions/types";
import { compileExprAt } from "../parser";
import type { Problem } from "../result";
import type { ScenarioConfig } from "./scenario-config";

/** overflow_filter sees the queue, the alert being built (`signal`) and the bucket; no `evt`. */
export const OVERFLOW_FILTER_ENV: EnvSpec = { queue: QUEUE_TYPE, signal: RUNTIME_ALERT_TYPE, leaky: LEAKY_TYPE };

export interface CompiledScenario {
  readonly config: ScenarioConfig;
  /** sha256 (hex) of the scenario file, upstream's scenario_hash; "" when not read from a file. */
  readonly hash: string;
  /** Hub item version ("?" when tainted); "" for local files or when unknown. */
  readonly version: string;
  readonly filter: ExprProgram;
  readonly groupby?: ExprProgram;
  readonly distinct?: ExprProgram;
  readonly cancelOn?: ExprProgram;
  readonly condition?: ExprProgram;
  readonly overflowFilter?: ExprProgram;
  readonly scopeExpression?: ExprProgram;
  readonly bayesianConditions: readonly { readonly condition: ExprProgram; readonly probGivenEvil: number; readonly probGivenBenign: number; readonly guillotine: boolean }[];
}

/** Compiles every expression of a scenario; undefined (with problems) if any fails. */
export function compileScenario(config: ScenarioConfig, helpers: HelperContext | undefined, problems: Problem[]): CompiledScenario | undefined {
  const before = problems.length;
  const doc: SourceDoc = config.doc;
  const evtExpr = (source: string | undefined, at: YamlPath, expect: "bool" | "any") =>
    source === undefined ? undefined : compileExprAt(source, doc, at, expect, helpers, problems, SCENARIO_ENV);
  const filter = evtExpr(config.filter, ["filter"], "bool");
  const scenario: CompiledScenario | undefined = filter && {
    config,
    hash: "",
    version: "",
    filter,
    groupby: evtExpr(config.groupby, ["groupby"], "any"),
    distinct: evtExpr(config.distinct, ["distinct"], "any"),
    cancelOn: evtExpr(config.cancelOn, ["cancel_on"], "bool"),
    scopeExpression: evtExpr(config.scope.expression, ["scope", "expression"], "any"),
    condition:
      config.condition === undefined
        ? undefined
        : compileExprAt(config.condition, doc, ["condition"], "bool", helpers, problems, CONDITION_ENV),
    overflowFilter:
      config.overflowFilter === undefined
        ? undefined
        : compileExprAt(config.overflowFilter, doc, ["overflow_filter"], "bool", helpers, problems, OVERFLOW_FILTER_ENV),
    bayesianConditions: config.bayesianConditions.flatMap((b) => {
      const condition = compileExprAt(b.condition, doc, [...b.at, "condition"], "bool", helpers, problems, CONDITION_ENV);
      return condition ? [{ condition, probGivenEvil: b.probGivenEvil, probGivenBenign: b.probGivenBenign, guillotine: b.guillotine }] : [];
    }),
  };
  return problems.length === before ? scenario : undefined;
}
