import { describe, expect, test } from "bun:test";
import { RE2JS } from "re2js";
import { unwrap } from "../result";
import { type Re2Match, type Re2Regex, compileRe2 } from "./compile";

function groups(m: Re2Match | null): (string | null)[] | null {
  if (m === null) return null;
  const out: (string | null)[] = [];
  for (let g = 0; g < m.length; g++) out.push(m[g] ?? null);
  return out;
}

// Each RE2 construct with inputs whose results differ from a naive JavaScript reading.
const translation: { pattern: string; input: string; want: (string | null)[] | null }[] = [
  { pattern: "(?i)get", input: "x GeT y", want: ["GeT"] },
  { pattern: "a(?i)b|c", input: "C", want: ["C"] }, // (?i) runs to the end of the group, across |
  { pattern: "(?:a(?i)b)|c", input: "C", want: null },
  { pattern: "(?i:a)b", input: "AB", want: null },
  { pattern: "(?i)k", input: "\u212a", want: ["\u212a"] }, // Kelvin sign folds to k in RE2
  { pattern: "(?i)[^k]", input: "\u212a", want: null },
  { pattern: "a\\z", input: "a\n", want: null },
  { pattern: "\\Aa", input: "ba", want: null },
  { pattern: "a$", input: "a\n", want: null }, // $ is end of text without (?m)
  { pattern: "(?m)a$", input: "a\nb", want: ["a"] },
  { pattern: "(?m)^b", input: "a\nb", want: ["b"] },
  { pattern: "(?m)^b", input: "a\rb", want: null },
  { pattern: "[[:alpha:]]+", input: "12ab3", want: ["ab"] },
  { pattern: "[[:^digit:]x]+", input: "12ab3", want: ["ab"] },
  { pattern: "(?P<year>\\d{4})-(?<m>\\d\\d)", input: "on 2024-05", want: ["2024-05", "2024", "05"] },
  { pattern: "\\Qa.b*\\E+", input: "a.b** axb", want: ["a.b**"] },
  { pattern: "\\x{41}\\x42\\101", input: "ABA", want: ["ABA"] },
  { pattern: "\\pL+", input: "1éa2", want: ["éa"] },
  { pattern: "\\p{Greek}", input: "aβ", want: ["β"] },
  { pattern: ".", input: "\r", want: ["\r"] }, // RE2 . refuses only \n
  { pattern: ".", input: "\u2028", want: ["\u2028"] },
  { pattern: ".", input: "\n", want: null },
  { pattern: "(?s).", input: "\n", want: ["\n"] },
  { pattern: "\\s", input: "\u000b", want: null }, // RE2 \s has no \v
  { pattern: "\\s", input: "\u00a0", want: null },
  { pattern: "\\d", input: "\u0663", want: null }, // ASCII digits only
  { pattern: "\\w+", input: "é_a1", want: ["_a1"] },
  { pattern: "\\bx\\b", input: "éxé", want: ["x"] }, // ASCII word boundary
  { pattern: "\\@\\-\\/\\<\\>\\#\\%\\\"\\'\\:\\,\\=\\!\\&\\~\\ ", input: "@-/<>#%\"':,=!&~ ", want: ["@-/<>#%\"':,=!&~ "] },
  { pattern: '\\{"ip":"(\\d+)"}', input: '{"ip":"12"}', want: ['{"ip":"12"}', "12"] },
  { pattern: "a{,2}", input: "a{,2}", want: ["a{,2}"] }, // not a quantifier in RE2
  { pattern: "a{01}", input: "a{01}", want: ["a{01}"] },
  { pattern: "x{2,3}", input: "xxxx", want: ["xxx"] },
  { pattern: "x{2,}?", input: "xxxx", want: ["xx"] },
  { pattern: "(?U)a+", input: "aaa", want: ["a"] },
  { pattern: "(?U)a+?", input: "aaa", want: ["aaa"] },
  { pattern: "[^a]", input: "\n", want: ["\n"] },
  { pattern: "[]a]+", input: "]a]", want: ["]a]"] },
  { pattern: "[a-]+", input: "-a-", want: ["-a-"] },
  { pattern: "\\%\\{INT:n:int\\}", input: "%{INT:n:int}", want: ["%{INT:n:int}"] },
  { pattern: "%{INT:n:int}", input: "%{INT:n:int}", want: ["%{INT:n:int}"] },
  { pattern: "(?:(a)|b)+", input: "ab", want: ["ab", "a"] }, // RE2 keeps the last value a group took
  { pattern: "(a*)*", input: "b", want: ["", ""] },
  { pattern: "(a|ab)(c|bcd)(d*)", input: "abcd", want: ["abcd", "a", "bcd", ""] }, // leftmost-first
  { pattern: "😀+", input: "😀😀", want: ["😀😀"] },
  { pattern: "\\x{1F600}", input: "a😀", want: ["😀"] },
];

