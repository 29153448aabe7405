/**
 * Building an AppSec runtime (upstream AppsecConfig.Build + AppsecRunner.Init): the merged
 * appsec-config, its rule patterns resolved against the appsec-rules, both engines compiled once,
 * hooks compiled per stage, on_load hooks run.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { HubIndex } from "../hub";
import { problem, type Problem } from "../result";
import type { BodyProcessorRule } from "./body-rules";
import { readBodyProcessorRules } from "./body-rules";
import { compileRuleFile, type CompiledRule } from "./compile-rule";
import { emptyAppsecConfig, loadAppsecConfigFiles, withDefaults, type AppsecConfig } from "./config";
import type { Engine } from "./engine";
import { compileHooks, hookFunctions, runHooks, stageVars, type CompiledHook, type HookHost, type HostSlot } from "./hooks";
import { LIBINJECTION, type Injection } from "./injection";
import { readRuleFile, type AppsecRuleFile } from "./rule-file";

export interface PhaseHooks {
  readonly preEval: readonly CompiledHook[];
  readonly postEval: readonly CompiledHook[];
  readonly onMatch: readonly CompiledHook[];
}

/** Everything a request is evaluated against; compiled once, shared by all requests. */
export interface AppsecRuntime {
  readonly name: string;
  readonly config: AppsecConfig;
  readonly inband: Engine;
  readonly outofband: Engine;
  readonly common: PhaseHooks;
  readonly inbandHooks: PhaseHooks;
  readonly outofbandHooks: PhaseHooks;
  /** SetRemediationByID / ByTag / ByName (a name is the tag `crowdsec-<name>`); hooks may change them. */
  readonly remediationById: Map<number, string>;
  readonly remediationByTag: Map<string, string>;
  readonly variablesTracking: readonly RegExp[];
  /** Datasource labels copied to every emitted event. */
  readonly labels: Readonly<Record<string, string>>;
  bodySettings: { maxSize: number; action: string };
  /** Warnings upstream would log while evaluating (bad filter results, hook errors). */
  readonly warn: (message: string) => void;
  /** The host the compiled hook helpers act on: the evaluation sets it before running hooks. */
  readonly hostSlot: HostSlot;
}

export interface AppsecLoadOptions {
  /** Hub root: items of the index resolve there. */
  readonly hubRoot: string;
  readonly index?: HubIndex;
  /** appsec-config item names; `*`/`?` globs match the index's appsec-configs. */
  readonly configs?: readonly string[];
  /** appsec-config files loaded directly (after `configs`). */
  readonly configPaths?: readonly string[];
  /** An already merged config (hubtest's in-memory profile); used instead of configs/configPaths. */
  readonly config?: AppsecConfig;
  /** The appsec-rule files available; default: every appsec-rule of the index. */
  readonly ruleFiles?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** libinjection; defaults to the built-in port when present. */
  readonly injection?: Injection;
  readonly warn?: (message: string) => void;
}

export interface AppsecLoadResult {
  readonly runtime?: AppsecRuntime;
  /** Fatal: the runtime was not built. */
  readonly problems: readonly Problem[];
  /** Skipped rule files, unsupported keys, unknown remediations. */
  readonly warnings: readonly Problem[];
}

const ignore = (): void => {};
const NO_HOST: HookHost = {
  removeRuleById: ignore, removeRuleByTag: ignore, setRemediationByTag: ignore, setRemediationById: ignore, setRemediation: ignore,
  setReturnCode: ignore, dropRequest: ignore, disableBodyInspection: ignore, setEventEmission: ignore, setMaxBodySize: ignore,
  setBodySizeExceededAction: ignore, currentRequest: () => undefined, warn: ignore,
};

/** expr `Match`: `*` any run (slashes included), `?` one character, the rest literal, whole name. */
export function globToRegExp(pattern: string): RegExp {
  let re = "^";
  for (const c of pattern) re += c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(re + "$", "s");
}

function resolveConfigNames(names: readonly string[], index: HubIndex | undefined, hubRoot: string, problems: Problem[]): string[] {
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const matches = /[*?]/.test(name) ? (index?.all("appsec-configs") ?? []).filter((i) => globToRegExp(name).test(i.name)).map((i) => i.name) : [name];
    if (matches.length === 0) problems.push(problem("appsec.no-config", `No appsec-config matches "${name}"`));
    for (const m of matches) {
      if (seen.has(m)) continue;
      seen.add(m);
      const item = index?.get("appsec-configs", m);
      if (!item) {
        problems.push(problem("appsec.no-config", `No appsec-config found for "${m}"`));
        continue;
      }
      paths.push(join(hubRoot, item.path));
    }
  }
  return paths;
}

