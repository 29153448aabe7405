// compileRe2: RE2 source → a matcher with RE2's meaning, on the fastest engine that is safe for it.

import { RE2JS } from "re2js";
import { type Problem, type Result, err, ok, problem } from "../result";
import { BitState } from "./bitstate";
import { emitJs } from "./emit-js";
import { assessBacktracking, first, isAnchoredAtStart, nullable } from "./hazard";
import { requiredLiterals } from "./literals";
import { compileProgram } from "./program";
import { type Node, parseRe2 } from "./syntax";

export interface Re2Options {
  /** Case-insensitive, as if the pattern started with `(?i)`. */
  readonly caseInsensitive?: boolean;
  /**
   * "auto" (default) runs the pattern as a JavaScript RegExp when its backtracking is provably
   * linear, and on the linear-time RE2 port otherwise. "native" and "linear" force one engine
   * (tests and benchmarks); "native" still falls back to linear for what RegExp cannot express.
   */
  readonly engine?: "auto" | "native" | "linear";
}

/** A match: index 0 is the whole match, then one entry per group, undefined when it did not take part. */
export interface Re2Match {
  readonly index: number;
  readonly length: number;
  readonly [group: number]: string | undefined;
}

export type Re2Engine = "native" | "linear";

export interface Re2Regex {
  /** The RE2 source as given. */
  readonly source: string;
  readonly engine: Re2Engine;
  /** Why the linear engine runs this pattern; undefined on the native engine. */
  readonly linearReason: string | undefined;
  /** Number of capture groups, `(?P<name>…)` included. */
  readonly groupCount: number;
  /** Index 0 is the whole match; unnamed groups are undefined. */
  readonly groupNames: readonly (string | undefined)[];
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The leftmost-first match, as RE2 reports it, or null. */
  exec(text: string): Re2Match | null;
}

const CACHE_LIMIT = 4096;
/** Lines at least this long are first checked by the DFA (see LinearRegex.rejects). */
const DFA_MIN_LENGTH = 4096;
const cache = new Map<string, Result<Re2Regex>>();

