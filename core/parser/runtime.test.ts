import { describe, expect, test } from "bun:test";
import type { Pipeline } from "../pipeline";
import type { ParseOutcome } from "./runtime";
import { dumpSuccess, loadTestTree, plain, runLine, runLines, TEST_NOW_MS, type TestLine } from "./testing";

/** What a case checks; only the fields it names are compared. */
interface Want {
  outcome?: ParseOutcome;
  Stage?: string;
  Parsed?: Record<string, string>;
  Meta?: Record<string, string>;
  Enriched?: Record<string, string>;
  Unmarshaled?: Record<string, unknown>;
  StrTime?: string;
  /** The whitelist reason, or false when the event is not whitelisted. */
  whitelisted?: string | false;
  dump?: Record<string, Record<string, boolean[]>>;
  /** Success of one top-level node: [stage, node, results]. */
  node?: readonly [string, string, boolean[]];
}

interface Case {
  readonly name: string;
  readonly line: TestLine | string;
  readonly want: Want;
}

const trees = new Map<string, Pipeline>();
function tree(name: string): Pipeline {
  let p = trees.get(name);
  if (!p) trees.set(name, (p = loadTestTree(name)));
  expect(p.problems).toEqual([]);
  return p;
}

/** Runs the line and returns the fields `want` names, in the same shape. */
function observe(treeName: string, line: TestLine | string, want: Want): Want {
  const { outcome, evt, dump } = runLine(tree(treeName), line);
  const got: Want = {};
  if (want.outcome) got.outcome = outcome;
  if (want.Stage !== undefined) got.Stage = evt.Stage;
  if (want.Parsed) got.Parsed = plain(evt.Parsed);
  if (want.Meta) got.Meta = plain(evt.Meta);
  if (want.Enriched) got.Enriched = plain(evt.Enriched);
  if (want.Unmarshaled) got.Unmarshaled = { ...evt.Unmarshaled };
  if (want.StrTime !== undefined) got.StrTime = evt.StrTime;
  if (want.whitelisted !== undefined) got.whitelisted = evt.Whitelisted ? evt.WhitelistReason : false;
  if (want.dump) got.dump = dumpSuccess(dump);
  if (want.node) {
    const [stage, node] = want.node;
    got.node = [stage, node, (dump[stage]?.[node] ?? []).map((r) => r.Success)];
  }
  return got;
}

const PARSED: ParseOutcome = { kind: "parsed" };
const unparsed = (stage: string): ParseOutcome => ({ kind: "unparsed", stage });