describe("compileRe2() translation", () => {
  for (const engine of ["auto", "linear"] as const) {
    test.each(translation)(`${engine}: $pattern on $input`, ({ pattern, input, want }) => {
      const re = unwrap(compileRe2(pattern, { engine }));
      expect(groups(re.exec(input))).toEqual(want);
      expect(re.test(input)).toBe(want !== null);
    });
  }
});

const rejected: { pattern: string; message: string; column: number }[] = [
  { pattern: "a(?=b)", message: "invalid or unsupported Perl syntax: `(?=` (RE2 has no lookaround)", column: 2 },
  { pattern: "(?<!a)b", message: "invalid or unsupported Perl syntax: `(?<!` (RE2 has no lookaround)", column: 1 },
  { pattern: "(a)\\1", message: "invalid escape sequence: `\\1`", column: 4 },
  { pattern: "a**", message: "invalid nested repetition operator: `**`", column: 2 },
  { pattern: "x{2}{3}", message: "invalid nested repetition operator: `{2}{3}`", column: 2 },
  { pattern: "*a", message: "missing argument to repetition operator: `*`", column: 1 },
  { pattern: "ab(c", message: "missing closing ): `(c`", column: 3 },
  { pattern: "ab)c", message: "unexpected )", column: 3 },
  { pattern: "[ab", message: "missing closing ]: `[ab`", column: 1 },
  { pattern: "[z-a]", message: "invalid character class range: `z-a`", column: 2 },
  { pattern: "[[:foo:]]", message: "invalid character class range: `[:foo:]`", column: 2 },
  { pattern: "x{1001}", message: "invalid repeat count: `{1001}`", column: 2 },
  { pattern: "(a{100}){20}", message: "invalid repeat count: `{20}`", column: 9 },
  { pattern: "\\q", message: "invalid escape sequence: `\\q`", column: 1 },
  { pattern: "\\C", message: "invalid escape sequence: `\\C`", column: 1 },
  { pattern: "a\\", message: "trailing backslash at end of expression", column: 2 },
  { pattern: "(?P<n>a)(?P<n>b)", message: "duplicate capture group name: `(?P<n>`", column: 9 },
  { pattern: "(?P<a-b>x)", message: "invalid named capture: `(?P<a-b>`", column: 1 },
  { pattern: "(?x)a", message: "invalid or unsupported Perl syntax: `(?x`", column: 1 },
  { pattern: "é(?=", message: "invalid or unsupported Perl syntax: `(?=` (RE2 has no lookaround)", column: 2 },
];

describe("compileRe2() errors", () => {
  test.each(rejected)("rejects $pattern", ({ pattern, message, column }) => {
    const r = compileRe2(pattern);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("regex.syntax");
    expect(r.error.message).toBe(`Cannot compile regular expression: ${message}`);
    expect(r.error.column).toBe(column);
    expect(r.error.snippet).toBe(`${pattern}\n${" ".repeat(column - 1)}^`);
  });
});

// The engine choice: the native RegExp path only where backtracking is provably linear.
const engines: { pattern: string; engine: Re2Regex["engine"] }[] = [
  { pattern: "^\\d+\\.\\d+$", engine: "native" },
  { pattern: "GET|POST", engine: "native" },
  { pattern: "^(\\S+) (\\S+)$", engine: "native" },
  { pattern: "\\d+\\.", engine: "linear" }, // unanchored: each start rescans the digits
  { pattern: "^(.*?) (.*?) x", engine: "linear" },
  { pattern: "^(a+)+$", engine: "linear" },
  { pattern: "^(\\S+\\s*)+$", engine: "linear" },
  { pattern: "^(?:(a)|b)+", engine: "linear" },
  { pattern: "^(a|aa)*b", engine: "linear" }, // fixed-length alternatives that overlap, repeated
  { pattern: "\\pL", engine: "linear" },
];

