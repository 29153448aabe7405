import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { CONDITION_ENV, OVERFLOW_FILTER_ENV, SCENARIO_ENV } from "../event";
import { compileExpr, type EnvSpec, type QueueReads } from "./index";

function reads(source: string, env: EnvSpec = CONDITION_ENV): string[] | "any" {
  const p = compileExpr(source, { env });
  if (!p.ok) throw new Error(p.error.message);
  const r: QueueReads = p.value.queueReads;
  return r === "any" ? "any" : [...r].sort();
}

describe("queueReads", () => {
  const cases: [string, string[] | "any"][] = [
    ["len(queue.Queue) >= 3", []],
    ["leaky.Total_count > 2 && queue.L > 1", []],
    ["count(queue.Queue, {#.Meta.log_type == 'fail'}) >= 3", ["Meta"]],
    ["let f = filter(queue.Queue, {#.Meta.log_type == 'x'}); len(f) >= 4 && MedianInterval(map(f[-4:], {#.Time})) > duration('10m')", ["Meta", "Time"]],
    ["Distance(queue.Queue[-1].Enriched.Latitude, queue.Queue[-1].Enriched.Longitude, queue.Queue[-2].Enriched.Latitude, queue.Queue[-2].Enriched.Longitude) > 1000", ["Enriched"]],
    ["any(queue.Queue, { .Meta.exe startsWith '/usr/' })", ["Meta"]],
    ["first(leaky.Queue.Queue).GetMeta('x') == last(queue.Queue).MarshaledTime", ["MarshaledTime", "Meta"]],
    ["find(queue.Queue, {#.Type == 0}).Parsed.x == 'y'", ["Parsed", "Type"]],
    // an event or the list handed on: not followed
    ["map(queue.Queue, {#})[0].Meta.x == 'y'", "any"],
    ["queue.Queue[0] == queue.Queue[1]", "any"],
    ["len(concat(queue.Queue, queue.Queue)) > 1", "any"],
    ["len(groupBy(queue.Queue, #.Meta.x)) > 1", "any"],
    ["queue.Queue[0].SetParsed('a', 'b')", "any"],
    ["let q = queue; len(q.Queue) > 0 && q.Queue[0].Line.Raw != ''", ["Line"]],
    ["toJSON(leaky) != ''", "any"],
  ];
  for (const [source, want] of cases) test(source, () => expect(reads(source)).toEqual(want));

  test("a program without queue or leaky reads nothing held", () => {
    expect(reads("evt.Meta.x == 'y'", SCENARIO_ENV)).toEqual([]);
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

describe.skipIf(!hasHub)("queueReads on the hub", () => {
  if (!hasHub) console.warn(`skipping hub queueReads tests: ${HUB} is missing`);

  test("every hub condition reads only Meta, Time and Enriched of held events", () => {
    const found: string[] = [];
    for (const file of walk(join(HUB, "scenarios"))) {
      for (const d of parseAllDocuments(readFileSync(file, "utf8"))) {
        const doc = (d.toJS() ?? {}) as Record<string, unknown>;
        const sources: [string, EnvSpec][] = [];
        if (typeof doc.condition === "string") sources.push([doc.condition, CONDITION_ENV]);
        if (typeof doc.overflow_filter === "string") sources.push([doc.overflow_filter, OVERFLOW_FILTER_ENV]);
        for (const b of Array.isArray(doc.bayesian_conditions) ? doc.bayesian_conditions : []) {
          const c = (b as { condition?: unknown }).condition;
          if (typeof c === "string") sources.push([c, CONDITION_ENV]);
        }
        for (const [source, env] of sources) {
          const r = reads(source, env);
          if (r === "any" || r.some((f) => !["Meta", "Time", "Enriched"].includes(f))) found.push(`${file.slice(HUB.length + 1)}: ${String(r)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
