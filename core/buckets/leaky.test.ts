import { describe, expect, test } from "bun:test";
import { GoTime } from "../expr";
import { allowAt, durationSeconds, rateEvery, tokensAt, type LimiterState } from "./leaky";

const T0 = Date.UTC(2026, 1, 12, 14, 0, 0);
const at = (seconds: number) => new GoTime(T0 + seconds * 1000);

describe("allowAt()", () => {
  // capacity 5, leakspeed 10s: BUCKETS.md §6.1's worked examples, pour by pour
  const cases = [
    { name: "six at once: the 6th is refused", times: [0, 1, 2, 3, 4, 5], want: [true, true, true, true, true, false] },
    { name: "a 7 s pause gives back 0.7 token", times: [0, 1, 2, 3, 4, 11, 12], want: [true, true, true, true, true, true, false] },
    { name: "a fresh limiter starts full", times: [100], want: [true] },
    { name: "an older event gets no refill but moves the clock back", times: [10, 5, 15, 15], want: [true, true, true, true] },
  ];
  test.each(cases)("$name", ({ times, want }) => {
    const state: LimiterState = { tokens: 0, limiterLast: null };
    expect(times.map((t) => allowAt(state, at(t), rateEvery(10e9), 5))).toEqual(want);
  });

  test("takes a token whose wait would be under a nanosecond, as Go's truncated Duration does", () => {
    // 1 - 2^-53 tokens: waiting for the rest takes 1.1e-6 ns at 0.1 token/s, truncated to 0
    const state: LimiterState = { tokens: 1 - 2 ** -53, limiterLast: at(0) };
    expect(allowAt(state, at(0), rateEvery(10e9), 5)).toBe(true);
    expect(state.tokens).toBeLessThan(0);
  });

  test("refuses a token a nanosecond away and leaves the state alone", () => {
    const state: LimiterState = { tokens: 1 - 2e-10, limiterLast: at(0) };
    expect(allowAt(state, at(0), rateEvery(10e9), 5)).toBe(false);
    expect(state).toEqual({ tokens: 1 - 2e-10, limiterLast: at(0) });
  });

  test("an unbounded (capacity -1) bucket always accepts", () => {
    const state: LimiterState = { tokens: 0, limiterLast: at(0) };
    expect(allowAt(state, at(0), Infinity, -1)).toBe(true);
  });
});

describe("tokensAt()", () => {
  test("never exceeds the capacity", () => {
    expect(tokensAt({ tokens: 4.5, limiterLast: at(0) }, at(3600), rateEvery(1e9), 5)).toBe(5);
  });
});

describe("durationSeconds()", () => {
  test.each([
    [1e9, 1],
    [1_500_000_000, 1.5],
    [90e9, 90],
    [1, 1e-9],
  ])("%d ns is %d s", (ns, s) => {
    expect(durationSeconds(ns)).toBe(s);
  });
});
