import { describe, expect, test } from "bun:test";
import { GoTime, HOUR, MILLISECOND, SECOND } from "../time";
import { helperFn, runtimeError } from "./testing";
import { TIME_HELPERS } from "./time";

const fn = (name: string) => helperFn(TIME_HELPERS, name);
const BASE = Date.UTC(2023, 0, 1, 12, 0, 0);
const at = (...offsetsMs: number[]): GoTime[] => offsetsMs.map((ms) => new GoTime(BASE + ms));

describe("MedianInterval()", () => {
  // upstream TestMedianInterval and TestAverageMedianWithQueues
  const cases = [
    { what: "two times 1s apart", times: at(0, 1000), want: SECOND },
    { what: "odd number of gaps", times: at(0, 2000, 5000, 11000), want: 3 * SECOND },
    { what: "even number of gaps", times: at(0, 1000, 3000, 7000, 15000), want: 3 * SECOND },
    { what: "reverse order", times: at(11000, 5000, 2000, 0), want: 3 * SECOND },
    { what: "equal gaps", times: at(0, 3600e3, 7200e3, 10800e3, 14400e3), want: HOUR },
    { what: "mixed gaps", times: at(0, 1, 1001, 2001), want: SECOND },
    { what: "2s and 5s", times: at(5000, 7000, 12000), want: 3 * SECOND + 500 * MILLISECOND },
    { what: "sub-millisecond halves", times: [new GoTime(BASE, 0, 0), new GoTime(BASE, 0, 1), new GoTime(BASE, 0, 3), new GoTime(BASE, 0, 6), new GoTime(BASE, 0, 10)], want: 2 },
  ];
  test.each(cases)("MedianInterval of $what", ({ times, want }) => {
    expect(fn("MedianInterval")(times)).toBe(want);
  });

  const errors = [
    { what: "one time", arg: at(0), want: "need at least two times to calculate a median" },
    { what: "a string element", arg: [new GoTime(BASE), "not a time"], want: "element at index 1 is not a time.Time" },
    { what: "strings", arg: ["a", "b"], want: "element at index 0 is not a time.Time" },
    { what: "not a slice", arg: "x", want: "MedianInterval expects a slice of times" },
  ];
  test.each(errors)("MedianInterval of $what fails: $want", ({ arg, want }) => {
    expect(runtimeError(() => fn("MedianInterval")(arg))).toBe(want);
  });

  test("does not reorder the caller's slice", () => {
    const times = at(2000, 0, 1000);
    fn("MedianInterval")(times);
    expect(times.map((t) => t.unixMs - BASE)).toEqual([2000, 0, 1000]);
  });
});

describe("AverageInterval()", () => {
  // upstream TestAverageInterval
  const cases = [
    { what: "two times 1s apart", times: at(0, 1000), want: SECOND },
    { what: "reverse order", times: at(1000, 0), want: SECOND },
    { what: "2s and 4s", times: at(0, 2000, 6000), want: 3 * SECOND },
    { what: "equal gaps", times: at(0, 3600e3, 7200e3, 10800e3), want: HOUR },
    { what: "1s and 2s", times: at(0, 1000, 3000), want: 1500 * MILLISECOND },
    { what: "a truncated mean", times: [new GoTime(BASE, 0, 0), new GoTime(BASE, 0, 1), new GoTime(BASE, 0, 1), new GoTime(BASE, 0, 2)], want: 0 },
  ];
  test.each(cases)("AverageInterval of $what", ({ times, want }) => {
    expect(fn("AverageInterval")(times)).toBe(want);
  });

  test("one time is an error", () => {
    expect(runtimeError(() => fn("AverageInterval")(at(0)))).toBe("need at least two times to calculate an average interval");
  });
});

describe("TimeNow()", () => {
  const cases = [
    { nowMs: Date.UTC(2024, 1, 29, 23, 59, 59, 999), want: "2024-02-29T23:59:59Z" },
    { nowMs: 0, want: "1970-01-01T00:00:00Z" },
  ];
  test.each(cases)("TimeNow at $nowMs is $want", ({ nowMs, want }) => {
    expect(helperFn(TIME_HELPERS, "TimeNow", { now: () => nowMs })()).toBe(want);
  });
});

describe("ParseUnix()", () => {
  // upstream TestParseUnixTime; the result is in the local zone, so compare instants
  const cases = [
    { value: "1672239773.3590894", wantMs: Date.UTC(2022, 11, 28, 15, 2, 53) },
    { value: "1672239773", wantMs: Date.UTC(2022, 11, 28, 15, 2, 53) },
    { value: "+1672239773", wantMs: Date.UTC(2022, 11, 28, 15, 2, 53) },
    { value: "AbcDefG!#", wantMs: undefined },
    { value: "-1000", wantMs: undefined },
    { value: "0", wantMs: undefined },
    { value: "", wantMs: undefined },
    { value: "99999999999999999999", wantMs: undefined }, // beyond int64
  ];
  test.each(cases)("ParseUnix($value)", ({ value, wantMs }) => {
    const out = fn("ParseUnix")(value) as string;
    if (wantMs === undefined) expect(out).toBe("");
    else {
      expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
      expect(Date.parse(out)).toBe(wantMs);
    }
  });
});
