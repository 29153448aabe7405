// A lazy DFA over the reversed pattern: one right-to-left pass over the text finds the leftmost
// position where a match starts (or that there is none), whatever the pattern. The bit-state
// engine then runs anchored at that position, so it never retries the starts before it, which is
// what made patterns like %{IP} cost tens of ms on a long hex-like run before the address.
//
// Why it is exact: RE2's unanchored leftmost-first search reports the highest-priority match
// among those starting at the leftmost position where any match starts. A match of R starts at i
// exactly when the reversed text read from some j down to i is a match of reverse(R), so a set
// simulation of reverse(R) with a fresh thread at every position, read from the end of the text,
// says at each i whether a match starts there. Priorities do not matter for that question, so
// sets of NFA states suffice; they are built on demand and cached (a lazy DFA, as in RE2).
//
// Empty-width assertions keep their meaning (`^` is still "start of text"): they are evaluated
// with the real characters on both sides of the position, which are part of the cache key.

import {
  type CharSet,
  type Program,
  EMPTY_BEGIN_LINE,
  EMPTY_BEGIN_TEXT,
  EMPTY_END_LINE,
  EMPTY_END_TEXT,
  EMPTY_NOT_WORD_BOUNDARY,
  EMPTY_WORD_BOUNDARY,
  OP_ALT,
  OP_ANY,
  OP_ANY_NOT_NL,
  OP_CAPTURE,
  OP_CHAR,
  OP_EMPTY,
  OP_MATCH,
  OP_NOP,
  OP_SET,
  compileProgram,
} from "./program";
import type { Node } from "./syntax";

/** Cached transitions per pattern, at most; past it the cache is dropped and rebuilt (as RE2). */
const MAX_TRANSITIONS = 1 << 18;

// What is on one side of a position, for assertions: nothing (text edge), \n, a word char, other.
const SIDE_EDGE = 0;
const SIDE_NEWLINE = 1;
const SIDE_WORD = 2;
const SIDE_OTHER = 3;

/** The syntax tree of reverse(R): concatenations read backwards; assertions keep their meaning. */
function reverseNode(node: Node): Node {
  switch (node.kind) {
    case "capture":
      return reverseNode(node.sub);
    case "concat":
      return { kind: "concat", subs: node.subs.map(reverseNode).reverse() };
    case "alt":
      return { kind: "alt", subs: node.subs.map(reverseNode) };
    case "repeat":
      return { kind: "repeat", min: node.min, max: node.max, greedy: node.greedy, sub: reverseNode(node.sub) };
    default:
      return node;
  }
}

