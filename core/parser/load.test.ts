import { describe, expect, test } from "bun:test";
import { join, relative } from "node:path";
import { listInstalledParsers, loadParserTree, sortByInstallPath, type ParserFile } from "./load";
import { loadTestTree, PARSER_TESTDATA, renderedProblems } from "./testing";

describe("listInstalledParsers()", () => {
  test("lists <stage>/*.yaml|yml, sorted by stage then file name, skipping other files", () => {
    const files = listInstalledParsers(join(PARSER_TESTDATA, "stage-gap"));
    expect(files.map((f) => [f.stage, relative(PARSER_TESTDATA, f.path), f.installName])).toEqual([
      ["s00-raw", "stage-gap/s00-raw/raw.yaml", "raw.yaml"],
      ["s01-parse", "stage-gap/s01-parse/empty.yaml", "empty.yaml"],
      ["s02-enrich", "stage-gap/s02-enrich/enrich.yaml", "enrich.yaml"],
    ]);
  });

  test("a missing directory has no parsers", () => {
    expect(listInstalledParsers(join(PARSER_TESTDATA, "no-such-tree"))).toEqual([]);
  });
});

describe("sortByInstallPath()", () => {
  const file = (stage: string, path: string, installName?: string): ParserFile => ({ path, stage, installName });
  const cases = [
    {
      name: "stage first, then the installed file name, not the directory it came from",
      files: [file("s01-parse", "/hub/zz/a.yaml"), file("s00-raw", "/hub/aa/z.yaml"), file("s01-parse", "/hub/aa/b.yaml")],
      want: ["/hub/aa/z.yaml", "/hub/zz/a.yaml", "/hub/aa/b.yaml"],
    },
    {
      name: "installName wins over the path's base name (hubtest's 00_overrides.yaml)",
      files: [file("s00-raw", "/hub/a.yaml"), file("s00-raw", "/tests/x/overrides.yaml", "00_overrides.yaml")],
      want: ["/tests/x/overrides.yaml", "/hub/a.yaml"],
    },
  ];
  test.each(cases)("$name", ({ files, want }) => {
    expect(sortByInstallPath(files).map((f) => f.path)).toEqual(want);
  });
});

