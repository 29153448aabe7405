/**
 * Scenario documents (pkg/leakybucket/manager_load.go BucketSpec) read strictly into typed
 * configs, with the per-type validation upstream applies at load (BUCKETS.md §2–§3).
 */
import { parseDuration } from "../expr";
import { DocReader, type SourceDoc, type YamlPath } from "../config";
import { readDataFiles, type DataFileSpec } from "../parser";
import type { Problem } from "../result";

export type BucketType = "leaky" | "trigger" | "counter" | "conditional" | "bayesian";
const BUCKET_TYPES: ReadonlySet<string> = new Set<BucketType>(["leaky", "trigger", "counter", "conditional", "bayesian"]);

export interface BayesianConditionConfig {
  readonly condition: string;
  readonly probGivenEvil: number;
  readonly probGivenBenign: number;
  readonly guillotine: boolean;
  readonly at: YamlPath;
}

export interface ScenarioConfig {
  readonly type: BucketType;
  readonly name: string;
  readonly description: string;
  readonly filter: string;
  readonly groupby?: string;
  readonly distinct?: string;
  readonly capacity: number;
  /** Nanoseconds; 0 when absent. */
  readonly leakspeedNs: number;
  readonly durationNs: number;
  readonly blackholeNs: number;
  readonly reprocess: boolean;
  readonly cacheSize: number;
  readonly overflowFilter?: string;
  readonly cancelOn?: string;
  readonly condition?: string;
  readonly bayesianPrior: number;
  readonly bayesianThreshold: number;
  readonly bayesianConditions: readonly BayesianConditionConfig[];
  readonly scope: { readonly type: string; readonly expression?: string };
  readonly labels: Readonly<Record<string, unknown>>;
  readonly data: readonly DataFileSpec[];
  readonly format: string;
  readonly debug: boolean;
  readonly references: readonly string[];
  readonly doc: SourceDoc;
}

const SCENARIO_KEYS = new Set([
  "type", "name", "description", "filter", "groupby", "distinct", "capacity", "leakspeed", "duration", "blackhole",
  "reprocess", "cache_size", "overflow_filter", "cancel_on", "condition", "bayesian_prior", "bayesian_threshold",
  "bayesian_conditions", "scope", "labels", "data", "format", "debug", "references", "version",
  // accepted by 1.4.6, which the Debian installs still run
  "author", "profiling", "simulated",
]);
const SCOPE_KEYS = new Set(["type", "expression", "filter"]);
const BAYES_KEYS = new Set(["condition", "prob_given_evil", "prob_given_benign", "guillotine"]);

