import { describe, expect, test } from "bun:test";
import { formatGoFloat } from "./go-float";

// Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints.
const cases = [
  { v: 0, want: "0" },
  { v: 1, want: "1" },
  { v: 14, want: "14" },
  { v: -1.5, want: "-1.5" },
  { v: 0.005, want: "0.005" },
  { v: 0.0001, want: "0.0001" },
  { v: 0.00001, want: "1e-05" },
  { v: 2.0719e-5, want: "2.0719e-05" },
  { v: 100000, want: "100000" },
  { v: 999999, want: "999999" },
  { v: 1000000, want: "1e+06" },
  { v: 1.7668672e7, want: "1.7668672e+07" },
  { v: 123456789, want: "1.23456789e+08" },
  { v: 1e21, want: "1e+21" },
  { v: 1.5e-300, want: "1.5e-300" },
  { v: 0.1 + 0.2, want: "0.30000000000000004" },
  { v: 0.004180090000000001, want: "0.004180090000000001" },
  { v: Infinity, want: "+Inf" },
  { v: -Infinity, want: "-Inf" },
  { v: NaN, want: "NaN" },
] as const;

describe("formatGoFloat()", () => {
  test.each(cases)("$v → $want", ({ v, want }) => {
    expect(formatGoFloat(v)).toBe(want);
  });
});
