/**
 * Parser node documents (pkg/parser/node_config.go) read strictly into typed configs, with every
 * problem located at its file, line and field. Loading goes on after a problem so that one bad
 * node never hides the next.
 */
import { DocReader, formatPath, type SourceDoc, type YamlPath } from "../config";
import { problem, type Problem } from "../result";
import { checkParserFormat } from "./format-version";

export type OnSuccess = "continue" | "next_stage";

export interface StaticConfig {
  readonly method?: string;
  readonly parsed?: string;
  readonly meta?: string;
  readonly enriched?: string;
  readonly target?: string;
  readonly value?: string;
  readonly expression?: string;
  readonly at: YamlPath;
}

export interface GrokConfig {
  readonly pattern?: string;
  readonly name?: string;
  readonly applyOn?: string;
  readonly expression?: string;
  readonly statics: readonly StaticConfig[];
  readonly at: YamlPath;
}

export interface WhitelistConfig {
  readonly reason: string;
  readonly ip: readonly string[];
  readonly cidr: readonly string[];
  readonly expression: readonly string[];
  readonly at: YamlPath;
}

export interface StashConfig {
  readonly name: string;
  readonly key: string;
  readonly value: string;
  readonly ttl: string;
  readonly size?: number;
  readonly strategy?: string;
  readonly at: YamlPath;
}

/** A `data:` entry: a file that helpers such as File() and RegexpInFile() read. */
export interface DataFileSpec {
  readonly sourceUrl?: string;
  readonly destFile: string;
  readonly type: string;
  readonly at: YamlPath;
}

export interface NodeConfig {
  readonly name?: string;
  readonly description?: string;
  readonly format: string;
  readonly debug: boolean;
  readonly filter?: string;
  readonly onsuccess: OnSuccess;
  /** Ordered: entries are added to the grok library in YAML order. */
  readonly patternSyntax: readonly (readonly [name: string, pattern: string])[];
  readonly grok?: GrokConfig;
  readonly nodes: readonly NodeConfig[];
  readonly statics: readonly StaticConfig[];
  readonly stash: readonly StashConfig[];
  readonly whitelist?: WhitelistConfig;
  readonly data: readonly DataFileSpec[];
  /** Where the node sits in its document, for locating later problems. */
  readonly at: YamlPath;
  readonly doc: SourceDoc;
}

const NODE_KEYS = new Set([
  "name", "description", "author", "references", "format", "debug", "profiling", "filter", "onsuccess",
  "pattern_syntax", "grok", "nodes", "statics", "stash", "whitelist", "data", "stage",
]);
const GROK_KEYS = new Set(["pattern", "name", "apply_on", "expression", "statics"]);
const STATIC_KEYS = new Set(["method", "parsed", "meta", "enriched", "target", "value", "expression"]);
const WHITELIST_KEYS = new Set(["reason", "ip", "cidr", "expression"]);
const STASH_KEYS = new Set(["name", "key", "value", "ttl", "size", "strategy"]);
export const DATA_KEYS = new Set(["source_url", "dest_file", "type", "strategy", "size", "ttl", "cache"]);

/**
 * Reads one top-level node document. Returns undefined for the empty trailing document that
 * upstream skips silently (no name, description or author), and for a node whose `format` this
 * engine does not run (a warning, as upstream logs an error and goes on).
 */
