import { describe, expect, test } from "bun:test";
import { renderProblem } from "../result";
import { compileExpr, ExprRuntimeError } from "./index";
import { GoTime } from "./time";
import { ANY, arrayOf, BOOL, DURATION, FLOAT, INT, mapOf, method, pointerTo, STRING, structType, TIME, type StructType } from "./types";

const ITEM: StructType = structType(
  "test.Item",
  () => ({ Name: STRING, Tags: arrayOf(STRING), Score: FLOAT, Next: pointerTo(ITEM) }),
  () => ({ Label: method([STRING], STRING, (self: { Name: string } | null, prefix: string) => prefix + (self?.Name ?? "")) }),
);

const ENV = {
  s: STRING, n: INT, x: FLOAT, b: BOOL, m: mapOf(STRING), u: mapOf(ANY), l: arrayOf(STRING), ints: arrayOf(INT),
  item: ITEM, items: arrayOf(ITEM), ptr: pointerTo(ITEM), t: TIME, d: DURATION, any: ANY, ml: mapOf(arrayOf(STRING)), mm: mapOf(mapOf(STRING)),
};

const nullProto = <T>(o: Record<string, T>): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, o);

// 2021-03-06 (a Saturday) 10:30:00 UTC
const T0 = new GoTime(Date.UTC(2021, 2, 6, 10, 30, 0));

const VARS = {
  s: "héllo",
  n: 7,
  x: 2.5,
  b: true,
  m: { a: "1", empty: "" },
  u: { a: { b: 1, c: null, list: [1, "x"] }, num: 404, str: "404", yes: true },
  l: ["a", "b", "c"],
  ints: [3, 1, 2],
  item: { Name: "one", Tags: ["x"], Score: 1.5, Next: null },
  items: [{ Name: "one", Tags: ["x"], Score: 1.5, Next: null }, { Name: "two", Tags: [], Score: 0.5, Next: null }],
  ptr: null,
  t: T0,
  d: 600e9,
  any: null,
  ml: nullProto({ k: ["v"] }),
  mm: { k: { a: "b" } },
};

function run(src: string): unknown {
  const r = compileExpr(src, { env: ENV });
  if (!r.ok) throw new Error(renderProblem(r.error));
  const v = r.value.run(VARS);
  if (v instanceof ExprRuntimeError) throw new Error(`runtime: ${v.toString()}`);
  return v;
}

function compileError(src: string): string {
  const r = compileExpr(src, { env: ENV });
  return r.ok ? "<compiled>" : renderProblem(r.error);
}

function runtimeError(src: string): string {
  const r = compileExpr(src, { env: ENV });
  if (!r.ok) return `compile: ${renderProblem(r.error)}`;
  const v = r.value.run(VARS);
  return v instanceof ExprRuntimeError ? v.toString() : `<no error: ${String(v)}>`;
}

