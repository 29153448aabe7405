import { describe, expect, test } from "bun:test";
import { GoTime } from "../time";
import { JSON_HELPERS } from "./json";
import { helperFn, runtimeError } from "./testing";

const fn = (name: string) => helperFn(JSON_HELPERS, name);

describe("JsonExtract()", () => {
  // upstream TestJsonExtract, then jsonparser's path and leniency rules
  const cases = [
    { blob: `{"test" : "1234"}`, path: "test", want: "1234" },
    { blob: `{"test" : "1234"}`, path: "non_existing_field", want: "" },
    { blob: `{"test" : {"a": "b"}}`, path: "test.a", want: "b" },
    { blob: `{"a":"x\\"y\\u00e9"}`, path: "a", want: `x\\"y\\u00e9` }, // still escaped
    { blob: `{"a":[1, 2]}`, path: "a", want: "[1, 2]" },
    { blob: `{"a":{"b": 1}}`, path: "a", want: `{"b": 1}` },
    { blob: `{"a":[{"b":1},{"b":"z"}]}`, path: "a[1].b", want: "z" },
    { blob: `[{"b":1},{"b":2}]`, path: "[1].b", want: "2" },
    { blob: `{"a":[[1,2],[3,4]]}`, path: "a[1][0]", want: "3" },
    { blob: `{"a":[1]}`, path: "a[5]", want: "" },
    { blob: `{"n": 12.5e3, "t": true, "z": null}`, path: "n", want: "12.5e3" },
    { blob: `{"n": 12.5e3, "t": true, "z": null}`, path: "z", want: "null" },
    { blob: `{"t":{"$date":"2020-01-01"}}`, path: "t.$date", want: "2020-01-01" },
    { blob: `{"a\\u0062c": 1}`, path: "abc", want: "1" }, // keys are compared unescaped
    { blob: `{"b":{"a":1},"a":2}`, path: "a", want: "2" }, // nested keys do not match at top level
    { blob: `{"a": 1, "b":`, path: "a", want: "1" }, // truncated after the key: still found
    { blob: `{"a": nul}`, path: "a", want: "" },
    { blob: `not json`, path: "a", want: "" },
    { blob: ``, path: "a", want: "" },
  ];
  test.each(cases)("JsonExtract($blob, $path) is $want", ({ blob, path, want }) => {
    expect(fn("JsonExtract")(blob, path)).toBe(want);
  });

  test("an empty key where an array is walked is a run-time error, as upstream's index panic", () => {
    expect(runtimeError(() => fn("JsonExtract")(`{"a":[1]}`, "a..[0]"))).toBe("runtime error: index out of range [0] with length 0");
  });
});

describe("JsonExtractUnescape()", () => {
  const cases = [
    { blob: `{"log" : "\\"GET /JBNwtQ6i.blt HTTP/1.1\\" 200 13 \\"-\\" \\"Craftbot\\""}`, keys: ["log"], want: `"GET /JBNwtQ6i.blt HTTP/1.1" 200 13 "-" "Craftbot"` },
    { blob: `{"test" : "1234"}`, keys: ["non_existing_field"], want: "" },
    { blob: `{"a":"\\u00e9\\ud83d\\ude00\\n"}`, keys: ["a"], want: "é😀\n" },
    { blob: `{"a":"bad \\x escape"}`, keys: ["a"], want: "" },
    { blob: `{"a":12}`, keys: ["a"], want: "" }, // not a string
    { blob: `{"a":{"b":"c"}}`, keys: ["a", "b"], want: "" }, // upstream only reads the first key
  ];
  test.each(cases)("JsonExtractUnescape($blob, $keys) is $want", ({ blob, keys, want }) => {
    expect(fn("JsonExtractUnescape")(blob, ...keys)).toBe(want);
  });

  test("without a key it is a run-time error", () => {
    expect(runtimeError(() => fn("JsonExtractUnescape")(`"x"`))).toBe("runtime error: index out of range [1] with length 1");
  });
});

describe("JsonExtractLib()", () => {
  const cases = [
    { keys: ["a"], want: "interface conversion: interface {} is string, not []string" },
    { keys: [], want: "runtime error: index out of range [1] with length 1" },
  ];
  test.each(cases)("from an expression, JsonExtractLib(blob, $keys) fails: $want", ({ keys, want }) => {
    expect(runtimeError(() => fn("JsonExtractLib")(`{"a":1}`, ...keys))).toBe(want);
  });
});