/** Compiles an RE2 pattern (Go regexp syntax). Results are cached by source and options. */
export function compileRe2(pattern: string, opts: Re2Options = {}): Result<Re2Regex> {
  const key = `${opts.caseInsensitive ? "i" : "-"}${opts.engine ?? "auto"}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = build(pattern, opts);
  if (cache.size >= CACHE_LIMIT) {
    // Patterns built from event data could grow this without bound; drop the oldest entry.
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(key, result);
  return result;
}

function build(pattern: string, opts: Re2Options): Result<Re2Regex> {
  const parsed = parseRe2(pattern, opts.caseInsensitive === true);
  if (!parsed.ok) return err(syntaxProblem(pattern, parsed.error.reason, parsed.error.offset));
  const { root, groupCount, groupNames } = parsed.value;
  const engine = opts.engine ?? "auto";
  let linearReason: string | undefined;
  let jsSource: string | undefined;
  if (engine === "linear") linearReason = "linear engine requested";
  else {
    const js = emitJs(root);
    if (!js.ok) linearReason = js.reason;
    else {
      const verdict = engine === "native" ? ({ native: true } as const) : assessBacktracking(root);
      if (verdict.native) jsSource = js.source;
      else linearReason = verdict.reason;
    }
  }
  if (jsSource !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(jsSource);
    } catch (e) {
      throw new Error(`RE2 translation produced an invalid RegExp /${jsSource}/ for ${JSON.stringify(pattern)}: ${String(e)}`);
    }
    return ok(new NativeRegex(pattern, re, groupCount, groupNames));
  }
  if (!usesUnicodeClass(root)) {
    const prog = compileProgram(root, groupCount);
    const firstSet = nullable(root) ? null : compileProgram({ kind: "class", ranges: first(root), unicodeClass: false }, 0).sets[0];
    const bitstate = new BitState(prog, isAnchoredAtStart(root), firstSet, requiredLiterals(root));
    return ok(new LinearRegex(pattern, bitstate, linearReason ?? "", groupCount, groupNames));
  }
  // Unicode tables (\p{Greek}, folding of non-ASCII letters) are left to the RE2 port.
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(pattern, opts.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    return err(syntaxProblem(pattern, reason, 0));
  }
  return ok(new UnicodeRegex(pattern, re2, linearReason ?? "", groupCount, groupNames));
}

function usesUnicodeClass(node: Node): boolean {
  switch (node.kind) {
    case "class":
      return node.unicodeClass;
    case "capture":
    case "repeat":
      return usesUnicodeClass(node.sub);
    case "concat":
    case "alt":
      return node.subs.some(usesUnicodeClass);
    default:
      return false;
  }
}

class NativeRegex implements Re2Regex {
  readonly engine = "native";
  readonly linearReason = undefined;
  constructor(
    readonly source: string,
    private readonly re: RegExp,
    readonly groupCount: number,
    readonly groupNames: readonly (string | undefined)[],
  ) {}

  test(text: string): boolean {
    return this.re.test(text);
  }

  exec(text: string): Re2Match | null {
    return this.re.exec(text);
  }
}

class LinearRegex implements Re2Regex {
  readonly engine = "linear";
  constructor(
    readonly source: string,
    private readonly bitstate: BitState,
    readonly linearReason: string,
    readonly groupCount: number,
    readonly groupNames: readonly (string | undefined)[],
  ) {}

  private dfa: RE2JS | null | undefined;

  // re2js runs RE2's lazy DFA when no captures are asked for: one pass over the text, however
  // many start positions the pattern allows. On long lines it answers "no match" far faster
  // than the bit-state search, whose cost grows with the number of plausible starts (measured:
  // nginx access grok on a 64 KiB near-miss, 508 ms → under 10 ms). Built on first use (large
  // grok patterns take tens of ms to compile); its state cache is capped by re2js (8 MB).
  private rejects(text: string): boolean {
    // Short lines are cheaper on the bit-state search alone than on both.
    if (text.length < DFA_MIN_LENGTH) return false;
    if (this.dfa === undefined) {
      try {
        this.dfa = RE2JS.compile(this.source);
      } catch {
        this.dfa = null;
      }
    }
    return this.dfa !== null && !this.dfa.test(text);
  }

  test(text: string): boolean {
    if (this.rejects(text)) return false;
    return this.bitstate.search(text, false) !== null;
  }

  exec(text: string): Re2Match | null {
    if (this.rejects(text)) return null;
    const caps = this.bitstate.search(text, true);
    if (caps === null) return null;
    const groups = this.groupCount;
    const m: (string | undefined)[] & { index?: number } = new Array(groups + 1);
    for (let g = 0; g <= groups; g++) {
      const a = caps[2 * g];
      const b = caps[2 * g + 1];
      m[g] = a >= 0 && b >= 0 ? text.slice(a, b) : undefined;
    }
    m.index = caps[0];
    return m as Re2Match;
  }
}

class UnicodeRegex implements Re2Regex {
  readonly engine = "linear";
  constructor(
    readonly source: string,
    private readonly re2: RE2JS,
    readonly linearReason: string,
    readonly groupCount: number,
    readonly groupNames: readonly (string | undefined)[],
  ) {}

  test(text: string): boolean {
    return this.re2.test(text);
  }

  exec(text: string): Re2Match | null {
    // The DFA answers "no match" in one cheap pass; only matches pay for the capture engine.
    if (!this.re2.test(text)) return null;
    return this.re2.exec(text) as Re2Match | null;
  }
}

function syntaxProblem(pattern: string, reason: string, offset: number): Problem {
  const column = [...pattern.slice(0, offset)].length + 1;
  return problem("regex.syntax", `Cannot compile regular expression: ${reason}`, {
    column,
    snippet: `${pattern}\n${" ".repeat(column - 1)}^`,
  });
}
