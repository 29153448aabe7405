/**
 * cancel_on (pkg/leakybucket/cancel.go): evaluated before the pour of each event that survived
 * distinct; true kills the bucket instance without an overflow, and the event is not poured.
 */
import type { ExprProgram } from "../expr";

/** Only a true result cancels; errors and non-bool results are ignored, as upstream only warns. */
export function shouldCancel(cancelOn: ExprProgram, vars: Readonly<Record<string, unknown>>): boolean {
  return cancelOn.run(vars) === true;
}
