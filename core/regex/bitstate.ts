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
  ) {
    this.caps = new Int32Array(prog.slots);
    this.anchored = anchored;
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
              let end = pos;
              let count = 0;
              const loopRow = span.min > 0 ? row + 1 : row;
              while (end < n && (unbounded || count < max)) {
                const width = matchSpanChar(span.set, span.cp, sets, s, end, n);
                if (width === 0) break;
                if (unbounded && count + 1 >= span.min) {
                  const bit = loopRow * stride + end + width - base;
                  const w = bit >>> 5;
                  const m = 1 << (bit & 31);
                  if ((visited[w] & m) !== 0) break;
                  visited[w] |= m;
                }
                end += width;
                count++;
              }
              if (count < span.min) break explore;
              // Longest first; positions before `end` are tried when the continuation fails.
              // Positions where the continuation cannot even start are skipped outright: a
              // %{GREEDYDATA} before ", client: " gives back to the last comma in one loop.
              const low = minEnd(s, pos, span.min);
              const next = outs[pc];
              while (end > low && !canStart(firsts, next, s, end)) end = stepBack(s, end);
              if (end === low && !canStart(firsts, next, s, end)) break explore;
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
            let prev = stepBack(s, jpos);
            while (prev > extra && !canStart(firsts, next, s, prev)) prev = stepBack(s, prev);
            if (prev === extra && !canStart(firsts, next, s, prev)) continue;
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