function isWordCp(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function sideOf(c: number): number {
  return c === 10 ? SIDE_NEWLINE : isWordCp(c) ? SIDE_WORD : SIDE_OTHER;
}

function flagsFor(left: number, right: number): number {
  let f = 0;
  if (left === SIDE_EDGE) f |= EMPTY_BEGIN_TEXT;
  if (right === SIDE_EDGE) f |= EMPTY_END_TEXT;
  if (left === SIDE_EDGE || left === SIDE_NEWLINE) f |= EMPTY_BEGIN_LINE;
  if (right === SIDE_EDGE || right === SIDE_NEWLINE) f |= EMPTY_END_LINE;
  f |= (left === SIDE_WORD) !== (right === SIDE_WORD) ? EMPTY_WORD_BOUNDARY : EMPTY_NOT_WORD_BOUNDARY;
  return f;
}

function inSet(set: CharSet, c: number): boolean {
  if (c < 128) return set.ascii[c] !== 0;
  const high = set.high;
  for (let i = 0; i < high.length; i += 2) if (c >= high[i] && c <= high[i + 1]) return true;
  return false;
}

export class LazyDfa {
  private readonly prog: Program;
  /** Reverse mode adds a fresh thread at every position; forward mode runs anchored. */
  private readonly reverse: boolean;
  private readonly hasEmpty: boolean;
  private readonly ctxCount: number;
  /** Character class of each ASCII code point. */
  private readonly asciiClass: Uint16Array;
  /** Sorted starts of the intervals of code points ≥ 128 that behave alike; class = asciiClasses + index. */
  private readonly highStarts: Int32Array;
  private readonly asciiClasses: number;
  private readonly classCount: number;
  /** A code point of each class, to step with. */
  private readonly rep: Int32Array;
  /** Which side kind each class is (for assertions). */
  private readonly classSide: Uint8Array;

  // The cache: kernels (sorted NFA pcs reached after a step) and transitions, -1 when unknown,
  // else next state × 2 + 1 when a match starts at the position the step leaves.
  private kernels: Int32Array[] = [];
  private ids = new Map<string, number>();
  private trans = new Int32Array(0);
  private readonly mark: Int32Array;
  private gen = 0;
  private readonly stack: Int32Array;
  private readonly consumers: Int32Array;

  /**
   * `reverse` (the default): the automaton of reverse(R) for leftmostStart. Otherwise the
   * automaton of R itself, anchored, for longestEnd.
   */
  constructor(root: Node, reverse = true) {
    const prog = compileProgram(reverse ? reverseNode(root) : root, 0, false);
    this.prog = prog;
    this.reverse = reverse;
    const n = prog.op.length;
    this.mark = new Int32Array(n);
    this.stack = new Int32Array(2 * n + 2);
    this.consumers = new Int32Array(n);
    let hasEmpty = false;
    // Split code points into classes: two characters in one class are accepted by the same
    // instructions (and are the same side kind when assertions need it).
    const sigs: string[] = new Array(128).fill("");
    const bounds = new Set<number>([128]);
    const addBound = (c: number) => {
      if (c > 128) bounds.add(c);
    };
    for (let pc = 0; pc < n; pc++) {
      const op = prog.op[pc];
      if (op === OP_EMPTY) hasEmpty = true;
      if (op === OP_CHAR) {
        const cp = prog.arg[pc];
        for (let c = 0; c < 128; c++) sigs[c] += c === cp ? "1" : "0";
        if (cp >= 128) {
          addBound(cp);
          addBound(cp + 1);
        }
      } else if (op === OP_SET) {
        const set = prog.sets[prog.arg[pc]];
        for (let c = 0; c < 128; c++) sigs[c] += set.ascii[c] ? "1" : "0";
        for (let i = 0; i < set.high.length; i += 2) {
          addBound(set.high[i]);
          addBound(set.high[i + 1] + 1);
        }
      } else if (op === OP_ANY_NOT_NL) {
        for (let c = 0; c < 128; c++) sigs[c] += c === 10 ? "0" : "1";
      }
    }
    if (hasEmpty) for (let c = 0; c < 128; c++) sigs[c] += String(sideOf(c));
    this.hasEmpty = hasEmpty;
    this.ctxCount = hasEmpty ? 4 : 1;
    const asciiClass = new Uint16Array(128);
    const classOf = new Map<string, number>();
    const rep: number[] = [];
    for (let c = 0; c < 128; c++) {
      let k = classOf.get(sigs[c]);
      if (k === undefined) {
        k = rep.length;
        classOf.set(sigs[c], k);
        rep.push(c);
      }
      asciiClass[c] = k;
    }
    this.asciiClass = asciiClass;
    this.asciiClasses = rep.length;
    this.highStarts = Int32Array.from([...bounds].filter((b) => b <= 0x10ffff).sort((a, b) => a - b));
    for (const b of this.highStarts) rep.push(b);
    this.rep = Int32Array.from(rep);
    this.classCount = rep.length;
    this.classSide = Uint8Array.from(rep, (c) => sideOf(c));
    this.reset();
  }

  private reset(): void {
    this.kernels = [];
    this.ids = new Map();
    this.trans = new Int32Array(0);
    this.intern([]); // state 0: no thread (dead in forward mode)
    if (!this.reverse) this.intern([this.prog.start]); // state 1: the forward start
  }

  private intern(pcs: number[]): number {
    const key = pcs.join(",");
    const hit = this.ids.get(key);
    if (hit !== undefined) return hit;
    const id = this.kernels.length;
    this.kernels.push(Int32Array.from(pcs));
    this.ids.set(key, id);
    const need = this.kernels.length * this.ctxCount * this.classCount;
    if (need > this.trans.length) {
      const bigger = new Int32Array(Math.max(need, this.trans.length * 2)).fill(-1);
      bigger.set(this.trans);
      this.trans = bigger;
    }
    return id;
  }

  private classOfCp(c: number): number {
    if (c < 128) return this.asciiClass[c];
    const starts = this.highStarts;
    let lo = 0;
    let hi = starts.length - 1;
    // The last start ≤ c (starts[0] is 128).
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= c) lo = mid;
      else hi = mid - 1;
    }
    return this.asciiClasses + lo;
  }

  /**
   * The closure of `kernel` plus the start state under assertion `flags`: fills `consumers` with
   * the instructions that read a character and returns their count, negated minus one when the
   * closure reaches Match.
   */
  private closure(kernel: Int32Array, flags: number): number {
    const prog = this.prog;
    const op = prog.op;
    const out = prog.out;
    const arg = prog.arg;
    const mark = this.mark;
    const stack = this.stack;
    const gen = ++this.gen;
    let sp = 0;
    if (this.reverse) stack[sp++] = prog.start;
    for (let k = kernel.length - 1; k >= 0; k--) stack[sp++] = kernel[k];
    let count = 0;
    let matched = false;
    while (sp > 0) {
      const pc = stack[--sp];
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      switch (op[pc]) {
        case OP_ALT:
          stack[sp++] = arg[pc];
          stack[sp++] = out[pc];
          break;
        case OP_CAPTURE:
        case OP_NOP:
          stack[sp++] = out[pc];
          break;
        case OP_EMPTY:
          if ((arg[pc] & ~flags) === 0) stack[sp++] = out[pc];
          break;
        case OP_MATCH:
          matched = true;
          break;
        case OP_CHAR:
        case OP_SET:
        case OP_ANY:
        case OP_ANY_NOT_NL:
          this.consumers[count++] = pc;
          break;
        default:
          break;
      }
    }
    return matched ? -count - 1 : count;
  }

  private step(state: number, ctx: number, cls: number): number {
    // ctx is the side of the position away from the character being read.
    const flags = !this.hasEmpty ? 0 : this.reverse ? flagsFor(this.classSide[cls], ctx) : flagsFor(ctx, this.classSide[cls]);
    let r = this.closure(this.kernels[state], flags);
    const matched = r < 0;
    if (matched) r = -r - 1;
    const prog = this.prog;
    const c = this.rep[cls];
    const next: number[] = [];
    for (let k = 0; k < r; k++) {
      const pc = this.consumers[k];
      let ok: boolean;
      switch (prog.op[pc]) {
        case OP_CHAR:
          ok = prog.arg[pc] === c;
          break;
        case OP_SET:
          ok = inSet(prog.sets[prog.arg[pc]], c);
          break;
        case OP_ANY_NOT_NL:
          ok = c !== 10;
          break;
        default:
          ok = true;
      }
      if (ok) next.push(prog.out[pc]);
    }
    next.sort((a, b) => a - b);
    let w = 0;
    for (let k = 0; k < next.length; k++) if (k === 0 || next[k] !== next[k - 1]) next[w++] = next[k];
    next.length = w;
    if (this.kernels.length * this.ctxCount * this.classCount >= MAX_TRANSITIONS) {
      // Keep memory bounded: start the cache over, keeping only the state being left.
      const keep = Array.from(this.kernels[state]);
      this.reset();
      state = this.intern(keep);
    }
    const to = this.intern(next);
    const t = (to << 1) | (matched ? 1 : 0);
    this.trans[(state * this.ctxCount + ctx) * this.classCount + cls] = t;
    return t;
  }

  /** The smallest offset where a match of the pattern starts in `s`, or -1 when none does. */
  leftmostStart(s: string): number {
    const n = s.length;
    const hasEmpty = this.hasEmpty;
    const ctxCount = this.ctxCount;
    const classCount = this.classCount;
    const asciiClass = this.asciiClass;
    let best = -1;
    let state = 0;
    let i = n;
    while (i > 0) {
      let c = s.charCodeAt(i - 1);
      let width = 1;
      let cls: number;
      if (c < 128) cls = asciiClass[c];
      else {
        if (c >= 0xd800 && c <= 0xdfff) {
          if (c >= 0xdc00 && i >= 2) {
            const h = s.charCodeAt(i - 2);
            if (h >= 0xd800 && h <= 0xdbff) {
              c = ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
              width = 2;
            } else c = 0xfffd;
          } else c = 0xfffd;
        }
        cls = this.classOfCp(c);
      }
      let ctx = 0;
      if (hasEmpty) ctx = i === n ? SIDE_EDGE : sideOf(s.charCodeAt(i));
      let t = this.trans[(state * ctxCount + ctx) * classCount + cls];
      if (t < 0) t = this.step(state, ctx, cls);
      if ((t & 1) !== 0) best = i;
      state = t >>> 1;
      i -= width;
    }
    const right = n === 0 ? SIDE_EDGE : sideOf(s.charCodeAt(0));
    if (this.closure(this.kernels[state], flagsFor(SIDE_EDGE, right)) < 0) best = 0;
    return best;
  }

  /**
   * Reverse mode: sets `out[i - base]` to 1 for every offset i in [from, to] where a match starts
   * that reads no character at or after `to` (assertions still see the whole text), else 0.
   */
  markStarts(s: string, from: number, to: number, out: Uint8Array, base: number): void {
    const n = s.length;
    const hasEmpty = this.hasEmpty;
    const ctxCount = this.ctxCount;
    const classCount = this.classCount;
    const asciiClass = this.asciiClass;
    out.fill(0, from - base, to - base + 1);
    let state = 0;
    let i = to;
    while (i > from) {
      let c = s.charCodeAt(i - 1);
      let width = 1;
      let cls: number;
      if (c < 128) cls = asciiClass[c];
      else {
        if (c >= 0xd800 && c <= 0xdfff) {
          if (c >= 0xdc00 && i - 2 >= from) {
            const h = s.charCodeAt(i - 2);
            if (h >= 0xd800 && h <= 0xdbff) {
              c = ((h - 0xd800) << 10) + (c - 0xdc00) + 0x10000;
              width = 2;
            } else c = 0xfffd;
          } else c = 0xfffd;
        }
        cls = this.classOfCp(c);
      }
      let ctx = 0;
      if (hasEmpty) ctx = i === n ? SIDE_EDGE : sideOf(s.charCodeAt(i));
      let t = this.trans[(state * ctxCount + ctx) * classCount + cls];
      if (t < 0) t = this.step(state, ctx, cls);
      if ((t & 1) !== 0) out[i - base] = 1;
      state = t >>> 1;
      i -= width;
    }
    const left = from === 0 ? SIDE_EDGE : sideOf(s.charCodeAt(from - 1));
    const right = from === n ? SIDE_EDGE : sideOf(s.charCodeAt(from));
    if (this.closure(this.kernels[state], flagsFor(left, right)) < 0) out[from - base] = 1;
  }

  /**
   * Forward mode: the largest end of a match that starts at `start` (or -1). Every match from
   * `start` ends there or before, so the capture engine may stop reading at it.
   */
  longestEnd(s: string, start: number): number {
    const n = s.length;
    const hasEmpty = this.hasEmpty;
    const ctxCount = this.ctxCount;
    const classCount = this.classCount;
    const asciiClass = this.asciiClass;
    let last = -1;
    let state = 1;
    let i = start;
    while (i < n) {
      let c = s.charCodeAt(i);
      let width = 1;
      let cls: number;
      if (c < 128) cls = asciiClass[c];
      else {
        if (c >= 0xd800 && c <= 0xdfff) {
          if (c <= 0xdbff && i + 1 < n) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
              c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
              width = 2;
            } else c = 0xfffd;
          } else c = 0xfffd;
        }
        cls = this.classOfCp(c);
      }
      let ctx = 0;
      if (hasEmpty) ctx = i === 0 ? SIDE_EDGE : sideOf(s.charCodeAt(i - 1));
      let t = this.trans[(state * ctxCount + ctx) * classCount + cls];
      if (t < 0) t = this.step(state, ctx, cls);
      if ((t & 1) !== 0) last = i;
      state = t >>> 1;
      if (state === 0) return last;
      i += width;
    }
    const left = n === 0 ? SIDE_EDGE : sideOf(s.charCodeAt(n - 1));
    if (this.closure(this.kernels[state], flagsFor(left, SIDE_EDGE)) < 0) last = n;
    return last;
  }
}
