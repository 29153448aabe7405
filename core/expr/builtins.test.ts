import { describe, expect, test } from "bun:test";
import { renderProblem } from "../result";
import { byteIndex, goLower, goReplace, goSplit, goTrim, goTrimSpace, goUpper } from "./go-strings";
import { compileExpr, ExprRuntimeError } from "./index";
import { GoTime } from "./time";
import { ANY, arrayOf, INT, mapOf, STRING } from "./types";

const ENV = { u: mapOf(ANY), ss: arrayOf(STRING), m: mapOf(STRING), n: INT };
const VARS = { u: { f: 2.5, i: 3, s: "x", list: [3, 1, 2], nested: [[1, 2], [3, [4]]], nil: null }, ss: ["b", "a", "c"], m: { a: "1", b: "2" }, n: -4 };
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

function run(src: string): unknown {
  const r = compileExpr(src, { env: ENV, helpers: { now: () => NOW } });
  if (!r.ok) throw new Error(renderProblem(r.error));
  const v = r.value.run(VARS);
  if (v instanceof ExprRuntimeError) throw new Error(`runtime: ${v.message}`);
  return v;
}

function runtimeMessage(src: string): string {
  const r = compileExpr(src, { env: ENV });
  if (!r.ok) return `compile: ${r.error.message}`;
  const v = r.value.run(VARS);
  return v instanceof ExprRuntimeError ? v.message : `<no error: ${String(v)}>`;
}