describe("run() operators", () => {
  const cases: [string, unknown][] = [
    ["1 + 2", 3],
    ["7 / 2", 3.5],
    ["8 / 2", 4],
    ["1 / 0", Infinity],
    ["7 % 3", 1],
    ["-7 % 3", -1],
    ["2 ** 10", 1024],
    ["2 ^ 3", 8],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["-n + 1", -6],
    ["n * x", 17.5],
    ["n - x", 4.5],
    ["'a' + 'b' + s", "abhéllo"],
    ["1 == 1.0", true],
    ["1 != 2", true],
    ["u.num == 404", true],
    ["u.num == 404.0", true],
    ["u.str == 404", false],
    ["u.str == '404'", true],
    ["u.a.b + 1", 2],
    ["u.zzz == nil", true],
    ["m.zzz == nil", false],
    ["ml.zzz == nil", true],
    ["nil == nil", true],
    ["1..3", [1, 2, 3]],
    ["3..1", []],
    ["'a' < 'b'", true],
    ["'abc' < 'abd'", true],
    ["'Z' < 'a'", true],
    ["'\uff5e' < '😀'", true],
    ["'b' >= 'b'", true],
    ["n > 5 && x <= 2.5", true],
    ["u.num > 400", true],
    ["t.Add(d) > t", true],
    ["d > duration('5m')", true],
    ["true && false", false],
    ["true || false", true],
    ["false or true and false", false],
    ["not true", false],
    ["!b", false],
    ["not b == false", true],
    ["u.a.b == 1 || u.a.x.y == 1", true],
    ["u.zzz != nil && u.zzz.y == 1", false],
    ["u.yes && true", true],
    ["'a' in l", true],
    ["'z' in l", false],
    ["'z' not in l", true],
    ["'a' in m", true],
    ["'empty' in m", true],
    ["'constructor' in m", false],
    ["'toString' in u", false],
    ["1 in ints", true],
    ["1.0 in ints", true],
    ["2 in [1, 2.0]", true],
    ["'Name' in item", true],
    ["'Nope' in item", false],
    ["'constructor' in item", false],
    ["'constructor' in u.a", false],
    ["'a' in u.zzz", false],
    ["'b' in u.a", true],
    ["1 in u.a.list", true],
    ["'x' in u.a.list", true],
    ["s matches '^h.llo$'", true],
    ["'abc' matches 'b+'", true],
    ["'a.b' matches 'a\\\\.b'", true],
    ["'axb' matches 'a\\\\.b'", false],
    ["s not matches 'z'", true],
    ["u.str matches '^4'", true],
    ["u.zzz matches 'x'", false],
    ["'x' matches ('^' + 'x')", true],
    ["s contains 'll'", true],
    ["s startsWith 'h'", true],
    ["s endsWith 'o'", true],
    ["s not contains 'z'", true],
    ["u.zzz contains 'x'", false],
    ["u.str startsWith '40'", true],
    ["n > 5 ? 'big' : 'small'", "big"],
    ["n > 50 ? 'big' : 'small'", "small"],
    ["if n > 5 { 'big' } else { 'small' }", "big"],
    ["if n > 50 { 1 } else if n > 5 { 2 } else { 3 }", 2],
    ["u.zzz ?? 'dflt'", "dflt"],
    ["m.zzz ?? 'dflt'", ""],
    ["u.a.c ?? 5", 5],
    ["u.zzz?.b ?? 'none'", "none"],
    ["let y = n * 2; y + 1", 15],
    ["let a = 1; let c = a + 1; a + c", 3],
    ["1; 2", 2],
    ["[1, 'a', nil]", [1, "a", null]],
    ["{a: 1, b: [2]}.b[0]", 2],
    ["{a: 1}['a']", 1],
    ["1 < 2 < 3", true],
    ["3 > 2 > 2", false],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(run(src)).toEqual(want);
  });
});

describe("run() member access, nil and zero values", () => {
  const cases: [string, unknown][] = [
    ["m.a", "1"],
    ["m['a']", "1"],
    ["m.zzz", ""],
    ["m.constructor", ""],
    ["m.__proto__", ""],
    ["u.a.b", 1],
    ["u['a']['b']", 1],
    ["u.zzz", null],
    ["u.constructor", null],
    ["u.zzz?.b", null],
    ["u.zzz?.b.c.d", null],
    ["u?.a.b", 1],
    ["ml.k[0]", "v"],
    ["ml.missing", null],
    ["len(ml.missing)", 0],
    ["mm.missing.a", ""],
    ["mm.k.a", "b"],
    ["item.Name", "one"],
    ["item['Name']", "one"],
    ["item.Next?.Name", null],
    ["ptr?.Name", null],
    ["ptr?.Label('x')", null],
    ["items[0].Name", "one"],
    ["items[-1].Name", "two"],
    ["l[1:]", ["b", "c"]],
    ["l[-2:]", ["b", "c"]],
    ["l[:10]", ["a", "b", "c"]],
    ["l[2:1]", []],
    ["l[:]", ["a", "b", "c"]],
    ["s[1:3]", "é"],
    ["s[0:1]", "h"],
    ["u.a.list[-1]", "x"],
    ["any", null],
    ["u.a.constructor", null],
    ["u.a['__proto__']", null],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(run(src)).toEqual(want);
  });
});

