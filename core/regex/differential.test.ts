// Differential test: random RE2 patterns and inputs through every engine of this module, with
// re2js (a port of Go's regexp) as the reference for matches and captures.

import { describe, expect, test } from "bun:test";
import { RE2JS } from "re2js";
import { type Re2Match, compileRe2 } from "./compile";

const ATOMS = ["a", "b", "x", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "\\s", "\\W", "\\b", "\\B", "^", "$", "(?i:A)", "\\.", " ", "-", "(?s:.)"];
const QUANTS = ["*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{0,2}?", "{2,}", "{1,}?"];

/** A small deterministic generator (LCG), so a failure names a reproducible seed. */
function makeRandom(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

function genPattern(rnd: (n: number) => number, depth: number): string {
  switch (rnd(depth > 3 ? 3 : 9)) {
    case 0:
    case 1:
    case 2:
      return ATOMS[rnd(ATOMS.length)];
    case 3:
      return genPattern(rnd, depth + 1) + genPattern(rnd, depth + 1);
    case 4:
      return `(${genPattern(rnd, depth + 1)}|${genPattern(rnd, depth + 1)})`;
    case 5:
      return `(?:${genPattern(rnd, depth + 1)})${QUANTS[rnd(QUANTS.length)]}`;
    case 6:
      return `(${genPattern(rnd, depth + 1)})${QUANTS[rnd(QUANTS.length)]}`;
    case 7:
      // A group that an iteration may skip: JavaScript and RE2 disagree on its value.
      return `(?:(${genPattern(rnd, depth + 1)})|${genPattern(rnd, depth + 1)})${QUANTS[rnd(5)]}`;
    default:
      return ATOMS[rnd(ATOMS.length)] + QUANTS[rnd(QUANTS.length)];
  }
}

function render(m: { index: number; length: number; [g: number]: string | null | undefined } | null): string {
  if (m === null) return "null";
  const parts: (string | null)[] = [];
  for (let g = 0; g < m.length; g++) parts.push(m[g] ?? null);
  return JSON.stringify([m.index, parts]);
}

const ALPHABET = "ab x.-1A\n_é";

describe("compileRe2() agrees with re2js", () => {
  for (const seed of (process.env.RE2_SEEDS ?? "1,2,3,4").split(",").map(Number)) {
    test(`random patterns, seed ${seed}`, () => {
      const rnd = makeRandom(seed);
      const mismatches: string[] = [];
      let compared = 0;
      for (let i = 0; i < 600; i++) {
        const pattern = genPattern(rnd, 0);
        let ref: RE2JS;
        try {
          ref = RE2JS.compile(pattern);
        } catch {
          expect(compileRe2(pattern).ok).toBe(false);
          continue;
        }
        const engines = [compileRe2(pattern), compileRe2(pattern, { engine: "linear" }), compileRe2(pattern, { engine: "linear", dfaMinLength: 0 }), compileRe2(pattern, { engine: "linear", dfaMinLength: 0, spanGateMin: 0 })];
        for (let j = 0; j < 12; j++) {
          let input = "";
          for (let k = rnd(12); k > 0; k--) input += ALPHABET[rnd(ALPHABET.length)];
          const want = render(ref.exec(input) as Re2Match | null);
          for (const r of engines) {
            if (!r.ok) {
              mismatches.push(`${pattern}: ${r.error.message}`);
              continue;
            }
            compared++;
            const got = render(r.value.exec(input));
            if (got !== want) mismatches.push(`${r.value.engine} ${JSON.stringify(pattern)} on ${JSON.stringify(input)}: want ${want}, got ${got}`);
            if (r.value.test(input) !== (want !== "null")) mismatches.push(`${r.value.engine} test() ${JSON.stringify(pattern)} on ${JSON.stringify(input)}`);
          }
        }
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      expect(compared).toBeGreaterThan(5000);
    });
  }
});
