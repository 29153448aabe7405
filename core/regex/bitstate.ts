// The linear-time engine: RE2's bit-state backtracker (Go regexp/backtrack.go) over program.ts.
// It explores paths in the same priority order as a backtracking engine, so the first match it
// finds is RE2's leftmost-first match with RE2's captures; but it records every (instruction,
// position) it has entered and never enters one twice, so a search costs at most
// instructions × (text length + 1) steps, whatever the pattern and the text.
//
// The visited bits are kept across start positions of an unanchored search (a state that failed
// from one start fails from any), which is what keeps the unanchored search linear too.

import {
  type CharSet,
  type Program,
  type Span,
  EMPTY_BEGIN_LINE,
  EMPTY_BEGIN_TEXT,
  EMPTY_END_LINE,
  EMPTY_END_TEXT,
  EMPTY_NOT_WORD_BOUNDARY,
  EMPTY_WORD_BOUNDARY,
  FIRST_EMPTY,
  FIRST_HIGH,
  FIRST_STRIDE,
  OP_ALT,
  OP_ANY,
  OP_ANY_NOT_NL,
  OP_CAPTURE,
  OP_CHAR,
  OP_EMPTY,
  OP_FAIL,
  OP_MATCH,
  OP_NOP,
  OP_SET,
  OP_SPAN,
  SPAN_ANY,
  SPAN_ANY_NOT_NL,
} from "./program";

// Job kinds on the backtracking stack.
const JOB_EXPLORE = 0; // enter pc at pos (visited check)
const JOB_ALT_OTHER = 1; // the preferred branch of the Alt at pc failed: try its other branch
const JOB_RESTORE = 2; // a capture's subtree is done: put back the slot's old value
const JOB_SPAN_GIVE_BACK = 3; // greedy span at pc: try its continuation one character earlier
const JOB_SPAN_TAKE_MORE = 4; // lazy span at pc: consume one more character, then continue

// Shared scratch: the engine is synchronous, so one visited bitmap and one job stack serve all
// patterns. They grow to the largest search seen (text length × instructions needing a bit).
let visited = new Uint32Array(1024);
let jobs = new Int32Array(4096);

/** Says where a pattern can match from (dfa.ts's reverse automaton does). */
export interface StartMarker {
  /** Sets `out[i - base]` to 1 for each i in [from, to] where a match reading nothing at or after `to` starts, else 0. */
  markStarts(s: string, from: number, to: number, out: Uint8Array, base: number): void;
}

/**
 * A greedy span whose continuation is fixed (the rest of the pattern after it): `tail` builds the
 * marker of where that continuation can match, so giving back skips every other position.
 */
export interface SpanGate {
  readonly pc: number;
  readonly tail: () => StartMarker;
}

/**
 * A gate costs one pass over the line, so it is computed only for a span that gives back at least
 * this many characters and has already tried its continuation GATE_MIN_TRIES times in the run.
 */
export const GATE_MIN_GIVE_BACK = 256;
const GATE_MIN_TRIES = 8;

/** One search's outcome: the capture slots (pairs of offsets, -1 when unset). */
export class BitState {
  private readonly caps: Int32Array;
  private readonly anchored: boolean;

  constructor(
    private readonly prog: Program,
    anchored: boolean,
    /** Characters a match can start with, or null when a match may be empty. */
    private readonly firstSet: CharSet | null,
    /** Strings every match contains: a line without one of them cannot match. */
    private readonly literals: readonly string[] = [],
    gates: readonly SpanGate[] = [],
    /** Characters a span must give back before its gate is computed; 0 also skips GATE_MIN_TRIES (tests). */
    private readonly gateMin = GATE_MIN_GIVE_BACK,
  ) {
    this.gateMinTries = gateMin === 0 ? 0 : GATE_MIN_TRIES;
    this.caps = new Int32Array(prog.slots);
    this.anchored = anchored;
    this.gateOf = new Int32Array(prog.op.length).fill(-1);
    for (const [k, g] of gates.entries()) this.gateOf[g.pc] = k;
    this.gateTails = gates.map((g) => g.tail);
    this.gateMarkers = gates.map(() => null);
    this.gateBits = gates.map(() => new Uint8Array(0));
    this.gateReady = new Uint8Array(gates.length);
    this.gateTries = new Int32Array(gates.length);
    this.firstChar = onlyFirstChars(prog.firsts, prog.op.length);
  }

  /** For each instruction, the one character it must start with, or "" (see onlyFirstChars). */
  private readonly firstChar: readonly string[];

