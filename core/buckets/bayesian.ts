/**
 * bayesian (pkg/leakybucket/bayesian.go): after each pour the posterior is recomputed from the
 * prior, condition by condition, in float32 as upstream; the bucket overflows when it exceeds the
 * threshold. A guillotine condition that was true once stays true for the bucket instance.
 */
import { ExprRuntimeError } from "../expr";
import type { Bucket } from "./bucket";
import type { BucketFactory } from "./factory";

const f32 = Math.fround;

/** Bayes' rule in float32: e·p / (e·p + b·(1-p)). */
export function updateProbability(prior: number, probGivenEvil: number, probGivenBenign: number): number {
  const numerator = f32(probGivenEvil * prior);
  const denominator = f32(numerator + f32(probGivenBenign * f32(1 - prior)));
  return f32(numerator / denominator);
}

/** The posterior after this pour; conditions that fail to run are skipped. */
export function bayesianPosterior(bayes: NonNullable<BucketFactory["bayesian"]>, bucket: Bucket, vars: Readonly<Record<string, unknown>>): number {
  let posterior = bayes.prior;
  const rules = bayes.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.guillotine && bucket.guillotines?.[i] === true) {
      posterior = updateProbability(posterior, rule.probGivenEvil, rule.probGivenBenign);
      continue;
    }
    const v = rule.condition.run(vars);
    if (v instanceof ExprRuntimeError || typeof v !== "boolean") continue;
    if (v) {
      posterior = updateProbability(posterior, rule.probGivenEvil, rule.probGivenBenign);
      (bucket.guillotines ??= new Array<boolean>(rules.length).fill(false))[i] = true;
    } else {
      posterior = updateProbability(posterior, f32(1 - rule.probGivenEvil), f32(1 - rule.probGivenBenign));
    }
  }
  return posterior;
}
