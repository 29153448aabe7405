// Every expression of the hub snapshot (parsers, scenarios, postoverflows, hubtest assertions)
// must compile against its environment, as CrowdSec loads them all.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { renderProblem } from "../result";
import { CONDITION_ENV, Event, newLogEvent, newMap, OVERFLOW_FILTER_ENV, OVFLW, PARSER_ASSERT_ENV, PARSER_ENV, SCENARIO_ASSERT_ENV, SCENARIO_ENV } from "../event";
import { compileExpr, ExprRuntimeError, GoTime, HELPERS, type EnvSpec, type HelperDef } from "./index";

const SHARED = new URL("../../../shared", import.meta.url).pathname;
const HUB = join(SHARED, "hub");
const hasHub = existsSync(join(HUB, "parsers"));

const BASENAME: HelperDef = {
  name: "basename",
  signatures: ["func(string) string"],
  make: () => (p: unknown) => String(p).slice(String(p).lastIndexOf("/") + 1),
};

interface Item {
  readonly where: string;
  readonly source: string;
  readonly env: EnvSpec;
  readonly expectBool: boolean;
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, ext, out);
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function parserNode(node: Record<string, unknown>, where: string, out: Item[]): void {
  const add = (source: unknown, field: string, expectBool = false) => {
    const s = str(source);
    if (s) out.push({ where: `${where} ${field}`, source: s, env: PARSER_ENV, expectBool });
  };
  add(node.filter, "filter", true);
  add(rec(node.grok).expression, "grok.expression");
  list(node.statics).forEach((s, i) => add(rec(s).expression, `statics[${i}].expression`));
  list(rec(node.whitelist).expression).forEach((e, i) => add(e, `whitelist.expression[${i}]`, true));
  list(node.stash).forEach((s, i) => {
    add(rec(s).key, `stash[${i}].key`);
    add(rec(s).value, `stash[${i}].value`);
  });
  list(node.nodes).forEach((n, i) => parserNode(rec(n), `${where} nodes[${i}]`, out));
}

function scenario(doc: Record<string, unknown>, where: string, out: Item[]): void {
  const add = (source: unknown, field: string, env: EnvSpec, expectBool = false) => {
    const s = str(source);
    if (s) out.push({ where: `${where} ${field}`, source: s, env, expectBool });
  };
  add(doc.filter, "filter", SCENARIO_ENV, true);
  add(doc.groupby, "groupby", SCENARIO_ENV);
  add(doc.distinct, "distinct", SCENARIO_ENV);
  add(doc.cancel_on, "cancel_on", SCENARIO_ENV, true);
  add(rec(doc.scope).expression, "scope.expression", SCENARIO_ENV);
  add(doc.condition, "condition", CONDITION_ENV, true);
  add(doc.overflow_filter, "overflow_filter", OVERFLOW_FILTER_ENV, true);
  list(doc.bayesian_conditions).forEach((c, i) => add(rec(c).condition, `bayesian_conditions[${i}].condition`, CONDITION_ENV, true));
}

function hubItems(): Item[] {
  const out: Item[] = [];
  for (const kind of ["parsers", "postoverflows", "scenarios"]) {
    for (const file of walk(join(HUB, kind), ".yaml")) {
      const docs = parseAllDocuments(readFileSync(file, "utf8"));
      for (const [i, d] of (Array.isArray(docs) ? docs : [docs]).entries()) {
        const doc = rec(d.toJS());
        const where = `${file.slice(HUB.length + 1)}#${i}`;
        if (kind === "scenarios") scenario(doc, where, out);
        else parserNode(doc, where, out);
      }
    }
  }
  return out;
}

/** Hubtest's back-compat shim: `x.datasource_path == y` without basename gets wrapped. */
function shim(line: string): string {
  if (!line.includes("datasource_path") || line.includes("basename(")) return line;
  const at = line.indexOf("==");
  return at < 0 ? line : `basename(${line.slice(0, at).trim()}) == ${line.slice(at + 2).trim()}`;
}