describe("builtins", () => {
  const cases: [string, unknown][] = [
    ["len('héllo')", 5],
    ["len('😀')", 1],
    ["len(ss)", 3],
    ["len(m)", 2],
    ["len(u.list)", 3],
    ["len(u.s)", 1],
    ["type(1)", "int"],
    ["type(1.5)", "float"],
    ["type('a')", "string"],
    ["type(nil)", "nil"],
    ["type(true)", "bool"],
    ["type(ss)", "array"],
    ["type(m)", "map"],
    ["abs(n)", 4],
    ["abs(-2.5)", 2.5],
    ["ceil(1.2)", 2],
    ["floor(1.8)", 1],
    ["round(2.5)", 3],
    ["round(-2.5)", -3],
    ["round(1.4)", 1],
    ["int('42')", 42],
    ["int('-7')", -7],
    ["int('+7')", 7],
    ["int(3.9)", 3],
    ["int(-3.9)", -3],
    ["int(u.f)", 2],
    ["int(u.s == 'x' ? '5' : '6')", 5],
    ["float('1.5')", 1.5],
    ["float('1e3')", 1000],
    ["float(3)", 3],
    ["float(u.i)", 3],
    ["string(1)", "1"],
    ["string(1.5)", "1.5"],
    ["string(1e6)", "1e+06"],
    ["string(u.i)", "3"],
    ["string(true)", "true"],
    ["string(nil)", "<nil>"],
    ["string(ss)", "[b a c]"],
    ["string(m)", "map[a:1 b:2]"],
    ["trim('  a b \\n')", "a b"],
    ["trim('xxaxx', 'x')", "a"],
    ["trim('abcba', 'ab')", "c"],
    ["trimPrefix('foobar', 'foo')", "bar"],
    ["trimPrefix(' a')", "a"],
    ["trimSuffix('foobar', 'bar')", "foo"],
    ["trimSuffix('a ')", "a"],
    ["upper('héllo')", "HÉLLO"],
    ["lower('HÉLLO')", "héllo"],
    ["split('a,b,c', ',')", ["a", "b", "c"]],
    ["split('a,b,c', ',', 2)", ["a", "b,c"]],
    ["split('abc', '')", ["a", "b", "c"]],
    ["split('', ',')", [""]],
    ["splitAfter('a,b', ',')", ["a,", "b"]],
    ["replace('aaa', 'a', 'b')", "bbb"],
    ["replace('aaa', 'a', 'b', 2)", "bba"],
    ["repeat('ab', 3)", "ababab"],
    ["join(ss, '-')", "b-a-c"],
    ["join(ss)", "bac"],
    ["join(['x', 'y'], ', ')", "x, y"],
    ["indexOf('héllo', 'l')", 3],
    ["indexOf('abc', 'z')", -1],
    ["lastIndexOf('a:b:c', ':')", 3],
    ["lastIndexOf('é:b', ':')", 2],
    ["hasPrefix('foobar', 'foo')", true],
    ["hasSuffix('foobar', 'bar')", true],
    ["hasSuffix('foobar', 'foo')", false],
    ["max(1, 5, 3)", 5],
    ["max(u.list)", 3],
    ["min(u.list)", 1],
    ["max(u.nested)", 4],
    ["min(2.5, 1)", 1],
    ["mean(u.list)", 2],
    ["mean([1, 2])", 1.5],
    ["median(u.list)", 2],
    ["median([1, 2, 3, 4])", 2.5],
    ["toJSON({b: 1, a: [true, nil]})", '{\n  "a": [\n    true,\n    null\n  ],\n  "b": 1\n}'],
    ["toJSON('<a&b>')", '"\\u003ca\\u0026b\\u003e"'],
    ["fromJSON('{\"a\": [1, \"x\"]}').a[1]", "x"],
    ["toBase64('hello')", "aGVsbG8="],
    ["fromBase64('aGVsbG8=')", "hello"],
    ["now().Year()", 2024],
    ["now().Unix()", NOW / 1000],
    ["duration('1h10m10.5s').Seconds()", 4210.5],
    ["duration('300ms').String()", "300ms"],
    ["duration('-1.5h').String()", "-1h30m0s"],
    ["date('2021-03-06').Weekday().String()", "Saturday"],
    ["date('2021-03-06 10:30:00').Hour()", 10],
    ["date('2021-03-06T10:30:00+02:00').UTC().Hour()", 8],
    ["date('06/03/2021', '02/01/2006').Month().String()", "March"],
    ["date('2021-07-01 12:00', '2006-01-02 15:04', 'Europe/Paris').UTC().Hour()", 10],
    ["first(ss)", "b"],
    ["last(ss)", "c"],
    ["first([])", null],
    ["get(m, 'a')", "1"],
    ["get(m, 'zz')", null],
    ["get(ss, -1)", "c"],
    ["get(ss, 10)", null],
    ["get(u, 'nil')", null],
    ["get(u.zz, 'x')", null],
    ["take(ss, 2)", ["b", "a"]],
    ["take(ss, 10)", ["b", "a", "c"]],
    ["sort(keys(m))", ["a", "b"]],
    ["sort(values(m))", ["1", "2"]],
    ["sort(ss)", ["a", "b", "c"]],
    ["sort(ss, 'desc')", ["c", "b", "a"]],
    ["sort(u.list)", [1, 2, 3]],
    ["toPairs({a: 1})", [["a", 1]]],
    ["fromPairs([['a', 1]]).a", 1],
    ["reverse(ss)", ["c", "a", "b"]],
    ["uniq([1, 2, 1, 2.0, 'a', 'a'])", [1, 2, "a"]],
    ["concat(ss, [1], [])", ["b", "a", "c", 1]],
    ["flatten(u.nested)", [1, 2, 3, 4]],
    ["bitand(12, 10)", 8],
    ["bitor(12, 10)", 14],
    ["bitxor(12, 10)", 6],
    ["bitnand(12, 10)", 4],
    ["bitshl(1, 40)", 2 ** 40],
    ["bitshr(-16, 2)", -4],
    ["bitushr(-1, 60)", 15],
    ["bitnot(0)", -1],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(run(src)).toEqual(want);
  });

  const errors: [string, string][] = [
    ["int('4.5')", "invalid operation: int(4.5)"],
    ["int(u.list)", "invalid operation: int([]interface {})"],
    ["float('x')", "invalid operation: float(x)"],
    ["repeat('a', -1)", "invalid argument for repeat (expected positive integer, got -1)"],
    ["fromBase64('!!')", "illegal base64 data at input byte 0"],
    ["duration('')", 'time: invalid duration ""'],
    ["duration('5')", 'time: missing unit in duration "5"'],
    ["date('nope')", "invalid date nope"],
    ["date('x', '2006', 'No/Where')", "unknown time zone No/Where"],
    ["max(u.list, 'a')", "invalid argument for max (type string)"],
    ["abs(u.s)", "invalid argument for abs (type string)"],
    ["join(u.list)", "interface conversion: interface {} is float64, not string"],
    ["sort(ss, 'up')", "invalid order up, expected asc or desc"],
    ["keys(u.s)", "cannot get keys from string"],
  ];
  test.each(errors)("%s fails", (src, message) => {
    expect(runtimeMessage(src)).toBe(message);
  });

  const compileErrors: [string, string][] = [
    ["len(1)", "invalid argument for len (type int) (1:1)"],
    ["abs('a')", "invalid argument for abs (type string) (1:1)"],
    ["int(true)", "invalid argument for int (type bool) (1:1)"],
    ["first('a')", "cannot get first element from string (1:1)"],
    ["keys(ss)", "cannot get keys from []string (1:1)"],
    ["get(1, 2)", "type int does not support indexing (1:1)"],
    ["max()", "not enough arguments to call max (1:1)"],
    ["trim('a', 'b', 'c')", "too many arguments to call trim (1:1)"],
    ["now(1)", "invalid number of arguments (expected 0, got 1) (1:1)"],
    ["sortBy(ss, #, 1)", "sortBy order argument must be a string (got int) (1:15)"],
  ];
  test.each(compileErrors)("%s is a compile error", (src, message) => {
    const r = compileExpr(src, { env: ENV });
    expect(r.ok ? "<compiled>" : r.error.message).toBe(message);
  });
});