describe("JsonExtractSlice()", () => {
  // upstream TestJsonExtractSlice
  const cases = [
    { blob: `{"test" : "1234"}`, path: "test", want: null },
    { blob: `{"test" : ["1234"]}`, path: "test", want: ["1234"] },
    { blob: `{"test": {"foo": [{"a":"b"}]}}`, path: "test.foo", want: [{ a: "b" }] },
    { blob: `{"test: "11234"}`, path: "foo", want: null },
    { blob: `{"test": [1, oops]}`, path: "test", want: null }, // found, but not valid JSON
  ];
  test.each(cases)("JsonExtractSlice($blob, $path)", ({ blob, path, want }) => {
    expect(fn("JsonExtractSlice")(blob, path)).toEqual(want);
  });
});

describe("JsonExtractObject()", () => {
  // upstream TestJsonExtractObject
  const cases = [
    { blob: `{"test" : "1234"}`, path: "test", want: null },
    { blob: `{"test" : {"1234": {"foo": "bar"}}}`, path: "test", want: { "1234": { foo: "bar" } } },
    { blob: `{"test": {"foo": [{"a":"b"}]}}`, path: "test.foo[0]", want: { a: "b" } },
  ];
  test.each(cases)("JsonExtractObject($blob, $path)", ({ blob, path, want }) => {
    expect(fn("JsonExtractObject")(blob, path)).toEqual(want);
  });
});

describe("ToJsonString()", () => {
  // upstream TestToJson, then encoding/json details
  const cases = [
    { what: "an int", obj: 42, want: "42" },
    { what: "a slice", obj: ["foo", "bar"], want: `["foo","bar"]` },
    { what: "a map", obj: { foo: "bar" }, want: `{"foo":"bar"}` },
    { what: "a map, keys sorted", obj: { b: 1, a: [true, null] }, want: `{"a":[true,null],"b":1}` },
    { what: "HTML-unsafe text", obj: "<a&b>\u2028", want: `"\\u003ca\\u0026b\\u003e\\u2028"` },
    { what: "a large float", obj: 1e21, want: "1e+21" },
    { what: "a small float", obj: 1e-7, want: "1e-7" },
    { what: "a float", obj: 0.5, want: "0.5" },
    { what: "nil", obj: null, want: "null" },
    { what: "NaN", obj: NaN, want: "" },
    { what: "an infinity inside", obj: [1, Infinity], want: "" },
    { what: "a time", obj: new GoTime(Date.UTC(2024, 0, 2, 3, 4, 5)), want: `"2024-01-02T03:04:05Z"` },
  ];
  test.each(cases)("ToJsonString of $what is $want", ({ obj, want }) => {
    expect(fn("ToJsonString")(obj)).toBe(want);
  });
});

describe("UnmarshalJSON()", () => {
  // upstream TestUnmarshalJSON
  const cases = [
    { json: "42", want: 42 },
    { json: `["foo","bar"]`, want: ["foo", "bar"] },
    { json: `{"foo":"bar"}`, want: { foo: "bar" } },
    { json: `{"Foo":"bar","Bar":{"Baz":"baz"},"Bla":["foo","bar"]}`, want: { Foo: "bar", Bar: { Baz: "baz" }, Bla: ["foo", "bar"] } },
  ];
  test.each(cases)("UnmarshalJSON($json) stores the value and returns nil", ({ json, want }) => {
    const out: Record<string, unknown> = {};
    expect(fn("UnmarshalJSON")(json, out, "a")).toBeNull();
    expect(out.a).toEqual(want);
  });

  const errors = [
    { json: "", want: "unexpected end of JSON input" },
    { json: `{"a":1e999}`, want: "json: cannot unmarshal number into Go value of type float64" },
  ];
  test.each(errors)("UnmarshalJSON($json) fails with $want and leaves the target alone", ({ json, want }) => {
    const out: Record<string, unknown> = {};
    expect(runtimeError(() => fn("UnmarshalJSON")(json, out, "a"))).toBe(want);
    expect(out).toEqual({});
  });

  test("bad JSON is a run-time error, as upstream's returned error is in expr", () => {
    expect(runtimeError(() => fn("UnmarshalJSON")("{bad", {}, "a"))).not.toBe("(no error)");
  });

  test("a nil target is a run-time error", () => {
    expect(runtimeError(() => fn("UnmarshalJSON")("{}", null, "a"))).toBe("interface conversion: interface {} is <nil>, not map[string]interface {}");
  });
});
