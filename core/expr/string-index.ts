/**
 * "Does this text relate to any string of a set?" answered in one pass over the text, for the
 * predicates that scan a data file per event (`any(File("x"), {evt.Parsed.a contains #})`):
 * `==` (a Set), `startsWith` and `endsWith` (a trie walked from either end) and `contains`
 * (Aho-Corasick), and `inRange`: the text is an address in one of the networks (IpInRange).
 * Every answer is the one the loop over the set gives: JS string semantics (UTF-16 code units,
 * as `includes`, `startsWith`, `endsWith` and `===` compare), core/net's for addresses.
 */
import { isV4Mapped, parseGoCIDR, parseGoIP } from "../net";

export type IndexedOp = "==" | "contains" | "startsWith" | "endsWith" | "inRange";

export interface StringIndex {
  /** True when `op(text, p)` holds for some pattern p of the set. */
  test(text: string): boolean;
}

/** Builds the index of `patterns` for `op`; duplicates and order do not matter. */
export function buildStringIndex(op: IndexedOp, patterns: readonly string[]): StringIndex {
  if (op === "==") return new EqualitySet(patterns);
  if (op === "inRange") return new RangeIndex(patterns);
  // "" is a prefix, suffix and substring of every text
  if (patterns.includes("")) return ALWAYS;
  if (patterns.length === 0) return NEVER;
  switch (op) {
    case "startsWith": return new PrefixTrie(Trie.of(patterns, false), false);
    case "endsWith": return new PrefixTrie(Trie.of(patterns, true), true);
    case "contains": return new SubstringAutomaton(Trie.of(patterns, false));
  }
}

const ALWAYS: StringIndex = { test: () => true };
const NEVER: StringIndex = { test: () => false };

class EqualitySet implements StringIndex {
  private readonly set: ReadonlySet<string>;
  constructor(patterns: readonly string[]) {
    this.set = new Set(patterns);
  }
  test(text: string): boolean {
    return this.set.has(text);
  }
}

const ASCII = 128;

/**
 * A trie in flat arrays. State 0 is the root; the children of a state are a contiguous run of
 * `codes`/`targets` (first-child order), scanned linearly except at the root, which has a
 * dense table for ASCII. `final[s]` marks the end of a pattern.
 */
class Trie {
  private constructor(
    readonly rootAscii: Int32Array,
    readonly childStart: Int32Array,
    readonly childCount: Int32Array,
    readonly codes: Uint16Array,
    readonly targets: Int32Array,
    readonly final: Uint8Array,
  ) {}

  static of(patterns: readonly string[], reversed: boolean): Trie {
    // build with Maps, then flatten (load time only)
    const children: Map<number, number>[] = [new Map()];
    const finals: boolean[] = [false];
    for (const p of patterns) {
      let s = 0;
      for (let k = 0; k < p.length; k++) {
        const c = p.charCodeAt(reversed ? p.length - 1 - k : k);
        let next = children[s]!.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          finals.push(false);
          children[s]!.set(c, next);
        }
        s = next;
      }
      finals[s] = true;
    }
    const n = children.length;
    const childStart = new Int32Array(n);
    const childCount = new Int32Array(n);
    let edges = 0;
    for (let s = 0; s < n; s++) edges += children[s]!.size;
    const codes = new Uint16Array(edges);
    const targets = new Int32Array(edges);
    let at = 0;
    for (let s = 0; s < n; s++) {
      childStart[s] = at;
      childCount[s] = children[s]!.size;
      for (const [c, t] of children[s]!) {
        codes[at] = c;
        targets[at] = t;
        at++;
      }
    }
    const rootAscii = new Int32Array(ASCII).fill(-1);
    for (const [c, t] of children[0]!) if (c < ASCII) rootAscii[c] = t;
    return new Trie(rootAscii, childStart, childCount, codes, targets, Uint8Array.from(finals, (f) => (f ? 1 : 0)));
  }

  get size(): number {
    return this.childStart.length;
  }

  /** The child of `s` by code unit `c`, or -1. */
  step(s: number, c: number): number {
    if (s === 0 && c < ASCII) return this.rootAscii[c]!;
    const from = this.childStart[s]!;
    const to = from + this.childCount[s]!;
    for (let i = from; i < to; i++) if (this.codes[i] === c) return this.targets[i]!;
    return -1;
  }
}

