import { describe, expect, test } from "bun:test";
import { countGroups, expand, findReferences, heuristicGroupCount } from "./expand";

describe("findReferences()", () => {
  const cases = [
    { grok: "%{IP:ip} %{WORD}", want: [["IP", "ip"], ["WORD", undefined]] },
    { grok: "%{INT:port:int}", want: [] }, // Logstash type suffix: literal text
    { grok: "%{IP:src-ip}", want: [] }, // dash in the semantic: literal text
    { grok: "%{DATA:amavis_message-id}", want: [] },
    { grok: "%{ IP}", want: [] },
    { grok: "%{A_1:b_2}x%{C}", want: [["A_1", "b_2"], ["C", undefined]] },
  ];
  test.each(cases)("$grok", ({ grok, want }) => {
    expect(findReferences(grok).map((r) => [r.name, r.semantic])).toEqual(want);
  });
});

describe("heuristicGroupCount()", () => {
  const cases = [
    { text: "(a)(b)", want: 2 },
    { text: "(?:a)", want: 0 },
    { text: "(?i:a)", want: 0 },
    { text: "(?i)a", want: 0 },
    { text: String.raw`\(a\)`, want: 0 },
    { text: "(?P<n>a)", want: 1 },
    // grokky's flag regex has an optional "(": "s)" counts as a flag group, as upstream.
    { text: " (?:request|access) ", want: -1 },
    { text: "[(]", want: 1 }, // a class is not understood, as upstream
  ];
  test.each(cases)("$text", ({ text, want }) => {
    expect(heuristicGroupCount(text)).toBe(want);
  });
});

describe("countGroups()", () => {
  const cases = [
    { source: "(a)(?:b)(?P<n>c)(?<m>d)", want: 3 },
    { source: String.raw`\((a)[(]`, want: 1 },
    { source: String.raw`[\]()](x)`, want: 1 },
    { source: String.raw`\Q(\E(a)`, want: 1 },
    { source: "[[:alpha:](](b)", want: 1 },
  ];
  test.each(cases)("$source", ({ source, want }) => {
    expect(countGroups(source)).toBe(want);
  });
});

// A tiny library: definitions are grok text; expansions are computed on demand.
const DEFS: Record<string, string> = {
  NUM: "[0-9]+",
  PAIR: "%{NUM:a}-%{NUM:b}",
  WRAP: "%{PAIR}",
  TWICE: "%{NUM:n} %{NUM:n}",
  OUTER: "%{PAIR:a}",
  NOSEM: "(x)(y)",
};
function lookup(name: string) {
  const text = DEFS[name];
  return expand(text, findReferences(text), lookup);
}

describe("expand()", () => {
  const cases: { grok: string; source: string; semantics: Record<string, number> }[] = [
    { grok: "%{NUM:x}", source: "([0-9]+)", semantics: { x: 1 } },
    // Wrapper group for every reference, with or without semantic.
    { grok: "%{NUM}+", source: "([0-9]+)+", semantics: {} },
    // Inner semantics are inherited, shifted past the wrapper.
    { grok: "%{PAIR}", source: "(([0-9]+)-([0-9]+))", semantics: { a: 2, b: 3 } },
    { grok: "%{WRAP:w}", source: "((([0-9]+)-([0-9]+)))", semantics: { w: 1, a: 3, b: 4 } },
    // Outer beats inner: PAIR's own "a" is dropped.
    { grok: "%{OUTER}", source: "((([0-9]+)-([0-9]+)))", semantics: { a: 2, b: 4 } },
    // Last at the same level wins.
    { grok: "%{NUM:x} %{NUM:x}", source: "([0-9]+) ([0-9]+)", semantics: { x: 2 } },
    { grok: "%{TWICE}", source: "(([0-9]+) ([0-9]+))", semantics: { n: 3 } },
    // Literal groups before a reference shift it.
    { grok: "(a|b) %{NUM:x}", source: "(a|b) ([0-9]+)", semantics: { x: 2 } },
    { grok: "(?:a) %{NUM:x}", source: "(?:a) ([0-9]+)", semantics: { x: 1 } },
    { grok: "%{NOSEM} %{NUM:x}", source: "((x)(y)) ([0-9]+)", semantics: { x: 4 } },
    // Text that is not a reference stays as it is.
    { grok: "%{NUM:x:int} %{NUM:y}", source: "%{NUM:x:int} ([0-9]+)", semantics: { y: 1 } },
    { grok: "(x)", source: "(x)", semantics: {} },
  ];
  test.each(cases)("$grok", ({ grok, source, semantics }) => {
    const e = expand(grok, findReferences(grok), lookup);
    expect(e.source).toBe(source);
    expect(Object.fromEntries(e.semantics)).toEqual(semantics);
    expect(e.groups).toBe(countGroups(source));
  });
});
