// Which patterns JavaScript's backtracking RegExp may run, and which need the linear engine.
//
// A backtracking engine is only safe when every choice it makes can be undone cheaply. Measured
// in Bun on 64 KiB lines, even `\d+\.` costs 1.3 s unanchored (each start position rescans the
// run), `(.*?) x` 3.7 s, and `(\S+\.?)+`-shaped host patterns are exponential. So the native path
// is kept for patterns where the analysis below proves the work is linear:
//   - no repetition nested in an unbounded repetition, no nullable unbounded body;
//   - at every unbounded repetition the next character decides between "one more" and "stop"
//     (the body's first characters and what may follow are disjoint), so undoing it is O(1) a step;
//   - unanchored patterns: no unbounded repetition may consume a character that could start a
//     match, otherwise each start position rescans the same run.
// Capture semantics also differ where a group sits in a repetition that may skip it (JS resets
// the group each iteration, RE2 keeps the last value), so those patterns go linear too.

import { type Ranges, MAX_RUNE, rangesIntersect, unionRanges } from "./charset";
import type { Node } from "./syntax";

export type Verdict = { native: true } | { native: false; reason: string };

const ALL: Ranges = [0, MAX_RUNE];
const NONE: Ranges = [];

interface Follow {
  readonly chars: Ranges;
  /** The pattern may end here (a match is then found, nothing is undone). */
  readonly canEnd: boolean;
}

export function assessBacktracking(root: Node): Verdict {
  const capture = captureHazard(root, false, false);
  if (capture) return { native: false, reason: capture };
  const nested = nestingHazard(root, false);
  if (nested) return { native: false, reason: nested };
  const ambiguous = ambiguityHazard(root, { chars: NONE, canEnd: true });
  if (ambiguous) return { native: false, reason: ambiguous };
  if (!isAnchoredAtStart(root)) {
    const starts = first(root);
    const overlap = restartHazard(root, starts);
    if (overlap) return { native: false, reason: overlap };
  }
  return { native: true };
}

/** True when `\A`/`^` (not multi-line) must match first on every path. */
export function isAnchoredAtStart(node: Node): boolean {
  switch (node.kind) {
    case "assert":
      return node.what === "begin-text";
    case "capture":
      return isAnchoredAtStart(node.sub);
    case "concat":
      for (const s of node.subs) {
        if (isAnchoredAtStart(s)) return true;
        if (!isEmptyWidth(s)) return false;
      }
      return false;
    case "alt":
      return node.subs.every(isAnchoredAtStart);
    case "repeat":
      return node.min > 0 && isAnchoredAtStart(node.sub);
    default:
      return false;
  }
}

function isEmptyWidth(node: Node): boolean {
  switch (node.kind) {
    case "empty":
    case "assert":
      return true;
    case "capture":
      return isEmptyWidth(node.sub);
    case "concat":
    case "alt":
      return node.subs.every(isEmptyWidth);
    case "repeat":
      return node.max === 0 || isEmptyWidth(node.sub);
    default:
      return false;
  }
}

export function nullable(node: Node): boolean {
  const hit = nullableMemo.get(node);
  if (hit !== undefined) return hit;
  const r = nullableOf(node);
  nullableMemo.set(node, r);
  return r;
}

// Grok expansions share sub-trees and the analyses ask the same questions of a node many times:
// each answer is computed once per node (the trees are immutable).
const nullableMemo = new WeakMap<Node, boolean>();
const firstMemo = new WeakMap<Node, Ranges>();
const charsMemo = new WeakMap<Node, Ranges>();
const repeatMemo = new WeakMap<Node, boolean>();

function nullableOf(node: Node): boolean {
  switch (node.kind) {
    case "empty":
    case "assert":
      return true;
    case "literal":
    case "class":
    case "any":
      return false;
    case "capture":
      return nullable(node.sub);
    case "concat":
      return node.subs.every(nullable);
    case "alt":
      return node.subs.some(nullable);
    case "repeat":
      return node.min === 0 || nullable(node.sub);
  }
}

/** Characters a non-empty match of `node` can start with. */
export function first(node: Node): Ranges {
  const hit = firstMemo.get(node);
  if (hit !== undefined) return hit;
  const r = firstOf(node);
  firstMemo.set(node, r);
  return r;
}

function firstOf(node: Node): Ranges {
  switch (node.kind) {
    case "empty":
    case "assert":
      return NONE;
    case "literal":
      return [node.cp, node.cp];
    case "class":
      return node.ranges;
    case "any":
      return node.newline ? ALL : [0, 9, 11, MAX_RUNE];
    case "capture":
      return first(node.sub);
    case "concat": {
      let acc: Ranges = NONE;
      for (const s of node.subs) {
        acc = unionRanges(acc, first(s));
        if (!nullable(s)) break;
      }
      return acc;
    }
    case "alt":
      return node.subs.reduce<Ranges>((acc, s) => unionRanges(acc, first(s)), NONE);
    case "repeat":
      return node.max === 0 ? NONE : first(node.sub);
  }
}

/** Every character a match of `node` can consume. */
function chars(node: Node): Ranges {
  const hit = charsMemo.get(node);
  if (hit !== undefined) return hit;
  const r = charsOf(node);
  charsMemo.set(node, r);
  return r;
}

function charsOf(node: Node): Ranges {
  switch (node.kind) {
    case "capture":
      return chars(node.sub);
    case "concat":
    case "alt":
      return node.subs.reduce<Ranges>((acc, s) => unionRanges(acc, chars(s)), NONE);
    case "repeat":
      return node.max === 0 ? NONE : chars(node.sub);
    default:
      return first(node);
  }
}