/** Reads and validates one scenario document; undefined when it cannot be used (problems say why). */
export function readScenarioDocument(doc: SourceDoc, problems: Problem[]): ScenarioConfig | undefined {
  const r = new DocReader(doc, problems);
  const obj = r.map(doc.value, [], "a scenario");
  if (!obj) return undefined;
  const before = problems.length;
  r.checkKeys(obj, SCENARIO_KEYS, [], "a scenario");

  const name = r.string(obj.name, ["name"]);
  if (!name) r.report([], "scenario.name", "Scenario has no name (nameless bucket)");
  const label = `Scenario "${name ?? "(unnamed)"}"`;
  const description = r.string(obj.description, ["description"]);
  if (!description) r.report([], "scenario.description", `${label}: description is mandatory`);
  const filter = r.string(obj.filter, ["filter"]);
  if (!filter) r.report([], "scenario.filter", `${label}: missing filter directive`);
  const typeRaw = r.string(obj.type, ["type"]) ?? "";
  if (!BUCKET_TYPES.has(typeRaw)) r.report(["type"], "scenario.type", `${label}: invalid type "${typeRaw}"`);
  const type = typeRaw as BucketType;

  const badDurations = new Set<string>();
  const duration = (key: string): number => {
    const text = r.string(obj[key], [key]);
    if (text === undefined || text === "") return 0;
    const parsed = parseDuration(text);
    const ns = parsed.ok ? parsed.ns : undefined;
    if (ns === undefined) {
      badDurations.add(key);
      r.report([key], "scenario.duration", `${label}: ${key} "${text}" is not a duration`, { hint: 'Go syntax: "10s", "1m30s", "500ms", "2h"' });
      return 0;
    }
    return ns;
  };
  const leakspeedNs = duration("leakspeed");
  const durationNs = duration("duration");
  const blackholeNs = duration("blackhole");
  const capacity = r.int(obj.capacity, ["capacity"]) ?? 0;

  const scopeObj = r.map(obj.scope, ["scope"], "scope");
  let scope: ScenarioConfig["scope"] = { type: "Ip" };
  if (scopeObj) {
    r.checkKeys(scopeObj, SCOPE_KEYS, ["scope"], "scope");
    const expression = r.string(scopeObj.expression ?? scopeObj.filter, ["scope", scopeObj.expression !== undefined ? "expression" : "filter"]);
    scope = { type: r.string(scopeObj.type, ["scope", "type"]) || "Ip", expression: expression || undefined };
  }

  const bayesianConditions: BayesianConditionConfig[] = [];
  r.list(obj.bayesian_conditions, ["bayesian_conditions"])?.forEach((item, i) => {
    const at = ["bayesian_conditions", i];
    const c = r.map(item, at, "a bayesian condition");
    if (!c) return;
    r.checkKeys(c, BAYES_KEYS, at, "a bayesian condition");
    bayesianConditions.push({
      condition: r.string(c.condition, [...at, "condition"]) ?? "",
      probGivenEvil: number(r, c.prob_given_evil, [...at, "prob_given_evil"]),
      probGivenBenign: number(r, c.prob_given_benign, [...at, "prob_given_benign"]),
      guillotine: r.bool(c.guillotine, [...at, "guillotine"]) ?? false,
      at,
    });
  });

  const config: ScenarioConfig = {
    type,
    name: name ?? "",
    description: description ?? "",
    filter: filter ?? "",
    groupby: r.string(obj.groupby, ["groupby"]) || undefined,
    distinct: r.string(obj.distinct, ["distinct"]) || undefined,
    capacity,
    leakspeedNs,
    durationNs,
    blackholeNs,
    reprocess: r.bool(obj.reprocess, ["reprocess"]) ?? false,
    cacheSize: r.int(obj.cache_size, ["cache_size"]) ?? 0,
    overflowFilter: r.string(obj.overflow_filter, ["overflow_filter"]) || undefined,
    cancelOn: r.string(obj.cancel_on, ["cancel_on"]) || undefined,
    condition: r.string(obj.condition, ["condition"]) || undefined,
    bayesianPrior: number(r, obj.bayesian_prior, ["bayesian_prior"]),
    bayesianThreshold: number(r, obj.bayesian_threshold, ["bayesian_threshold"]),
    bayesianConditions,
    scope,
    labels: r.map(obj.labels, ["labels"], "labels") ?? {},
    data: readDataFiles(r, obj.data, ["data"]),
    format: r.string(obj.format, ["format"]) ?? "1.0",
    debug: r.bool(obj.debug, ["debug"]) ?? false,
    references: r.stringList(obj.references, ["references"]) ?? [],
    doc,
  };
  validateType(r, config, label, badDurations);
  return problems.length === before ? config : undefined;
}

function number(r: DocReader, value: unknown, at: YamlPath): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  r.report(at, "yaml.type", "Expected a number");
  return 0;
}

/** Per-type rules of pkg/leakybucket/buckettype.go and scopetype.go. */
function validateType(r: DocReader, c: ScenarioConfig, label: string, alreadyReported: ReadonlySet<string>): void {
  const fail = (key: string, message: string) => {
    if (!alreadyReported.has(key)) r.report(key ? [key] : [], "scenario.invalid", `${label}: ${message}`);
  };
  switch (c.type) {
    case "leaky":
      if (c.capacity <= 0) fail("capacity", `invalid capacity ${c.capacity}: must be > 0`);
      if (c.leakspeedNs <= 0) fail("leakspeed", "leakspeed is required and must be > 0");
      break;
    case "trigger":
      if (c.capacity !== 0) fail("capacity", `invalid capacity ${c.capacity}: must be 0`);
      break;
    case "counter":
      if (c.capacity !== -1) fail("capacity", `invalid capacity ${c.capacity}: must be -1`);
      if (c.durationNs <= 0) fail("duration", "duration is required and must be > 0");
      break;
    case "conditional":
      if (c.leakspeedNs <= 0) fail("leakspeed", "leakspeed is required and must be > 0");
      if (!c.condition) fail("", "a condition is required");
      break;
    case "bayesian":
      if (c.bayesianConditions.length === 0) fail("bayesian_conditions", "bayesian conditions are required");
      if (!(c.bayesianPrior > 0 && c.bayesianPrior <= 1)) fail("bayesian_prior", "invalid prior: must be in (0, 1]");
      if (!(c.bayesianThreshold > 0 && c.bayesianThreshold <= 1)) fail("bayesian_threshold", "invalid threshold: must be in (0, 1]");
      if (c.capacity !== -1) fail("capacity", `invalid capacity ${c.capacity}: must be -1`);
      break;
  }
  if (c.scope.type === "Ip" && c.scope.expression) fail("scope", "an expression is not allowed for the Ip scope");
  if (c.scope.type !== "Ip" && c.scope.type !== "Range" && !c.scope.expression) {
    fail("scope", `scope "${c.scope.type}" needs an expression`);
  }
}
