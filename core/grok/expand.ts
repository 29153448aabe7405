// Grok text → RE2 source and semantic → group index, the way CrowdSec's grokky fork does it.
//
// Each %{NAME} or %{NAME:sem} becomes "(" + expansion of NAME + ")", a capturing wrapper whether
// or not it has a semantic. `sem` maps to that wrapper; semantics declared inside NAME are
// inherited, shifted, unless the outer text uses the same name directly (outer wins); at one
// level the last occurrence wins. Anything that is not exactly %{word} or %{word:word} (a
// Logstash type suffix, a dash in the semantic) stays literal regex text, as upstream.

export interface Expansion {
  /** RE2 source with every reference expanded. */
  readonly source: string;
  /** Capturing groups in `source`. */
  readonly groups: number;
  /** Semantic name → group index in `source`, in first-seen order. */
  readonly semantics: ReadonlyMap<string, number>;
}

export interface Reference {
  readonly name: string;
  readonly semantic: string | undefined;
  /** Offsets of the `%{…}` text in the grok source. */
  readonly from: number;
  readonly to: number;
}

// As grokky's patternRegexp: `%\{(\w+)(:(\w+))?}` (Go \w is ASCII).
const REFERENCE = /%\{(\w+)(?::(\w+))?\}/g;

export function findReferences(grok: string): Reference[] {
  const refs: Reference[] = [];
  REFERENCE.lastIndex = 0;
  for (let m = REFERENCE.exec(grok); m !== null; m = REFERENCE.exec(grok)) {
    refs.push({ name: m[1], semantic: m[2], from: m.index, to: m.index + m[0].length });
  }
  return refs;
}

// grokky counts the groups of the literal text between references with a text heuristic, not
// with the regex parser: "(" minus "(?flags:" minus "flags)" minus "\(". Its second regex has an
// optional "(", so any ")" after one of i, m, s, U, - also counts as a flag group: in
// "(?:request|access) " the "s)" shifts every later semantic down by one. CrowdSec captures
// whatever group that index names, so the same heuristic is reproduced here.
const NON_CAPTURING_OPEN = /\(\?[imsU-]*:/g;
const FLAGS_CLOSE = /\(?[imsU-]+\)/g;

export function heuristicGroupCount(text: string): number {
  let open = 0;
  let escaped = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x28 /* ( */) {
      open++;
      if (i > 0 && text.charCodeAt(i - 1) === 0x5c /* \ */) escaped++;
    }
  }
  return open - countMatches(NON_CAPTURING_OPEN, text) - countMatches(FLAGS_CLOSE, text) - escaped;
}

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/**
 * Capturing groups of a valid RE2 source, counted lexically: `(` not followed by `?`, and
 * `(?P<`/`(?<` named groups; escapes and character classes skipped.
 */
export function countGroups(source: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      if (source[i + 1] === "Q") {
        const end = source.indexOf("\\E", i + 2);
        if (end < 0) break;
        i = end + 1;
      } else i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && source[i + 1] === ":") {
        const end = source.indexOf(":]", i + 2);
        if (end >= 0) i = end + 1;
      } else if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (source[i + 1] === "^") i++;
      if (source[i + 1] === "]") i++;
    } else if (c === "(") {
      if (source[i + 1] !== "?") n++;
      else if (source.startsWith("(?P<", i) || (source.startsWith("(?<", i) && source[i + 3] !== "=" && source[i + 3] !== "!")) n++;
    }
  }
  return n;
}

/**
 * Expands `grok` given the expansions of the names it references. `lookup` returns undefined for
 * an unknown name; the caller has checked names first (see findReferences).
 */
export function expand(grok: string, refs: readonly Reference[], lookup: (name: string) => Expansion): Expansion {
  if (refs.length === 0) {
    // Without references grokky compiles the text as is and records no semantics at all.
    return { source: grok, groups: countGroups(grok), semantics: new Map() };
  }
  const direct = new Set<string>();
  for (const r of refs) if (r.semantic !== undefined) direct.add(r.semantic);
  const semantics = new Map<string, number>();
  let source = "";
  let order = 1;
  let last = 0;
  for (const r of refs) {
    const literal = grok.slice(last, r.from);
    order += heuristicGroupCount(literal);
    const sub = lookup(r.name);
    if (r.semantic !== undefined) semantics.set(r.semantic, order);
    for (const [name, index] of sub.semantics) if (!direct.has(name)) semantics.set(name, order + index);
    source += `${literal}(${sub.source})`;
    order += sub.groups + 1;
    last = r.to;
  }
  source += grok.slice(last);
  return { source, groups: countGroups(source), semantics };
}
