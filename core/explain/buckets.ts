/**
 * What happened in the buckets: per line, each bucket an event was poured into with its level
 * before and after; per scenario and key, why it did or did not overflow ("why not?").
 */
import { createAlertOutput } from "../alerts";
import { createBucketEngine, type CompiledScenario, type PourOutcome } from "../buckets";
import type { Event } from "../event";
import type { Pipeline } from "../pipeline";

export interface BucketPour {
  readonly scenario: string;
  /** The groupby value (the partition), e.g. the source IP. */
  readonly key: string;
  readonly before: number;
  readonly after: number;
  readonly capacity: number;
  /** poured, overflow, duplicate (distinct), canceled, discarded (blackhole/overflow_filter), no-time, error. */
  readonly outcome: string;
}

export interface WhyNotReport {
  readonly scenario: string;
  readonly key: string;
  readonly type: string;
  readonly capacity: number;
  readonly leakspeed: string;
  /** Events that passed the scenario's filter, for this key and for any key. */
  readonly matched: number;
  readonly matchedOtherKeys: number;
  readonly poured: number;
  readonly duplicates: number;
  readonly canceled: number;
  readonly blackholed: number;
  readonly overflowFiltered: number;
  readonly noTime: number;
  readonly errors: number;
  /** Tokens that leaked out between pours. */
  readonly leaked: number;
  readonly maxLevel: number;
  readonly overflows: number;
  readonly verdict: string;
}

function outcomeName(o: PourOutcome): string {
  return o.kind === "discarded" ? `discarded by ${o.by}` : o.kind === "error" ? `error in ${o.stage}: ${o.message}` : o.kind;
}

/** A bucket engine for explain: pours parsed events and reports what each pour did. */
export class ExplainBuckets {
  private pours: BucketPour[] = [];
  private readonly pourInto: (evt: Event) => void;
  private readonly stats = new Map<string, MutableStats>();

  constructor(pipeline: Pipeline, nowMs: number, private readonly watch?: { scenario: string; key: string }) {
    const engine = createBucketEngine(pipeline.scenarios.scenarios, {
      mode: "timemachine",
      now: () => nowMs,
      observer: { onPour: (s, key, before, after, outcome) => this.record(s, key, before, after, outcome) },
    });
    const output = createAlertOutput({ postoverflows: { tree: pipeline.postoverflows.tree, runtime: pipeline.runtime }, pour: (evt) => engine.pour(evt) });
    this.pourInto = (evt) => {
      const overflows = engine.pour(evt);
      if (overflows.length > 0) output.process(overflows);
    };
  }

  /** Pours one parsed event; returns the buckets it went into (scenarios whose filter refused it are left out). */
  pour(evt: Event): BucketPour[] {
    this.pours = [];
    this.pourInto(evt);
    return this.pours;
  }

  private record(s: CompiledScenario, key: string, before: number, after: number, outcome: PourOutcome): void {
    if (outcome.kind === "filtered") return;
    const name = s.config.name;
    this.pours.push({ scenario: name, key, before, after, capacity: s.config.capacity, outcome: outcomeName(outcome) });
    if (!this.watch || this.watch.scenario !== name) return;
    let st = this.stats.get(key);
    if (!st) this.stats.set(key, (st = newStats()));
    st.matched++;
    if (st.lastAfter !== undefined && before < st.lastAfter) st.leaked += st.lastAfter - before;
    st.lastAfter = after;
    st.maxLevel = Math.max(st.maxLevel, after);
    switch (outcome.kind) {
      case "poured":
        st.poured++;
        break;
      case "overflow":
        st.poured++;
        st.overflows++;
        st.lastAfter = 0;
        break;
      case "duplicate":
        st.duplicates++;
        break;
      case "canceled":
        st.canceled++;
        st.lastAfter = 0;
        break;
      case "discarded":
        if (outcome.by === "blackhole") st.blackholed++;
        else st.overflowFiltered++;
        st.lastAfter = 0;
        break;
      case "no-time":
        st.noTime++;
        break;
      case "error":
        st.errors++;
        break;
    }
  }

  /** The "why (not)" report for the watched scenario and key. */
  whyNot(scenarios: readonly CompiledScenario[]): WhyNotReport | undefined {
    if (!this.watch) return undefined;
    const s = scenarios.find((x) => x.config.name === this.watch!.scenario);
    if (!s) return undefined;
    const st = this.stats.get(this.watch.key) ?? newStats();
    let others = 0;
    for (const [k, v] of this.stats) if (k !== this.watch.key) others += v.matched;
    const c = s.config;
    const leakspeed = c.leakspeedNs > 0 ? `${c.leakspeedNs / 1e9}s` : "";
    return {
      scenario: c.name,
      key: this.watch.key,
      type: c.type,
      capacity: c.capacity,
      leakspeed,
      matched: st.matched,
      matchedOtherKeys: others,
      poured: st.poured,
      duplicates: st.duplicates,
      canceled: st.canceled,
      blackholed: st.blackholed,
      overflowFiltered: st.overflowFiltered,
      noTime: st.noTime,
      errors: st.errors,
      leaked: st.leaked,
      maxLevel: st.maxLevel,
      overflows: st.overflows,
      verdict: verdict(c.type, c.capacity, st, others, this.watch.key),
    };
  }
}

interface MutableStats {
  matched: number;
  poured: number;
  duplicates: number;
  canceled: number;
  blackholed: number;
  overflowFiltered: number;
  noTime: number;
  errors: number;
  leaked: number;
  maxLevel: number;
  overflows: number;
  lastAfter: number | undefined;
}

function newStats(): MutableStats {
  return { matched: 0, poured: 0, duplicates: 0, canceled: 0, blackholed: 0, overflowFiltered: 0, noTime: 0, errors: 0, leaked: 0, maxLevel: 0, overflows: 0, lastAfter: undefined };
}

function verdict(type: string, capacity: number, st: MutableStats, others: number, key: string): string {
  if (st.matched === 0) {
    return others > 0
      ? `no event for key "${key}" passed the filter (${others} did for other keys: check the groupby value)`
      : "no event passed the scenario's filter";
  }
  if (st.overflows > 0) {
    const extra = st.blackholed > 0 ? `; ${st.blackholed} more overflows were silenced by blackhole` : "";
    return `overflowed ${st.overflows} time${st.overflows === 1 ? "" : "s"}${extra}`;
  }
  const reasons: string[] = [];
  if (type === "leaky" || type === "conditional") reasons.push(`the level peaked at ${st.maxLevel} of capacity ${capacity}`);
  if (st.leaked > 0) reasons.push(`${st.leaked} leaked out between events`);
  if (st.duplicates > 0) reasons.push(`${st.duplicates} events were dropped as duplicates by distinct`);
  if (st.blackholed > 0) reasons.push(`${st.blackholed} overflows were silenced by blackhole`);
  if (st.overflowFiltered > 0) reasons.push(`${st.overflowFiltered} overflows were dropped by overflow_filter`);
  if (st.canceled > 0) reasons.push(`cancel_on emptied the bucket ${st.canceled} times`);
  if (st.noTime > 0) reasons.push(`${st.noTime} events had no usable time`);
  if (st.errors > 0) reasons.push(`${st.errors} pours failed with an error`);
  return `did not overflow: ${reasons.join("; ") || "the condition was never met"}`;
}