describe("run() predicates", () => {
  const cases: [string, unknown][] = [
    ["any(l, # == 'b')", true],
    ["any(l, {# == 'z'})", false],
    ["all(ints, # > 0)", true],
    ["all([], # > 0)", true],
    ["none(ints, # > 5)", true],
    ["one(ints, # == 1)", true],
    ["one(ints, # > 1)", false],
    ["filter(ints, # > 1)", [3, 2]],
    ["map(ints, # * 2)", [6, 2, 4]],
    ["map(l, #index)", [0, 1, 2]],
    ["count(ints, # > 1)", 2],
    ["count([true, false, true])", 2],
    ["sum(ints)", 6],
    ["sum(ints, # * 2)", 12],
    ["sum([1.5, 2])", 3.5],
    ["find(ints, # < 3)", 1],
    ["find(ints, # > 30)", null],
    ["findIndex(ints, # == 2)", 2],
    ["findIndex(ints, # > 10)", null],
    ["findLast(ints, # > 1)", 2],
    ["findLastIndex(ints, # > 1)", 2],
    ["map(sortBy(items, .Score), .Name)", ["two", "one"]],
    ["map(sortBy(items, .Score, 'desc'), .Name)", ["one", "two"]],
    ["reduce(ints, #acc + #)", 6],
    ["reduce(ints, #acc + #, 10)", 16],
    ["reduce(l, #acc + #index, 0)", 3],
    ["groupBy(ints, # > 1)['true']", [3, 2]],
    ["any(items, .Name == 'one')", true],
    ["map(filter(items, {.Score > 1}), .Name)", ["one"]],
    ["any(items, { any(.Tags, # == 'x') })", true],
    ["map(items, {.Name + string(#index)})", ["one0", "two1"]],
    ["map(items, { let n2 = .Name; n2 })", ["one", "two"]],
    ["filter(u.a.list, # == 'x')", ["x"]],
    ["any(ml.missing, # == 'x')", false],
    ["ints | filter(# > 1) | map(# * 10)", [30, 20]],
    ["len(filter(l, # != 'a'))", 2],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(run(src)).toEqual(want);
  });
});

describe("run() methods, time and durations", () => {
  const cases: [string, unknown][] = [
    ["item.Label('>')", ">one"],
    ["items[1].Label('#')", "#two"],
    ["t.Hour()", 10],
    ["t.Minute()", 30],
    ["t.Weekday().String()", "Saturday"],
    ["t.Month().String()", "March"],
    ["t.Year()", 2021],
    ["t.Unix()", 1615026600],
    ["t.Add(d).Sub(t) == d", true],
    ["t.Add(d).After(t)", true],
    ["t.Before(t)", false],
    ["t.Equal(t.UTC())", true],
    ["t.Format('2006-01-02T15:04:05Z07:00')", "2021-03-06T10:30:00Z"],
    ["t - t.Add(d * -1)", 600e9],
    ["(t + d).Minute()", 40],
    ["d.Minutes()", 10],
    ["d.Seconds()", 600],
    ["d.Hours() < 1", true],
    ["d.String()", "10m0s"],
    ["duration('1h30m')", 5400e9],
    ["duration('1h') > d", true],
    ["d * 2 == duration('20m')", true],
    ["d + d == duration('20m')", true],
    ["string(d)", "10m0s"],
    ["t.IsZero()", false],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(run(src)).toEqual(want);
  });
});

