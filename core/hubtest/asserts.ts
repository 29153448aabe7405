/**
 * Hubtest assertion lines (parser.assert, scenario.assert): one expression per line, evaluated
 * against `results` with every helper plus `basename` (pkg/hubtest/parser_assert.go).
 */
import { compileExpr, type ExprProgram } from "../expr";
import type { HelperDef } from "../expr/functions/types";
import { PARSER_ASSERT_ENV, SCENARIO_ASSERT_ENV } from "../event";
import type { Problem, Result } from "../result";

export type AssertKind = "parser" | "scenario";

export type CompiledAssertLine =
  | { readonly ok: true; readonly line: number; readonly source: string; readonly program: ExprProgram }
  | { readonly ok: false; readonly line: number; readonly source: string; readonly error: Problem };

/** `basename(path)`: the file name part, added by hubtest for datasource_path assertions. */
export const BASENAME: HelperDef = {
  name: "basename",
  signatures: ["func(string) string"],
  make: () => (path) => {
    const s = String(path);
    const trimmed = s.replace(/\/+$/, "");
    if (trimmed === "") return s === "" ? "." : "/";
    return trimmed.slice(trimmed.lastIndexOf("/") + 1);
  },
};

/** One array, so the compiler's per-function-set cache is hit (it is keyed by identity). */
const ASSERT_FUNCTIONS: readonly HelperDef[] = [BASENAME];

/**
 * Older assert files compare datasource_path with a full path; upstream rewrites such lines to
 * compare `basename(<left side>)` instead (pkg/hubtest/parser_assert.go).
 */
export function applyDatasourcePathShim(line: string): string {
  if (!line.includes("datasource_path") || line.includes("basename(")) return line;
  const idx = line.indexOf(" == ");
  if (idx < 0) return line;
  return `basename(${line.slice(0, idx)}) == ${line.slice(idx + 4)}`;
}

/** Compiles one assertion (or, with expect "any", the left side of one, to show its value). */
export function compileAssertion(source: string, kind: AssertKind, expect: "bool" | "any" = "bool"): Result<ExprProgram> {
  const env = kind === "parser" ? PARSER_ASSERT_ENV : SCENARIO_ASSERT_ENV;
  return compileExpr(applyDatasourcePathShim(source), { env, expect, functions: ASSERT_FUNCTIONS });
}

/** Compiles every non-empty line; each entry carries its 1-based line number. */
export function compileAssertFile(text: string, kind: AssertKind): CompiledAssertLine[] {
  const out: CompiledAssertLine[] = [];
  text.split("\n").forEach((raw, i) => {
    const source = raw.replace(/\r$/, "");
    if (source.trim() === "") return;
    const r = compileAssertion(source, kind);
    out.push(r.ok ? { ok: true, line: i + 1, source, program: r.value } : { ok: false, line: i + 1, source, error: r.error });
  });
  return out;
}
