// Syntax tree → JavaScript RegExp source (no flags, so never the `u` flag) with RE2's meaning:
// `.` refuses only \n, classes are RE2's ASCII ones, `$` is end of text, (?m) anchors are spelled
// with lookarounds, and (?i) was already expanded into classes by the parser. What JS cannot say
// without `u` (Unicode property classes, astral sets) is reported, and the linear engine runs it.

import type { Ranges } from "./charset";
import type { Node } from "./syntax";

export type JsSource = { ok: true; source: string } | { ok: false; reason: string };

const ASTRAL_START = 0x10000;

export function emitJs(root: Node): JsSource {
  try {
    return { ok: true, source: emit(root) };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.reason };
    throw e;
  }
}

class Unsupported {
  constructor(readonly reason: string) {}
}

function emit(node: Node): string {
  switch (node.kind) {
    case "empty":
      return "(?:)";
    case "literal":
      return node.cp > 0xffff ? `(?:${escapeChar(node.cp, false)})` : escapeChar(node.cp, false);
    case "class":
      return emitClass(node.ranges, node.unicodeClass);
    case "any":
      return node.newline ? "[^]" : "[^\\n]";
    case "assert":
      switch (node.what) {
        case "begin-text":
          return "^";
        case "end-text":
          return "$";
        case "begin-line":
          return "(?<![^\\n])";
        case "end-line":
          return "(?![^\\n])";
        case "word-boundary":
          return "\\b";
        case "not-word-boundary":
          return "\\B";
        default: {
          const never: never = node.what;
          throw new Error(`unknown assertion ${String(never)}`);
        }
      }
    case "capture":
      return `(${emit(node.sub)})`;
    case "concat": {
      let s = "";
      for (const sub of node.subs) s += sub.kind === "alt" ? `(?:${emit(sub)})` : emit(sub);
      return s;
    }
    case "alt":
      return node.subs.map(emit).join("|");
    case "repeat": {
      const sub = node.sub;
      const isAtom =
        (sub.kind === "literal" && sub.cp <= 0xffff) || sub.kind === "class" || sub.kind === "any" || sub.kind === "capture";
      const body = isAtom ? emit(sub) : `(?:${emit(sub)})`;
      return body + quantifier(node.min, node.max) + (node.greedy ? "" : "?");
    }
    default: {
      const never: never = node;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}

function quantifier(min: number, max: number): string {
  if (max === -1) return min === 0 ? "*" : min === 1 ? "+" : `{${min},}`;
  if (min === 0 && max === 1) return "?";
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

// Without `u`, a JS class matches one UTF-16 unit. A set that holds every astral code point is
// the same as one holding every surrogate (the usual negated class); any other astral set is not.
function emitClass(ranges: Ranges, unicodeClass: boolean): string {
  if (unicodeClass) throw new Unsupported("Unicode character class");
  const units: Ranges = [];
  let astral = false;
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i];
    const hi = ranges[i + 1];
    if (lo < ASTRAL_START) units.push(lo, Math.min(hi, 0xffff));
    if (hi >= ASTRAL_START) {
      if (lo > ASTRAL_START || hi < 0x10ffff) throw new Unsupported("class with characters beyond U+FFFF");
      astral = true;
    }
  }
  if (astral) addRange(units, 0xd800, 0xdfff);
  if (units.length === 0) return "[]";
  if (units.length === 2 && units[0] === 0 && units[1] === 0xffff) return "[^]";
  if (units.length === 2 && units[0] === units[1]) return escapeChar(units[0], false);
  const negate = units[0] === 0 && units[units.length - 1] === 0xffff;
  const set = negate ? complement(units) : units;
  let s = negate ? "[^" : "[";
  for (let i = 0; i < set.length; i += 2) {
    s += escapeChar(set[i], true);
    if (set[i + 1] !== set[i]) s += (set[i + 1] > set[i] + 1 ? "-" : "") + escapeChar(set[i + 1], true);
  }
  return s + "]";
}

function addRange(units: Ranges, lo: number, hi: number): void {
  const all: [number, number][] = [[lo, hi]];
  for (let i = 0; i < units.length; i += 2) all.push([units[i], units[i + 1]]);
  all.sort((a, b) => a[0] - b[0]);
  units.length = 0;
  for (const [a, b] of all) {
    const n = units.length;
    if (n > 0 && a <= units[n - 1] + 1) units[n - 1] = Math.max(units[n - 1], b);
    else units.push(a, b);
  }
}

function complement(units: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < units.length; i += 2) {
    if (units[i] > next) out.push(next, units[i] - 1);
    next = units[i + 1] + 1;
  }
  if (next <= 0xffff) out.push(next, 0xffff);
  return out;
}

const SYNTAX = new Set("\\^$.|?*+()[]{}/-");

function escapeChar(cp: number, inClass: boolean): string {
  if (cp > 0xffff) {
    const s = String.fromCodePoint(cp);
    return `\\u${hex4(s.charCodeAt(0))}\\u${hex4(s.charCodeAt(1))}`;
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp >= 0x80) return `\\u${hex4(cp)}`;
  const c = String.fromCharCode(cp);
  if (SYNTAX.has(c) && (inClass || c !== "-")) return `\\${c}`;
  return c;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}
