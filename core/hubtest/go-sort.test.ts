import { describe, expect, test } from "bun:test";
import { goSortArray } from "./go-sort";

/** A deterministic pseudo-random sequence, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("goSortArray()", () => {
  const shapes: [string, (n: number, r: () => number) => number[]][] = [
    ["random", (n, r) => Array.from({ length: n }, () => Math.floor(r() * 1000))],
    ["few distinct values", (n, r) => Array.from({ length: n }, () => Math.floor(r() * 3))],
    ["ascending", (n) => Array.from({ length: n }, (_, i) => i)],
    ["descending", (n) => Array.from({ length: n }, (_, i) => n - i)],
    ["organ pipe", (n) => Array.from({ length: n }, (_, i) => Math.min(i, n - i))],
    ["sawtooth", (n) => Array.from({ length: n }, (_, i) => i % 17)],
  ];
  test.each(shapes)("sorts %s input of every size up to 300", (_name, make) => {
    const r = lcg(42);
    for (let n = 0; n <= 300; n += n < 30 ? 1 : 13) {
      const data = make(n, r);
      const want = [...data].sort((a, b) => a - b);
      goSortArray(data, (a, b) => a < b);
      expect(data).toEqual(want);
    }
  });

  test("keeps the order of equal keys up to 12 elements (insertion sort)", () => {
    const data = ["b1", "a1", "b2", "a2", "b3", "c1", "a3"];
    goSortArray(data, (x, y) => x[0]! > y[0]!);
    expect(data).toEqual(["c1", "b1", "b2", "b3", "a1", "a2", "a3"]);
  });

  test("is not stable past 12 elements, like Go's pdqsort", () => {
    const data = Array.from({ length: 40 }, (_, i) => ({ key: i % 2, id: i }));
    goSortArray(data, (a, b) => a.key < b.key);
    expect(data.map((d) => d.key)).toEqual([...Array(20).fill(0), ...Array(20).fill(1)]);
    const zeros = data.filter((d) => d.key === 0).map((d) => d.id);
    expect(zeros).not.toEqual([...zeros].sort((a, b) => a - b));
  });
});