function assertions(): Item[] {
  const out: Item[] = [];
  const tests = join(HUB, ".tests");
  for (const dir of readdirSync(tests)) {
    for (const kind of ["parser", "scenario"]) {
      const file = join(tests, dir, `${kind}.assert`);
      if (!existsSync(file)) continue;
      readFileSync(file, "utf8").split("\n").forEach((line, i) => {
        if (line.trim() === "") return;
        out.push({ where: `.tests/${dir}/${kind}.assert:${i + 1}`, source: shim(line), env: kind === "parser" ? PARSER_ASSERT_ENV : SCENARIO_ASSERT_ENV, expectBool: true });
      });
    }
  }
  return out;
}

/** Compiles each item; failures caused only by helpers not written yet are kept apart. */
function compileAll(items: readonly Item[]): { failures: string[]; missing: Set<string>; blocked: number } {
  const failures: string[] = [];
  const missing = new Set<string>();
  let blocked = 0;
  const functions = [BASENAME];
  for (const item of items) {
    const r = compileExpr(item.source, { env: item.env, expect: item.expectBool ? "bool" : "any", functions });
    if (r.ok) continue;
    const unknown = /^unknown name ([A-Z]\w*)/.exec(r.error.message);
    if (unknown?.[1] && !HELPERS.some((h) => h.name === unknown[1])) {
      missing.add(unknown[1]);
      blocked++;
      continue;
    }
    failures.push(`${item.where}\n${renderProblem(r.error)}`);
  }
  return { failures, missing, blocked };
}

describe.skipIf(!hasHub)("hub expressions", () => {
  if (!hasHub) console.warn(`skipping hub expression tests: ${HUB} is missing`);

  test("every parser, postoverflow and scenario expression compiles", () => {
    const items = hubItems();
    expect(items.length).toBeGreaterThan(1000);
    const { failures, missing, blocked } = compileAll(items);
    expect(failures.slice(0, 20)).toEqual([]);
    // expressions calling helpers that are not written yet: the list names them
    expect({ blocked, missing: [...missing].sort() }).toEqual({ blocked: 0, missing: [] });
  });

  test("every hubtest assertion compiles", () => {
    const items = assertions();
    expect(items.length).toBeGreaterThan(10000);
    const { failures, missing, blocked } = compileAll(items);
    expect(failures.slice(0, 20)).toEqual([]);
    // expressions calling helpers that are not written yet: the list names them
    expect({ blocked, missing: [...missing].sort() }).toEqual({ blocked: 0, missing: [] });
  });
});

function sampleEvents(): Event[] {
  const log = newLogEvent({ raw: "Feb 12 14:10:21 host sshd[1]: Invalid user x from 1.2.3.4 port 22", src: "a.log", labels: { type: "syslog" }, time: new GoTime(Date.UTC(2024, 1, 12, 14, 10, 21)) });
  log.Parsed = Object.assign(newMap<string>(), { program: "sshd", message: '{"a": 1}', http_status: "404", request: "/x", verb: "GET" });
  log.Meta = Object.assign(newMap<string>(), { log_type: "http_access-log", http_status: "404", source_ip: "1.2.3.4", service: "http", http_path: "/admin", http_verb: "GET", http_user_agent: "curl" });
  log.Enriched = newMap<string>();
  log.Time = log.Line.Time;
  const ovf = new Event();
  ovf.Type = OVFLW;
  return [log, ovf];
}

describe.skipIf(!hasHub)("hub expressions at run time", () => {
  test("run without engine errors (TypeError and the like) on sample events", () => {
    const foreign: string[] = [];
    const events = sampleEvents();
    const functions = [BASENAME];
    for (const item of hubItems()) {
      const r = compileExpr(item.source, { env: item.env, functions });
      if (!r.ok) continue;
      for (const evt of events) {
        const queue = { Queue: [evt, evt], L: 5 };
        const v = r.value.run({ evt, queue, leaky: { Queue: queue, Total_count: 2 }, signal: evt.Overflow });
        if (v instanceof ExprRuntimeError && (v.cause instanceof TypeError || v.cause instanceof ReferenceError || v.cause instanceof RangeError)) {
          foreign.push(`${item.where}: ${v.message}`);
        }
      }
    }
    expect(foreign.slice(0, 20)).toEqual([]);
  });
});
