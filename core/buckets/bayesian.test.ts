import { describe, expect, test } from "bun:test";
import { updateProbability } from "./bayesian";

const f32 = Math.fround;

describe("updateProbability()", () => {
  test.each([
    { prior: 0.1, evil: 0.9, benign: 0.1, want: 0.5 },
    { prior: 0.5, evil: 0.9, benign: 0.1, want: f32(0.9) },
    { prior: 0.5, evil: 0.1, benign: 0.9, want: f32(0.1) },
    { prior: 0.2, evil: 0.5, benign: 0.5, want: f32(0.2) },
  ])("prior $prior, evil $evil, benign $benign", ({ prior, evil, benign, want }) => {
    expect(updateProbability(f32(prior), f32(evil), f32(benign))).toBe(want);
  });

  test("computes in float32, as upstream's float32 fields do", () => {
    const p = updateProbability(f32(0.3), f32(0.7), f32(0.2));
    expect(p).toBe(f32(p));
    expect(p).not.toBe((0.7 * 0.3) / (0.7 * 0.3 + 0.2 * 0.7));
  });
});