  // Gates (see SpanGate) are used by searchAt only: its run is the only one from its start.
  private readonly gateOf: Int32Array;
  private readonly gateTails: readonly (() => StartMarker)[];
  private readonly gateMarkers: (StartMarker | null)[];
  private readonly gateBits: Uint8Array[];
  /** 1 when gate k's bits are computed for the current run. */
  private readonly gateReady: Uint8Array;
  /** Continuations each gated span has tried in the current run before its gate existed. */
  private readonly gateTries: Int32Array;
  private readonly gateMinTries: number;
  private gating = false;

  /**
   * Gate k's bits for the current run (1 at offset − base where the span's continuation can
   * match), or null while the span has not tried its continuation often enough to pay for them.
   */
  private gate(k: number, s: string): Uint8Array | null {
    let bits = this.gateBits[k];
    if (this.gateReady[k] !== 0) return bits;
    if (this.gateTries[k]++ < this.gateMinTries) return null;
    const size = this.limit - this.base + 1;
    if (bits.length < size) {
      bits = new Uint8Array(size);
      this.gateBits[k] = bits;
    }
    let marker = this.gateMarkers[k];
    if (marker === null) {
      marker = this.gateTails[k]();
      this.gateMarkers[k] = marker;
    }
    marker.markStarts(s, this.base, this.limit, bits, this.base);
    this.gateReady[k] = 1;
    return bits;
  }

  /** Where the visited bitmap's columns start, and its row length (set per search). */
  private base = 0;
  private stride = 1;
  /** Characters at or after this offset are not read (assertions still see the whole text). */
  private limit = 0;

  private clear(s: string, base: number, limit = s.length): void {
    const stride = limit - base + 1;
    this.limit = limit;
    const words = (this.prog.visitRows * stride + 31) >>> 5;
    if (visited.length < words) visited = new Uint32Array(Math.max(words, visited.length * 2));
    else visited.fill(0, 0, words);
    this.base = base;
    this.stride = stride;
    this.caps.fill(-1);
  }

  /** False when `s` lacks a literal every match contains (so it cannot match). */
  mayMatch(s: string): boolean {
    for (let i = 0; i < this.literals.length; i++) if (!s.includes(this.literals[i])) return false;
    return true;
  }

  /** Searches `s`; on success the slots hold the match. */
  search(s: string, wantCaptures: boolean): Int32Array | null {
    if (!this.mayMatch(s)) return null;
    const n = s.length;
    this.clear(s, 0);
    this.gating = false;
    const caps = this.caps;
    if (this.anchored) return this.run(s, 0, wantCaptures) ? caps : null;
    const first = this.firstSet;
    for (let pos = 0; pos <= n; ) {
      if (first !== null) {
        // A match must start with one of these characters: skip positions that cannot start one.
        while (pos < n && !inSetAt(first, s, pos)) pos += widthAt(s, pos);
        if (pos >= n) return null;
      }
      if (this.run(s, pos, wantCaptures)) return caps;
      if (pos >= n) break;
      pos += widthAt(s, pos);
    }
    return null;
  }

  /**
   * The match that starts at `start`, when the caller knows that the leftmost match starts there
   * (dfa.ts), and that no match from there ends after `end`: only that stretch is explored.
   */
  searchAt(s: string, start: number, end: number, wantCaptures: boolean): Int32Array | null {
    this.clear(s, start, end);
    this.gating = this.gateReady.length > 0;
    if (this.gating) {
      this.gateReady.fill(0);
      this.gateTries.fill(0);
    }
    return this.run(s, start, wantCaptures) ? this.caps : null;
  }

