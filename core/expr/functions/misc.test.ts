import { describe, expect, test } from "bun:test";
import { GoTime } from "../time";
import { MISC_HELPERS } from "./misc";
import { helperFn, runtimeError } from "./testing";

const fn = (name: string) => helperFn(MISC_HELPERS, name);

describe("GetFromStash()", () => {
  const stash = { get: (cache: string, key: string) => (cache === "sessions" && key === "abc" ? "1.2.3.4" : undefined) };
  const cases = [
    { cache: "sessions", key: "abc", ctx: { stash }, want: "1.2.3.4" },
    { cache: "sessions", key: "zzz", ctx: { stash }, want: "" },
    { cache: "other", key: "abc", ctx: { stash }, want: "" },
    { cache: "sessions", key: "abc", ctx: {}, want: "" },
  ];
  test.each(cases)("GetFromStash($cache, $key) is $want", ({ cache, key, ctx, want }) => {
    expect(helperFn(MISC_HELPERS, "GetFromStash", ctx)(cache, key)).toBe(want);
  });
});

describe("KeyExists()", () => {
  const cases = [
    { key: "a", map: { a: "" }, want: true },
    { key: "b", map: { a: 1 }, want: false },
    { key: "toString", map: {}, want: false },
    { key: "a", map: null, want: false },
  ];
  test.each(cases)("KeyExists($key, $map) is $want", ({ key, map, want }) => {
    expect(fn("KeyExists")(key, map)).toBe(want);
  });
});

describe("Flatten(), Distinct(), FlattenDistinct()", () => {
  const t1 = new GoTime(1000);
  const cases = [
    { name: "Flatten", what: "nested slices", args: [[1, [2, [3]]], "a"], want: [1, 2, 3, "a"] },
    { name: "Flatten", what: "nothing", args: [], want: [] },
    { name: "Flatten", what: "a map, which stays closed", args: [{ k: [1] }], want: [{ k: [1] }] },
    { name: "Distinct", what: "strings", args: [["a", "a", "b"]], want: ["a", "b"] },
    { name: "Distinct", what: "strings and ints", args: [["a", "a", "b", 1, 1]], want: ["a", "b", 1] },
    { name: "Distinct", what: "an empty slice", args: [[]], want: [] },
    { name: "Distinct", what: "a string", args: ["notaslice"], want: null },
    { name: "Distinct", what: "times, equal by value", args: [[t1, new GoTime(1000), new GoTime(2000)]], want: [t1, new GoTime(2000)] },
    { name: "FlattenDistinct", what: "nested repeats", args: [["a", ["b", "a"]], "b", "c"], want: ["a", "b", "c"] },
    { name: "FlattenDistinct", what: "nothing", args: [], want: [] },
  ];
  test.each(cases)("$name of $what", ({ name, args, want }) => {
    expect(fn(name)(...args)).toEqual(want);
  });

  const errors = [
    { name: "Distinct", what: "slices", args: [[[1], [1]]], want: "runtime error: hash of unhashable type []interface {}" },
    { name: "Distinct", what: "no argument", args: [], want: "runtime error: index out of range [0] with length 0" },
    { name: "Flatten", what: "a nil element", args: [["a", null]], want: "reflect: call of reflect.Value.Interface on zero Value" },
  ];
  test.each(errors)("$name of $what fails: $want", ({ name, args, want }) => {
    expect(runtimeError(() => fn(name)(...args))).toBe(want);
  });
});

describe("FloatApproxEqual()", () => {
  const cases = [
    { a: 1.0, b: 1.0000001, want: true },
    { a: 1.0, b: 1.00001, want: false },
    { a: 0.1 + 0.2, b: 0.3, want: true },
    { a: -5, b: 5, want: false },
  ];
  test.each(cases)("FloatApproxEqual($a, $b) is $want", ({ a, b, want }) => {
    expect(fn("FloatApproxEqual")(a, b)).toBe(want);
  });
});

describe("decision helpers without a database", () => {
  const cases = [
    { name: "GetDecisionsCount", args: ["1.2.3.4"] },
    { name: "GetDecisionsSinceCount", args: ["1.2.3.4", "1h"] },
    { name: "GetActiveDecisionsCount", args: ["1.2.3.4"] },
    { name: "GetActiveDecisionsTimeLeft", args: ["1.2.3.4"] },
  ];
  test.each(cases)("$name answers 0 and logs why", ({ name, args }) => {
    const warnings: string[] = [];
    expect(helperFn(MISC_HELPERS, name, { warn: (m) => warnings.push(m) })(...args)).toBe(0);
    expect(warnings).toEqual([`No database config to call ${name}()`]);
  });
});
