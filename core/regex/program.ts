// Syntax tree → instruction program, shaped the way Go's regexp/syntax compiles (after Simplify):
// the same alternation order, the same loop shapes for greedy and lazy repetition, counted
// repetition unrolled to `xx(x(x)?)?`, and nullable `x*` compiled as `(x+)?`. The backtracker
// that runs it therefore explores paths in RE2's priority order and reports RE2's captures.
//
// One addition: a repetition of a single character set becomes one SPAN instruction (a scan
// loop) instead of an Alt/Rune pair per character; bitstate.ts keeps RE2's visited-state rules
// for it, so results are unchanged and the work stays linear.

import type { Ranges } from "./charset";
import type { AssertKind, Node } from "./syntax";

export const OP_MATCH = 0;
export const OP_CHAR = 1; // arg = code point
export const OP_SET = 2; // arg = set index
export const OP_ANY_NOT_NL = 3;
export const OP_ANY = 4;
export const OP_ALT = 5; // out = preferred, arg = other
export const OP_CAPTURE = 6; // arg = slot
export const OP_EMPTY = 7; // arg = EMPTY_* flags that must all hold
export const OP_NOP = 8;
export const OP_SPAN = 9; // arg = span index
export const OP_FAIL = 10;

export const EMPTY_BEGIN_LINE = 1;
export const EMPTY_END_LINE = 2;
export const EMPTY_BEGIN_TEXT = 4;
export const EMPTY_END_TEXT = 8;
export const EMPTY_WORD_BOUNDARY = 16;
export const EMPTY_NOT_WORD_BOUNDARY = 32;

/** A character set with a bitmap for code points below 128. */
export interface CharSet {
  readonly ascii: Uint8Array;
  /** Ranges at or above 128, for binary search. */
  readonly high: Int32Array;
}

/** A repetition of one character: `set` is -1 for a single code point `cp`. */
export interface Span {
  readonly set: number;
  readonly cp: number;
  /** -2: any char but \n, -3: any char. */
  readonly min: number;
  /** -1 for unbounded. */
  readonly max: number;
  readonly greedy: boolean;
}

export interface Program {
  readonly op: Uint8Array;
  readonly out: Int32Array;
  readonly arg: Int32Array;
  readonly sets: readonly CharSet[];
  readonly spans: readonly Span[];
  readonly start: number;
  /** Capture slots: 2 × (groups + 1). */
  readonly slots: number;
  /** For each instruction, its row in the visited bitmap, or -1 when it needs none. */
  readonly visitRow: Int32Array;
  readonly visitRows: number;
  /**
   * What each instruction can start with, for one-character lookahead at Alt: 4 words of ASCII
   * bits, then a flag word (1: may start with a non-ASCII character, 2: may match empty).
   */
  readonly firsts: Uint32Array;
  /** The Span instruction each repetition node compiled to (nodes of the tree given). */
  readonly spanPcs: ReadonlyMap<Node, number>;
}

export const FIRST_STRIDE = 5;
export const FIRST_HIGH = 1;
export const FIRST_EMPTY = 2;

const SPAN_ANY_NOT_NL = -2;
const SPAN_ANY = -3;
export { SPAN_ANY, SPAN_ANY_NOT_NL };

interface Frag {
  start: number;
  /** Holes to patch: instruction index × 2, +1 when the hole is `arg` rather than `out`. */
  holes: number[];
  nullable: boolean;
}

class Builder {
  op: number[] = [];
  out: number[] = [];
  arg: number[] = [];
  sets: CharSet[] = [];
  setKeys = new Map<string, number>();
  spans: Span[] = [];
  spanPcs = new Map<Node, number>();

  constructor(private readonly useSpans: boolean) {}

  inst(op: number, arg = 0): number {
    this.op.push(op);
    this.out.push(-1);
    this.arg.push(arg);
    return this.op.length - 1;
  }

  patch(holes: number[], target: number): void {
    for (const h of holes) {
      if (h & 1) this.arg[h >> 1] = target;
      else this.out[h >> 1] = target;
    }
  }

  set(ranges: Ranges): number {
    const key = ranges.join(",");
    const hit = this.setKeys.get(key);
    if (hit !== undefined) return hit;
    const ascii = new Uint8Array(128);
    const high: number[] = [];
    for (let i = 0; i < ranges.length; i += 2) {
      const lo = ranges[i];
      const hi = ranges[i + 1];
      for (let c = lo; c <= Math.min(hi, 127); c++) ascii[c] = 1;
      if (hi >= 128) high.push(Math.max(lo, 128), hi);
    }
    this.sets.push({ ascii, high: Int32Array.from(high) });
    this.setKeys.set(key, this.sets.length - 1);
    return this.sets.length - 1;
  }