function isUnbounded(node: Node): node is Extract<Node, { kind: "repeat" }> {
  return node.kind === "repeat" && node.max === -1;
}

function hasRepeat(node: Node): boolean {
  const hit = repeatMemo.get(node);
  if (hit !== undefined) return hit;
  const r = hasRepeatOf(node);
  repeatMemo.set(node, r);
  return r;
}

function hasRepeatOf(node: Node): boolean {
  switch (node.kind) {
    case "repeat":
      return node.max > 1 || node.max === -1 || hasRepeat(node.sub);
    case "capture":
      return hasRepeat(node.sub);
    case "concat":
    case "alt":
      return node.subs.some(hasRepeat);
    default:
      return false;
  }
}

function nestingHazard(node: Node, inUnbounded: boolean): string | null {
  switch (node.kind) {
    case "repeat":
      if (node.max === -1 || node.max > 1) {
        if (inUnbounded && hasRepeat(node.sub)) return "nested repetition";
        if (node.max === -1 && nullable(node.sub)) return "repetition of an expression that can match empty";
        if (node.max === -1 && hasRepeat(node.sub)) return "nested repetition";
      }
      return nestingHazard(node.sub, inUnbounded || node.max === -1);
    case "capture":
      return nestingHazard(node.sub, inUnbounded);
    case "concat":
    case "alt":
      for (const s of node.subs) {
        const r = nestingHazard(s, inUnbounded);
        if (r) return r;
      }
      return null;
    default:
      return null;
  }
}

// Walks with what may follow each node; at each repetition that can run long, "one more
// iteration" and "stop here" must start with different characters.
function ambiguityHazard(node: Node, follow: Follow, repeated = false): string | null {
  switch (node.kind) {
    case "capture":
      return ambiguityHazard(node.sub, follow, repeated);
    case "concat": {
      let f = follow;
      for (let i = node.subs.length - 1; i >= 0; i--) {
        const s = node.subs[i];
        const r = ambiguityHazard(s, f, repeated);
        if (r) return r;
        const fs = first(s);
        f = nullable(s) ? { chars: unionRanges(fs, f.chars), canEnd: f.canEnd } : { chars: fs, canEnd: false };
      }
      return null;
    }
    case "alt": {
      // Alternatives that can start alike are tried one after the other on the same text.
      for (let i = 0; i < node.subs.length; i++) {
        for (let j = i + 1; j < node.subs.length; j++) {
          // Under a repetition even fixed-length alternatives multiply: (a|aa)* on "aaa…b".
          if (repeated || hasRepeat(node.subs[i]) || hasRepeat(node.subs[j])) {
            if (rangesIntersect(first(node.subs[i]), first(node.subs[j]))) return "alternatives with a common start";
          }
        }
      }
      for (const s of node.subs) {
        const r = ambiguityHazard(s, follow, repeated);
        if (r) return r;
      }
      return null;
    }
    case "repeat": {
      if (node.max === -1 || node.max > 1) {
        const body = first(node.sub);
        if (!follow.canEnd && rangesIntersect(body, follow.chars)) return "repetition whose end is ambiguous";
        if (follow.canEnd && !node.greedy && rangesIntersect(body, follow.chars)) return "lazy repetition whose end is ambiguous";
      }
      const again = repeated || node.max === -1 || node.max > 1;
      return ambiguityHazard(node.sub, { chars: unionRanges(first(node.sub), follow.chars), canEnd: follow.canEnd }, again);
    }
    default:
      return null;
  }
}

function restartHazard(node: Node, starts: Ranges): string | null {
  switch (node.kind) {
    case "repeat":
      if (isUnbounded(node) && rangesIntersect(chars(node.sub), starts)) return "unanchored pattern whose repetition can rescan a start";
      return restartHazard(node.sub, starts);
    case "capture":
      return restartHazard(node.sub, starts);
    case "concat":
    case "alt":
      for (const s of node.subs) {
        const r = restartHazard(s, starts);
        if (r) return r;
      }
      return null;
    default:
      return null;
  }
}

// RE2 keeps a group's last captured value across iterations; JS clears the groups of a repeated
// body at each iteration. JS also refuses an iteration that matched empty (even for `?`), so
// `(?:a??)?` matches "a" in JS and "" in RE2. Such patterns run on the linear engine.
function captureHazard(node: Node, inRepeat: boolean, optionalInRepeat: boolean): string | null {
  switch (node.kind) {
    case "capture":
      if (optionalInRepeat) return "capture group that a repetition may skip";
      return captureHazard(node.sub, inRepeat, optionalInRepeat);
    case "repeat": {
      const repeats = node.max === -1 || node.max > 1;
      // JS refuses an iteration that matched empty and backtracks into the body; RE2 accepts it.
      if (node.max !== 0 && nullable(node.sub)) return "repetition of an expression that can match empty";
      return captureHazard(node.sub, inRepeat || repeats, optionalInRepeat || (inRepeat && node.min === 0));
    }
    case "concat":
      for (const s of node.subs) {
        const r = captureHazard(s, inRepeat, optionalInRepeat);
        if (r) return r;
      }
      return null;
    case "alt":
      for (const s of node.subs) {
        const r = captureHazard(s, inRepeat, optionalInRepeat || inRepeat);
        if (r) return r;
      }
      return null;
    default:
      return null;
  }
}
