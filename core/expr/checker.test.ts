import { describe, expect, test } from "bun:test";
import { BUILTIN_NAMES } from "./builtins";
import { check, type FunctionEntry } from "./checker";
import { parse } from "./parser";
import { parseGoSignature } from "./signature";
import { ANY, arrayOf, DURATION, FLOAT, INT, mapOf, STRING, TIME, typeName } from "./types";

const ENV = { s: STRING, n: INT, x: FLOAT, m: mapOf(STRING), u: mapOf(ANY), l: arrayOf(STRING), t: TIME, d: DURATION };
const FUNCTIONS = new Map<string, FunctionEntry>([
  ["Upper", { name: "Upper", overloads: [parseGoSignature("func(string) string")] }],
  ["Split", { name: "Split", overloads: [parseGoSignature("func(string, string) []string")] }],
  ["Sprintf", { name: "Sprintf", overloads: [parseGoSignature("func(string, ...any) string")] }],
  ["Pair", { name: "Pair", overloads: [parseGoSignature("func(int) int"), parseGoSignature("func(string) string")] }],
]);

function typeOf(src: string): string {
  const p = parse(src, { builtins: BUILTIN_NAMES, isOverridden: (name) => FUNCTIONS.has(name) });
  if (!p.ok) return `syntax: ${p.error.message}`;
  const c = check(p.node, { env: ENV, functions: FUNCTIONS, compileRegex: () => ({ ok: true, regex: { test: () => true } }) });
  return c.ok ? typeName(c.value.type) : `error: ${c.error.message}`;
}

describe("check() static types", () => {
  test.each([
    ["1", "int"],
    ["1.5", "float64"],
    ["n + 1", "int"],
    ["n + x", "float64"],
    ["n / 1", "float64"],
    ["n ** 2", "float64"],
    ["n % 2", "int"],
    ["-x", "float64"],
    ["s + 'a'", "string"],
    ["m.a", "string"],
    ["m['a']", "string"],
    ["u.a", "interface {}"],
    ["u.a.b.c", "interface {}"],
    ["u.a + 1", "interface {}"],
    ["u.a / 2", "float64"],
    ["l[0]", "string"],
    ["l[1:]", "[]string"],
    ["s[1:]", "string"],
    ["[1, 2]", "[]int"],
    ["[1, 'a']", "[]interface {}"],
    ["[]", "[]interface {}"],
    ["{a: 1}", "map[string]interface {}"],
    ["1..3", "[]int"],
    ["t - t", "time.Duration"],
    ["t + d", "time.Time"],
    ["d * 2", "time.Duration"],
    ["t.Hour()", "int"],
    ["t.Weekday()", "time.Weekday"],
    ["d.Seconds()", "float64"],
    ["n > 1 ? 'a' : 'b'", "string"],
    ["n > 1 ? 'a' : nil", "string"],
    ["n > 1 ? 'a' : 1", "interface {}"],
    ["u.a ?? 'x'", "interface {}"],
    ["nil ?? 'x'", "string"],
    ["m.a ?? 'x'", "string"],
    ["let v = 1; v + 1", "int"],
    ["Upper(s)", "string"],
    ["Upper(u.a)", "string"],
    ["Split(s, ',')", "[]string"],
    ["Sprintf('%s-%d', s, n)", "string"],
    ["Sprintf('x')", "string"],
    ["Pair(1)", "int"],
    ["Pair('a')", "string"],
    ["s | Upper()", "string"],
    ["filter(l, # != '')", "[]string"],
    ["map(l, len(#))", "[]int"],
    ["find(l, # == 'a')", "string"],
    ["filter(u.a, # != '')", "[]interface {}"],
    ["count(l, # == 'a')", "int"],
    ["sum([1, 2])", "int"],
    ["sum([1.5])", "float64"],
    ["groupBy(l, #)", "map[string][]string"],
    ["reduce(l, #acc + #)", "interface {}"],
    ["len(u.a)", "int"],
    ["int(u.a)", "int"],
    ["string(n)", "string"],
    ["get(m, 'a')", "interface {}"],
    ["get(l, 0)", "interface {}"],
    ["first(l)", "string"],
    ["max(n, 2)", "int"],
    ["max(l)", "interface {}"],
    ["now()", "time.Time"],
    ["duration('1s')", "time.Duration"],
    ["'a' in l && n in [1, 2] && 'k' in m", "bool"],
    ["u.a in u.b", "bool"],
    ["s matches s", "bool"],
  ])("%s : %s", (src, want) => {
    expect(typeOf(src)).toBe(want);
  });

  test.each([
    ["Pair(true)", "error: cannot use bool as argument (type string) to call Pair"],
    ["Upper(s, s)", "error: too many arguments to call Upper"],
    ["Sprintf()", "error: not enough arguments to call Sprintf"],
    ["s()", "error: string is not callable"],
    ["u.a.b(1)", "interface {}"],
    ["nil.x", "syntax: unexpected token Operator(\".\")"],
    ["(nil).x", "error: type nil has no field x"],
    ["nil == s", "bool"],
    ["l == l", "bool"],
    ["m == m", "bool"],
    ["t == t", "bool"],
    ["t == 1", "error: invalid operation: == (mismatched types time.Time and int)"],
    ["n .. x", "error: invalid operation: .. (mismatched types int and float64)"],
  ])("%s → %s", (src, want) => {
    expect(typeOf(src)).toBe(want);
  });
});