describe("Go string helpers", () => {
  test.each([
    ["  \t a \u00a0", "a"],
    ["\ufeffa", "\ufeffa"],
    ["\u0085a\u3000", "a"],
  ])("goTrimSpace(%j)", (s, want) => {
    expect(goTrimSpace(s)).toBe(want);
  });

  test("case mapping is one-to-one as Go's", () => {
    expect(goUpper("straße")).toBe("STRAßE");
    expect(goLower("ÀB")).toBe("àb");
  });

  test("goTrim strips a set, not a prefix", () => {
    expect(goTrim("abcxcba", "abc")).toBe("x");
  });

  test.each([
    ["a,b,c", ",", -1, false, ["a", "b", "c"]],
    ["a,b,c", ",", 0, false, null],
    ["a,b,c", ",", 1, false, ["a,b,c"]],
    ["a😀b", "", -1, false, ["a", "😀", "b"]],
    ["a😀b", "", 2, false, ["a", "😀b"]],
    ["a,b", ",", -1, true, ["a,", "b"]],
  ] as const)("goSplit(%j, %j, %d, %p)", (s, sep, n, after, want) => {
    expect(goSplit(s, sep, n, after)).toEqual(want === null ? null : [...want]);
  });

  test("goReplace with an empty old string inserts between code points", () => {
    expect(goReplace("ab", "", "-", -1)).toBe("-a-b-");
    expect(goReplace("ab", "", "-", 2)).toBe("-a-b");
  });

  test("byteIndex converts UTF-16 offsets to UTF-8 byte offsets", () => {
    expect(byteIndex("héllo", 2)).toBe(3);
    expect(byteIndex("abc", -1)).toBe(-1);
  });

  test("GoTime values from now() use the helper clock", () => {
    const r = compileExpr("now()", { env: {}, helpers: { now: () => NOW } });
    const v = r.ok ? r.value.run({}) : null;
    expect(v instanceof GoTime ? v.UnixMilli() : v).toBe(NOW);
  });
});
