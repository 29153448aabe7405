// The pattern host: named grok patterns, each checked when added, so a pattern may only use
// names defined before it (grokky's Host). Shared by every parser of one tree, as in CrowdSec.

import { compileRe2 } from "../regex";
import { type Result, err, ok, problem } from "../result";
import { type Expansion, type Reference, expand, findReferences } from "./expand";
import { type GrokPattern, compileGrok } from "./compile";
import { regexProblem } from "./problems";
import { BASE_PATTERNS } from "./patterns/base";
import { STANDARD_PATTERNS } from "./patterns/standard";

export type AddOutcome = "added" | "ignored-duplicate";

export interface LibraryOptions {
  /**
   * Include the standard pattern files CrowdSec installs in /etc/crowdsec/patterns (default
   * true). Set false to start from grokky's base set only, before loading a pattern directory.
   */
  readonly standardFiles?: boolean;
}

// Built-in definitions never change, so their expansions are shared by all libraries.
const builtinExpansions = new Map<string, Expansion>();
const BASE_MAP = new Map(BASE_PATTERNS);
const STANDARD_MAP = new Map(STANDARD_PATTERNS);

export class PatternLibrary {
  private readonly defs = new Map<string, string>();
  private readonly builtin: ReadonlyMap<string, string>;
  private readonly expansions = new Map<string, Expansion>();

  constructor(opts: LibraryOptions = {}) {
    this.builtin = opts.standardFiles === false ? BASE_MAP : new Map([...BASE_MAP, ...STANDARD_MAP]);
  }

  /** Whether `name` is defined (built in or added). */
  has(name: string): boolean {
    return this.defs.has(name) || this.builtin.has(name);
  }

  /** The grok text defining `name`. */
  definition(name: string): string | undefined {
    return this.defs.get(name) ?? this.builtin.get(name);
  }

  /** Every defined name, built-in ones first, then in the order they were added. */
  names(): string[] {
    return [...this.builtin.keys(), ...this.defs.keys()];
  }

  /**
   * Defines `name` (a `pattern_syntax` entry, a pattern file line). The pattern must compile
   * with the names defined so far. A name that exists already keeps its first definition:
   * the result is "ignored-duplicate" (CrowdSec logs a warning and goes on).
   */
  add(name: string, pattern: string): Result<AddOutcome> {
    if (name === "") return err(problem("grok.empty-name", "Cannot add pattern: the name is empty"));
    if (this.has(name)) return ok("ignored-duplicate");
    if (pattern === "") return err(problem("grok.empty-pattern", `Cannot add pattern "${name}": the pattern is empty`));
    const checked = this.check(pattern);
    if (!checked.ok) return checked;
    const re = compileRe2(checked.value.expansion.source);
    if (!re.ok) return err(regexProblem(pattern, checked.value.refs, (n) => this.expansionOf(n), re.error));
    this.defs.set(name, pattern);
    return ok("added");
  }

  /** Compiles the pattern defined as `name` (`grok.name` in a parser node). */
  compileNamed(name: string): Result<GrokPattern> {
    const text = this.definition(name);
    if (text === undefined) {
      const nearest = this.nearestName(name);
      return err(
        problem("grok.unknown-pattern", `Cannot compile pattern: unknown name "${name}"`, nearest ? { hint: `did you mean "${nearest}"?` } : {}),
      );
    }
    return compileGrok(text, this);
  }

  /**
   * Resolves the references of `grok` against this library, or the problem with the first
   * unknown name (with its column and a nearby known name as hint).
   */
  check(grok: string): Result<{ refs: Reference[]; expansion: Expansion }> {
    const refs = findReferences(grok);
    for (const r of refs) {
      if (!this.has(r.name)) return err(unknownName(grok, r, this.nearestName(r.name)));
    }
    return ok({ refs, expansion: expand(grok, refs, (n) => this.expansionOf(n)) });
  }

  /** The expansion of a defined name (cached; definitions never change once added). */
  expansionOf(name: string): Expansion {
    const isBuiltin = !this.defs.has(name);
    const cache = isBuiltin ? builtinExpansions : this.expansions;
    const hit = cache.get(name);
    if (hit) return hit;
    const text = this.definition(name);
    if (text === undefined) throw new Error(`expansionOf("${name}"): the name was checked to exist`);
    const refs = findReferences(text);
    const e = expand(text, refs, (n) => this.expansionOf(n));
    cache.set(name, e);
    return e;
  }

  private nearestName(name: string): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
    for (const candidate of this.names()) {
      const d = editDistance(name.toUpperCase(), candidate.toUpperCase(), bestDistance + 1);
      // Ties go to the alphabetically first name, so the hint does not depend on load order.
      if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
}

function unknownName(grok: string, r: Reference, nearest: string | undefined) {
  const column = [...grok.slice(0, r.from)].length + 1;
  return problem("grok.unknown-pattern", `Cannot compile pattern: unknown name "${r.name}"`, {
    column,
    snippet: `${grok}\n${" ".repeat(column - 1)}^`,
    ...(nearest ? { hint: `did you mean "${nearest}"?` } : {}),
  });
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length];
}
