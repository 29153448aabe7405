// compileRe2: RE2 source → a matcher with RE2's meaning, on the fastest engine that is safe for it.

import type { RE2JS } from "re2js";
import { type Problem, type Result, err, ok, problem } from "../result";
import { BitState, GATE_MIN_GIVE_BACK, type SpanGate } from "./bitstate";
import { LazyDfa } from "./dfa";
import { emitJs } from "./emit-js";
import { assessBacktracking, first, isAnchoredAtStart, nullable } from "./hazard";
import { requiredLiterals } from "./literals";
import { type Program, compileProgram } from "./program";
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
  /**
   * Lines at least this long are searched by the linear engine in two steps: the reverse DFA
   * finds where the leftmost match starts, then the bit-state engine runs from there only.
   * Tests set 0 to send every line that way.
   */
  readonly dfaMinLength?: number;
  /**
   * On that two-step path, a greedy span on the pattern's spine that gives back at least this many
   * characters first computes where the rest of the pattern can match (one reverse-DFA pass), and
   * gives back only to those positions. Tests set 0 to use it on short lines.
   */
  readonly spanGateMin?: number;
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
/** Lines at least this long go through the reverse DFA first (see LinearRegex.start). */
const DFA_MIN_LENGTH = 4096;
const cache = new Map<string, Result<Re2Regex>>();

/** Compiles an RE2 pattern (Go regexp syntax). Results are cached by source and options. */
export function compileRe2(pattern: string, opts: Re2Options = {}): Result<Re2Regex> {
  const key = `${opts.caseInsensitive ? "i" : "-"}${opts.engine ?? "auto"}${opts.dfaMinLength ?? ""},${opts.spanGateMin ?? ""}\u0000${pattern}`;
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
    // The program is built on first use: a hub set compiles hundreds of patterns, and a command
    // like explain runs a few of them (syntax errors were reported by the parse above).
    const gateMin = opts.spanGateMin ?? GATE_MIN_GIVE_BACK;
    const makeBitState = (): BitState => {
      const prog = compileProgram(root, groupCount);
      const firstSet = nullable(root) ? null : compileProgram({ kind: "class", ranges: first(root), unicodeClass: false }, 0).sets[0];
      return new BitState(prog, isAnchoredAtStart(root), firstSet, requiredLiterals(root), spanGates(root, prog), gateMin);
    };
    return ok(new LinearRegex(pattern, root, makeBitState, linearReason ?? "", groupCount, groupNames, opts.dfaMinLength ?? DFA_MIN_LENGTH));
  }
  // Unicode tables (\p{Greek}, folding of non-ASCII letters) are left to the RE2 port.
  let re2: RE2JS;
  try {
    const { RE2JS: Re2 } = loadRe2js();
    re2 = Re2.compile(pattern, opts.caseInsensitive ? Re2.CASE_INSENSITIVE : 0);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    return err(syntaxProblem(pattern, reason, 0));
  }
  return ok(new UnicodeRegex(pattern, re2, linearReason ?? "", groupCount, groupNames));
}

/**
 * Gates for the greedy unbounded spans on the pattern's spine (not under an alternation or a
 * repetition), whose continuation is always the rest of the pattern: on a long line such a span
 * (a leading `.*`) would otherwise retry that rest at each position it gives back.
 */
function spanGates(root: Node, prog: Program): SpanGate[] {
  const gates: SpanGate[] = [];
  const walk = (node: Node, after: readonly Node[]): void => {
    switch (node.kind) {
      case "capture":
        walk(node.sub, after);
        return;
      case "concat":
        for (let k = 0; k < node.subs.length; k++) walk(node.subs[k], [...node.subs.slice(k + 1), ...after]);
        return;
      case "repeat": {
        const pc = prog.spanPcs.get(node);
        if (pc === undefined || !node.greedy || node.max >= 0 || after.length === 0) return;
        const tail: Node = { kind: "concat", subs: [...after] };
        gates.push({ pc, tail: () => new LazyDfa(tail) });
        return;
      }
      default:
        return;
    }
  };
  walk(root, []);
  return gates;
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
    private readonly root: Node,
    private readonly makeBitState: () => BitState,
    readonly linearReason: string,
    readonly groupCount: number,
    readonly groupNames: readonly (string | undefined)[],
    private readonly dfaMinLength: number,
  ) {}

  private built: BitState | undefined;

  private get bitstate(): BitState {
    return (this.built ??= this.makeBitState());
  }

  private dfa: LazyDfa | undefined;
  private forward: LazyDfa | undefined;

  // The bit-state search is linear but pays for every plausible start: on a long line its cost is
  // (instructions × length), tens of ms for %{IP} when the address follows a 64 KiB hex-like
  // run. The reverse DFA reads the line once at a small cost per character and says where the
  // leftmost match starts (or that none does); the bit-state engine then runs from there only.
  // Built on first use. Returns -1 when the line has no match, -2 when the DFA was not asked.
  private start(text: string): number {
    if (text.length < this.dfaMinLength) return -2;
    if (!this.bitstate.mayMatch(text)) return -1;
    if (this.dfa === undefined) this.dfa = new LazyDfa(this.root);
    return this.dfa.leftmostStart(text);
  }

  private caps(text: string, wantCaptures: boolean): Int32Array | null {
    const at = this.start(text);
    if (at === -1) return null;
    if (at === -2) return this.bitstate.search(text, wantCaptures);
    // The anchored automaton of the pattern says how far a match from `at` can reach: a
    // %{GREEDYDATA} then stops there instead of scanning (and giving back) the whole line.
    if (this.forward === undefined) this.forward = new LazyDfa(this.root, false);
    const end = this.forward.longestEnd(text, at);
    return this.bitstate.searchAt(text, at, end < at ? text.length : end, wantCaptures);
  }

  test(text: string): boolean {
    const at = this.start(text);
    if (at !== -2) return at >= 0;
    return this.bitstate.search(text, false) !== null;
  }

  exec(text: string): Re2Match | null {
    const caps = this.caps(text, true);
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

/** The RE2 port is loaded on first use: evaluating it costs ~45 ms at start-up, and few patterns need it. */
function loadRe2js(): typeof import("re2js") {
  return require("re2js") as typeof import("re2js");
}

function syntaxProblem(pattern: string, reason: string, offset: number): Problem {
  const column = [...pattern.slice(0, offset)].length + 1;
  return problem("regex.syntax", `Cannot compile regular expression: ${reason}`, {
    column,
    snippet: `${pattern}\n${" ".repeat(column - 1)}^`,
  });
}
