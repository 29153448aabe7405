import { describe, expect, test } from "bun:test";
import type { CompiledNode } from "./compile";
import { loadTestTree, plain, runLine } from "./testing";

describe("compileNode()", () => {
  test("debug is passed down to children and grandchildren", () => {
    const nodes = loadTestTree("formats").parsers.nodes;
    const debugOf = (n: CompiledNode): unknown => [n.debug, n.children.map(debugOf)];
    expect(nodes.map((n) => [n.name, debugOf(n)])).toEqual([
      ["test/format-default", [false, []]],
      ["test/format-2", [false, []]],
      ["test/format-v3", [false, []]],
      ["test/debug", [true, [[true, [[true, []]]]]]],
      ["", [false, []]],
    ]);
  });

  test("an unknown enricher method is a warning at its place; the static does nothing", () => {
    const pipeline = loadTestTree("statics");
    const warnings = pipeline.warnings.filter((w) => w.code === "parser.unknown-method");
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.field}: ${w.message}`)).toEqual([
      '107:13 statics[0].method: Unknown enricher method "NoSuchMethod": this static does nothing',
    ]);
    const { evt } = runLine(pipeline, "method");
    expect([plain(evt.Parsed), plain(evt.Enriched)]).toEqual([{ after_unknown_method: "ran", last: "ran" }, {}]);
  });

  test("a value makes the expression unused: it is not even compiled", () => {
    const node = loadTestTree("statics").parsers.nodes.find((n) => n.name === "test/statics-values")!;
    expect(node.statics.slice(0, 2).map((s) => [s.value, s.expression === undefined])).toEqual([
      ["literal", true],
      [undefined, false],
    ]);
  });
});
