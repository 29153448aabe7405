// Grok content of a hub snapshot (parsers, postoverflows), in the order CrowdSec loads it. Used by
// the hub tests and scripts/bench-redos.ts; the parser loader has its own, richer reading.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { PatternLibrary } from "./library";

export interface HubGrok {
  readonly file: string;
  /** "pattern": inline grok.pattern; "name": grok.name; "syntax": a pattern_syntax entry. */
  readonly kind: "pattern" | "name" | "syntax";
  /** The defined name for "syntax", the referenced name for "name". */
  readonly name: string | undefined;
  /** Grok text (for "name", the name itself). */
  readonly text: string;
  /** `apply_on` of the grok block, when it has one. */
  readonly applyOn?: string;
}

/**
 * Every grok of `tree` ("parsers" or "postoverflows") in CrowdSec's load order: files sorted by
 * their installed path (stage, then file name), documents in order, and in each node its
 * pattern_syntax entries, then its grok, then its children.
 */
export function collectHubGroks(hubDir: string, tree: "parsers" | "postoverflows"): HubGrok[] {
  const files: { key: string; path: string }[] = [];
  const root = join(hubDir, tree);
  for (const stage of safeList(root)) {
    for (const author of safeList(join(root, stage))) {
      const dir = join(root, stage, author);
      if (!statSync(dir).isDirectory()) continue;
      for (const f of safeList(dir)) {
        if (f.endsWith(".yaml") || f.endsWith(".yml")) files.push({ key: `${stage}/${f}`, path: join(dir, f) });
      }
    }
  }
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: HubGrok[] = [];
  for (const { path } of files) {
    for (const doc of parseAllDocuments(readFileSync(path, "utf8"))) {
      walkNode(doc.toJS() as unknown, path, out);
    }
  }
  return out;
}

function walkNode(node: unknown, file: string, out: HubGrok[]): void {
  if (!isRecord(node)) return;
  const syntax = node.pattern_syntax;
  if (isRecord(syntax)) {
    for (const [name, text] of Object.entries(syntax)) if (typeof text === "string") out.push({ file, kind: "syntax", name, text });
  }
  const grok = node.grok;
  if (isRecord(grok)) {
    // As upstream: when both are set, `name` wins.
    const applyOn = typeof grok.apply_on === "string" ? { applyOn: grok.apply_on } : {};
    if (typeof grok.name === "string" && grok.name !== "") out.push({ file, kind: "name", name: grok.name, text: grok.name, ...applyOn });
    else if (typeof grok.pattern === "string" && grok.pattern !== "") {
      out.push({ file, kind: "pattern", name: undefined, text: grok.pattern, ...applyOn });
    }
  }
  if (Array.isArray(node.nodes)) for (const child of node.nodes) walkNode(child, file, out);
}

/** Adds the pattern_syntax entries of `groks` to `lib`, in order; returns what could not be added. */
export function addHubSyntax(lib: PatternLibrary, groks: readonly HubGrok[]): string[] {
  const failures: string[] = [];
  for (const g of groks) {
    if (g.kind !== "syntax" || g.name === undefined) continue;
    const r = lib.add(g.name, g.text);
    if (!r.ok) failures.push(`${basename(g.file)} ${g.name}: ${r.error.message}`);
  }
  return failures;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
