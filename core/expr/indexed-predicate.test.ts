import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { createDataRegistry, resolveMirrorPath, type DataEntry } from "../data";
import { Alert, newLogEvent, newMap, OVFLW, PARSER_ENV, SCENARIO_ENV, Source, type Event } from "../event";
import { compileExpr, ExprRuntimeError, type DataFileLookup, type EnvSpec, type HelperDef } from "./index";

/** A data file lookup over fixed lines. */
function files(byName: Record<string, readonly string[]>): DataFileLookup {
  return { lines: (n) => byName[n], anyRegexMatches: () => undefined, mapRows: () => undefined, lookupMap: () => undefined };
}

function logEvent(parsed: Record<string, string>, meta: Record<string, string> = {}): Event {
  const e = newLogEvent({ raw: "x" });
  e.Parsed = Object.assign(newMap<string>(), parsed);
  e.Meta = Object.assign(newMap<string>(), meta);
  e.Enriched = newMap<string>();
  return e;
}

/** A pure helper that counts its calls and fails on "boom". */
function spy(): { def: HelperDef; calls: () => number } {
  let calls = 0;
  const def: HelperDef = {
    name: "Spy",
    signatures: ["func(string) string"],
    pure: true,
    make: () => (s) => {
      calls++;
      if (s === "boom") throw new ExprRuntimeError("boom line");
      return String(s).toUpperCase();
    },
  };
  return { def, calls: () => calls };
}

function run(source: string, lines: readonly string[], events: readonly Event[], indexPredicates: boolean, functions: readonly HelperDef[] = []): unknown[] {
  const p = compileExpr(source, { env: SCENARIO_ENV, helpers: { dataFiles: files({ f: lines }) }, functions, indexPredicates });
  if (!p.ok) throw new Error(p.error.message);
  return events.map((evt) => {
    const v = p.value.run({ evt });
    return v instanceof ExprRuntimeError ? `error: ${v.message}` : v;
  });
}

