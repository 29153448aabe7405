import { describe, expect, test } from "bun:test";
import { formatGoDuration, parseGoDuration } from "./go-duration";

describe("parseGoDuration()", () => {
  test.each([
    ["10s", 10e9],
    ["1m", 60e9],
    ["0.5s", 0.5e9],
    ["1h30m", 5400e9],
    ["500ms", 500e6],
    ["0", 0],
    ["-1m", -60e9],
    ["1.5h", 5400e9],
    ["1d", undefined],
    ["", undefined],
    ["10", undefined],
    ["s", undefined],
    ["10x", undefined],
  ] as const)("%p → %p", (text, want) => {
    expect(parseGoDuration(text)).toBe(want);
  });
});

describe("formatGoDuration()", () => {
  test.each([
    [0, "0s"],
    [600e9, "10m0s"],
    [5400e9, "1h30m0s"],
    [1.5e9, "1.5s"],
    [500e6, "500ms"],
    [-60e9, "-1m0s"],
    [1500, "1.5µs"],
  ] as const)("%p → %p", (ns, want) => {
    expect(formatGoDuration(ns)).toBe(want);
  });
});