  private run(s: string, start: number, wantCaptures: boolean): boolean {
    const prog = this.prog;
    const op = prog.op;
    const outs = prog.out;
    const args = prog.arg;
    const rows = prog.visitRow;
    const sets = prog.sets;
    const spans = prog.spans;
    const firsts = prog.firsts;
    const firstChar = this.firstChar;
    const caps = this.caps;
    const n = this.limit;
    const stride = this.stride;
    const base = this.base;
    let sp = 0;
    let pc = prog.start;
    let pos = start;

    // The loop enters (pc, pos); `continue outer` pops the next job.
    outer: for (;;) {
      explore: for (;;) {
        const row = rows[pc];
        if (row >= 0) {
          const bit = row * stride + pos - base;
          const w = bit >>> 5;
          const m = 1 << (bit & 31);
          if ((visited[w] & m) !== 0) break explore;
          visited[w] |= m;
        }
        switch (op[pc]) {
          case OP_CHAR: {
            if (pos >= n) break explore;
            let c = s.charCodeAt(pos);
            let width = 1;
            if (c >= 0xd800 && c <= 0xdfff) {
              c = codePointAt(s, pos);
              width = c > 0xffff ? 2 : 1;
            }
            if (c !== args[pc]) break explore;
            pos += width;
            pc = outs[pc];
            continue explore;
          }
          case OP_SET: {
            if (pos >= n) break explore;
            const set = sets[args[pc]];
            let c = s.charCodeAt(pos);
            if (c < 128) {
              if (set.ascii[c] === 0) break explore;
              pos++;
            } else {
              let width = 1;
              if (c >= 0xd800 && c <= 0xdfff) {
                c = codePointAt(s, pos);
                width = c > 0xffff ? 2 : 1;
              }
              if (!inHigh(set.high, c)) break explore;
              pos += width;
            }
            pc = outs[pc];
            continue explore;
          }
          case OP_ANY_NOT_NL:
            if (pos >= n || s.charCodeAt(pos) === 10) break explore;
            pos += widthAt(s, pos);
            pc = outs[pc];
            continue explore;
          case OP_ANY:
            if (pos >= n) break explore;
            pos += widthAt(s, pos);
            pc = outs[pc];
            continue explore;
          case OP_ALT: {
            // One character of lookahead: a branch that cannot start here is not tried at all.
            const a = outs[pc];
            const b = args[pc];
            const okA = canStart(firsts, a, s, pos);
            if (canStart(firsts, b, s, pos)) {
              if (!okA) {
                pc = b;
                continue explore;
              }
              sp = this.push(sp, JOB_ALT_OTHER, pc, pos, 0);
            } else if (!okA) break explore;
            pc = a;
            continue explore;
          }
          case OP_CAPTURE: {
            const slot = args[pc];
            if (wantCaptures || slot < 2) {
              sp = this.push(sp, JOB_RESTORE, slot, caps[slot], 0);
              caps[slot] = pos;
            }
            pc = outs[pc];
            continue explore;
          }
          case OP_EMPTY:
            if (!emptyHolds(args[pc], s, pos)) break explore;
            pc = outs[pc];
            continue explore;
          case OP_NOP:
            pc = outs[pc];
            continue explore;
          case OP_MATCH:
            return true;
          case OP_SPAN: {
            const span = spans[args[pc]];
            const max = span.max;
            const unbounded = max < 0;
            if (span.greedy) {
              // Scan as far as the span may go, marking the loop head at each position. As in
              // RE2, a loop head already visited stops the scan: everything from there on was
              // (or is being) explored, so a second entry costs only the stretch it adds.
              // (The long loops are small functions of their own: the JIT optimizes those early.)
              const loopRow = span.min > 0 ? row + 1 : row;
              let end = scanGreedy(span, sets, s, pos, n, loopRow * stride - base);
              if (end < 0) break explore;
              // Longest first; positions before `end` are tried when the continuation fails.
              // Positions where the continuation cannot even start are skipped outright: a
              // %{GREEDYDATA} before ", client: " gives back to the last comma in one loop.
              const low = minEnd(s, pos, span.min);
              const next = outs[pc];
              end = lastStart(firsts, firstChar[next], next, s, end, low, null, base);
              if (end < 0) break explore;
              if (end > low) sp = this.push(sp, JOB_SPAN_GIVE_BACK, pc, end, low);
              pos = end;
              pc = next;
              continue explore;
            }
            // Lazy: the shortest allowed run first.
            let end = pos;
            for (let k = 0; k < span.min; k++) {
              const width = matchSpanChar(span.set, span.cp, sets, s, end, n);
              if (width === 0) break explore;
              end += width;
            }
            if (unbounded || span.min < max) sp = this.push(sp, JOB_SPAN_TAKE_MORE, pc, end, span.min);
            pos = end;
            pc = outs[pc];
            continue explore;
          }
          case OP_FAIL:
            break explore;
          default:
            throw new Error(`bitstate: unknown instruction ${op[pc]} at ${pc}`);
        }
      }
      // Pop jobs until one gives a state to explore.
      for (;;) {
        if (sp === 0) return false;
        sp -= 4;
        const kind = jobs[sp];
        const jpc = jobs[sp + 1];
        const jpos = jobs[sp + 2];
        const extra = jobs[sp + 3];
        switch (kind) {
          case JOB_ALT_OTHER:
            pc = args[jpc];
            pos = jpos;
            continue outer;
          case JOB_RESTORE:
            caps[jpc] = jpos;
            continue;
          case JOB_SPAN_GIVE_BACK: {
            // jpos: where the last attempt stopped; extra: the shortest allowed end.
            const next = outs[jpc];
            const g = this.gating && jpos - extra >= this.gateMin ? this.gateOf[jpc] : -1;
            // With a gate, only where the rest of the pattern can match at all.
            const prev = lastStart(firsts, firstChar[next], next, s, stepBack(s, jpos), extra, g >= 0 ? this.gate(g, s) : null, base);
            if (prev < 0) continue;
            if (prev > extra) sp = this.push(sp, JOB_SPAN_GIVE_BACK, jpc, prev, extra);
            pc = next;
            pos = prev;
            continue outer;
          }
          case JOB_SPAN_TAKE_MORE: {
            const span = spans[args[jpc]];
            const next = outs[jpc];
            let end = jpos;
            let count = extra;
            // Take characters until the continuation can start (or the span must stop).
            for (;;) {
              if (span.max >= 0 && count >= span.max) break;
              const width = matchSpanChar(span.set, span.cp, sets, s, end, n);
              if (width === 0) break;
              end += width;
              count++;
              if (span.max < 0) {
                // The loop head at `end`: RE2 would stop if it had been there before.
                const bit = rows[jpc] * stride + end - base;
                const w = bit >>> 5;
                const m = 1 << (bit & 31);
                if ((visited[w] & m) !== 0) break;
                visited[w] |= m;
              }
              if (canStart(firsts, next, s, end)) {
                sp = this.push(sp, JOB_SPAN_TAKE_MORE, jpc, end, count);
                pc = next;
                pos = end;
                continue outer;
              }
            }
            continue;
          }
          default:
            throw new Error(`bitstate: unknown job ${kind}`);
        }
      }
    }
  }

