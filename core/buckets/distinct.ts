/**
 * distinct (pkg/leakybucket/uniq.go): an event whose distinct value this bucket instance has
 * already seen is swallowed before the pour — not counted, no token taken, no timer refresh.
 */
import { ExprRuntimeError, type ExprProgram } from "../expr";
import type { Bucket } from "./bucket";

/** True when the event must be swallowed. A runtime error lets the event through unremembered; a non-string value counts as "". */
export function isDuplicate(bucket: Bucket, distinct: ExprProgram, vars: Readonly<Record<string, unknown>>): boolean {
  const v = distinct.run(vars);
  if (v instanceof ExprRuntimeError) return false;
  const key = typeof v === "string" ? v : "";
  const seen = (bucket.seen ??= new Set<string>());
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}