  /** A single-character matcher, or null when `node` is not one. */
  charOf(node: Node): { set: number; cp: number } | null {
    switch (node.kind) {
      case "literal":
        return { set: -1, cp: node.cp };
      case "class":
        return { set: this.set(node.ranges), cp: 0 };
      case "any":
        return { set: node.newline ? SPAN_ANY : SPAN_ANY_NOT_NL, cp: 0 };
      default:
        return null;
    }
  }

  compile(node: Node): Frag {
    switch (node.kind) {
      case "empty":
        return this.nop(true);
      case "literal": {
        const i = this.inst(OP_CHAR, node.cp);
        return { start: i, holes: [i << 1], nullable: false };
      }
      case "class": {
        const i = this.inst(OP_SET, this.set(node.ranges));
        return { start: i, holes: [i << 1], nullable: false };
      }
      case "any": {
        const i = this.inst(node.newline ? OP_ANY : OP_ANY_NOT_NL);
        return { start: i, holes: [i << 1], nullable: false };
      }
      case "assert": {
        const i = this.inst(OP_EMPTY, emptyFlag(node.what));
        return { start: i, holes: [i << 1], nullable: true };
      }
      case "capture": {
        const open = this.inst(OP_CAPTURE, node.index * 2);
        const sub = this.compile(node.sub);
        this.out[open] = sub.start;
        const close = this.inst(OP_CAPTURE, node.index * 2 + 1);
        this.patch(sub.holes, close);
        return { start: open, holes: [close << 1], nullable: sub.nullable };
      }
      case "concat": {
        if (node.subs.length === 0) return this.nop(true);
        let acc = this.compile(node.subs[0]);
        for (let k = 1; k < node.subs.length; k++) {
          const next = this.compile(node.subs[k]);
          this.patch(acc.holes, next.start);
          acc = { start: acc.start, holes: next.holes, nullable: acc.nullable && next.nullable };
        }
        return acc;
      }
      case "alt": {
        // Go builds a|b|c as Alt(a, Alt(b, c)); the order of preference is the source order.
        const frags = node.subs.map((s) => this.compile(s));
        let acc = frags[frags.length - 1];
        for (let k = frags.length - 2; k >= 0; k--) {
          const f = frags[k];
          const alt = this.inst(OP_ALT);
          this.out[alt] = f.start;
          this.arg[alt] = acc.start;
          acc = { start: alt, holes: [...f.holes, ...acc.holes], nullable: f.nullable || acc.nullable };
        }
        return acc;
      }
      case "repeat": {
        const f = this.repeat(node.sub, node.min, node.max, node.greedy);
        if (this.op[f.start] === OP_SPAN && f.holes.length === 1 && f.holes[0] === f.start << 1) this.spanPcs.set(node, f.start);
        return f;
      }
      default: {
        const never: never = node;
        throw new Error(`unknown node ${JSON.stringify(never)}`);
      }
    }
  }

  private nop(nullable: boolean): Frag {
    const i = this.inst(OP_NOP);
    return { start: i, holes: [i << 1], nullable };
  }

  // As Go's Simplify + compile: x{0} is empty, x{n,} is n-1 copies then x+, x{n,m} is n copies
  // then nested optional copies. Repeating a repetition of the same kind is that repetition.
  private repeat(sub: Node, min: number, max: number, greedy: boolean): Frag {
    if (min === 0 && max === 0) return this.nop(true);
    const simple = kindOf(min, max);
    if (simple && sub.kind === "repeat" && kindOf(sub.min, sub.max) === simple && sub.greedy === greedy) {
      return this.compile(sub);
    }
    if (simple && sub.kind === "empty") return this.compile(sub);
    const ch = this.useSpans ? this.charOf(sub) : null;
    if (ch && max === -1 && !greedy && min > 0) {
      // x{n,}? is n copies then a lazy x*: one visited row then means one loop state, as in RE2.
      const parts: Node[] = [];
      for (let k = 0; k < min; k++) parts.push(sub);
      const head = this.compile({ kind: "concat", subs: parts });
      const tail = this.span(ch, 0, -1, false);
      this.patch(head.holes, tail.start);
      return { start: head.start, holes: tail.holes, nullable: false };
    }
    if (ch && (max === -1 || max > 1)) return this.span(ch, min, max, greedy);
    if (max === -1) {
      if (min === 0) return this.star(sub, greedy);
      if (min === 1) return this.plus(this.compile(sub), greedy);
      const parts: Node[] = [];
      for (let k = 0; k < min - 1; k++) parts.push(sub);
      const head = this.compile({ kind: "concat", subs: parts });
      const tail = this.plus(this.compile(sub), greedy);
      this.patch(head.holes, tail.start);
      return { start: head.start, holes: tail.holes, nullable: head.nullable && tail.nullable };
    }
    if (min === 1 && max === 1) return this.compile(sub);
    let prefix: Frag | null = null;
    if (min > 0) {
      const parts: Node[] = [];
      for (let k = 0; k < min; k++) parts.push(sub);
      prefix = this.compile({ kind: "concat", subs: parts });
    }
    if (max > min) {
      // Build (x(x(x)?)?)? from the inside out, as Go's Simplify nests it.
      let suffix: Node = { kind: "repeat", min: 0, max: 1, greedy, sub };
      for (let k = min + 1; k < max; k++) suffix = { kind: "repeat", min: 0, max: 1, greedy, sub: { kind: "concat", subs: [sub, suffix] } };
      const sfx = this.quest(suffix.sub, greedy);
      if (!prefix) return sfx;
      this.patch(prefix.holes, sfx.start);
      return { start: prefix.start, holes: sfx.holes, nullable: prefix.nullable };
    }
    if (!prefix) throw new Error("repeat with max < min reached the compiler");
    return prefix;
  }

