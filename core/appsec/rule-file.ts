/**
 * appsec-rule files (APPSEC.md §3.1–§3.3): decoded strictly with every scalar as written.
 * Upstream skips a file that fails to decode (with a warning) but fails on an empty name.
 */
import { readFileSync } from "node:fs";
import { problem, type Problem, type Result, err, ok } from "../result";
import { Fields, SourceYaml, type Path } from "./yaml-source";

/** One node of a rule tree (appsec_rule.CustomRule). */
export interface RuleNode {
  readonly zones?: readonly string[];
  readonly variables: readonly string[];
  readonly transform: readonly string[];
  readonly match: { readonly type: string; readonly value: string; readonly not: boolean };
  readonly and: readonly RuleNode[];
  readonly or: readonly RuleNode[];
  readonly bodyType: string;
  /** YAML path, for problems. */
  readonly at: Path;
}

export interface AppsecRuleFile {
  readonly name: string;
  readonly description: string;
  readonly severity: string;
  readonly rules: readonly RuleNode[];
  readonly seclangRules: readonly string[];
  readonly seclangFilesRules: readonly string[];
  readonly file: string;
  readonly src: SourceYaml;
  /** Hub item hash and version, for matched-rule maps. */
  hash: string;
  version: string;
}

const TOP_KEYS = new Set(["type", "name", "debug", "description", "seclang_files_rules", "seclang_rules", "rules", "severity", "labels", "data"]);
const NODE_KEYS = new Set(["name", "severity", "zones", "variables", "match", "transform", "and", "or", "body_type"]);
const MATCH_KEYS = new Set(["type", "value", "not"]);

function readNode(f: Fields, v: unknown, at: Path): RuleNode | undefined {
  const m = f.map(v, at, "a rule");
  if (!m) return undefined;
  f.keys(m, NODE_KEYS, at, "an appsec rule");
  const match = f.map(m.match, [...at, "match"], "match") ?? {};
  f.keys(match, MATCH_KEYS, [...at, "match"], "match");
  const children = (key: "and" | "or") => (f.list(m[key], [...at, key]) ?? []).map((c, i) => readNode(f, c, [...at, key, i])).filter((c): c is RuleNode => c !== undefined);
  return {
    zones: m.zones === undefined || m.zones === null ? undefined : (f.strings(m.zones, [...at, "zones"]) ?? []),
    variables: f.strings(m.variables, [...at, "variables"]) ?? [],
    transform: f.strings(m.transform, [...at, "transform"]) ?? [],
    match: {
      type: f.string(match.type, [...at, "match", "type"]) ?? "",
      value: f.string(match.value, [...at, "match", "value"]) ?? "",
      not: f.bool(match.not, [...at, "match", "not"]) ?? false,
    },
    and: children("and"),
    or: children("or"),
    bodyType: f.string(m.body_type, [...at, "body_type"]) ?? "",
    at,
  };
}

/** Decodes an appsec-rule file's text; any decoding problem fails the file (upstream skips it). */
export function parseRuleFile(text: string, file: string): Result<AppsecRuleFile, Problem[]> {
  const parsed = SourceYaml.parse(text, file);
  if (!parsed.yaml) return err([parsed.problem!]);
  const src = parsed.yaml;
  const problems: Problem[] = [];
  const f = new Fields(src, problems);
  const root = f.map(src.value, [], "an appsec-rule file");
  if (!root) return err([problem("appsec.empty-rule", "Appsec-rule file is empty", { file })]);
  f.keys(root, TOP_KEYS, [], "an appsec-rule file");
  f.map(root.labels, ["labels"], "labels");
  f.list(root.data, ["data"]);
  f.bool(root.debug, ["debug"]);
  const rules = (f.list(root.rules, ["rules"]) ?? []).map((r, i) => readNode(f, r, ["rules", i])).filter((r): r is RuleNode => r !== undefined);
  const name = f.string(root.name, ["name"]) ?? "";
  if (problems.length === 0 && name === "") problems.push(problem("appsec.no-name", "Appsec-rule name is empty", { file }));
  if (problems.length > 0) return err(problems);
  return ok({
    name,
    description: f.string(root.description, ["description"]) ?? "",
    severity: f.string(root.severity, ["severity"]) ?? "",
    rules,
    seclangRules: f.strings(root.seclang_rules, ["seclang_rules"]) ?? [],
    seclangFilesRules: f.strings(root.seclang_files_rules, ["seclang_files_rules"]) ?? [],
    file,
    src,
    hash: "",
    version: "",
  });
}

export function readRuleFile(path: string): Result<AppsecRuleFile, Problem[]> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return err([problem("appsec.read", `Cannot read appsec-rule: ${e instanceof Error ? e.message : String(e)}`, { file: path })]);
  }
  return parseRuleFile(text, path);
}