/** The available appsec-rules by name (a later file with the same name replaces the earlier). */
function loadRuleFiles(opts: AppsecLoadOptions, warnings: Problem[], problems: Problem[]): Map<string, AppsecRuleFile> {
  const byName = new Map<string, AppsecRuleFile>();
  const items = opts.index?.all("appsec-rules") ?? [];
  const meta = new Map<string, { hash: string; version: string }>();
  for (const it of items) meta.set(join(opts.hubRoot, it.path), { hash: it.digest ?? "", version: it.version ?? "" });
  const files = opts.ruleFiles ?? items.map((i) => join(opts.hubRoot, i.path));
  for (const raw of files) {
    const path = isAbsolute(raw) ? raw : join(opts.hubRoot, raw);
    if (!existsSync(path)) {
      warnings.push(problem("appsec.read", `Cannot read appsec-rule "${raw}": no such file`, { file: path }));
      continue;
    }
    const r = readRuleFile(path);
    if (!r.ok) {
      if (r.error.some((p) => p.code === "appsec.no-name")) problems.push(...r.error);
      else warnings.push(...r.error.map((p) => ({ ...p, message: `Skipping appsec-rule: ${p.message}` })));
      continue;
    }
    const m = meta.get(path);
    r.value.hash = m?.hash ?? "";
    r.value.version = m?.version ?? "";
    byName.set(r.value.name, r.value);
  }
  return byName;
}

function buildEngine(
  patterns: readonly string[],
  rules: Map<string, AppsecRuleFile>,
  band: string,
  opts: AppsecLoadOptions,
  disableBody: boolean,
  problems: Problem[],
  warnings: Problem[],
): Engine {
  const compiled: CompiledRule[] = [];
  const seen = new Set<string>();
  let bodyRules: BodyProcessorRule[] | undefined;
  let discarded = 0;
  const names = [...rules.keys()].sort();
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const matching = names.filter((n) => re.test(n));
    if (matching.length === 0) {
      problems.push(problem("appsec.no-rules", `No appsec-rules found for pattern "${pattern}" (${band})`));
      continue;
    }
    for (const name of matching) {
      const file = rules.get(name)!;
      if (file.seclangFilesRules.length > 0) {
        problems.push(problem("appsec.seclang-unsupported", `Appsec-rule "${name}" uses seclang_files_rules (raw SecLang / CRS): not supported`, { file: file.file, field: "seclang_files_rules" }));
        continue;
      }
      if (file.seclangRules.length > 0) {
        const body = readBodyProcessorRules(file.seclangRules);
        if (body.unsupported !== undefined) {
          problems.push(problem("appsec.seclang-unsupported", `Appsec-rule "${name}" uses seclang_rules (raw SecLang): not supported`, { file: file.file, field: "seclang_rules", hint: `first unsupported line: ${body.unsupported}` }));
          continue;
        }
        (bodyRules ??= []).push(...body.rules);
      }
      for (const rule of compileRuleFile(file, { injection: opts.injection ?? LIBINJECTION }, problems)) {
        if (seen.has(rule.dedupKey)) {
          discarded++;
          continue;
        }
        seen.add(rule.dedupKey);
        compiled.push(rule);
      }
    }
  }
  if (discarded > 0) warnings.push(problem("appsec.duplicate-rules", `${discarded} ${band} rules were discarded as they were duplicates`));
  return { rules: compiled, bodyRules, disableBodyInspection: disableBody };
}