  private quest(sub: Node, greedy: boolean): Frag {
    const f = this.compile(sub);
    const alt = this.inst(OP_ALT);
    if (greedy) {
      this.out[alt] = f.start;
      return { start: alt, holes: [(alt << 1) | 1, ...f.holes], nullable: true };
    }
    this.arg[alt] = f.start;
    return { start: alt, holes: [alt << 1, ...f.holes], nullable: true };
  }

  private loop(f: Frag, greedy: boolean): Frag {
    const alt = this.inst(OP_ALT);
    let holes: number[];
    if (greedy) {
      this.out[alt] = f.start;
      holes = [(alt << 1) | 1];
    } else {
      this.arg[alt] = f.start;
      holes = [alt << 1];
    }
    this.patch(f.holes, alt);
    return { start: alt, holes, nullable: true };
  }

  private plus(f: Frag, greedy: boolean): Frag {
    const l = this.loop(f, greedy);
    return { start: f.start, holes: l.holes, nullable: f.nullable };
  }

  private star(sub: Node, greedy: boolean): Frag {
    const f = this.compile(sub);
    if (f.nullable) {
      // Go (issue 46123): a nullable x* is (x+)? so that priorities come out right.
      const p = this.plus(f, greedy);
      const alt = this.inst(OP_ALT);
      if (greedy) {
        this.out[alt] = p.start;
        return { start: alt, holes: [(alt << 1) | 1, ...p.holes], nullable: true };
      }
      this.arg[alt] = p.start;
      return { start: alt, holes: [alt << 1, ...p.holes], nullable: true };
    }
    return this.loop(f, greedy);
  }

  private span(ch: { set: number; cp: number }, min: number, max: number, greedy: boolean): Frag {
    this.spans.push({ set: ch.set, cp: ch.cp, min, max, greedy });
    const i = this.inst(OP_SPAN, this.spans.length - 1);
    return { start: i, holes: [i << 1], nullable: min === 0 };
  }
}

function kindOf(min: number, max: number): "star" | "plus" | "quest" | null {
  if (min === 0 && max === -1) return "star";
  if (min === 1 && max === -1) return "plus";
  if (min === 0 && max === 1) return "quest";
  return null;
}

function emptyFlag(what: AssertKind): number {
  switch (what) {
    case "begin-line":
      return EMPTY_BEGIN_LINE;
    case "end-line":
      return EMPTY_END_LINE;
    case "begin-text":
      return EMPTY_BEGIN_TEXT;
    case "end-text":
      return EMPTY_END_TEXT;
    case "word-boundary":
      return EMPTY_WORD_BOUNDARY;
    case "not-word-boundary":
      return EMPTY_NOT_WORD_BOUNDARY;
  }
}

/**
 * Compiles `root` (wrapped in group 0). With `useSpans` false, repetitions of one character stay
 * Alt/Rune loops: the form the automaton in dfa.ts simulates as a set of states.
 */
export function compileProgram(root: Node, groupCount: number, useSpans = true): Program {
  const b = new Builder(useSpans);
  // Group 0 is the whole match, as Go wraps the expression in capture 0.
  const f = b.compile({ kind: "capture", index: 0, name: undefined, sub: root });
  const match = b.inst(OP_MATCH);
  b.patch(f.holes, match);
  const n = b.op.length;
  // An instruction reachable from two places can be reached twice at the same position; only
  // those need a visited bit (plus spans, whose loop head RE2 would mark).
  const indegree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const op = b.op[i];
    if (op === OP_MATCH || op === OP_FAIL) continue;
    if (b.out[i] >= 0) indegree[b.out[i]]++;
    if (op === OP_ALT && b.arg[i] >= 0) indegree[b.arg[i]]++;
  }
  // A span's continuation is reached once per position the span can stop at.
  for (let i = 0; i < n; i++) if (b.op[i] === OP_SPAN) indegree[b.out[i]] += 2;
  const visitRow = new Int32Array(n).fill(-1);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    if (indegree[i] > 1 || b.op[i] === OP_SPAN) visitRow[i] = rows++;
    // A greedy unbounded span with a minimum has two kinds of state: its entry (the first
    // required character) and its loop head (after `min` characters); the loop head gets the
    // next row. With no minimum the entry is the loop head.
    if (b.op[i] === OP_SPAN) {
      const span = b.spans[b.arg[i]];
      if (span.greedy && span.max < 0 && span.min > 0) rows++;
    }
  }
  return {
    firsts: computeFirsts(b, n),
    op: Uint8Array.from(b.op),
    out: Int32Array.from(b.out),
    arg: Int32Array.from(b.arg),
    sets: b.sets,
    spans: b.spans,
    start: f.start,
    slots: 2 * (groupCount + 1),
    visitRow,
    visitRows: rows,
    spanPcs: b.spanPcs,
  };
}

