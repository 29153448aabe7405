// The regexes of a `type: regexp` data file and the "does any of them match" question that
// RegexpInFile asks per event (nginx: every user agent against ~600 patterns).

import { compileRe2, type Re2Regex } from "../regex";
import { err, ok, problem, type Problem, type Result } from "../result";
import type { DataLine } from "./lines";

export interface RegexSet {
  readonly size: number;
  /** Whether any regex matches `text` (unanchored, RE2 meaning). */
  anyMatches(text: string): boolean;
}

export interface RegexSetOptions {
  /** Remember this many answers by text (upstream's optional LRU cache); 0 = the default size. */
  readonly cacheSize?: number;
}

/**
 * Answers remembered when the file asks for no cache: the same user agents and paths come back
 * line after line, and an answer depends on the text only.
 */
const DEFAULT_CACHE_SIZE = 1024;

/**
 * Compiles every line; on a bad one, the problem names its line (upstream panics there).
 * When the patterns can be joined into one alternation, that single regex answers instead of
 * the loop: "some (?:r1)|(?:r2)|… matches" is "some ri matches", as each group keeps its own
 * flags in RE2. \Q…\E could run past a group's end, so files using it keep the loop, as do
 * files whose joined form does not compile (repeated group names).
 */
export function compileRegexSet(lines: readonly DataLine[], file: string, opts: RegexSetOptions = {}): Result<RegexSet> {
  const regexes: Re2Regex[] = [];
  for (const l of lines) {
    const r = compileRe2(l.text);
    if (!r.ok) return err(badRegex(r.error, file, l));
    regexes.push(r.value);
  }
  // One alternation of every line, compiled when first asked (it is the costly part of loading).
  const joinable = regexes.length > 1 && !lines.some((l) => l.text.includes("\\Q"));
  const combine = (): Re2Regex | undefined => {
    if (!joinable) return undefined;
    const joined = compileRe2(lines.map((l) => `(?:${l.text})`).join("|"));
    return joined.ok ? joined.value : undefined;
  };
  return ok(new CompiledRegexSet(regexes, combine, opts.cacheSize ?? 0));
}

function badRegex(cause: Problem, file: string, l: DataLine): Problem {
  return problem("data.bad-regexp", `Cannot compile regexp ${JSON.stringify(l.text)}: ${cause.message}`, { file, line: l.line });
}

class CompiledRegexSet implements RegexSet {
  private readonly cache: Map<string, boolean>;
  private readonly cacheSize: number;

  constructor(
    private readonly regexes: readonly Re2Regex[],
    private readonly combine: () => Re2Regex | undefined,
    cacheSize: number,
  ) {
    this.cache = new Map();
    this.cacheSize = cacheSize > 0 ? cacheSize : DEFAULT_CACHE_SIZE;
  }

  /** The joined alternation; null when the lines cannot be joined; undefined until first asked. */
  private combined: Re2Regex | null | undefined;

  get size(): number {
    return this.regexes.length;
  }

  anyMatches(text: string): boolean {
    const cache = this.cache;
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    if (this.combined === undefined) this.combined = this.combine() ?? null;
    const found = this.combined ? this.combined.test(text) : this.loop(text);
    if (cache.size >= this.cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(text, found);
    return found;
  }

  /** The per-regex answer, kept for files that cannot be joined (and to check the joined one). */
  loop(text: string): boolean {
    for (const r of this.regexes) if (r.test(text)) return true;
    return false;
  }
}
