import { describe, expect, test } from "bun:test";
import { formatFloatF, formatFloatV, formatGoValue, formatInt, formatStaticValue, marshalGoJSON } from "./format";
import { GoTime } from "./time";
import { ANY, arrayOf, BOOL, DURATION, FLOAT, INT, mapOf, STRING, STRUCT_TYPE, structType, TIME, WEEKDAY, type ExprType } from "./types";

describe("formatFloatV() (Go %v of float64)", () => {
  test.each([
    [0, "0"],
    [1.5, "1.5"],
    [-2.5, "-2.5"],
    [100, "100"],
    [123456, "123456"],
    [1e6, "1e+06"],
    [1234567, "1.234567e+06"],
    [1693840791.7565, "1.6938407917565e+09"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e21, "1e+21"],
    [1e100, "1e+100"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
  ])("%p → %s", (x, want) => {
    expect(formatFloatV(x)).toBe(want);
  });
});

describe("formatFloatF() (Go %f)", () => {
  test.each([
    [3.5, 6, "3.500000"],
    [404, 6, "404.000000"],
    [0.1 + 0.2, 6, "0.300000"],
    [-0.0000001, 6, "-0.000000"],
    [2.5e-7, 6, "0.000000"],
    [1e21, 6, "1000000000000000000000.000000"],
    [1.25, 1, "1.2"],
    [-1.5, 0, "-2"],
    [2.5, 0, "2"],
    [0.0078125, 6, "0.007812"],
    [0.0234375, 6, "0.023438"],
    [1.0000005, 6, "1.000001"],
  ])("%p with %d decimals → %s", (x, prec, want) => {
    expect(formatFloatF(x, prec)).toBe(want);
  });

  test("formatInt writes large integers in full", () => {
    expect(formatInt(1e21)).toBe("1000000000000000000000");
    expect(formatInt(-42)).toBe("-42");
  });
});

describe("formatStaticValue()", () => {
  const map = { a: "b" };
  const cases: [unknown, ExprType, unknown][] = [
    ["abc", STRING, { kind: "text", text: "abc" }],
    ["", STRING, { kind: "text", text: "" }],
    [0, INT, { kind: "text", text: "0" }],
    [42, INT, { kind: "text", text: "42" }],
    [3.5, FLOAT, { kind: "text", text: "3.500000" }],
    [404, ANY, { kind: "text", text: "404.000000" }],
    ["404", ANY, { kind: "text", text: "404" }],
    [null, ANY, { kind: "text", text: "" }],
    [null, { kind: "nil" }, { kind: "text", text: "" }],
    [map, ANY, { kind: "warning", reason: "expression returned a map" }],
    [[1], ANY, { kind: "warning", reason: "expression returned an array" }],
    [map, mapOf(ANY), { kind: "warning", reason: "expression returned a map" }],
    [[1], arrayOf(ANY), { kind: "warning", reason: "expression returned an array" }],
  ];
  test.each(cases)("%p as %p", (value, type, want) => {
    expect(formatStaticValue(value, type)).toEqual(want as ReturnType<typeof formatStaticValue>);
  });

  const errors: [unknown, ExprType][] = [
    [true, BOOL],
    [true, ANY],
    [["a"], arrayOf(STRING)],
    [map, mapOf(STRING)],
    [600e9, DURATION],
    [GoTime.ZERO, TIME],
    [GoTime.ZERO, ANY],
    [6, WEEKDAY],
  ];
  test.each(errors)("%p as %p is an error", (value, type) => {
    expect(formatStaticValue(value, type).kind).toBe("error");
  });
});

describe("formatGoValue() (Go %v)", () => {
  const POINT = structType("test.Point", () => ({ X: INT, Y: STRING }));
  class Point {
    X = 1;
    Y = "a";
    get [STRUCT_TYPE]() {
      return POINT;
    }
  }
  const cases: [unknown, ExprType | undefined, string][] = [
    ["s", undefined, "s"],
    [true, undefined, "true"],
    [null, undefined, "<nil>"],
    [3, undefined, "3"],
    [3, ANY, "3"],
    [1e6, ANY, "1e+06"],
    [1e6, INT, "1000000"],
    [2.5, undefined, "2.5"],
    [600e9, DURATION, "10m0s"],
    [6, WEEKDAY, "Saturday"],
    [[1, "a", [true]], undefined, "[1 a [true]]"],
    [{ b: 2, a: [1] }, undefined, "map[a:[1] b:2]"],
    [null, arrayOf(STRING), "[]"],
    [null, mapOf(STRING), "map[]"],
    [new Point(), undefined, "{1 a}"],
    [new GoTime(Date.UTC(2020, 0, 4, 7, 25, 2)), undefined, "2020-01-04 07:25:02 +0000 UTC"],
  ];
  test.each(cases)("%p (%p) → %s", (value, type, want) => {
    expect(formatGoValue(value, type)).toBe(want);
  });
});

describe("marshalGoJSON()", () => {
  test.each([
    [{ b: 1, a: "x" }, '{"a":"x","b":1}'],
    [[1.5, null, true], "[1.5,null,true]"],
    [1e-7, "1e-07"],
    [1e21, "1e+21"],
    ["<&>", '"\\u003c\\u0026\\u003e"'],
    ["a\nb\u2028", '"a\\nb\\u2028"'],
    [new GoTime(Date.UTC(2020, 0, 4, 7, 25, 2), 3600, 500000), '"2020-01-04T08:25:02.0005+01:00"'],
    [{}, "{}"],
    [[], "[]"],
  ])("%p → %s", (value, want) => {
    expect(marshalGoJSON(value)).toBe(want);
  });

  test("indents like json.MarshalIndent", () => {
    expect(marshalGoJSON({ a: [1] }, "  ")).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});