describe("compileRe2() engine choice", () => {
  test.each(engines)("$pattern runs on $engine", ({ pattern, engine }) => {
    expect(unwrap(compileRe2(pattern)).engine).toBe(engine);
  });

  test("caches by source and options", () => {
    expect(unwrap(compileRe2("a+b"))).toBe(unwrap(compileRe2("a+b")));
    expect(unwrap(compileRe2("a+b", { caseInsensitive: true }))).not.toBe(unwrap(compileRe2("a+b")));
  });

  test("caseInsensitive behaves as a leading (?i)", () => {
    const re = unwrap(compileRe2("get /a", { caseInsensitive: true }));
    expect(groups(re.exec("GET /A"))).toEqual(["GET /A"]);
  });
});

// Long adversarial lines stay fast because the linear engine never revisits a state; these
// would take seconds to years on a backtracking engine. No timing assertion: a regression shows
// up as a test that does not finish.
describe("compileRe2() linear engine on hostile input", () => {
  const long = "a".repeat(50_000);
  const cases = [
    { pattern: "^(a+)+$", input: `${long}!`, want: null },
    { pattern: "(.*?) (.*?) x", input: " ".repeat(50_000), want: null },
    { pattern: "(\\d+)\\.", input: "1".repeat(50_000), want: null },
    { pattern: "^(a|aa)*b", input: long, want: null },
  ];
  test.each(cases)("$pattern", ({ pattern, input, want }) => {
    expect(groups(unwrap(compileRe2(pattern)).exec(input))).toEqual(want);
  });
});

// Lines past the DFA threshold: the reverse DFA finds where the leftmost match starts and the
// bit-state engine runs from there. Results must be those of the plain bit-state search.
describe("compileRe2() long lines through the reverse DFA", () => {
  const hex = "abcdef0123".repeat(7000);
  const cases = [
    { pattern: "(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)", input: `${hex} 1.2.3.4 x`, want: ["1.2.3.4", "1", "2", "3", "4"] },
    { pattern: "^(\\w+) (.*)x(.*)$", input: `a ${hex}x${hex}`, want: [`a ${hex}x${hex}`, "a", hex, hex] },
    { pattern: "\\bfoo\\b|(bar)$", input: `${hex}foox bar`, want: ["bar", "bar"] },
    { pattern: "x+y", input: `${"x".repeat(70_000)}`, want: null },
  ];
  test.each(cases)("$pattern", ({ pattern, input, want }) => {
    const viaDfa = groups(unwrap(compileRe2(pattern, { engine: "linear", dfaMinLength: 0 })).exec(input));
    const plain = groups(unwrap(compileRe2(pattern, { engine: "linear", dfaMinLength: Number.MAX_SAFE_INTEGER })).exec(input));
    expect(viaDfa).toEqual(plain);
    expect(viaDfa).toEqual(want);
  });
});

// Greedy spans on the pattern's spine give back only to positions where the rest of the pattern
// can match (a reverse-DFA pass over the line). Results must be those of re2js and of the plain
// bit-state search; spanGateMin 0 uses the gates even on these short lines.
describe("compileRe2() span gates", () => {
  const cases = [
    { pattern: ".*(1[0-2])/(\\d+) .*x", input: "a 11/2 b 1111 x 1111" },
    { pattern: ".*(1[0-2])/(\\d+) .*x", input: "a 11/2 b 10/3 c 1111111" },
    { pattern: "(.*)\\b(\\d+)\\b(.*)$", input: "ab 12 cd 34x 56 z" },
    { pattern: "^(\\S+) (.*) (foo|bar)?(\\w+)$", input: "a b c bar baz qux" },
    { pattern: "(?P<x>.*)(?:ab|a)(b*)c", input: "xabbbcabbc aabbb" },
    { pattern: ".*a(.*)a", input: "baaab\u00e9a\ud83d\ude00b" },
    { pattern: "[^,]*,(.*)(\\d)$", input: "abc,12,34" },
    { pattern: "x*(x{2})y", input: "xxxxxxy" },
    { pattern: ".*(\\d\\d):(\\d\\d)", input: "12:34 56:78 9" },
    { pattern: ".*z", input: "abc" },
  ];
  test.each(cases)("$pattern on $input", ({ pattern, input }) => {
    const want = groups(RE2JS.compile(pattern).exec(input) as Re2Match | null);
    const gated = groups(unwrap(compileRe2(pattern, { engine: "linear", dfaMinLength: 0, spanGateMin: 0 })).exec(input));
    const plain = groups(unwrap(compileRe2(pattern, { engine: "linear", dfaMinLength: Number.MAX_SAFE_INTEGER })).exec(input));
    expect(gated).toEqual(want);
    expect(plain).toEqual(want);
  });
});
