/**
 * `picket lint`: load hub items the way the engine does and collect every problem, with its file,
 * line and field. One bad item never hides the next.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { compileScenario } from "../buckets";
import { readScenarioDocument } from "../buckets";
import { parseYamlStream } from "../config";
import { createPatternLibrary, type PatternLibrary } from "../grok";
import { compileAssertFile } from "../hubtest/asserts";
import { compileNode } from "../parser";
import { readNodeDocument } from "../parser";
import { problem, type Problem } from "../result";

export type ItemKind = "parser" | "postoverflow" | "scenario";

export interface LintReport {
  /** Files examined. */
  readonly files: number;
  /** Errors: the engine would refuse these items. */
  readonly problems: readonly Problem[];
  /** Things the engine accepts with a warning (duplicate pattern_syntax, unknown method…). */
  readonly warnings: readonly Problem[];
}

export interface LintOptions {
  /** Enricher method names the engine knows; unknown ones are warnings. */
  readonly knownMethods?: ReadonlySet<string>;
}

/** Lints every parser, postoverflow and scenario YAML under `paths` (files or directories). */
export function lintItems(paths: readonly string[], opts: LintOptions = {}): LintReport {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const files = collectFiles(paths, problems, (f) => /\.ya?ml$/.test(f));
  // Parsers and postoverflows are two trees, each with its own grok host, loaded in path order.
  const trees: Record<"parser" | "postoverflow", PatternLibrary> = {
    parser: createPatternLibrary(),
    postoverflow: createPatternLibrary(),
  };
  let count = 0;
  for (const file of files.sort()) {
    const text = readText(file, problems);
    if (text === undefined) continue;
    count++;
    const { docs, problems: yamlProblems } = parseYamlStream(text, file, { strict: true });
    problems.push(...yamlProblems);
    const kind = kindOf(file, docs[0]?.value);
    if (!kind) {
      if (!isIgnorableYaml(file)) warnings.push(problem("lint.unknown-kind", "Not a parser, scenario or postoverflow: skipped", { file }));
      continue;
    }
    for (const doc of docs) {
      if (kind === "scenario") {
        const config = readScenarioDocument(doc, problems);
        if (config) compileScenario(config, undefined, problems);
      } else {
        const config = readNodeDocument(doc, problems);
        if (config) {
          compileNode(config, stageOf(file) ?? "s01-parse", { patterns: trees[kind], knownMethods: opts.knownMethods, warnings }, problems);
        }
      }
    }
  }
  return { files: count, problems: byPlace(problems), warnings: byPlace(warnings) };
}

/** Problems in file order, then line and column. */
function byPlace(list: Problem[]): Problem[] {
  return list.sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Compiles every line of every parser.assert / scenario.assert under `paths`. */
export function lintAssertFiles(paths: readonly string[]): LintReport {
  const problems: Problem[] = [];
  const files = collectFiles(paths, problems, (f) => f.endsWith(".assert"));
  let count = 0;
  for (const file of files.sort()) {
    const text = readText(file, problems);
    if (text === undefined) continue;
    count++;
    const kind = basename(file).startsWith("scenario") ? "scenario" : "parser";
    for (const r of compileAssertFile(text, kind)) {
      if (!r.ok) problems.push({ ...r.error, file, line: r.line, column: undefined });
    }
  }
  return { files: count, problems, warnings: [] };
}

/** By install path first (`parsers/<stage>/…`, `scenarios/…`), then by what the document holds. */
export function kindOf(file: string, firstDoc: unknown): ItemKind | undefined {
  const parts = file.split(sep);
  if (parts.includes("postoverflows")) return "postoverflow";
  if (parts.includes("parsers")) return "parser";
  if (parts.includes("scenarios")) return "scenario";
  if (firstDoc && typeof firstDoc === "object" && !Array.isArray(firstDoc)) {
    const d = firstDoc as Record<string, unknown>;
    if ("type" in d && ("leakspeed" in d || "capacity" in d || "groupby" in d || d.type === "trigger")) return "scenario";
    if ("onsuccess" in d || "grok" in d || "nodes" in d || "statics" in d || "whitelist" in d) return "parser";
  }
  return undefined;
}

/** `…/parsers/s01-parse/author/x.yaml` → "s01-parse". */
export function stageOf(file: string): string | undefined {
  const parts = file.split(sep);
  return parts.find((p) => /^s\d\d-/.test(p));
}

function isIgnorableYaml(file: string): boolean {
  const name = basename(file);
  return name.startsWith(".") || name === "config.yaml" || name.startsWith("template_");
}

function collectFiles(paths: readonly string[], problems: Problem[], wanted: (f: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      problems.push(problem("lint.missing-path", `Cannot read "${p}": no such file or directory`));
      return;
    }
    if (st.isFile()) {
      out.push(p);
      return;
    }
    for (const entry of readdirSync(p, { withFileTypes: true })) {
      const full = join(p, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name === "runtime" || entry.name === "results") continue;
        walk(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && wanted(entry.name) && existsSync(full)) out.push(full);
    }
  };
  for (const p of paths) walk(p);
  return out;
}

function readText(file: string, problems: Problem[]): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    problems.push(problem("lint.read", `Cannot read file: ${e instanceof Error ? e.message : String(e)}`, { file }));
    return undefined;
  }
}
