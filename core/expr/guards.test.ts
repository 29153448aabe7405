import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Event, newLogEvent, newMap, OVFLW, SCENARIO_ENV } from "../event";
import { compileExpr, ExprRuntimeError, guardsHold } from "./index";

function guardsOf(source: string): string[] {
  const p = compileExpr(source, { env: SCENARIO_ENV, expect: "bool" });
  if (!p.ok) throw new Error(p.error.message);
  return p.value.guards.map((g) => `${g.variable}.${g.field}.${g.key} in ${[...g.values].join("|")}`);
}

describe("leading guards", () => {
  const cases: [string, string[]][] = [
    ["evt.Meta.log_type == 'ssh_failed-auth'", ["evt.Meta.log_type in ssh_failed-auth"]],
    ["'http' == evt.Meta.service and evt.Meta.http_status in ['404', '403'] and Upper(evt.Meta.http_path) contains 'X'", ["evt.Meta.service in http", "evt.Meta.http_status in 404|403"]],
    ["evt.Parsed.a == 'x' && evt.Meta.b == 'y'", ["evt.Parsed.a in x", "evt.Meta.b in y"]],
    ["(evt.Meta.a == 'x' && evt.Meta.b == 'y') && evt.Meta.c == 'z'", ["evt.Meta.a in x", "evt.Meta.b in y", "evt.Meta.c in z"]],
    // a test that is not a field test ends the guards
    ["Upper(evt.Meta.a) == 'X' && evt.Meta.b == 'y'", []],
    ["evt.Meta.a == 'x' && len(evt.Meta.b) > 0 && evt.Meta.c == 'z'", ["evt.Meta.a in x"]],
    // not a conjunction, a negation, optional chaining, a non-string list, a map of any
    ["evt.Meta.a == 'x' || evt.Meta.b == 'y'", []],
    ["evt.Meta.a != 'x'", []],
    ["evt.Meta?.a == 'x'", []],
    ["evt.Meta.a in ['x', 1]", []],
    ["evt.Unmarshaled.a == 'x'", []],
    ["let x = evt.Meta.a; x == 'y'", []],
  ];
  for (const [source, want] of cases) test(source, () => expect(guardsOf(source)).toEqual(want));

  test("guardsHold reads a missing map or key as \"\" and lets through what it cannot read", () => {
    const p = compileExpr("evt.Meta.a in ['', 'x'] && evt.Meta.b == 'y'", { env: SCENARIO_ENV, expect: "bool" });
    if (!p.ok) throw new Error(p.error.message);
    const g = p.value.guards;
    const e = new Event();
    expect(guardsHold(g, { evt: e })).toBe(false); // Meta nil: a = "" passes, b = "" fails
    e.Meta = Object.assign(newMap<string>(), { b: "y" });
    expect(guardsHold(g, { evt: e })).toBe(true);
    e.Meta.a = "z";
    expect(guardsHold(g, { evt: e })).toBe(false);
    expect(guardsHold(g, { evt: null })).toBe(true); // the program fails on a nil event: it must run
  });
});

const HUB = new URL("../../../shared/hub", import.meta.url).pathname;
const hasHub = existsSync(join(HUB, "scenarios"));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

describe.skipIf(!hasHub)("guards of the hub's scenario filters", () => {
  if (!hasHub) console.warn(`skipping hub guard tests: ${HUB} is missing`);

  test("whenever a guard fails, the filter answers false", () => {
    const filters: string[] = [];
    for (const file of walk(join(HUB, "scenarios"))) {
      for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
        const f = (d.toJS() as { filter?: unknown } | null)?.filter;
        if (typeof f === "string") filters.push(f);
      }
    }
    // events with the values the guards test, and others
    const values = ["", "ssh", "http", "ssh_failed-auth", "http_access-log", "http_error-log", "404", "403", "200", "GET", "POST", "x"];
    const keys = ["log_type", "service", "http_status", "http_verb", "target_user", "source_ip", "http_path", "program", "verb", "status"];
    const events: Event[] = [];
    for (let i = 0; i < 300; i++) {
      const e = newLogEvent({ raw: "x" });
      e.Meta = newMap<string>();
      e.Parsed = newMap<string>();
      e.Enriched = newMap<string>();
      for (let k = 0; k < keys.length; k++) {
        const v = values[(i * (k + 3) + k * k) % values.length]!;
        if (v !== "") e.Meta[keys[k]!] = e.Parsed[keys[k]!] = v;
      }
      events.push(e);
    }
    const ovf = new Event();
    ovf.Type = OVFLW;
    events.push(ovf);
    let guarded = 0;
    let skipped = 0;
    const wrong: string[] = [];
    for (const source of filters) {
      const p = compileExpr(source, { env: SCENARIO_ENV, expect: "bool" });
      if (!p.ok || p.value.guards.length === 0) continue;
      guarded++;
      for (const evt of events) {
        if (guardsHold(p.value.guards, { evt })) continue;
        skipped++;
        const v = p.value.run({ evt });
        if (v !== false) wrong.push(`${source.slice(0, 60)}: ${v instanceof ExprRuntimeError ? v.message : String(v)}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(guarded).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(10_000);
  });
});