describe("compileExpr() errors", () => {
  const cases: [string, string][] = [
    ["item.Foo", "type test.Item has no field Foo (1:6)\n  | item.Foo\n  | .....^"],
    ["zz + 1", "unknown name zz (1:1)\n  | zz + 1\n  | ^"],
    ["Nope('x')", "unknown name Nope (1:1)\n  | Nope('x')\n  | ^"],
    ["upper(1)", "cannot use int as argument (type string) to call upper (1:7)\n  | upper(1)\n  | ......^"],
    ["upper()", "not enough arguments to call upper (1:1)\n  | upper()\n  | ^"],
    ["upper('a', 'b')", "too many arguments to call upper (1:1)\n  | upper('a', 'b')\n  | ^"],
    ["upper(nil)", "cannot use nil as argument (type string) to call upper (1:7)\n  | upper(nil)\n  | ......^"],
    ["not s", "invalid operation: not (mismatched type string) (1:1)\n  | not s\n  | ^"],
    ["not s in l", "invalid operation: not (mismatched type string) (1:1)\n  | not s in l\n  | ^"],
    ["s && true", "invalid operation: && (mismatched types string and bool) (1:3)\n  | s && true\n  | ..^"],
    ["s ? 1 : 2", "non-bool expression (type string) used as condition (1:1)\n  | s ? 1 : 2\n  | ^"],
    ["'404' == 404", "invalid operation: == (mismatched types string and int) (1:7)\n  | '404' == 404\n  | ......^"],
    ["s + 1", "invalid operation: + (mismatched types string and int) (1:3)\n  | s + 1\n  | ..^"],
    ["n % 1.5", "invalid operation: % (mismatched types int and float64) (1:3)\n  | n % 1.5\n  | ..^"],
    ["s < 1", "invalid operation: < (mismatched types string and int) (1:3)\n  | s < 1\n  | ..^"],
    ["'a' in 'abc'", "invalid operation: in (mismatched types string and string) (1:5)\n  | 'a' in 'abc'\n  | ....^"],
    ["1 in l", "cannot use int as type string in array (1:3)\n  | 1 in l\n  | ..^"],
    ["1 in m", "cannot use int as type string in map key (1:3)\n  | 1 in m\n  | ..^"],
    ["l['a']", "array elements can only be selected using an integer (got string) (1:3)\n  | l['a']\n  | ..^"],
    ["m[1]", "cannot use int to get an element from map[string]string (1:3)\n  | m[1]\n  | ..^"],
    ["s[0]", "type string[int] is undefined (1:2)\n  | s[0]\n  | .^"],
    ["s.Foo", "type string has no field Foo (1:3)\n  | s.Foo\n  | ..^"],
    ["map(l, #acc)", "unknown pointer #acc (1:8)\n  | map(l, #acc)\n  | .......^"],
    ["any(l, #index > 0)", "unknown pointer #index (1:8)\n  | any(l, #index > 0)\n  | .......^"],
    ["any(s, # == 'a')", "builtin any takes only array (got string) (1:5)\n  | any(s, # == 'a')\n  | ....^"],
    ["filter(l, # + 'x')", "predicate should return boolean (got string) (1:11)\n  | filter(l, # + 'x')\n  | ..........^"],
    ["let s = 1; s", "cannot redeclare s (1:5)\n  | let s = 1; s\n  | ....^"],
    ["let upper = 1; upper", "cannot redeclare builtin upper (1:5)\n  | let upper = 1; upper\n  | ....^"],
    ["let y = 1; let y = 2; y", "cannot redeclare variable y (1:16)\n  | let y = 1; let y = 2; y\n  | ...............^"],
    ["item.Label()", "not enough arguments to call Label (1:6)\n  | item.Label()\n  | .....^"],
    ["item.Nope()", "type test.Item has no method Nope (1:6)\n  | item.Nope()\n  | .....^"],
    ["len(1)", "invalid argument for len (type int) (1:1)\n  | len(1)\n  | ^"],
    ["item.constructor", "type test.Item has no field constructor (1:6)\n  | item.constructor\n  | .....^"],
    ["t.constructor()", "type time.Time has no method constructor (1:3)\n  | t.constructor()\n  | ..^"],
    ["t + t", "invalid operation: + (mismatched types time.Time and time.Time) (1:3)\n  | t + t\n  | ..^"],
    ["d > 5", "invalid operation: > (mismatched types time.Duration and int) (1:3)\n  | d > 5\n  | ..^"],
    ["-s", "invalid operation: - (mismatched type string) (1:1)\n  | -s\n  | ^"],
    ["n\n  + s", "invalid operation: + (mismatched types int and string) (2:3)\n  |   + s\n  | ..^"],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(compileError(src)).toBe(want);
  });

  test("a bad constant regex is a compile error at the operator", () => {
    const r = compileExpr("s matches '(a'", { env: ENV });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("expr.compile");
      expect(r.error.message).toEndWith("(1:3)");
      expect(r.error.column).toBe(3);
    }
  });

  test("a syntax error is an expr.syntax problem with line and column", () => {
    const r = compileExpr("a +\n  ]", { env: ENV });
    expect(r.ok ? null : { code: r.error.code, line: r.error.line, column: r.error.column }).toEqual({ code: "expr.syntax", line: 2, column: 3 });
  });

  test("expect bool refuses a result statically known not to be bool", () => {
    const r = compileExpr("s + 'x'", { env: ENV, expect: "bool" });
    expect(r.ok ? "" : r.error.message).toBe("expected bool, but got string");
  });
});

