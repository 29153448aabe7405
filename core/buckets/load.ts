/** Loading scenario files: every document of every file, in order; one bad document never hides the next. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseYamlStream } from "../config";
import type { HelperContext } from "../expr";
import type { DataFileSpec } from "../parser";
import { problem, type Problem } from "../result";
import { compileScenario, type CompiledScenario } from "./compile";
import { readScenarioDocument } from "./scenario-config";
import { checkParserFormat } from "../parser";
import type { SourceDoc } from "../config";

export interface LoadScenariosOptions {
  readonly helpers?: HelperContext;
  /** Registers a scenario's `data:` files; upstream only logs a missing one, so this returns a warning. */
  readonly loadData?: (spec: DataFileSpec, file: string) => Problem | undefined;
  /** The hub version of a scenario file given its sha256 ("?" when tainted); "" (local file) by default. */
  readonly versionOf?: (file: string, hash: string) => string | undefined;
}

export interface LoadedScenarios {
  readonly scenarios: readonly CompiledScenario[];
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** A scenario file on disk, or one made in memory (the built-in collection) with its display path. */
export type ScenarioFile = string | { readonly path: string; readonly text: string };

export function loadScenarios(files: readonly ScenarioFile[], opts: LoadScenariosOptions = {}): LoadedScenarios {
  const scenarios: CompiledScenario[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const entry of files) {
    const file = typeof entry === "string" ? entry : entry.path;
    let text: string;
    try {
      text = typeof entry === "string" ? readFileSync(file, "utf8") : entry.text;
    } catch (e) {
      problems.push(problem("scenario.read", `Cannot read scenario file: ${e instanceof Error ? e.message : String(e)}`, { file }));
      continue;
    }
    const hash = createHash("sha256").update(text).digest("hex");
    const version = opts.versionOf?.(file, hash) ?? "";
    const parsed = parseYamlStream(text, file);
    problems.push(...parsed.problems);
    for (const doc of parsed.docs) {
      if (doc.value === null || doc.value === undefined) continue; // a trailing `---`
      if (!isFormatSupported(doc, problems, warnings)) continue;
      const config = readScenarioDocument(doc, problems);
      if (!config) continue;
      for (const spec of config.data) {
        const p = opts.loadData?.(spec, file);
        if (p) warnings.push(p);
      }
      const compiled = compileScenario(config, opts.helpers, problems);
      if (compiled) scenarios.push({ ...compiled, hash, version });
    }
  }
  return { scenarios, problems, warnings };
}

/**
 * `format:` against the engine's range (">= 1.0, <= 3.0", as for parsers): a document of another
 * format is skipped with a warning, before any other check (manager_load.go); text that is not a
 * version fails the file.
 */
function isFormatSupported(doc: SourceDoc, problems: Problem[], warnings: Problem[]): boolean {
  const value = doc.value as { format?: unknown; name?: unknown };
  if (typeof value !== "object" || value.format === undefined || value.format === null) return true;
  const format = String(value.format);
  const verdict = checkParserFormat(format);
  if (verdict === "supported") return true;
  // positions come from a second, slower YAML parse: only when there is something to report
  const at = doc.locate(["format"]);
  const where = { file: doc.file, line: at?.line, column: at?.column, field: "format" };
  const name = typeof value.name === "string" ? value.name : "(unnamed)";
  switch (verdict) {
    case "unsupported":
      warnings.push(problem("scenario.format", `Scenario "${name}" skipped: format "${format}" is not supported (>= 1.0, <= 3.0)`, where));
      return false;
    case "invalid":
      problems.push(problem("scenario.format", `Cannot load scenario "${name}": format "${format}" is not a version`, where));
      return false;
  }
}