  private push(sp: number, kind: number, pc: number, pos: number, extra: number): number {
    if (sp + 4 > jobs.length) {
      const bigger = new Int32Array(jobs.length * 2);
      bigger.set(jobs);
      jobs = bigger;
    }
    jobs[sp] = kind;
    jobs[sp + 1] = pc;
    jobs[sp + 2] = pos;
    jobs[sp + 3] = extra;
    return sp + 4;
  }
}

/**
 * Where a greedy span from `pos` stops: as far as its class and maximum allow, marking the loop
 * head (bit `loopBit + offset` of the visited bitmap) at each position when the span is unbounded
 * and stopping at one already marked. -1 when fewer than `span.min` characters match.
 */
function scanGreedy(span: Span, sets: readonly CharSet[], s: string, pos: number, n: number, loopBit: number): number {
  const max = span.max;
  const min = span.min;
  const unbounded = max < 0;
  let end = pos;
  let count = 0;
  while (end < n && (unbounded || count < max)) {
    const width = matchSpanChar(span.set, span.cp, sets, s, end, n);
    if (width === 0) break;
    if (unbounded && count + 1 >= min) {
      const bit = loopBit + end + width;
      const w = bit >>> 5;
      const m = 1 << (bit & 31);
      if ((visited[w] & m) !== 0) break;
      visited[w] |= m;
    }
    end += width;
    count++;
  }
  return count < min ? -1 : end;
}

/**
 * The last offset in [low, from] where instruction `next` can start (and, given gate bits, where
 * they are set at offset − base), or -1 when there is none.
 */
function lastStart(firsts: Uint32Array, only: string, next: number, s: string, from: number, low: number, bits: Uint8Array | null, base: number): number {
  let p = from;
  if (only !== "") {
    // One possible first character (an ASCII one, never half of a pair): search for it.
    for (;;) {
      if (p < low) return -1;
      p = s.lastIndexOf(only, p);
      if (p < low) return -1;
      if (bits === null || bits[p - base] !== 0) return p;
      p--;
    }
  }
  if (bits === null) {
    while (p > low && !canStart(firsts, next, s, p)) p = stepBack(s, p);
    return canStart(firsts, next, s, p) ? p : -1;
  }
  while (p > low && (bits[p - base] === 0 || !canStart(firsts, next, s, p))) p = stepBack(s, p);
  return bits[p - base] !== 0 && canStart(firsts, next, s, p) ? p : -1;
}

/**
 * For each instruction whose FIRST set is exactly one ASCII character (it cannot match empty or
 * start with anything else), that character; "" for the others.
 */