describe("run() errors", () => {
  const cases: [string, string][] = [
    ["u.zzz.b", "cannot fetch b from <nil> (1:7)\n| u.zzz.b\n| ......^"],
    ["items[5].Name", "index out of range: 5 (array length is 2) (1:6)\n| items[5].Name\n| .....^"],
    ["ml.missing[0]", "index out of range: 0 (array length is 0) (1:11)\n| ml.missing[0]\n| ..........^"],
    ["int('x')", "invalid operation: int(x) (1:1)\n| int('x')\n| ^"],
    ["n % 0", "runtime error: integer divide by zero (1:3)\n| n % 0\n| ..^"],
    ["ptr.Name", "cannot get Name from *test.Item: nil pointer (1:5)\n| ptr.Name\n| ....^"],
    ["u.str + 1", "invalid operation: string + float64 (1:7)\n| u.str + 1\n| ......^"],
    ["u.num contains 'x'", "interface conversion: interface {} is float64, not string (1:7)\n| u.num contains 'x'\n| ......^"],
    ["u.zzz && true", "interface conversion: interface {} is nil, not bool (1:7)\n| u.zzz && true\n| ......^"],
    ["not u.num", "interface conversion: interface {} is float64, not bool (1:1)\n| not u.num\n| ^"],
    ["u.a ? 1 : 2", "interface conversion: interface {} is map[string]interface {}, not bool (1:3)\n| u.a ? 1 : 2\n| ..^"],
    ["len(u.zzz)", "invalid argument for len (type <nil>) (1:1)\n| len(u.zzz)\n| ^"],
    ["upper(u.num)", "interface conversion: interface {} is float64, not string (1:9)\n| upper(u.num)\n| ........^"],
    ["duration('1x')", 'time: unknown unit "x" in duration "1x" (1:1)\n| duration(\'1x\')\n| ^'],
    ["reduce([], #)", "reduce of empty array with no initial value (1:1)\n| reduce([], #)\n| ^"],
    ["any(u.zzz, # == 1)", "reflect: call of reflect.Value.Len on zero Value (1:7)\n| any(u.zzz, # == 1)\n| ......^"],
    ["'a' in u.num", 'operator "in" not defined on float64 (1:5)\n| \'a\' in u.num\n| ....^'],
    ["u.a.list[0] < 'a'", "invalid operation: float64 < string (1:13)\n| u.a.list[0] < 'a'\n| ............^"],
    ["'x' matches u.str + '('", "error parsing regexp"],
  ];
  test.each(cases)("%s", (src, want) => {
    if (want === "error parsing regexp") expect(runtimeError(src)).not.toStartWith("<no error");
    else expect(runtimeError(src)).toBe(want);
  });

  test("run never throws and keeps working after an error", () => {
    const p = compileExpr("u.zzz.b", { env: ENV });
    if (!p.ok) throw new Error("compile");
    expect(p.value.run(VARS)).toBeInstanceOf(ExprRuntimeError);
    expect(p.value.run({ ...VARS, u: { zzz: { b: 3 } } })).toBe(3);
  });

  test("expect bool turns a non-bool result into a runtime error", () => {
    const p = compileExpr("u.num", { env: ENV, expect: "bool" });
    if (!p.ok) throw new Error("compile");
    const v = p.value.run(VARS);
    expect(v instanceof ExprRuntimeError ? v.message : v).toBe("expected bool, but got float64");
  });
});

describe("ExprProgram", () => {
  test.each([
    ["1 + 1", "int"],
    ["1 + 1.5", "float"],
    ["7 / 7", "float"],
    ["len(l)", "int"],
    ["u.num", "any"],
    ["m.a", "string"],
    ["l", "array"],
    ["t", "time"],
    ["d", "duration"],
  ])("resultType of %s is %s", (src, kind) => {
    const p = compileExpr(src, { env: ENV });
    expect(p.ok ? p.value.resultType.kind : "error").toBe(kind);
  });

  test("missing variables read as their zero value", () => {
    const p = compileExpr("m.a == '' && s == '' && n == 0 && len(l) == 0", { env: ENV });
    expect(p.ok ? p.value.run({}) : "error").toBe(true);
  });

  test("predicates reuse their scope across runs and nesting", () => {
    const p = compileExpr("map(ints, { map(ints, # * 10) })", { env: ENV });
    if (!p.ok) throw new Error("compile");
    expect(p.value.run(VARS)).toEqual([[30, 10, 20], [30, 10, 20], [30, 10, 20]]);
    expect(p.value.run({ ...VARS, ints: [1] })).toEqual([[10]]);
  });

  test("extra functions are callable and override nothing else", () => {
    const p = compileExpr("twice(s)", {
      env: ENV,
      functions: [{ name: "twice", signatures: ["func(string) string"], make: () => (v: unknown) => `${String(v)}${String(v)}` }],
    });
    expect(p.ok ? p.value.run(VARS) : "error").toBe("héllohéllo");
  });

  test("a helper error becomes a runtime error located at the call", () => {
    const p = compileExpr("boom(s)", {
      env: ENV,
      functions: [{ name: "boom", signatures: ["func(string) (string, error)"], make: () => () => { throw new ExprRuntimeError("kaboom"); } }],
    });
    if (!p.ok) throw new Error("compile");
    const v = p.value.run(VARS);
    expect(v instanceof ExprRuntimeError ? v.toString() : v).toBe("kaboom (1:1)\n| boom(s)\n| ^");
  });
});