describe("indexed any/none over a data file", () => {
  const lines = ["select", "union", "/admin", ".php", ""];
  const texts = ["SELECT * FROM t", "x", "/ADMIN/login", "INDEX.PHP", "", "UNION", "/wp/x.php", "10.1.2.3", "192.168.9.9", "11.0.0.1"];
  const events = texts.map((t) => logEvent({ a: t, b: t.toLowerCase() }));
  const cases: { name: string; source: string; indexed: boolean; lines?: readonly string[]; calls?: number }[] = [
    { name: "contains on a transformed line", source: "any(File('f'), { evt.Parsed.a contains Spy(#) })", indexed: true, lines: lines.slice(0, 4) },
    { name: "an empty line is contained in everything", source: "any(File('f'), { evt.Parsed.a contains Spy(#) })", indexed: true },
    { name: "none", source: "none(File('f'), { evt.Parsed.a contains Spy(#) })", indexed: true, lines: lines.slice(0, 4) },
    { name: "== with the line on the left", source: "any(File('f'), { Spy(#) == evt.Parsed.a })", indexed: true },
    { name: "startsWith", source: "any(File('f'), { evt.Parsed.a startsWith Spy(#) })", indexed: true, lines: lines.slice(0, 4) },
    { name: "endsWith behind a len guard", source: "any(File('f'), { len(#) > 0 && evt.Parsed.a endsWith Spy(#) })", indexed: true, calls: 4 },
    { name: "a pure call on the event side", source: "any(File('f'), { Upper(evt.Parsed.b) contains Spy(#) })", indexed: true, lines: lines.slice(0, 4) },
    { name: "the element on the left of contains is a loop", source: "any(File('f'), { Spy(#) contains evt.Parsed.a })", indexed: false },
    { name: "all is a loop", source: "all(File('f'), { evt.Parsed.a contains Spy(#) })", indexed: false },
    { name: "IpInRange over networks", source: "any(File('f'), { IpInRange(evt.Parsed.a, Lower(Spy(#))) })", indexed: true, lines: ["10.0.0.0/8", "BAD", "192.168.0.0/16"], calls: 3 },
    { name: "a side effect keeps the loop", source: "any(File('f'), { evt.SetMeta('x', #) && evt.Parsed.a contains Spy(#) })", indexed: false },
    { name: "a method call on the event side keeps the loop", source: "any(File('f'), { evt.GetMeta('k') contains Spy(#) })", indexed: false },
  ];
  for (const c of cases) {
    test(`${c.name}: same answers as the loop, ${c.indexed ? "one call per line" : "a call per line and run"}`, () => {
      const ls = c.lines ?? lines;
      const off = spy();
      const on = spy();
      const want = run(c.source, ls, events, false, [off.def]);
      const got = run(c.source, ls, events, true, [on.def]);
      expect(got).toEqual(want);
      if (c.indexed) expect(on.calls()).toBe(c.calls ?? ls.length);
      else expect(on.calls()).toBe(off.calls());
    });
  }

  test("a line the element fails on leaves the loop to answer (match before it, error after)", () => {
    const source = "any(File('f'), { evt.Parsed.a contains Spy(#) })";
    const withBoom = ["AB", "boom", "CD"];
    const evts = [logEvent({ a: "xABx" }), logEvent({ a: "CD" }), logEvent({ a: "zz" })];
    const want = run(source, withBoom, evts, false, [spy().def]);
    expect(want).toEqual([true, "error: boom line", "error: boom line"]);
    expect(run(source, withBoom, evts, true, [spy().def])).toEqual(want);
  });

  test("an empty file is false for any, true for none, without running the event side", () => {
    const evts = [logEvent({ a: "x" })];
    expect(run("any(File('f'), { evt.Parsed.a contains Spy(#) })", [], evts, true, [spy().def])).toEqual([false]);
    expect(run("none(File('f'), { evt.Parsed.a contains Spy(#) })", [], evts, true, [spy().def])).toEqual([true]);
  });

  test("a pure call on a line inside a loop with side effects runs once per distinct line", () => {
    const s = spy();
    const source = "any(File('f'), { evt.Parsed.a contains Spy(#) ? evt.SetMeta('hit', #) : false })";
    const evts = [logEvent({ a: "xUNIONx" }), logEvent({ a: "SELECT" }), logEvent({ a: "none" })];
    const ls = ["select", "union", "select"];
    const want = run(source, ls, evts.map((e) => logEvent({ ...e.Parsed! })), false, [spy().def]);
    expect(run(source, ls, evts, true, [s.def])).toEqual(want);
    expect(want).toEqual([true, true, false]);
    expect(evts.map((e) => e.Meta!.hit ?? "")).toEqual(["union", "select", ""]);
    expect(s.calls()).toBe(2);
  });

  test("constant pure calls are computed once at compile time", () => {
    const s = spy();
    const p = compileExpr("evt.Parsed.a == Spy('abc') && evt.Parsed.a matches Spy('^a.c$')", { env: SCENARIO_ENV, functions: [s.def] });
    if (!p.ok) throw new Error(p.error.message);
    expect(s.calls()).toBe(2);
    expect([p.value.run({ evt: logEvent({ a: "ABC" }) }), p.value.run({ evt: logEvent({ a: "abc" }) })]).toEqual([true, false]);
    const q = compileExpr("evt.Parsed.a matches Spy('^A.C$')", { env: SCENARIO_ENV, functions: [s.def] });
    if (!q.ok) throw new Error(q.error.message);
    expect([q.value.run({ evt: logEvent({ a: "ABC" }) }), q.value.run({ evt: logEvent({ a: "abc" }) })]).toEqual([true, false]);
    expect(s.calls()).toBe(3);
  });
});

const SHARED = new URL("../../../shared", import.meta.url).pathname;
const HUB = join(SHARED, "hub");
const HUB_DATA = join(SHARED, "hub-data");
const hasHub = existsSync(join(HUB, "scenarios")) && existsSync(HUB_DATA);

