/**
 * A hubtest directory's `config.yaml` (pkg/hubtest/hubtest_item.go). Decoded non-strictly, as
 * upstream does: unknown keys (`collections:`, typos) have no effect.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DocReader, parseYamlStream } from "../config";
import { readStatics, type StaticConfig } from "../parser";
import { err, ok, problem, type Problem, type Result } from "../result";

export interface HubtestConfig {
  readonly name: string;
  readonly dir: string;
  readonly parsers: readonly string[];
  readonly scenarios: readonly string[];
  readonly postoverflows: readonly string[];
  readonly appsecRules: readonly string[];
  readonly nucleiTemplate?: string;
  readonly expectFailure: boolean;
  readonly logFile: string;
  readonly logType: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ignoreParsers: boolean;
  readonly overrideStatics: readonly StaticConfig[];
  /** override_statics as written, to build the synthetic `overrides` node from. */
  readonly overrideStaticsRaw: readonly unknown[];
  readonly ownDataDir: boolean;
}

/** Test names: the sub-directories of `testsDir` that hold a config.yaml, sorted. */
export function discoverTests(testsDir: string): string[] {
  if (!existsSync(testsDir)) return [];
  return readdirSync(testsDir)
    .filter((name) => {
      const dir = join(testsDir, name);
      try {
        return statSync(dir).isDirectory() && existsSync(join(dir, "config.yaml"));
      } catch {
        return false;
      }
    })
    .sort();
}

export function readTestConfig(dir: string, name: string): Result<HubtestConfig> {
  const file = join(dir, "config.yaml");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return err(problem("hubtest.config", `Cannot read test config: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  const { docs, problems } = parseYamlStream(text, file);
  if (problems.length > 0) return err(problems[0]!);
  const doc = docs[0];
  const local: Problem[] = [];
  const r = doc ? new DocReader(doc, local) : undefined;
  const root = r?.map(doc!.value, [], "a hubtest config");
  if (!r || !root) return err(problem("hubtest.config", "Test config is empty", { file }));
  const names = (key: string) => (r.stringList(root[key], [key]) ?? []).filter((s) => s !== "");
  const labels: Record<string, string> = {};
  const labelMap = r.map(root.labels, ["labels"], "labels");
  if (labelMap) for (const [k, v] of Object.entries(labelMap)) labels[k] = v === null || v === undefined ? "" : String(v);
  const config: HubtestConfig = {
    name,
    dir,
    parsers: names("parsers"),
    scenarios: names("scenarios"),
    postoverflows: names("postoverflows"),
    appsecRules: names("appsec-rules"),
    nucleiTemplate: r.string(root.nuclei_template, ["nuclei_template"]),
    expectFailure: r.bool(root.expect_failure, ["expect_failure"]) ?? false,
    logFile: r.string(root.log_file, ["log_file"]) ?? "",
    logType: r.string(root.log_type, ["log_type"]) ?? "",
    labels,
    ignoreParsers: r.bool(root.ignore_parsers, ["ignore_parsers"]) ?? false,
    overrideStatics: readStatics(r, root.override_statics, ["override_statics"]),
    overrideStaticsRaw: Array.isArray(root.override_statics) ? root.override_statics : [],
    ownDataDir: r.bool(root.own_data_dir, ["own_data_dir"]) ?? false,
  };
  if (local.length > 0) return err(local[0]!);
  return ok(config);
}
