/**
 * condition (pkg/leakybucket/conditional.go): after each pour, `condition` runs with the event
 * just poured, the bucket's queue and the bucket itself; true overflows the bucket now, at
 * Last_ts. Errors and non-bool results are logged upstream and count as false.
 */
import type { ExprProgram } from "../expr";

export function isConditionMet(condition: ExprProgram, vars: Readonly<Record<string, unknown>>): boolean {
  return condition.run(vars) === true;
}
