/**
 * overflow_filter (pkg/leakybucket/overflow_filter.go): runs on overflow with `queue`, `signal`
 * (the alert being built) and `leaky`; false discards the overflow before blackhole sees it.
 */
import type { ExprProgram } from "../expr";

/** Only a false result discards; errors and non-bool results keep the overflow. */
export function isOverflowKept(filter: ExprProgram, vars: Readonly<Record<string, unknown>>): boolean {
  return filter.run(vars) !== false;
}
