/**
 * A scenario made ready to pour into (upstream BucketFactory): what its type and options decide
 * is computed once here — limiter rate, queue size, bucket life, processors, alert fields.
 */
import type { AlertScenario } from "../alerts";
import { formatDuration } from "../expr";
import { BlackholeMemory } from "./blackhole";
import type { CompiledScenario } from "./compile";
import { rateEvery } from "./leaky";
import { queueLimit } from "./queue";

export interface BayesianRule {
  readonly condition: CompiledScenario["bayesianConditions"][number]["condition"];
  /** float32, as upstream decodes them. */
  readonly probGivenEvil: number;
  readonly probGivenBenign: number;
  readonly guillotine: boolean;
}

export interface BucketFactory {
  readonly scenario: CompiledScenario;
  /** Position in engine order. */
  readonly index: number;
  /** Key group: scenarios with the same filter and name share buckets. */
  readonly group: number;
  readonly isTrigger: boolean;
  /** conditional: every pour is accepted whatever the tokens. */
  readonly isConditional: boolean;
  /** A `duration` is set: the life timer is not reset by pours, and firing overflows (counter). */
  readonly isTimed: boolean;
  /** Tokens per second; Infinity for capacity -1 (upstream's AlwaysFull limiter). */
  readonly limit: number;
  readonly burst: number;
  readonly queueLimit: number;
  /** Bucket life, ns (BUCKETS.md §10.1). */
  readonly durationNs: number;
  readonly blackhole: BlackholeMemory | null;
  readonly bayesian: { readonly prior: number; readonly threshold: number; readonly rules: readonly BayesianRule[] } | null;
  readonly alert: AlertScenario;
}

/** NewLeakyFromFactory's life rules: leaky (capacity+1)×leakspeed, duration, then conditional/bayesian leakspeed. */
export function bucketLife(type: string, capacity: number, leakspeedNs: number, durationNs: number): number {
  let life = 0;
  if (capacity > 0 && leakspeedNs !== 0) life = (capacity + 1) * leakspeedNs;
  if (durationNs !== 0) life = durationNs;
  if (type === "conditional" || type === "bayesian") life = leakspeedNs;
  return life;
}

export function buildFactory(scenario: CompiledScenario, index: number, group: number, simulated: boolean): BucketFactory {
  const c = scenario.config;
  const threshold = Math.fround(c.bayesianThreshold);
  return {
    scenario,
    index,
    group,
    isTrigger: c.type === "trigger",
    isConditional: c.type === "conditional",
    isTimed: c.durationNs !== 0,
    limit: c.capacity === -1 ? Infinity : rateEvery(c.leakspeedNs),
    burst: c.capacity,
    queueLimit: queueLimit(c.capacity, c.cacheSize),
    durationNs: bucketLife(c.type, c.capacity, c.leakspeedNs, c.durationNs),
    blackhole: c.blackholeNs !== 0 ? new BlackholeMemory(c.blackholeNs) : null,
    // a non-zero bayesian_threshold adds the bayesian processor, whatever the type
    bayesian:
      threshold !== 0
        ? {
            prior: Math.fround(c.bayesianPrior),
            threshold,
            rules: scenario.bayesianConditions.map((b) => ({
              condition: b.condition,
              probGivenEvil: Math.fround(b.probGivenEvil),
              probGivenBenign: Math.fround(b.probGivenBenign),
              guillotine: b.guillotine,
            })),
          }
        : null,
    alert: {
      name: c.name,
      hash: scenario.hash,
      version: scenario.version,
      capacity: c.capacity,
      leakspeed: formatDuration(c.leakspeedNs),
      simulated,
      remediation: c.labels.remediation === true,
      reprocess: c.reprocess,
      scope: { type: c.scope.type, expression: scenario.scopeExpression },
    },
  };
}