interface FileExpr {
  readonly where: string;
  readonly source: string;
  readonly env: EnvSpec;
  readonly data: readonly DataEntry[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every hub expression that reads a data file with File(), and the data entries of its item. */
function hubFileExpressions(): FileExpr[] {
  const out: FileExpr[] = [];
  for (const kind of ["scenarios", "parsers", "postoverflows"]) {
    for (const file of walk(join(HUB, kind))) {
      for (const [i, d] of parseAllDocuments(readFileSync(file, "utf8")).entries()) {
        const doc = rec(d.toJS());
        const data = list(doc.data).map((e) => ({ sourceUrl: String(rec(e).source_url ?? ""), destFile: String(rec(e).dest_file ?? ""), type: String(rec(e).type ?? "") }));
        const where = `${file.slice(HUB.length + 1)}#${i}`;
        const sources: [string, EnvSpec][] = [];
        if (kind === "scenarios") sources.push([String(doc.filter ?? ""), SCENARIO_ENV]);
        else {
          sources.push([String(doc.filter ?? ""), PARSER_ENV]);
          for (const e of list(rec(doc.whitelist).expression)) sources.push([String(e), kind === "postoverflows" ? PARSER_ENV : PARSER_ENV]);
        }
        for (const [source, env] of sources) if (source.includes("File(")) out.push({ where, source, env, data });
      }
    }
  }
  return out;
}

describe.skipIf(!hasHub)("indexed predicates on the hub's filters and data files", () => {
  if (!hasHub) console.warn(`skipping hub indexed-predicate tests: ${HUB} or ${HUB_DATA} is missing`);

  test("every hub expression over File() answers as the loop, with the same side effects, on events built from its data", () => {
    const exprs = hubFileExpressions();
    expect(exprs.length).toBeGreaterThan(10);
    const registry = createDataRegistry(HUB_DATA, {
      resolvePath: (e) => {
        const r = e.sourceUrl ? resolveMirrorPath(HUB_DATA, e.sourceUrl) : undefined;
        return r?.ok ? r.value : join(HUB_DATA, e.destFile);
      },
    });
    let runs = 0;
    let trues = 0;
    const mismatches: string[] = [];
    for (const x of exprs) {
      const lines: string[] = [];
      for (const entry of x.data) {
        registry.load(entry, x.where);
        lines.push(...(registry.lines(entry.destFile) ?? []));
      }
      const compile = (indexPredicates: boolean) => {
        const p = compileExpr(x.source, { env: x.env, helpers: { dataFiles: registry }, expect: "bool", indexPredicates });
        if (!p.ok) throw new Error(`${x.where}: ${p.error.message}`);
        return p.value;
      };
      const loop = compile(false);
      const indexed = compile(true);
      // every field the expression reads gets the input; the usual guards get values that pass
      const fields = [...x.source.matchAll(/evt\.(Parsed|Meta|Enriched)\.(\w+)/g)].map((m) => [m[1]!, m[2]!] as const);
      const inputs = new Set<string>(["", "/", "/index.html"]);
      for (const l of lines.slice(0, 400)) {
        const uri = l.startsWith("{") ? String(rec(JSON.parse(l)).uri ?? l) : l;
        for (const v of [l, uri, `/x/${uri}`, `${uri}?a=1`, uri.toUpperCase(), uri.toLowerCase(), uri.slice(1)]) inputs.add(v);
      }
      const overflow = x.source.includes("Overflow.Alert.Source.IP");
      if (overflow) for (const l of lines.slice(0, 300)) {
        const a = l.split("/")[0]!;
        inputs.add(a);
        inputs.add(a.replace(/\.(\d+)$/, (_m, d: string) => `.${(Number(d) + 1) % 256}`));
      }
      const make = (input: string, status: string): Event => {
        const e = logEvent({}, { log_type: "http_access-log", service: "http", http_status: status });
        if (overflow) {
          e.Type = OVFLW;
          e.Overflow.Alert = new Alert();
          e.Overflow.Alert.Source = new Source();
          e.Overflow.Alert.Source.IP = input;
        }
        for (const [map, key] of fields) {
          if (key === "log_type" || key === "service" || key === "http_status") continue;
          (map === "Parsed" ? e.Parsed! : map === "Meta" ? e.Meta! : e.Enriched!)[key] = input;
        }
        return e;
      };
      for (const input of inputs) {
        for (const status of ["404", "200"]) {
          const a = make(input, status);
          const b = make(input, status);
          const va = loop.run({ evt: a });
          const vb = indexed.run({ evt: b });
          const sa = va instanceof ExprRuntimeError ? `error: ${va.message}` : va;
          const sb = vb instanceof ExprRuntimeError ? `error: ${vb.message}` : vb;
          if (sa !== sb || JSON.stringify(a.Meta) !== JSON.stringify(b.Meta)) mismatches.push(`${x.where} on ${JSON.stringify(input)}: loop ${String(sa)}, indexed ${String(sb)}`);
          if (sa === true) trues++;
          runs++;
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(runs).toBeGreaterThan(5000);
    expect(trues).toBeGreaterThan(500); // the inputs do reach the matching side
  });
});
