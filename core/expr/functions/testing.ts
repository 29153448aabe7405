/** Test support: call a helper as the compiler would, through def.make(ctx). */
import { ExprRuntimeError } from "../errors";
import type { HelperContext, HelperDef } from "./types";

export function helperFn(defs: readonly HelperDef[], name: string, ctx: HelperContext = {}): (...args: unknown[]) => unknown {
  const def = defs.find((d) => d.name === name);
  if (!def) throw new Error(`no helper named ${name}`);
  return def.make(ctx);
}

/** The message of the ExprRuntimeError `run` throws, or a marker when it returns normally. */
export function runtimeError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof ExprRuntimeError) return e.message;
    throw e;
  }
  return "(no error)";
}
