/**
 * Loading a parser tree: files sorted by install path (stage directory, then file name), nodes in
 * document order, one grok pattern host shared by the whole tree (PARSERS.md §1).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseYamlStream } from "../config";
import type { HelperContext } from "../expr/functions/types";
import { createPatternLibrary, type PatternLibrary } from "../grok";
import { problem, type Problem } from "../result";
import { compileNode, position, type CompiledNode } from "./compile";
import { readNodeDocument, type DataFileSpec } from "./node-config";
import { buildParserTree, type ParserTree } from "./runtime";

export interface ParserFile {
  /** Where to read the YAML from. */
  readonly path: string;
  readonly stage: string;
  /** The name it is installed under (the file's base name by default): decides the load order. */
  readonly installName?: string;
  /** The YAML itself, for items made in memory (hubtest's override node); `path` then only names it. */
  readonly text?: string;
}

export interface LoadParsersOptions {
  readonly patterns?: PatternLibrary;
  readonly helpers?: HelperContext;
  readonly knownMethods?: ReadonlySet<string>;
  /** Registers the `data:` files a node declares; returns a problem when one cannot be loaded. */
  readonly loadData?: (spec: DataFileSpec, file: string) => Problem | undefined;
}

export interface LoadedParsers {
  readonly tree: ParserTree;
  readonly nodes: readonly CompiledNode[];
  /** Items that could not be loaded; the others still run. */
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/** Orders files as an installed crowdsec would: `<stage>/<file name>`, string compare. */
export function sortByInstallPath(files: readonly ParserFile[]): ParserFile[] {
  const key = (f: ParserFile) => `${f.stage}/${f.installName ?? basename(f.path)}`;
  return [...files].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function loadParserTree(files: readonly ParserFile[], opts: LoadParsersOptions = {}): LoadedParsers {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const patterns = opts.patterns ?? createPatternLibrary();
  const nodes: CompiledNode[] = [];
  for (const file of sortByInstallPath(files)) {
    let text: string;
    try {
      text = file.text ?? readFileSync(file.path, "utf8");
    } catch (e) {
      problems.push(problem("parser.read", `Cannot read parser file: ${e instanceof Error ? e.message : String(e)}`, { file: file.path }));
      continue;
    }
    const parsed = parseYamlStream(text, file.path);
    problems.push(...parsed.problems);
    for (const doc of parsed.docs) {
      const fileProblems: Problem[] = [];
      const config = readNodeDocument(doc, fileProblems, warnings);
      if (config) {
        // A data file that cannot be loaded is reported, but the node still loads, as upstream
        // (processStageFile only logs FileInit errors): its File() then reads an empty list.
        for (const spec of config.data) {
          const p = opts.loadData?.(spec, config.name || file.path);
          if (p) problems.push(p.file ? p : { ...p, ...position(doc, spec.at) });
        }
        const node = compileNode(config, file.stage, { patterns, helpers: opts.helpers, knownMethods: opts.knownMethods, warnings }, fileProblems);
        if (node && fileProblems.length === 0) nodes.push(node);
      }
      problems.push(...fileProblems);
    }
  }
  return { tree: buildParserTree(nodes), nodes, problems, warnings };
}

/**
 * Parser files of a CrowdSec config directory (`<dir>/<stage>/*.yaml`, symlinks into the hub
 * directory followed), e.g. /etc/crowdsec/parsers or /etc/crowdsec/postoverflows.
 */
export function listInstalledParsers(dir: string): ParserFile[] {
  if (!existsSync(dir)) return [];
  const out: ParserFile[] = [];
  for (const stage of readdirSync(dir).sort()) {
    const stageDir = join(dir, stage);
    if (!isDirectory(stageDir)) continue;
    for (const name of readdirSync(stageDir).sort()) {
      const path = join(stageDir, name);
      if (/\.ya?ml$/.test(name) && !isDirectory(path) && existsSync(path)) out.push({ path, stage, installName: name });
    }
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
