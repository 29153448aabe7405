/** Loading scenario files: every document of every file, in order; one bad document never hides the next. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseYamlStream } from "../config/yaml-doc";
import type { HelperContext } from "../expr";
import type { DataFileSpec } from "../parser/node-config";
import { problem, type Problem } from "../result";
import { compileScenario, type CompiledScenario } from "./compile";
import { readScenarioDocument } from "./scenario-config";

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

export function loadScenarios(files: readonly string[], opts: LoadScenariosOptions = {}): LoadedScenarios {
  const scenarios: CompiledScenario[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
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
