// Grok against the shared hub snapshot: every pattern hub parsers use resolves and compiles, and
// the captures on the hubtest sample lines are the values those tests assert.

import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { type GrokPattern, compileGrok, createPatternLibrary } from "./index";
import { type HubGrok, addHubSyntax, collectHubGroks } from "./hub-groks";
import { findReferences } from "./expand";

const HUB = new URL("../../../shared/hub", import.meta.url).pathname;
const hasHub = existsSync(join(HUB, "parsers"));
if (!hasHub) console.warn(`skipping hub grok tests: no hub snapshot at ${HUB}`);

describe.skipIf(!hasHub)("hub grok content", () => {
  for (const tree of ["parsers", "postoverflows"] as const) {
    test(`every pattern name referenced in ${tree} resolves, pattern_syntax loaded in CrowdSec order`, () => {
      const groks = collectHubGroks(HUB, tree);
      const lib = createPatternLibrary();
      expect(addHubSyntax(lib, groks)).toEqual([]);
      const unknown: string[] = [];
      for (const g of groks) {
        const names = g.kind === "name" ? [g.text] : findReferences(g.text).map((r) => r.name);
        for (const n of names) if (!lib.has(n)) unknown.push(`${g.file}: ${n}`);
      }
      expect(unknown).toEqual([]);
      if (tree === "parsers") expect(groks.length).toBeGreaterThan(400);
    });

    test(`every grok of ${tree} compiles`, () => {
      const groks = collectHubGroks(HUB, tree);
      const lib = createPatternLibrary();
      addHubSyntax(lib, groks);
      const failures: string[] = [];
      for (const g of groks) {
        const r = g.kind === "name" ? lib.compileNamed(g.text) : compileGrok(g.text, lib);
        if (!r.ok) failures.push(`${g.file} ${g.name ?? g.text}: ${r.error.message}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

interface Step {
  readonly grok: GrokPattern;
  readonly applyOn: string;
}

/** Grok steps of the listed parsers, in stage order, and the Parsed keys their statics set. */
function parserSteps(parsers: readonly string[]): { syslog: Step[]; rest: Step[]; staticKeys: Set<string> } {
  const all = collectHubGroks(HUB, "parsers");
  const lib = createPatternLibrary();
  addHubSyntax(lib, all);
  const files = parsers.map((p) => (p.startsWith("./") ? join(HUB, p) : findParserFile(p)));
  const syslog: Step[] = [];
  const rest: Step[] = [];
  const staticKeys = new Set<string>();
  const ordered = [...files].sort((a, b) => stageOf(a).localeCompare(stageOf(b)));
  for (const file of ordered) {
    for (const g of all.filter((x: HubGrok) => x.file === file && x.kind !== "syntax")) {
      const r = g.kind === "name" ? lib.compileNamed(g.text) : compileGrok(g.text, lib);
      if (!r.ok) throw new Error(`${file}: ${r.error.message}`);
      (stageOf(file) === "s00-raw" ? syslog : rest).push({ grok: r.value, applyOn: g.applyOn ?? "Line.Raw" });
    }
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) collectStaticKeys(doc.toJS() as unknown, staticKeys);
  }
  return { syslog, rest, staticKeys };
}

function findParserFile(item: string): string {
  const [author, name] = item.split("/");
  for (const stage of readdirSync(join(HUB, "parsers"))) {
    const f = join(HUB, "parsers", stage, author, `${name}.yaml`);
    if (existsSync(f)) return f;
  }
  throw new Error(`no hub parser ${item}`);
}

function stageOf(file: string): string {
  return file.split("/parsers/")[1]?.split("/")[0] ?? "";
}

function collectStaticKeys(node: unknown, out: Set<string>): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const n of node) collectStaticKeys(n, out);
    return;
  }
  const rec = node as Record<string, unknown>;
  if (typeof rec.parsed === "string") out.add(rec.parsed);
  for (const v of Object.values(rec)) collectStaticKeys(v, out);
}

// `Evt.Parsed["verb"] == "GET"`: Go-quoted strings, which JSON reads the same for these files.
const ASSERT = /Evt\.Parsed\["([^"]+)"\] == ("(?:[^"\\]|\\.)*")/;

const SUITES = ["syslog-logs", "sshd-logs", "nginx_http-logs", "apache2-logs"];

describe.skipIf(!hasHub)("hub sample lines", () => {
  test.each(SUITES)("captures on %s lines are the values parser.assert expects", (suite) => {
    const dir = join(HUB, ".tests", suite);
    const config = parse(readFileSync(join(dir, "config.yaml"), "utf8")) as { parsers: string[]; log_file: string; log_type: string };
    const { syslog, rest, staticKeys } = parserSteps(config.parsers);
    const lines = readFileSync(join(dir, config.log_file), "utf8").split("\n").filter((l) => l !== "");
    // Every (key, value) a grok of these parsers captures on some line, in stage order.
    const captured = new Set<string>();
    const semantics = new Set<string>();
    for (const step of [...syslog, ...rest]) for (const s of step.grok.semantics) semantics.add(s);
    for (const raw of lines) {
      // Node filters decide which grok of a file runs on a line; without them, every value a
      // key took is a candidate input for the groks that read that key.
      const values = new Map<string, string[]>();
      const record = (got: Record<string, string>) => {
        for (const [k, v] of Object.entries(got)) {
          captured.add(`${k}=${v}`);
          values.set(k, [...(values.get(k) ?? []), v]);
        }
      };
      if (config.log_type === "syslog") {
        for (const s of syslog) {
          const got = s.grok.match(raw);
          if (got) record(got);
        }
      } else record({ message: raw }); // crowdsecurity/non-syslog
      for (const step of rest) {
        const inputs = step.applyOn === "Line.Raw" ? [raw] : [...(values.get(step.applyOn) ?? [])];
        for (const input of inputs) {
          const got = step.grok.match(input);
          if (got) record(got);
        }
      }
    }
    const missing: string[] = [];
    let checked = 0;
    for (const line of readFileSync(join(dir, "parser.assert"), "utf8").split("\n")) {
      const m = ASSERT.exec(line);
      if (!m || !semantics.has(m[1]) || staticKeys.has(m[1])) continue;
      checked++;
      const want = `${m[1]}=${JSON.parse(m[2]) as string}`;
      if (!captured.has(want)) missing.push(want);
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(3);
  });
});
