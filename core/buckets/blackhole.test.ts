import { describe, expect, test } from "bun:test";
import { GoTime } from "../expr";
import { BlackholeMemory } from "./blackhole";

const T0 = Date.UTC(2026, 1, 12, 14, 0, 0);

describe("BlackholeMemory.admit()", () => {
  const cases = [
    { name: "hides a key for the duration", overflows: [["k", 0], ["k", 59]], want: [true, false] },
    { name: "admits again once the period ended (expiration not after the overflow)", overflows: [["k", 0], ["k", 60]], want: [true, true] },
    { name: "a discarded overflow does not extend the period", overflows: [["k", 0], ["k", 50], ["k", 61]], want: [true, false, true] },
    { name: "keys are independent", overflows: [["a", 0], ["b", 1], ["a", 2]], want: [true, true, false] },
  ] as const;
  test.each(cases)("$name", ({ overflows, want }) => {
    const memory = new BlackholeMemory(60e9);
    expect(overflows.map(([k, s]) => memory.admit(k, new GoTime(T0 + s * 1000)))).toEqual([...want]);
  });

  test("forgets expired keys when a later overflow comes", () => {
    const memory = new BlackholeMemory(60e9);
    for (let i = 0; i < 100; i++) memory.admit(`k${i}`, new GoTime(T0));
    memory.admit("late", new GoTime(T0 + 120_000));
    expect([...memory.hidden.keys()]).toEqual(["late"]);
  });
});
