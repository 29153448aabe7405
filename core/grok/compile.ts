// compileGrok: grok text → a compiled pattern that writes its semantics into a record per line.

import { type Re2Regex, compileRe2 } from "../regex";
import { type Result, err, ok, problem } from "../result";
import type { PatternLibrary } from "./library";
import { regexProblem } from "./problems";

/** A compiled grok pattern. Compile once at load time; match per line. */
export interface GrokPattern {
  /** The grok text it was compiled from. */
  readonly pattern: string;
  /** Semantic names it captures, e.g. ["timestamp", "logsource", "program", "pid", "message"]. */
  readonly semantics: readonly string[];
  /** The expanded RE2 regex (unanchored search, leftmost-first). */
  readonly regex: Re2Regex;
  /**
   * Searches `text`; on a match writes every semantic into `target` ("" for groups that did not
   * take part, overwriting what was there) and returns true. Returns false without writing
   * when nothing matches or the pattern has no semantics (CrowdSec counts both as failure).
   */
  matchInto(text: string, target: Record<string, string>): boolean;
  /** The semantics of the first match as a new record, or null. */
  match(text: string): Record<string, string> | null;
}

class CompiledGrok implements GrokPattern {
  constructor(
    readonly pattern: string,
    readonly regex: Re2Regex,
    readonly semantics: readonly string[],
    private readonly groups: Int32Array,
  ) {}

  matchInto(text: string, target: Record<string, string>): boolean {
    const names = this.semantics;
    if (names.length === 0) return false;
    const m = this.regex.exec(text);
    if (m === null) return false;
    const groups = this.groups;
    for (let i = 0; i < names.length; i++) {
      // An index the group-count heuristic pushed out of range reads as "" (Go would panic).
      target[names[i]] = m[groups[i]] ?? "";
    }
    return true;
  }

  match(text: string): Record<string, string> | null {
    const out: Record<string, string> = {};
    return this.matchInto(text, out) ? out : null;
  }
}

const CACHE_LIMIT = 2048;
const cache = new Map<string, GrokPattern>();

/**
 * Compiles grok text with the names of `lib` (an inline `grok.pattern`; nothing is added to the
 * library). Problems name the unknown pattern or the regex error with its column in `pattern`.
 */
export function compileGrok(pattern: string, lib: PatternLibrary): Result<GrokPattern> {
  if (pattern === "") return err(problem("grok.empty-pattern", "Cannot compile pattern: the pattern is empty"));
  const checked = lib.check(pattern);
  if (!checked.ok) return checked;
  const { refs, expansion } = checked.value;
  const semantics = [...expansion.semantics.keys()];
  const groups = Int32Array.from(expansion.semantics.values());
  // The same text may expand differently in two libraries (pattern_syntax), and the same
  // expansion may carry different semantic names: the key has both.
  const key = `${expansion.source}\u0000${semantics.join(",")}\u0000${groups.join(",")}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return ok(hit);
  const re = compileRe2(expansion.source);
  if (!re.ok) return err(regexProblem(pattern, refs, (n) => lib.expansionOf(n), re.error));
  const compiled = new CompiledGrok(pattern, re.value, semantics, groups);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, compiled);
  return ok(compiled);
}