describe("loadParserTree()", () => {
  test("reports every problem with its place, and loads the nodes that are fine", () => {
    const pipeline = loadTestTree("broken");
    expect(renderedProblems(pipeline)).toEqual([
      'broken/s01-parse/a-unknown-keys.yaml:2:1 filtre: Unknown key "filtre" in a parser node\n  hint: did you mean "filter"?',
      'broken/s01-parse/a-unknown-keys.yaml:5:3 grok.aply_on: Unknown key "aply_on" in grok\n  hint: did you mean "apply_on"?',
      "broken/s01-parse/a-unknown-keys.yaml:4:3 grok: A grok needs apply_on or expression",
      'broken/s01-parse/b-unnamed-unknown-key.yaml:7:1 colour: Unknown key "colour" in a parser node',
      'broken/s01-parse/c-onsuccess.yaml:2:12 onsuccess: Unknown onsuccess "next": expected "continue" or "next_stage"',
      "broken/s01-parse/d-grok.yaml:3:3 grok: A grok needs apply_on or expression",
      "broken/s01-parse/d-grok.yaml:7:3 grok: A grok needs a pattern or a name",
      'broken/s01-parse/d-grok.yaml:11:12 grok.pattern: Cannot compile pattern: unknown name "NO_SUCH_PATTERN"\n  %{NO_SUCH_PATTERN:x}\n  ^',
      'broken/s01-parse/d-grok.yaml:17:12 grok.pattern: Cannot compile pattern: unknown name "TEST_LATER"\n  %{TEST_LATER:x}\n  ^',
      "broken/s01-parse/e-statics.yaml:3:5 statics[0]: A static needs one of meta, parsed or target",
      "broken/s01-parse/e-statics.yaml:7:5 statics[0]: A static needs one of meta, parsed or target\n  hint: upstream refuses enriched alone here: add meta, parsed or target",
      "broken/s01-parse/e-statics.yaml:12:5 statics[0]: A static needs a value or an expression",
      'broken/s01-parse/f-empty.yaml:1:1: Node "test/empty" has no grok, nodes, statics or whitelist',
      'broken/s01-parse/f-empty.yaml:4:1: Node "test/stash-only" has no grok, nodes, statics or whitelist',
      'broken/s01-parse/f-empty.yaml:11:1: Node "test/reason-only-whitelist" has no grok, nodes, statics or whitelist',
      'broken/s01-parse/g-whitelist.yaml:5:7 whitelist.ip[0]: Whitelist IP "127.1" is not an IP address',
      'broken/s01-parse/g-whitelist.yaml:7:7 whitelist.cidr[0]: Whitelist CIDR "10.0.0.0/33" is not a network',
      "broken/s01-parse/h-expressions.yaml:2:19 filter: type pipeline.Line has no field Rwa (1:10)\n  | evt.Line.Rwa == 'x'\n  | .........^",
      'broken/s01-parse/h-expressions.yaml:12:10 stash[0].ttl: Stash ttl "10 minutes" is not a duration',
      'broken/s01-parse/i-format.yaml:2:9 format: Cannot read format version "one"',
    ]);
    expect(pipeline.parsers.nodes.map((n) => n.name)).toEqual(["test/still-loads", "test/fine", "test/grok-static-enriched-alone", "test/defines-later"]);
    expect(pipeline.parsers.tree.stages).toEqual(["s00-raw", "s01-parse"]);
  });

  test("a node whose format is outside >= 1.0, <= 3.0 is skipped with a warning", () => {
    const pipeline = loadTestTree("formats");
    expect(pipeline.problems).toEqual([]);
    expect(pipeline.parsers.nodes.map((n) => n.name)).toEqual(["test/format-default", "test/format-2", "test/format-v3", "test/debug", ""]);
    expect(pipeline.warnings.filter((w) => w.code === "parser.format-unsupported").map((w) => `${w.line} ${w.field}: ${w.message}`)).toEqual([
      '20 format: Node "test/format-3-0-1" has format "3.0.1", outside ">= 1.0, <= 3.0": it is skipped',
      '26 format: Node "test/format-prerelease" has format "1.5-beta", outside ">= 1.0, <= 3.0": it is skipped',
      '32 format: Node "test/format-old" has format "0.9", outside ">= 1.0, <= 3.0": it is skipped',
    ]);
  });

  test("a data file that cannot be loaded is a problem naming the node and the file; the node still loads", () => {
    const pipeline = loadTestTree("data-missing");
    expect(renderedProblems(pipeline)).toEqual([
      'data-missing/s01-parse/missing.yaml:3:5 data[0]: Cannot load data file "not-there.txt" for "test/missing-data": "data/not-there.txt" does not exist\n  hint: download https://example.invalid/not-there.txt',
    ]);
    expect(pipeline.parsers.nodes.map((n) => n.name)).toEqual(["test/missing-data", "test/next-to-missing-data"]);
  });

  test("files given with their text in memory load like files on disk", () => {
    const text = "name: test/in-memory\nstatics:\n  - parsed: x\n    value: y\n";
    const loaded = loadParserTree([{ path: "/nowhere/mem.yaml", stage: "s00-raw", text }]);
    expect([loaded.problems, loaded.nodes.map((n) => [n.name, n.stage, n.file])]).toEqual([[], [["test/in-memory", "s00-raw", "/nowhere/mem.yaml"]]]);
  });

  test("an unreadable file is a problem, the next file still loads", () => {
    const loaded = loadParserTree([
      { path: join(PARSER_TESTDATA, "no-such-file.yaml"), stage: "s00-raw" },
      { path: join(PARSER_TESTDATA, "stage-gap/s02-enrich/enrich.yaml"), stage: "s02-enrich" },
    ]);
    expect(loaded.problems.map((p) => [p.code, relative(PARSER_TESTDATA, p.file ?? "")])).toEqual([["parser.read", "no-such-file.yaml"]]);
    expect(loaded.nodes.map((n) => n.name)).toEqual(["test/gap-enrich"]);
  });
});
