import { describe, expect, test } from "bun:test";
import type { DecisionTimes } from "../db/types";
import { compileExpr, ExprRuntimeError } from "../expr";
import { unwrap } from "../result";
import { PROFILE_ENV } from "./alert-env";
import { historyHelpers, newEvaluationState } from "./history";

const NOW = Date.UTC(2026, 1, 12, 14, 0, 0);
const HOUR = 3600_000;

// created 30m, 3h and 2d ago; the first two still active (until in 1h and 30m), the last expired
const times: DecisionTimes[] = [
  { createdAt: new Date(NOW - HOUR / 2), until: new Date(NOW + HOUR) },
  { createdAt: new Date(NOW - 3 * HOUR), until: new Date(NOW + HOUR / 2) },
  { createdAt: new Date(NOW - 48 * HOUR), until: new Date(NOW - 44 * HOUR) },
];

const cases = [
  { expr: "GetDecisionsCount('1.2.3.4')", want: 3 },
  { expr: "GetDecisionsCount('5.6.7.8')", want: 0 },
  { expr: "GetDecisionsSinceCount('1.2.3.4', '1h')", want: 1 },
  { expr: "GetDecisionsSinceCount('1.2.3.4', '4h')", want: 2 },
  { expr: "GetDecisionsSinceCount('1.2.3.4', '3d')", want: 3 },
  { expr: "GetActiveDecisionsCount('1.2.3.4')", want: 2 },
  { expr: "GetActiveDecisionsTimeLeft('1.2.3.4')", want: HOUR * 1e6 },
  { expr: "GetActiveDecisionsTimeLeft('5.6.7.8')", want: 0 },
  { expr: "GetActiveDecisionsTimeLeft('1.2.3.4') > duration('59m')", want: true },
] as const;

describe("historyHelpers()", () => {
  const state = newEvaluationState();
  const functions = historyHelpers(state);

  const run = (expr: string): unknown => {
    const program = unwrap(compileExpr(expr, { env: PROFILE_ENV, functions }));
    const v = program.run({ Alert: null });
    return v instanceof ExprRuntimeError ? v.message : v;
  };

  test.each(cases)("$expr is $want", ({ expr, want }) => {
    state.history = (value) => (value === "1.2.3.4" ? times : []);
    state.nowMs = NOW;
    state.warnings = [];
    expect([run(expr), state.warnings]).toEqual([want, []]);
  });

  test("without history every helper answers 0 and warns, as upstream without a database", () => {
    state.history = undefined;
    state.warnings = [];
    const got = ["GetDecisionsCount('x')", "GetDecisionsSinceCount('x', '1h')", "GetActiveDecisionsCount('x')", "GetActiveDecisionsTimeLeft('x')"].map(run);
    expect([got, state.warnings]).toEqual([
      [0, 0, 0, 0],
      ["GetDecisionsCount", "GetDecisionsSinceCount", "GetActiveDecisionsCount", "GetActiveDecisionsTimeLeft"].map((n) => `No database config to call ${n}()`),
    ]);
  });
});
