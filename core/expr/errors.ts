/**
 * Errors of the expression language: compile errors become Problems pointing into the
 * expression source; run-time errors are ExprRuntimeError values returned by `run`.
 */
import { problem, type Problem } from "../result";

/** Where an error points inside an expression: UTF-16 offsets into the source. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** 1-based line and column (column counts code points, as upstream counts runes). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let column = 1;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10) {
      line++;
      column = 1;
    } else if (c < 0xdc00 || c > 0xdfff) {
      column++; // a low surrogate continues the previous code point
    }
  }
  return { line, column };
}

/** The line holding `offset`, then a caret under it, as upstream file/error.go draws it. */
export function caretSnippet(source: string, offset: number): string {
  const at = Math.min(offset, source.length);
  const start = source.lastIndexOf("\n", at - 1) + 1;
  let end = source.indexOf("\n", start);
  if (end < 0) end = source.length;
  if (start === end) return "";
  const text = source.slice(start, end).replace(/\t/g, " ");
  const { column } = positionAt(source, at);
  return `| ${text}\n| ${".".repeat(column - 1)}^`;
}

/** A compile error with its place: `message (line:col)` plus a caret snippet. */
export function sourceProblem(code: string, message: string, source: string, at: number): Problem {
  const { line, column } = positionAt(source, at);
  const snippet = caretSnippet(source, at);
  return problem(code, `${message} (${line}:${column})`, snippet ? { line, column, snippet } : { line, column });
}

/**
 * A run-time failure of an expression (nil access, bad index, helper error…). `run` returns it
 * instead of throwing, so callers test `instanceof ExprRuntimeError` per event without try/catch.
 * Helpers may throw it too. Deliberately not an Error subclass: capturing a stack per failing
 * event is measurable when a filter fails on most lines.
 */
export class ExprRuntimeError {
  readonly name = "ExprRuntimeError";
  /** The bare message, e.g. "cannot fetch b from <nil>". */
  readonly message: string;
  /** UTF-16 offset into `source` of the failing operation, when known. */
  at: number | undefined;
  /** The expression text, set when the error leaves a program. */
  source: string | undefined;
  /** A foreign exception (a helper bug, an engine TypeError) this error stands for. */
  cause: unknown;

  constructor(message: string, at?: number, cause?: unknown) {
    this.message = message;
    this.at = at;
    this.source = undefined;
    this.cause = cause;
  }

  /** 1-based position in the expression, when known. */
  get position(): SourcePosition | undefined {
    if (this.at === undefined || this.source === undefined) return undefined;
    return positionAt(this.source, this.at);
  }

  /** `message (line:col)` and the caret snippet, or the bare message when the place is unknown. */
  toString(): string {
    const pos = this.position;
    if (!pos || this.source === undefined) return this.message;
    const snippet = caretSnippet(this.source, this.at ?? 0);
    return snippet ? `${this.message} (${pos.line}:${pos.column})\n${snippet}` : `${this.message} (${pos.line}:${pos.column})`;
  }
}

/** Throws a run-time error; the one way closures fail. */
export function fail(message: string, at?: number): never {
  throw new ExprRuntimeError(message, at);
}

/** Normalises anything thrown while running (helper bugs included) into an ExprRuntimeError. */
export function toRuntimeError(e: unknown, source: string): ExprRuntimeError {
  let out: ExprRuntimeError;
  if (e instanceof ExprRuntimeError) out = e;
  else if (e instanceof RangeError && /call stack/i.test(e.message)) out = new ExprRuntimeError("maximum recursion depth exceeded", undefined, e);
  else if (e instanceof Error) out = new ExprRuntimeError(e.message, undefined, e);
  else out = new ExprRuntimeError(String(e), undefined, e);
  out.source = source;
  return out;
}