/** Loads configs and rules, compiles both engines and the hooks, runs on_load. */
export function loadAppsecRuntime(opts: AppsecLoadOptions): AppsecLoadResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let merged: AppsecConfig | undefined = opts.config;
  if (!merged) {
    const paths = [...resolveConfigNames(opts.configs ?? [], opts.index, opts.hubRoot, problems), ...(opts.configPaths ?? [])];
    if (problems.length > 0) return { problems, warnings };
    if (paths.length === 0) return { problems: [problem("appsec.no-config", "No appsec-config given")], warnings };
    const r = loadAppsecConfigFiles(paths, warnings);
    if (!r.ok) return { problems: r.error, warnings };
    merged = r.value;
  }
  const config = withDefaults(merged ?? emptyAppsecConfig(), warnings);
  const rules = loadRuleFiles(opts, warnings, problems);
  const inband = buildEngine(config.inbandRules, rules, "inband", opts, config.inbandDisableBodyInspection, problems, warnings);
  const outofband = buildEngine(config.outofbandRules, rules, "outofband", opts, config.outofbandDisableBodyInspection, problems, warnings);
  const hostSlot: HostSlot = { host: NO_HOST };
  const fns = {
    pre_eval: hookFunctions("pre_eval", hostSlot),
    post_eval: hookFunctions("post_eval", hostSlot),
    on_match: hookFunctions("on_match", hostSlot),
    on_load: hookFunctions("on_load", hostSlot),
  };
  const phase = (h: AppsecConfig["common"]): PhaseHooks => ({
    preEval: compileHooks(h.preEval, "pre_eval", fns.pre_eval, problems),
    postEval: compileHooks(h.postEval, "post_eval", fns.post_eval, problems),
    onMatch: compileHooks(h.onMatch, "on_match", fns.on_match, problems),
  });
  const common = phase(config.common);
  const inbandHooks = phase(config.inband);
  const outofbandHooks = phase(config.outofband);
  const onLoad = compileHooks(config.onLoad, "on_load", fns.on_load, problems);
  const variablesTracking: RegExp[] = [];
  for (const v of config.variablesTracking) {
    try {
      variablesTracking.push(new RegExp(v));
    } catch (e) {
      problems.push(problem("appsec.bad-regex", `Cannot compile variable regexp "${v}": ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  if (problems.length > 0) return { problems, warnings };
  const warn = opts.warn ?? (() => {});
  const runtime: AppsecRuntime = {
    name: config.name, config, inband, outofband, common, inbandHooks, outofbandHooks,
    remediationById: new Map(), remediationByTag: new Map(), variablesTracking,
    labels: opts.labels ?? { type: "appsec" }, bodySettings: { maxSize: 10 * 1024 * 1024, action: "drop" }, warn, hostSlot,
  };
  return { runtime: applyOnLoad(runtime, onLoad), problems, warnings };
}

/** Runs on_load hooks; rules they disable are deleted from the engines (upstream DeleteByID/Tag). */
function applyOnLoad(runtime: AppsecRuntime, hooks: readonly CompiledHook[]): AppsecRuntime {
  if (hooks.length === 0) return runtime;
  const disabled = { inband: { ids: new Set<number>(), tags: new Set<string>() }, outofband: { ids: new Set<number>(), tags: new Set<string>() } };
  const host: HookHost = {
    removeRuleById: (band, id) => void disabled[band].ids.add(id),
    removeRuleByTag: (band, tag) => void disabled[band].tags.add(tag),
    setRemediationById: (id, a) => void runtime.remediationById.set(id, a),
    setRemediationByTag: (tag, a) => void runtime.remediationByTag.set(tag, a),
    setMaxBodySize: (n) => void (runtime.bodySettings.maxSize = n),
    setBodySizeExceededAction: (a) => {
      if (a === "drop" || a === "partial" || a === "allow") runtime.bodySettings.action = a;
      else runtime.warn(`invalid body size exceeded action "${a}"`);
    },
    setRemediation: () => {}, setReturnCode: () => {}, dropRequest: () => {}, disableBodyInspection: () => {}, setEventEmission: () => {},
    currentRequest: () => undefined,
    warn: runtime.warn,
  };
  runtime.hostSlot.host = host;
  const err = runHooks(hooks, stageVars(), "on_load", runtime.warn);
  runtime.hostSlot.host = NO_HOST;
  if (err) runtime.warn(err);
  const prune = (engine: Engine, d: { ids: Set<number>; tags: Set<string> }): Engine => {
    if (d.ids.size === 0 && d.tags.size === 0) return engine;
    const rules: CompiledRule[] = [];
    for (const r of engine.rules) {
      if (r.tags.some((t) => d.tags.has(t))) continue;
      const chains = r.chains.filter((c) => !d.ids.has(c.id));
      if (chains.length > 0) rules.push({ ...r, chains });
    }
    return { ...engine, rules };
  };
  return { ...runtime, inband: prune(runtime.inband, disabled.inband), outofband: prune(runtime.outofband, disabled.outofband) };
}