export function readNodeDocument(doc: SourceDoc, problems: Problem[], warnings?: Problem[]): NodeConfig | undefined {
  const r = new DocReader(doc, problems);
  const root = r.map(doc.value, [], "a parser node");
  if (!root) return undefined;
  // Upstream decodes strictly, then skips unnamed and unsupported nodes before compiling them:
  // for those, an unknown key or a value of the wrong type is an error, the rest is not looked at.
  const local: Problem[] = [];
  const node = readNode(new DocReader(doc, local), root, []);
  const decodingOnly = () => problems.push(...local.filter((p) => p.code.startsWith("yaml.")));
  if (isBlank(root.name) && isBlank(root.description) && isBlank(root.author)) {
    decodingOnly();
    return undefined;
  }
  switch (checkParserFormat(node.format)) {
    case "supported":
      problems.push(...local);
      return node;
    case "invalid":
      problems.push(...local);
      r.report(["format"], "parser.format", `Cannot read format version "${node.format}"`);
      return node;
    case "unsupported":
      decodingOnly();
      warnings?.push(
        problem("parser.format-unsupported", `Node "${node.name ?? ""}" has format "${node.format}", outside ">= 1.0, <= 3.0": it is skipped`, {
          ...locateField(doc, ["format"]),
        }),
      );
      return undefined;
  }
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

function locateField(doc: SourceDoc, at: YamlPath): Partial<Problem> {
  const pos = doc.locate(at);
  return { file: doc.file, line: pos?.line, column: pos?.column, field: formatPath(at) };
}

function readNode(r: DocReader, obj: Record<string, unknown>, at: YamlPath): NodeConfig {
  r.checkKeys(obj, NODE_KEYS, at, "a parser node");
  const onsuccessRaw = r.string(obj.onsuccess, [...at, "onsuccess"]);
  let onsuccess: OnSuccess = "continue";
  if (onsuccessRaw === "next_stage") onsuccess = "next_stage";
  else if (onsuccessRaw !== undefined && onsuccessRaw !== "" && onsuccessRaw !== "continue") {
    r.report([...at, "onsuccess"], "parser.onsuccess", `Unknown onsuccess "${onsuccessRaw}": expected "continue" or "next_stage"`);
  }
  const patternSyntax: [string, string][] = [];
  const ps = r.map(obj.pattern_syntax, [...at, "pattern_syntax"], "pattern_syntax");
  if (ps) {
    for (const [name, pattern] of Object.entries(ps)) {
      const p = r.string(pattern, [...at, "pattern_syntax", name]);
      if (p !== undefined) patternSyntax.push([name, p]);
    }
  }
  const nodes: NodeConfig[] = [];
  r.list(obj.nodes, [...at, "nodes"])?.forEach((child, i) => {
    const path = [...at, "nodes", i];
    const m = r.map(child, path, "a child node");
    if (m) nodes.push(readNode(r, m, path));
  });
  const grokObj = r.map(obj.grok, [...at, "grok"], "grok");
  const whitelistObj = r.map(obj.whitelist, [...at, "whitelist"], "whitelist");
  const node: NodeConfig = {
    name: r.string(obj.name, [...at, "name"]),
    description: r.string(obj.description, [...at, "description"]),
    format: r.string(obj.format, [...at, "format"]) ?? "1.0",
    debug: r.bool(obj.debug, [...at, "debug"]) ?? false,
    filter: emptyToUndefined(r.string(obj.filter, [...at, "filter"])),
    onsuccess,
    patternSyntax,
    grok: grokObj ? readGrok(r, grokObj, [...at, "grok"]) : undefined,
    nodes,
    statics: readStatics(r, obj.statics, [...at, "statics"]),
    stash: readStash(r, obj.stash, [...at, "stash"]),
    whitelist: whitelistObj ? readWhitelist(r, whitelistObj, [...at, "whitelist"]) : undefined,
    data: readDataFiles(r, obj.data, [...at, "data"]),
    at,
    doc: r.doc,
  };
  // As upstream compile: a stash alone, or a whitelist with nothing to check, does not make a node.
  const w = node.whitelist;
  const hasWhitelist = w !== undefined && w.ip.length + w.cidr.length + w.expression.length > 0;
  if (!node.grok && node.nodes.length === 0 && node.statics.length === 0 && !hasWhitelist) {
    r.report(at, "parser.empty-node", `Node "${node.name ?? "(unnamed)"}" has no grok, nodes, statics or whitelist`);
  }
  return node;
}

function readGrok(r: DocReader, obj: Record<string, unknown>, at: YamlPath): GrokConfig {
  r.checkKeys(obj, GROK_KEYS, at, "grok");
  const grok: GrokConfig = {
    pattern: emptyToUndefined(r.string(obj.pattern, [...at, "pattern"])),
    name: emptyToUndefined(r.string(obj.name, [...at, "name"])),
    applyOn: emptyToUndefined(r.string(obj.apply_on, [...at, "apply_on"])),
    expression: emptyToUndefined(r.string(obj.expression, [...at, "expression"])),
    statics: readStatics(r, obj.statics, [...at, "statics"], { grok: true }),
    at,
  };
  if (grok.pattern === undefined && grok.name === undefined) {
    r.report(at, "parser.grok", "A grok needs a pattern or a name");
  }
  if (grok.applyOn === undefined && grok.expression === undefined) {
    r.report(at, "parser.grok", "A grok needs apply_on or expression");
  }
  return grok;
}

/**
 * Statics share one schema everywhere: node statics, grok statics, hubtest override_statics.
 * Upstream validates node statics only (Static.Validate from Node.validate): there a static needs
 * meta, parsed or target (`enriched` alone is refused) and a value, or a method and a value. Grok
 * statics (`grok: true`) are not validated; one without a value is skipped at run time, but one
 * without any target stops crowdsec (log.Fatal), so that stays a load error here.
 */
export function readStatics(r: DocReader, value: unknown, at: YamlPath, opts: { grok?: boolean } = {}): StaticConfig[] {
  const out: StaticConfig[] = [];
  r.list(value, at)?.forEach((item, i) => {
    const path = [...at, i];
    const obj = r.map(item, path, "a static");
    if (!obj) return;
    r.checkKeys(obj, STATIC_KEYS, path, "a static");
    const s: StaticConfig = {
      method: emptyToUndefined(r.string(obj.method, [...path, "method"])),
      parsed: emptyToUndefined(r.string(obj.parsed, [...path, "parsed"])),
      meta: emptyToUndefined(r.string(obj.meta, [...path, "meta"])),
      enriched: emptyToUndefined(r.string(obj.enriched, [...path, "enriched"])),
      target: emptyToUndefined(r.string(obj.target, [...path, "target"])),
      value: emptyToUndefined(r.string(obj.value, [...path, "value"])),
      expression: emptyToUndefined(r.string(obj.expression, [...path, "expression"])),
      at: path,
    };
    const hasValue = s.value !== undefined || s.expression !== undefined;
    if (opts.grok) {
      if ((s.method ?? s.parsed ?? s.meta ?? s.enriched ?? s.target) === undefined) {
        r.report(path, "parser.static", "A static needs one of method, parsed, meta, enriched or target");
      }
    } else if (s.method !== undefined) {
      if (!hasValue) r.report(path, "parser.static", "A static with a method needs a value or an expression");
    } else if ((s.parsed ?? s.meta ?? s.target) === undefined) {
      r.report(path, "parser.static", "A static needs one of meta, parsed or target", s.enriched !== undefined ? { hint: "upstream refuses enriched alone here: add meta, parsed or target" } : {});
    } else if (!hasValue) {
      r.report(path, "parser.static", "A static needs a value or an expression");
    }
    out.push(s);
  });
  return out;
}

function readWhitelist(r: DocReader, obj: Record<string, unknown>, at: YamlPath): WhitelistConfig {
  r.checkKeys(obj, WHITELIST_KEYS, at, "whitelist");
  return {
    reason: r.string(obj.reason, [...at, "reason"]) ?? "",
    ip: r.stringList(obj.ip, [...at, "ip"]) ?? [],
    cidr: r.stringList(obj.cidr, [...at, "cidr"]) ?? [],
    expression: r.stringList(obj.expression, [...at, "expression"]) ?? [],
    at,
  };
}

function readStash(r: DocReader, value: unknown, at: YamlPath): StashConfig[] {
  const out: StashConfig[] = [];
  r.list(value, at)?.forEach((item, i) => {
    const path = [...at, i];
    const obj = r.map(item, path, "a stash entry");
    if (!obj) return;
    r.checkKeys(obj, STASH_KEYS, path, "a stash entry");
    const name = r.string(obj.name, [...path, "name"]);
    const key = r.string(obj.key, [...path, "key"]);
    const val = r.string(obj.value, [...path, "value"]);
    const ttl = r.string(obj.ttl, [...path, "ttl"]);
    if (!name || !key || !val || !ttl) {
      r.report(path, "parser.stash", "A stash entry needs name, key, value and ttl");
      return;
    }
    out.push({ name, key, value: val, ttl, size: r.int(obj.size, [...path, "size"]), strategy: r.string(obj.strategy, [...path, "strategy"]), at: path });
  });
  return out;
}

/** `data:` entries of parsers and scenarios. */
export function readDataFiles(r: DocReader, value: unknown, at: YamlPath): DataFileSpec[] {
  const out: DataFileSpec[] = [];
  r.list(value, at)?.forEach((item, i) => {
    const path = [...at, i];
    const obj = r.map(item, path, "a data entry");
    if (!obj) return;
    r.checkKeys(obj, DATA_KEYS, path, "a data entry");
    const destFile = r.string(obj.dest_file, [...path, "dest_file"]);
    if (!destFile) {
      r.report(path, "data.dest-file", "A data entry needs dest_file");
      return;
    }
    out.push({ sourceUrl: r.string(obj.source_url, [...path, "source_url"]), destFile, type: r.string(obj.type, [...path, "type"]) ?? "", at: path });
  });
  return out;
}

function emptyToUndefined(s: string | undefined): string | undefined {
  return s === "" ? undefined : s;
}