function onlyFirstChars(firsts: Uint32Array, count: number): string[] {
  const out: string[] = new Array(count).fill("");
  for (let pc = 0; pc < count; pc++) {
    const at = pc * FIRST_STRIDE;
    if (firsts[at + 4] !== 0) continue;
    // exactly one bit set over the four 32-bit words
    let only = -1;
    for (let w = 0; w < 4; w++) {
      const x = firsts[at + w]!;
      if (x === 0) continue;
      if (only >= 0 || (x & (x - 1)) !== 0) {
        only = -2;
        break;
      }
      only = w * 32 + 31 - Math.clz32(x);
    }
    if (only >= 0) out[pc] = String.fromCharCode(only);
  }
  return out;
}

function canStart(firsts: Uint32Array, pc: number, s: string, pos: number): boolean {
  const at = pc * FIRST_STRIDE;
  const flags = firsts[at + 4];
  if (flags & FIRST_EMPTY) return true;
  if (pos >= s.length) return false;
  const c = s.charCodeAt(pos);
  if (c < 128) return (firsts[at + (c >>> 5)] & (1 << (c & 31))) !== 0;
  return (flags & FIRST_HIGH) !== 0;
}

function codePointAt(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length) {
    const d = s.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  // A lone surrogate is what invalid UTF-8 decodes to for RE2: U+FFFD, one unit wide.
  return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
}

function widthAt(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length) {
    const d = s.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function stepBack(s: string, pos: number): number {
  if (pos >= 2) {
    const d = s.charCodeAt(pos - 1);
    const c = s.charCodeAt(pos - 2);
    if (d >= 0xdc00 && d <= 0xdfff && c >= 0xd800 && c <= 0xdbff) return pos - 2;
  }
  return pos - 1;
}

/** The offset after `min` characters from `pos` (the span already checked they exist). */
function minEnd(s: string, pos: number, min: number): number {
  let p = pos;
  for (let k = 0; k < min; k++) p += widthAt(s, p);
  return p;
}

function inHigh(high: Int32Array, c: number): boolean {
  let lo = 0;
  let hi = high.length >>> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c < high[mid * 2]) hi = mid;
    else if (c > high[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

export function inSetAt(set: CharSet, s: string, pos: number): boolean {
  const c = s.charCodeAt(pos);
  if (c < 128) return set.ascii[c] !== 0;
  return inHigh(set.high, c >= 0xd800 && c <= 0xdfff ? codePointAt(s, pos) : c);
}

/** Width of the character at pos if the span's character class accepts it, else 0. */
function matchSpanChar(set: number, cp: number, sets: readonly CharSet[], s: string, pos: number, limit: number): number {
  if (pos >= limit) return 0;
  const c = s.charCodeAt(pos);
  if (set >= 0) {
    if (c < 128) return sets[set].ascii[c] !== 0 ? 1 : 0;
    if (c >= 0xd800 && c <= 0xdfff) {
      const r = codePointAt(s, pos);
      return inHigh(sets[set].high, r) ? (r > 0xffff ? 2 : 1) : 0;
    }
    return inHigh(sets[set].high, c) ? 1 : 0;
  }
  if (set === SPAN_ANY_NOT_NL) return c === 10 ? 0 : widthAt(s, pos);
  if (set === SPAN_ANY) return widthAt(s, pos);
  if (c >= 0xd800 && c <= 0xdfff) {
    const r = codePointAt(s, pos);
    return r === cp ? (r > 0xffff ? 2 : 1) : 0;
  }
  return c === cp ? 1 : 0;
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function emptyHolds(flags: number, s: string, pos: number): boolean {
  const n = s.length;
  if (flags & EMPTY_BEGIN_TEXT && pos !== 0) return false;
  if (flags & EMPTY_END_TEXT && pos !== n) return false;
  if (flags & EMPTY_BEGIN_LINE && pos !== 0 && s.charCodeAt(pos - 1) !== 10) return false;
  if (flags & EMPTY_END_LINE && pos !== n && s.charCodeAt(pos) !== 10) return false;
  if (flags & (EMPTY_WORD_BOUNDARY | EMPTY_NOT_WORD_BOUNDARY)) {
    const before = pos > 0 && isWordChar(s.charCodeAt(pos - 1));
    const after = pos < n && isWordChar(s.charCodeAt(pos));
    if (flags & EMPTY_WORD_BOUNDARY && before === after) return false;
    if (flags & EMPTY_NOT_WORD_BOUNDARY && before !== after) return false;
  }
  return true;
}
