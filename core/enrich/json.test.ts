import { describe, expect, test } from "bun:test";
import { createUnmarshalJson } from "./json";
import { newLogEvent, type Event } from "../event";

function event(raw: string, unmarshaled: Record<string, unknown> | null): Event {
  const evt = newLogEvent({ raw });
  evt.Unmarshaled = unmarshaled === null ? null : Object.assign(evt.Unmarshaled!, unmarshaled);
  return evt;
}

describe("UnmarshalJSON", () => {
  const cases: readonly {
    name: string;
    raw: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    errors: readonly string[];
  }[] = [
    {
      name: "merges top-level keys into what is there",
      raw: '{"a":1,"b":{"c":"d"}}',
      before: { kept: "x", a: "old" },
      after: { kept: "x", a: 1, b: { c: "d" } },
      errors: [],
    },
    {
      name: "replaces a nested object rather than merging it",
      raw: '{"b":{"new":true}}',
      before: { b: { old: true } },
      after: { b: { new: true } },
      errors: [],
    },
    {
      name: "keeps numbers as floats and lists as lists",
      raw: '{"n":404,"f":1.5,"l":[1,"two",null]}',
      before: {},
      after: { n: 404, f: 1.5, l: [1, "two", null] },
      errors: [],
    },
    {
      name: "writes nothing for invalid JSON and logs the error",
      raw: '{"a":1',
      before: { kept: "x" },
      after: { kept: "x" },
      errors: ["UnmarshalJSON: could not parse JSON: "],
    },
    {
      name: "refuses a JSON value that is not an object",
      raw: "[1,2]",
      before: { kept: "x" },
      after: { kept: "x" },
      errors: ["UnmarshalJSON: could not parse JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"],
    },
    {
      name: "sets the map to nil on null, as Go does",
      raw: "null",
      before: { kept: "x" },
      after: null,
      errors: [],
    },
    {
      name: "allocates a nil map first",
      raw: '{"a":"b"}',
      before: null,
      after: { a: "b" },
      errors: [],
    },
  ];

  test.each(cases)("$name", ({ raw, before, after, errors }) => {
    const logged: string[] = [];
    const UnmarshalJSON = createUnmarshalJson((method, message) => logged.push(`${method}: ${message}`));
    const evt = event(raw, before === null ? null : { ...before });
    expect(UnmarshalJSON("the value is ignored", evt)).toBeNull();
    expect(evt.Unmarshaled === null ? null : { ...evt.Unmarshaled }).toEqual(after);
    // the detail of a syntax error is the JS engine's wording, so only the prefix is compared
    expect(logged.map((l, i) => l.slice(0, errors[i]?.length))).toEqual([...errors]);
  });

  test("stores a __proto__ key as data, not as the prototype", () => {
    const evt = event('{"__proto__":{"polluted":true}}', {});
    createUnmarshalJson(() => {})("", evt);
    expect(Object.getPrototypeOf(evt.Unmarshaled)).toBeNull();
    expect(Object.keys(evt.Unmarshaled!)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