class PrefixTrie implements StringIndex {
  constructor(
    private readonly trie: Trie,
    private readonly fromEnd: boolean,
  ) {}

  test(text: string): boolean {
    const t = this.trie;
    const n = text.length;
    let s = 0;
    for (let k = 0; k < n; k++) {
      s = t.step(s, text.charCodeAt(this.fromEnd ? n - 1 - k : k));
      if (s < 0) return false;
      if (t.final[s] === 1) return true;
    }
    return false;
  }
}

/** Aho-Corasick over the trie: failure links, and `hit[s]` when some pattern ends at or below s's suffixes. */
class SubstringAutomaton implements StringIndex {
  private readonly fail: Int32Array;
  private readonly hit: Uint8Array;

  constructor(private readonly trie: Trie) {
    const n = trie.size;
    const fail = new Int32Array(n);
    const hit = Uint8Array.from(trie.final);
    // breadth-first: a state's failure link is set before its children's
    const queue = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (let i = trie.childStart[0]!, end = i + trie.childCount[0]!; i < end; i++) {
      const child = trie.targets[i]!;
      fail[child] = 0;
      queue[tail++] = child;
    }
    while (head < tail) {
      const s = queue[head++]!;
      for (let i = trie.childStart[s]!, end = i + trie.childCount[s]!; i < end; i++) {
        const c = trie.codes[i]!;
        const child = trie.targets[i]!;
        let f = fail[s]!;
        let next = trie.step(f, c);
        while (next < 0 && f !== 0) {
          f = fail[f]!;
          next = trie.step(f, c);
        }
        fail[child] = next < 0 ? 0 : next;
        if (hit[fail[child]!] === 1) hit[child] = 1;
        queue[tail++] = child;
      }
    }
    this.fail = fail;
    this.hit = hit;
  }

  test(text: string): boolean {
    const t = this.trie;
    const fail = this.fail;
    const hit = this.hit;
    let s = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      let next = t.step(s, c);
      while (next < 0 && s !== 0) {
        s = fail[s]!;
        next = t.step(s, c);
      }
      s = next < 0 ? 0 : next;
      if (hit[s] === 1) return true;
    }
    return false;
  }
}

/**
 * Networks grouped by mask: an address is in one of them when, for some mask, its masked bytes
 * are those of a network of that group (goCIDRContains compares exactly these). IPv4 networks
 * (4 bytes) take the last 4 bytes of a v4-mapped address, IPv6 ones (16) the others.
 */
class RangeIndex implements StringIndex {
  private readonly groups: { readonly mask: Uint8Array; readonly keys: Set<string> }[] = [];

  constructor(ranges: readonly string[]) {
    const byMask = new Map<string, { mask: Uint8Array; keys: Set<string> }>();
    for (const r of ranges) {
      const net = parseGoCIDR(r);
      if (!net) continue; // IpInRange answers false for a range that does not parse
      const maskKey = Array.from(net.mask).join(".");
      let g = byMask.get(maskKey);
      if (!g) byMask.set(maskKey, (g = { mask: net.mask, keys: new Set() }));
      g.keys.add(maskedKey(net.ip, 0, net.mask));
    }
    this.groups = [...byMask.values()];
  }

  test(text: string): boolean {
    const addr = parseGoIP(text);
    if (!addr) return false;
    const from = isV4Mapped(addr) ? 12 : 0;
    const len = addr.length - from;
    for (const g of this.groups) {
      if (g.mask.length !== len) continue;
      if (g.keys.has(maskedKey(addr, from, g.mask))) return true;
    }
    return false;
  }
}

function maskedKey(bytes: Uint8Array, from: number, mask: Uint8Array): string {
  let key = "";
  for (let i = 0; i < mask.length; i++) key += String.fromCharCode(bytes[from + i]! & mask[i]!);
  return key;
}