describe("parseEvent() filter", () => {
  const FILTER_NODES = ["test/set-flag", "test/filter-true", "test/filter-false", "test/filter-runtime-error", "test/filter-non-bool", "test/filter-any-non-bool", "test/no-filter"];
  const verdicts = (...ok: boolean[]) => ({ "s01-parse": Object.fromEntries(FILTER_NODES.map((n, i) => [n, [ok[i]!]])) });
  const cases: Case[] = [
    {
      name: "true runs the node; false, a runtime error and a non-bool fail it; a false filter's SetMeta() stays",
      line: "true line",
      want: {
        outcome: PARSED,
        Parsed: { by_true: "ran", by_no_filter: "ran" },
        Meta: { touched_by_filter: "yes" },
        dump: verdicts(false, true, false, false, false, false, true),
      },
    },
    {
      name: "a runtime error in the filter fails the node without stopping the stage",
      line: "error line",
      want: { outcome: PARSED, Parsed: { by_no_filter: "ran" }, dump: verdicts(false, false, false, false, false, false, true) },
    },
    {
      name: "an any-typed filter that returns a string fails the node",
      line: "flag",
      want: {
        Parsed: { by_no_filter: "ran" },
        Unmarshaled: { flag: "not a bool" },
        dump: verdicts(true, false, false, false, false, false, true),
      },
    },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("filter", line, want)).toEqual(want);
  });

  test("a filter typed string loads with a warning instead of a load error", () => {
    const warnings = tree("filter").warnings.filter((w) => w.code === "parser.non-bool-condition");
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.field}: ${w.message}`)).toEqual([
      "31:9 filter: Expression returns string, not bool: it never passes",
    ]);
  });
});

describe("parseEvent() stages and onsuccess", () => {
  const cases: (Case & { tree: string })[] = [
    {
      name: "next_stage promotes; nodes run in order until a next_stage success; the last stage accepts continue",
      tree: "stages",
      line: "promote x",
      want: {
        outcome: PARSED,
        Stage: "s02-enrich",
        Parsed: { raw_continue: "yes", raw_promote: "yes", parse: "yes", enrich_continue: "yes", enrich_next: "yes" },
        dump: {
          "s00-raw": { "test/raw-continue": [true], "test/raw-next-fails": [false], "test/raw-promote": [true] },
          "s01-parse": { "test/parse": [true] },
          "s02-enrich": { "test/enrich-continue": [true], "test/enrich-next": [true] },
        },
      },
    },
    {
      name: "a stage that succeeds only through continue nodes drops the event at the next stage",
      tree: "stages",
      line: "stay x",
      want: {
        outcome: unparsed("s00-raw"),
        Stage: "s00-raw",
        Parsed: { raw_continue: "yes", raw_after: "yes" },
        dump: {
          "s00-raw": {
            "test/raw-continue": [true],
            "test/raw-next-fails": [false],
            "test/raw-promote": [false],
            "test/raw-after-promote": [true],
            "test/raw-child-moves": [false],
            "test/raw-after-child": [false],
          },
        },
      },
    },
    {
      name: "a stage with no successful node drops the event",
      tree: "stages",
      line: "nothing",
      want: { outcome: unparsed("s00-raw"), Stage: "s00-raw", Parsed: {} },
    },
    {
      name: "a child's next_stage moves the event and stops the stage after its parent",
      tree: "stages",
      line: "child x",
      want: {
        outcome: PARSED,
        Stage: "s02-enrich",
        Parsed: { raw_after: "yes", raw_child: "yes", parse: "yes", enrich_continue: "yes", enrich_next: "yes" },
        dump: {
          "s00-raw": {
            "test/raw-continue": [false],
            "test/raw-next-fails": [false],
            "test/raw-promote": [false],
            "test/raw-after-promote": [true],
            "test/raw-child-moves": [true],
          },
          "s01-parse": { "test/parse": [true] },
          "s02-enrich": { "test/enrich-continue": [true], "test/enrich-next": [true] },
        },
      },
    },
    {
      name: "an event that starts at a later stage skips the earlier ones",
      tree: "stages",
      line: { raw: "stay x", stage: "s01-parse" },
      want: { outcome: PARSED, Parsed: { parse: "yes", enrich_continue: "yes", enrich_next: "yes" }, dump: { "s01-parse": { "test/parse": [true] }, "s02-enrich": { "test/enrich-continue": [true], "test/enrich-next": [true] } } },
    },
    {
      name: "next_stage goes to the next loaded stage: a stage directory without nodes does not count",
      tree: "stage-gap",
      line: "a",
      want: { outcome: PARSED, Stage: "s02-enrich", Parsed: { gap_raw: "yes", gap_enrich: "yes" } },
    },
    {
      name: "a next_stage child inside a next_stage parent steps twice",
      tree: "double-step",
      line: "double",
      want: {
        outcome: PARSED,
        Stage: "s03-last",
        Parsed: { double_child: "yes", double_enrich: "yes", double_last: "yes" },
        dump: { "s00-raw": { "test/double-step": [true] }, "s02-enrich": { "test/double-enrich": [true] }, "s03-last": { "test/double-last": [true] } },
      },
    },
    {
      name: "one step at a time otherwise",
      tree: "double-step",
      line: "single",
      want: { outcome: PARSED, Stage: "s03-last", Parsed: { single: "yes", double_parse: "yes", double_enrich: "yes", double_last: "yes" } },
    },
  ];
  test.each(cases)("$name", ({ tree: t, line, want }) => {
    expect(observe(t, line, want)).toEqual(want);
  });

  test("the stage list is the sorted set of stages with loaded nodes", () => {
    expect(tree("stage-gap").parsers.tree.stages).toEqual(["s00-raw", "s02-enrich"]);
    expect(tree("double-step").parsers.tree.stages).toEqual(["s00-raw", "s01-parse", "s02-enrich", "s03-last"]);
  });

  test("without any stage every event passes, as upstream", () => {
    const { outcome, evt } = runLine(tree("empty"), "anything");
    expect([outcome, evt.Process, evt.Stage, evt.Time.UnixMilli()]).toEqual([PARSED, true, "", TEST_NOW_MS]);
  });
});

describe("parseEvent() grok", () => {
  const cases: Case[] = [
    { name: "inline pattern on Line.Raw", line: "inline user bob from 10.0.0.1", want: { Parsed: { case: "inline", message: "user bob from 10.0.0.1", user: "bob", ip: "10.0.0.1" }, node: ["s01-parse", "test/grok-inline", [true]] } },
    { name: "name of a pattern_syntax entry, on a Parsed key", line: "by-name a=b", want: { Parsed: { case: "by-name", message: "a=b", key: "a", value: "b" }, node: ["s01-parse", "test/grok-by-name", [true]] } },
    { name: "name wins over pattern", line: "name-wins c=d", want: { Parsed: { case: "name-wins", message: "c=d", key: "c", value: "d" }, node: ["s01-parse", "test/grok-name-wins", [true]] } },
    { name: "apply_on a missing Parsed key fails instead of matching the empty string", line: "missing-key", want: { Parsed: { case: "missing-key", message: "" }, node: ["s01-parse", "test/grok-missing-key", [false]] } },
    { name: "expression input: string", line: "expr-string hello", want: { Parsed: { case: "expr-string", message: "hello", upper: "HELLO" }, node: ["s01-parse", "test/grok-expression-string", [true]] } },
    { name: "expression input: int in decimal", line: "expr-int hello", want: { Parsed: { case: "expr-int", message: "hello", length: "5" }, node: ["s01-parse", "test/grok-expression-int", [true]] } },
    { name: "expression input: float with %f", line: "expr-float hello", want: { Parsed: { case: "expr-float", message: "hello", half: "2.500000" }, node: ["s01-parse", "test/grok-expression-float", [true]] } },
    { name: "expression input: a bool matches the empty string", line: "expr-bool hi", want: { Parsed: { case: "expr-bool", message: "hi", from_bool: "" }, node: ["s01-parse", "test/grok-expression-bool", [true]] } },
    { name: "expression input: a runtime error fails the grok", line: "expr-error hi", want: { Parsed: { case: "expr-error", message: "hi" }, node: ["s01-parse", "test/grok-expression-error", [false]] } },
    { name: "a pattern without grok semantics never succeeds", line: "no-semantics hello", want: { Parsed: { case: "no-semantics", message: "hello" }, node: ["s01-parse", "test/grok-no-semantics", [false]] } },
    { name: "a group that took no part is written as an empty string over the old value", line: "empty-capture alone", want: { Parsed: { case: "empty-capture", message: "", first: "alone" }, node: ["s01-parse", "test/grok-empty-capture", [true]] } },
    {
      name: "grok statics run before the children, node statics after",
      line: "grok-statics w",
      want: {
        Parsed: { case: "grok-statics", message: "w", word: "w", from_grok_static: "saw w", child_saw_grok_static: "yes", node_static: "saw w then node" },
        node: ["s01-parse", "test/grok-statics-before-children", [true]],
      },
    },
    { name: "apply_on wins over expression", line: "both-inputs message", want: { Parsed: { case: "both-inputs", message: "message", input_was: "message" }, node: ["s01-parse", "test/grok-apply-on-wins", [true]] } },
    { name: "a failed grok applies neither its statics nor the node's", line: "grok-fails nope", want: { outcome: unparsed("s01-parse"), Parsed: { case: "grok-fails", message: "nope" }, node: ["s01-parse", "test/grok-fails-no-statics", [false]] } },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("grok", line, want)).toEqual(want);
  });
});

describe("parseEvent() pattern_syntax", () => {
  const cases: Case[] = [
    {
      name: "the first definition in load order wins (stage, then file name)",
      line: "red square",
      want: { Parsed: { raw_color: "red", color: "red", shape: "square", reused_shape: "square" }, dump: { "s00-raw": { "test/colors-raw": [true] }, "s01-parse": { "zz/redefine": [true], "aa/reuse": [true] } } },
    },
    {
      name: "a later definition of a name is not used",
      line: "red blue square",
      want: { Parsed: { raw_color: "red", reused_shape: "square" }, dump: { "s00-raw": { "test/colors-raw": [true] }, "s01-parse": { "zz/redefine": [false], "aa/reuse": [true] } } },
    },
    {
      name: "nor is the second definition of a pattern_syntax name from another file",
      line: "red circle",
      want: { outcome: unparsed("s01-parse"), Parsed: { raw_color: "red" } },
    },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("patterns", line, want)).toEqual(want);
  });

  test("a redefinition is a warning at its place", () => {
    const warnings = tree("patterns").warnings.filter((w) => w.code === "grok.duplicate-pattern");
    expect(warnings.map((w) => `${w.file?.split("/").slice(-2).join("/")}:${w.line} ${w.field}: ${w.message}`)).toEqual([
      's01-parse/aa-redefine.yaml:5 pattern_syntax.TEST_COLOR: Pattern "TEST_COLOR" is already defined: this definition is ignored',
      's01-parse/bb-reuse.yaml:4 pattern_syntax.TEST_SHAPE: Pattern "TEST_SHAPE" is already defined: this definition is ignored',
    ]);
  });
});

describe("parseEvent() statics", () => {
  const cases: Case[] = [
    {
      name: "parsed, meta, enriched, target, method; the first target in upstream order wins",
      line: "targets",
      want: {
        Parsed: { first_word: "targets", p: "to-parsed", but_this: "first-target", last: "ran" },
        Meta: { m: "to-meta" },
        Enriched: { e: "to-enriched", MarshaledTime: "2024-01-02T03:04:05Z" },
        StrTime: "2024-01-02T03:04:05Z",
      },
    },
    {
      name: "value wins over expression; conversions; empty, map, nil and failing values are skipped",
      line: "values word",
      want: {
        outcome: PARSED,
        Parsed: { literal_wins: "literal", from_expression: "word", chained: "word+", int: "4", float: "3.500000", float_division: "0.333333", after_skips: "still-written", last: "ran" },
      },
    },
    {
      name: "ParseDate is called on an empty value and gives the current time",
      line: "nodate",
      want: { Parsed: { last: "ran" }, Enriched: { MarshaledTime: "2024-06-01T12:00:00Z" } },
    },
    {
      name: "JSON numbers are floats; objects and arrays are skipped",
      line: '{"status": 404, "nested": {"a": 1}, "items": [1, "b"]}',
      want: { Parsed: { status: "404.000000", status_int: "404", last: "ran" }, Unmarshaled: { status: 404, nested: { a: 1 }, items: [1, "b"] } },
    },
    {
      name: "a bool is a hard error that drops the event; earlier statics stay; the node is not in the dump",
      line: "bool",
      want: {
        outcome: { kind: "error", stage: "s01-parse", node: "test/statics-bool", message: 'static of node "test/statics-bool": unexpected return type bool' },
        Parsed: { before_bool: "written" },
        dump: { "s01-parse": { "test/statics-targets": [false], "test/statics-values": [false], "test/statics-parsedate-empty": [false], "test/statics-json": [false] } },
      },
    },
    {
      name: "a map[string]string is a hard error too",
      line: "labels",
      want: { outcome: { kind: "error", stage: "s01-parse", node: "test/statics-string-map", message: 'static of node "test/statics-string-map": unexpected return type map[string]string' }, Parsed: {} },
    },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("statics", line, want)).toEqual(want);
  });
});

describe("parseEvent() target paths", () => {
  test("writes string fields and map keys, and nothing for other paths", () => {
    const { evt } = runLine(tree("targets"), "x");
    expect({
      StrTime: evt.StrTime,
      StrTimeFormat: evt.StrTimeFormat,
      Module: evt.Line.Module,
      Raw: evt.Line.Raw,
      Labels: plain(evt.Line.Labels),
      Parsed: plain(evt.Parsed),
      Meta: plain(evt.Meta),
      Enriched: plain(evt.Enriched),
      Unmarshaled: { ...evt.Unmarshaled },
      WhitelistReason: evt.WhitelistReason,
      Type: evt.Type,
      Mapkey: evt.Overflow.Mapkey,
    }).toEqual({
      StrTime: "strtime",
      StrTimeFormat: "no-evt-prefix",
      Module: "module",
      Raw: "x",
      Labels: { type: "test", extra: "label" },
      Parsed: { x: "parsed" },
      Meta: { y: "meta" },
      Enriched: { z: "enriched" },
      Unmarshaled: { u: "unmarshaled" },
      WhitelistReason: "reason",
      Type: 0,
      Mapkey: "mapkey",
    });
  });

  test("paths that name nothing writable are load warnings", () => {
    const warnings = tree("targets").warnings.filter((w) => w.code === "parser.unknown-target");
    expect(warnings.map((w) => w.message)).toEqual(
      ["evt.NoSuchField", "evt.line.raw", "evt.Type", "evt.Time", "evt.Overflow.Sources.x"].map((t) => `Target "${t}" is not a string field of the event: this static does nothing`),
    );
  });
});

describe("parseEvent() children", () => {
  const cases: Case[] = [
    { name: "skeleton node, continue: children [ok, fail] fail the node", line: "ok-fail x", want: { Parsed: { first_child: "ran", last: "ran" }, node: ["s01-parse", "test/skeleton-ok-fail", [false]] } },
    { name: "skeleton node, continue: children [fail, ok] make it succeed", line: "fail-ok x", want: { Parsed: { second_child: "ran", parent_static: "ran", last: "ran" }, node: ["s01-parse", "test/skeleton-fail-ok", [true]] } },
    {
      name: "skeleton node, next_stage: the first successful child ends the loop",
      line: "next x",
      want: { Stage: "s02-enrich", Parsed: { second_child: "ran", parent_static: "ran", enrich: "ran" }, node: ["s01-parse", "test/skeleton-next-stage", [true]] },
    },
    { name: "a successful grok keeps the node successful when children fail", line: "grok-ok x", want: { Parsed: { word: "x", parent_static: "ran", last: "ran" }, node: ["s01-parse", "test/grok-then-failing-children", [true]] } },
    { name: "a failed grok with a successful child succeeds", line: "grok-fail x", want: { Parsed: { child_word: "x", parent_static: "ran", last: "ran" }, node: ["s01-parse", "test/failed-grok-child-ok", [true]] } },
    {
      name: "side effects of children stay when the parent fails",
      line: "rollback x",
      want: { Parsed: { child_capture: "x", last: "ran" }, Meta: { child_grok_static: "stays", child_static: "stays" }, node: ["s01-parse", "test/side-effects-stay", [false]] },
    },
    { name: "an unnamed top-level node is recorded under the empty name", line: "unnamed x", want: { Parsed: { grandchild: "ran", unnamed_child: "ran", last: "ran" }, node: ["s01-parse", "", [true]] } },
    {
      name: "a child's next_stage moves the event although its parent is continue",
      line: "child-next x",
      want: { outcome: PARSED, Stage: "s02-enrich", Parsed: { child_moved: "ran", enrich: "ran" }, node: ["s01-parse", "test/child-next-stage", [true]] },
    },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("children", line, want)).toEqual(want);
  });

  test("unnamed children are named child-<parent>, recursively", () => {
    const names = (n: { name: string; children: readonly { name: string; children: readonly unknown[] }[] }): unknown => [n.name, n.children.map((c) => names(c as typeof n))];
    const unnamed = tree("children").parsers.nodes.find((n) => n.name === "")!;
    expect(names(unnamed)).toEqual(["", [["child-", [["child-child-", []]]]]]);
    const skeleton = tree("children").parsers.nodes.find((n) => n.name === "test/skeleton-ok-fail")!;
    expect(skeleton.children.map((c) => [c.name, c.named])).toEqual([["child-test/skeleton-ok-fail", false], ["child-test/skeleton-ok-fail", false]]);
  });
});

describe("parseEvent() whitelist", () => {
  const cases: Case[] = [
    { name: "by exact IP; statics of the whitelist node run", line: "192.0.2.1 hello", want: { whitelisted: "by ip", Meta: { source_ip: "192.0.2.1", word: "hello", wl_ip_static: "applied", reason_only_static: "applied" } } },
    { name: "by exact IPv6", line: "2001:db8::1 hello", want: { whitelisted: "by ip" } },
    { name: "by CIDR; statics of other whitelist nodes do not run", line: "10.1.2.3 hello", want: { whitelisted: "by cidr", Meta: { source_ip: "10.1.2.3", word: "hello", reason_only_static: "applied" } } },
    { name: "by IPv6 CIDR", line: "2001:db8:1::5 x", want: { whitelisted: "by cidr" } },
    { name: "an IPv4-mapped IPv6 address is not the IPv4 address", line: "::ffff:192.0.2.1 hello", want: { whitelisted: false } },
    { name: "an IPv4-mapped IPv6 address is not in an IPv4 network", line: "::ffff:10.1.2.3 hello", want: { whitelisted: false } },
    { name: "a source Go does not parse as an IP matches nothing", line: "127.1 hello", want: { whitelisted: false } },
    { name: "octets with a leading zero are not an IP either", line: "010.0.0.1 hello", want: { whitelisted: false } },
    { name: "by expression, after a non-bool one", line: "203.0.113.9 trusted", want: { whitelisted: "by expression" } },
    {
      name: "a runtime error in an expression means not whitelisted, and the node still succeeds",
      line: "203.0.113.9 broken",
      want: {
        whitelisted: false,
        outcome: PARSED,
        dump: {
          "s00-raw": { "test/wl-split": [true] },
          "s01-whitelist": { "test/wl-ip": [true], "test/wl-cidr": [true], "test/wl-expression": [true], "test/wl-expression-error": [true], "test/wl-filtered": [false], "test/wl-reason-only": [true] },
        },
      },
    },
    { name: "a whitelist node succeeds without a match", line: "203.0.113.9 plain", want: { whitelisted: false, outcome: PARSED, Meta: { source_ip: "203.0.113.9", word: "plain", reason_only_static: "applied" } } },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("whitelist", line, want)).toEqual(want);
  });
});

describe("parseEvent() on overflows", () => {
  test("IP sources are the keys of Overflow.Sources; targets write through the alert's pointers", async () => {
    const { Alert, Event, OVFLW, RuntimeAlert, Source } = await import("../event");
    const { parseEvent } = await import("./runtime");
    const overflow = (sources: string[]) => {
      const evt = new Event();
      evt.Type = OVFLW;
      evt.Overflow = new RuntimeAlert();
      evt.Overflow.Sources = Object.fromEntries(sources.map((s) => [s, new Source()]));
      const alert = new Alert();
      alert.Source = new Source();
      alert.Source.IP = sources[sources.length - 1]!;
      alert.Source.Scope = "Ip";
      alert.Source.Value = alert.Source.IP;
      evt.Overflow.Alert = alert;
      return evt;
    };
    const p = tree("postoverflow");
    const got = [["not-an-ip", "198.51.100.7"], ["203.0.113.1"]].map((sources) => {
      const evt = overflow(sources);
      const outcome = parseEvent(p.parsers.tree, evt, p.runtime);
      return [outcome.kind, evt.Whitelisted, evt.WhitelistReason, evt.Overflow.Whitelisted, evt.Overflow.Alert?.Source?.Scope, evt.Overflow.Alert?.Source?.Value];
    });
    expect(got).toEqual([
      ["parsed", true, "overflow source in 198.51.100.0/24", true, "Range", "198.51.100.7/32"],
      ["parsed", false, "", false, "Range", "203.0.113.1/32"],
    ]);
  });
});

describe("parseEvent() data files and stash", () => {
  const cases: Case[] = [
    { name: "File() reads the data file a node declares", line: "evilbot", want: { outcome: PARSED, Meta: { bad_agent: "true" } } },
    { name: "a line not in the file", line: "goodbot", want: { outcome: unparsed("s01-parse"), Meta: {} } },
  ];
  test.each(cases)("$name", ({ line, want }) => {
    expect(observe("data-files", line, want)).toEqual(want);
  });

  test("GetFromStash() reads what an earlier line stored; failed groks and non-string keys store nothing", () => {
    const { runs } = runLines(loadTestTree("stash"), ["lookup 1", "store 1 alice", "lookup 1", "store 1 bob", "lookup 1", "store 3 carol", "lookup 3", "lookup 2"]);
    expect(runs.map((r) => r.evt.Meta?.user ?? null)).toEqual([null, null, "alice", null, "bob", null, "carol", null]);
  });
});

describe("parseEvent() with ParserDumpCollector", () => {
  const { runs, dump } = runLines(tree("stages"), ["promote x", "stay x", "child x"]);

  test("records every top-level node tried, with Idx the order of first appearance in its stage", () => {
    const summary = Object.fromEntries(
      Object.entries(dump).map(([stage, nodes]) => [stage, Object.entries(nodes).map(([name, list]) => [name, list.map((r) => `${r.Idx}:${r.Success ? "ok" : "ko"}`).join(" ")])]),
    );
    expect(summary).toEqual({
      success: [["", ""]],
      "s00-raw": [
        ["test/raw-continue", "1:ok 1:ok 1:ko"],
        ["test/raw-next-fails", "2:ko 2:ko 2:ko"],
        ["test/raw-promote", "3:ok 3:ko 3:ko"],
        ["test/raw-after-promote", "4:ok 4:ok"],
        ["test/raw-child-moves", "5:ko 5:ok"],
        ["test/raw-after-child", "6:ko"],
      ],
      "s01-parse": [["test/parse", "1:ok 1:ok"]],
      "s02-enrich": [["test/enrich-continue", "1:ok 1:ok"], ["test/enrich-next", "2:ok 2:ok"]],
    });
  });

  test("each entry is a copy of the event right after the node ran", () => {
    const promoted = dump["s00-raw"]!["test/raw-promote"]![0]!.Evt;
    expect([promoted.Stage, plain(promoted.Parsed)]).toEqual(["s01-parse", { raw_continue: "yes", raw_promote: "yes" }]);
    expect([runs[0]!.evt.Stage, Object.keys(runs[0]!.evt.Parsed!).length]).toEqual(["s02-enrich", 5]);
  });
});
