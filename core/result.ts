/** Errors as values: expected failures carry where they happened, and are rendered once at the edge. */

export type Result<T, E = Problem> = { ok: true; value: T } | { ok: false; error: E };

export interface Problem {
  /** Stable identifier, e.g. "grok.unknown-pattern". */
  code: string;
  /** Sentence case, no final period, values in quotes. */
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based, counts characters. */
  column?: number;
  /** YAML path, e.g. "nodes[2].grok.pattern". */
  field?: string;
  hint?: string;
  /** Source excerpt with a caret line, for expression and grok errors. */
  snippet?: string;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = Problem>(error: E): Result<never, E> => ({ ok: false, error });

export function problem(code: string, message: string, extra: Partial<Problem> = {}): Problem {
  return { code, message, ...extra };
}

/** Unwraps a result whose failure would be a bug (tests, constants known to compile). */
export function unwrap<T>(r: Result<T, Problem>): T {
  if (!r.ok) throw new Error(`unwrap on a failed result: ${renderProblem(r.error)}`);
  return r.value;
}

/** `file:line:col field\n  message\n  hint: …` — the one text form of a problem. */
export function renderProblem(p: Problem): string {
  let where = p.file ?? "";
  if (p.file && p.line !== undefined) where += `:${p.line}`;
  if (p.file && p.line !== undefined && p.column !== undefined) where += `:${p.column}`;
  const head = [where, p.field].filter(Boolean).join(" ");
  const lines = head ? [`${head}: ${p.message}`] : [p.message];
  if (p.snippet) lines.push(...p.snippet.split("\n").map((l) => `  ${l}`));
  if (p.hint) lines.push(`  hint: ${p.hint}`);
  return lines.join("\n");
}
