/**
 * The decision-history helpers profiles use (GetDecisionsCount, GetDecisionsSinceCount,
 * GetActiveDecisionsCount, GetActiveDecisionsTimeLeft), answered from decision times the caller
 * fetched before evaluating: expressions are synchronous, the database is not.
 */
// core/db has no front door yet; only the type is imported (the brief allows it)
import type { DecisionTimes } from "../db/types";
import type { HelperDef } from "../expr";
import { parseDurationWithDays } from "./duration";

/** Decision times (created, until) of every decision on a value, in any order. */
export type DecisionHistory = (value: string) => readonly DecisionTimes[];

/**
 * What the helpers read during one evaluation. Bound once into the compiled programs of a
 * profiles set; `evaluate` fills it in before running them and clears it after.
 */
export interface EvaluationState {
  history: DecisionHistory | undefined;
  /** Wall clock of this evaluation, ms since epoch. */
  nowMs: number;
  warnings: string[];
}

export function newEvaluationState(): EvaluationState {
  return { history: undefined, nowMs: 0, warnings: [] };
}

const text = (v: unknown): string => (typeof v === "string" ? v : String(v));

/**
 * The four helpers over `state`. As upstream without a database, a missing history answers 0
 * with an error logged (here: a warning of the evaluation).
 */
export function historyHelpers(state: EvaluationState): readonly HelperDef[] {
  const times = (name: string, value: unknown): readonly DecisionTimes[] | undefined => {
    if (state.history) return state.history(text(value));
    state.warnings.push(`No database config to call ${name}()`);
    return undefined;
  };
  return [
    {
      name: "GetDecisionsCount",
      signatures: ["func(string) int"],
      make: () => (value) => times("GetDecisionsCount", value)?.length ?? 0,
    },
    {
      name: "GetDecisionsSinceCount",
      signatures: ["func(string, string) int"],
      make: () => (value, since) => {
        const list = times("GetDecisionsSinceCount", value);
        if (!list) return 0;
        const d = parseDurationWithDays(text(since));
        if (!d.ok) {
          // as upstream: logged, and the count is 0
          state.warnings.push(`Failed to parse since parameter '${text(since)}' : ${d.message}`);
          return 0;
        }
        const after = state.nowMs - d.ns / 1e6;
        let n = 0;
        for (const t of list) if (t.createdAt.getTime() > after) n++;
        return n;
      },
    },
    {
      name: "GetActiveDecisionsCount",
      signatures: ["func(string) int"],
      make: () => (value) => {
        const list = times("GetActiveDecisionsCount", value);
        if (!list) return 0;
        let n = 0;
        for (const t of list) if (t.until.getTime() > state.nowMs) n++;
        return n;
      },
    },
    {
      name: "GetActiveDecisionsTimeLeft",
      signatures: ["func(string) time.Duration"],
      make: () => (value) => {
        const list = times("GetActiveDecisionsTimeLeft", value);
        if (!list) return 0;
        // the active decision that ends last, as upstream orders by until desc
        let latest = -Infinity;
        for (const t of list) latest = Math.max(latest, t.until.getTime());
        return latest > state.nowMs ? (latest - state.nowMs) * 1e6 : 0;
      },
    },
  ];
}