// FIRST(pc): the characters a path from pc can consume first, and whether it can reach the end
// without consuming (assertions count as passable, so this over-approximates: pruning with it
// never drops a branch that could match). Computed to a fixed point because loops are cycles.
function computeFirsts(b: Builder, n: number): Uint32Array {
  const f = new Uint32Array(n * FIRST_STRIDE);
  // A set's ASCII bitmap, built once per set: many instructions share a set.
  const masks = new Map<{ ascii: Uint8Array; high: Int32Array }, Uint32Array>();
  const addSet = (at: number, ranges: { ascii: Uint8Array; high: Int32Array }) => {
    let mask = masks.get(ranges);
    if (!mask) {
      mask = new Uint32Array(4);
      for (let c = 0; c < 128; c++) if (ranges.ascii[c]) mask[c >>> 5]! |= 1 << (c & 31);
      masks.set(ranges, mask);
    }
    f[at] |= mask[0]!;
    f[at + 1] |= mask[1]!;
    f[at + 2] |= mask[2]!;
    f[at + 3] |= mask[3]!;
    if (ranges.high.length > 0) f[at + 4] |= FIRST_HIGH;
  };
  const addAll = (at: number, exceptNewline: boolean) => {
    f[at] = f[at + 1] = f[at + 2] = f[at + 3] = 0xffffffff;
    if (exceptNewline) f[at] &= ~(1 << 10);
    f[at + 4] |= FIRST_HIGH;
  };
  // Instructions that read one character start with it, whatever follows.
  for (let i = 0; i < n; i++) {
    const at = i * FIRST_STRIDE;
    switch (b.op[i]) {
      case OP_CHAR: {
        const c = b.arg[i];
        if (c < 128) f[at + (c >>> 5)] |= 1 << (c & 31);
        else f[at + 4] |= FIRST_HIGH;
        break;
      }
      case OP_SET:
        addSet(at, b.sets[b.arg[i]]);
        break;
      case OP_ANY_NOT_NL:
        addAll(at, true);
        break;
      case OP_ANY:
        addAll(at, false);
        break;
      case OP_MATCH:
        f[at + 4] |= FIRST_EMPTY;
        break;
      case OP_SPAN: {
        const span = b.spans[b.arg[i]];
        if (span.set >= 0) addSet(at, b.sets[span.set]);
        else if (span.set === SPAN_ANY_NOT_NL) addAll(at, true);
        else if (span.set === SPAN_ANY) addAll(at, false);
        else if (span.cp < 128) f[at + (span.cp >>> 5)] |= 1 << (span.cp & 31);
        else f[at + 4] |= FIRST_HIGH;
        break;
      }
    }
  }
  // Then propagate through what does not consume, until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const op = b.op[i];
      let from1 = -1;
      let from2 = -1;
      if (op === OP_ALT) {
        from1 = b.out[i];
        from2 = b.arg[i];
      } else if (op === OP_CAPTURE || op === OP_NOP || op === OP_EMPTY) from1 = b.out[i];
      else if (op === OP_SPAN && b.spans[b.arg[i]].min === 0) from1 = b.out[i];
      const at = i * FIRST_STRIDE;
      if (from1 >= 0 && mergeFirsts(f, at, from1 * FIRST_STRIDE)) changed = true;
      if (from2 >= 0 && mergeFirsts(f, at, from2 * FIRST_STRIDE)) changed = true;
    }
  }
  return f;
}

/** f[at..] |= f[from..] over one FIRST entry; true when it grew. */
function mergeFirsts(f: Uint32Array, at: number, from: number): boolean {
  let grew = false;
  for (let k = 0; k < FIRST_STRIDE; k++) {
    const merged = (f[at + k]! | f[from + k]!) >>> 0;
    if (merged !== f[at + k]) {
      f[at + k] = merged;
      grew = true;
    }
  }
  return grew;
}
