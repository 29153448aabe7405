// RE2 (Go regexp/syntax, Perl flags) source text → syntax tree. Accepts exactly what Go's
// regexp.Compile accepts, and rejects the rest with RE2's reason and the column where it failed.

import {
  type Ranges,
  MAX_RUNE,
  PERL_CLASSES,
  POSIX_CLASSES,
  cleanRanges,
  foldAsciiRanges,
  foldRune,
  negateRanges,
} from "./charset";

export type AssertKind =
  | "begin-text"
  | "end-text"
  | "begin-line"
  | "end-line"
  | "word-boundary"
  | "not-word-boundary";

export type Node =
  | { readonly kind: "empty" }
  | { readonly kind: "literal"; readonly cp: number }
  /** A set of code points. `unicodeClass` marks `\p{…}` sets, which only the linear engine knows. */
  | { readonly kind: "class"; readonly ranges: Ranges; readonly unicodeClass: boolean }
  | { readonly kind: "any"; readonly newline: boolean }
  | { readonly kind: "assert"; readonly what: AssertKind }
  | { readonly kind: "capture"; readonly index: number; readonly name: string | undefined; readonly sub: Node }
  | { readonly kind: "concat"; readonly subs: readonly Node[] }
  | { readonly kind: "alt"; readonly subs: readonly Node[] }
  | { readonly kind: "repeat"; readonly min: number; readonly max: number; readonly greedy: boolean; readonly sub: Node };

export interface ParsedRegex {
  readonly root: Node;
  readonly groupCount: number;
  /** Index 0 is the whole match; unnamed groups are undefined. */
  readonly groupNames: readonly (string | undefined)[];
}

export interface SyntaxError {
  /** RE2's words for the failure, e.g. "missing closing )". */
  readonly reason: string;
  /** 0-based offset (UTF-16 units) in the source where the failure is. */
  readonly offset: number;
}

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
  ungreedy: boolean;
}

const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;

class Failure {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

/** Parses an RE2 pattern; `caseInsensitive` is the same as a leading `(?i)`. */
export function parseRe2(src: string, caseInsensitive = false): { ok: true; value: ParsedRegex } | { ok: false; error: SyntaxError } {
  const p = new Parser(src, caseInsensitive);
  try {
    const root = p.parseAll();
    return { ok: true, value: { root, groupCount: p.groupNames.length - 1, groupNames: p.groupNames } };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: { reason: e.reason, offset: e.offset } };
    throw e;
  }
}

class Parser {
  pos = 0;
  flags: Flags;
  depth = 0;
  readonly groupNames: (string | undefined)[] = [undefined];
  readonly names = new Set<string>();

  constructor(
    readonly src: string,
    caseInsensitive: boolean,
  ) {
    this.flags = { fold: caseInsensitive, multiLine: false, dotNL: false, ungreedy: false };
  }

  parseAll(): Node {
    const node = this.parseAlternation();
    if (this.pos < this.src.length) {
      // parseAlternation stops only at the end or at a ')' it does not own.
      throw new Failure("unexpected )", this.pos);
    }
    return node;
  }

  private parseAlternation(): Node {
    const branches: Node[] = [this.parseConcat()];
    while (this.src.charCodeAt(this.pos) === 0x7c /* | */) {
      this.pos++;
      branches.push(this.parseConcat());
    }
    return branches.length === 1 ? branches[0] : { kind: "alt", subs: branches };
  }

  private parseConcat(): Node {
    const items: Node[] = [];
    // Where the previous item was a repetition operator: RE2 rejects `a**` and `a{2}*`.
    let lastRepeatAt = -1;
    while (this.pos < this.src.length) {
      const c = this.src.charCodeAt(this.pos);
      if (c === 0x7c || c === 0x29) break; // | )
      const start = this.pos;
      const rep = this.tryRepeat();
      if (rep) {
        if (lastRepeatAt >= 0) throw new Failure(`invalid nested repetition operator: \`${this.src.slice(lastRepeatAt, this.pos)}\``, lastRepeatAt);
        if (items.length === 0) throw new Failure(`missing argument to repetition operator: \`${this.src.slice(start, this.pos)}\``, start);
        const node: Node = { kind: "repeat", min: rep.min, max: rep.max, greedy: rep.greedy, sub: items[items.length - 1] };
        if (rep.counted && (rep.min >= 2 || rep.max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
          throw new Failure(`invalid repeat count: \`${this.src.slice(start, this.pos)}\``, start);
        }
        items[items.length - 1] = node;
        lastRepeatAt = start;
        continue;
      }
      lastRepeatAt = -1;
      this.parseAtom(items);
    }
    if (items.length === 0) return { kind: "empty" };
    return items.length === 1 ? items[0] : { kind: "concat", subs: items };
  }

  /** Reads `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (each optionally lazy) at pos; null if none. */
  private tryRepeat(): { min: number; max: number; greedy: boolean; counted: boolean } | null {
    const c = this.src[this.pos];
    let min: number;
    let max: number;
    let counted = false;
    if (c === "*") [min, max] = [0, -1];
    else if (c === "+") [min, max] = [1, -1];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 40));
      // Go parseInt refuses leading zeros; an unparsable brace is a literal '{'.
      if (!m || (m[1].length > 1 && m[1][0] === "0") || (m[3] && m[3].length > 1 && m[3][0] === "0")) return null;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
        throw new Failure(`invalid repeat count: \`${m[0]}\``, this.pos);
      }
      counted = true;
      this.pos += m[0].length - 1;
    } else return null;
    this.pos++;
    let greedy = true;
    if (this.src[this.pos] === "?") {
      greedy = false;
      this.pos++;
    }
    if (this.flags.ungreedy) greedy = !greedy;
    return { min, max, greedy, counted };
  }

  private parseAtom(items: Node[]): void {
    const src = this.src;
    const start = this.pos;
    const c = src[start];
    switch (c) {
      case "(":
        this.parseGroup(items);
        return;
      case "[":
        items.push(this.parseClass());
        return;
      case "^":
        this.pos++;
        items.push({ kind: "assert", what: this.flags.multiLine ? "begin-line" : "begin-text" });
        return;
      case "$":
        this.pos++;
        items.push({ kind: "assert", what: this.flags.multiLine ? "end-line" : "end-text" });
        return;
      case ".":
        this.pos++;
        items.push({ kind: "any", newline: this.flags.dotNL });
        return;
      case "\\":
        this.parseBackslash(items);
        return;
      default: {
        const cp = this.readRune();
        items.push(this.literal(cp));
      }
    }
  }

  private literal(cp: number): Node {
    if (!this.flags.fold) return { kind: "literal", cp };
    const orbit = foldRune(cp);
    if (orbit === null) return { kind: "class", ranges: [cp, cp], unicodeClass: true };
    return orbit.length === 2 && orbit[0] === orbit[1] ? { kind: "literal", cp } : { kind: "class", ranges: orbit, unicodeClass: false };
  }

  private readRune(): number {
    const cp = this.src.codePointAt(this.pos);
    if (cp === undefined) throw new Failure("unexpected end of expression", this.pos);
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Failure("invalid UTF-8", this.pos);
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private parseGroup(items: Node[]): void {
    const src = this.src;
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) throw new Failure("expression nests too deeply", start);
    const saved = { ...this.flags };
    let name: string | undefined;
    let capturing = true;
    if (src[start + 1] === "?") {
      const rest = src.slice(start, start + 4);
      if (rest.startsWith("(?=") || rest.startsWith("(?!") || rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
        throw new Failure(`invalid or unsupported Perl syntax: \`${rest.startsWith("(?<") ? rest : rest.slice(0, 3)}\` (RE2 has no lookaround)`, start);
      }
      if (rest.startsWith("(?P<") || rest.startsWith("(?<")) {
        const begin = start + (rest[2] === "P" ? 4 : 3);
        const end = src.indexOf(">", begin);
        if (end < 0) throw new Failure(`invalid named capture: \`${src.slice(start)}\``, start);
        name = src.slice(begin, end);
        if (!/^\w+$/.test(name)) throw new Failure(`invalid named capture: \`${src.slice(start, end + 1)}\``, start);
        if (this.names.has(name)) throw new Failure(`duplicate capture group name: \`${src.slice(start, end + 1)}\``, start);
        this.names.add(name);
        this.pos = end + 1;
      } else {
        // (?flags) or (?flags:re)
        let i = start + 2;
        let negate = false;
        let sawFlag = false;
        const next = { ...this.flags };
        for (;;) {
          const f = src[i];
          if (f === "i" || f === "m" || f === "s" || f === "U") {
            const on = !negate;
            if (f === "i") next.fold = on;
            else if (f === "m") next.multiLine = on;
            else if (f === "s") next.dotNL = on;
            else next.ungreedy = on;
            sawFlag = true;
            i++;
          } else if (f === "-" && !negate) {
            negate = true;
            sawFlag = false;
            i++;
          } else if ((f === ":" || f === ")") && (!negate || sawFlag)) {
            break;
          } else {
            throw new Failure(`invalid or unsupported Perl syntax: \`${src.slice(start, i + 1)}\``, start);
          }
        }
        if (src[i] === ")") {
          // (?flags): applies to the rest of the enclosing group, across its alternatives.
          this.flags = next;
          this.pos = i + 1;
          this.depth--;
          return;
        }
        this.flags = next;
        this.pos = i + 1;
        capturing = false;
      }
    } else {
      this.pos++;
    }
    const index = capturing ? this.groupNames.push(name) - 1 : 0;
    const sub = this.parseAlternation();
    if (src[this.pos] !== ")") throw new Failure(`missing closing ): \`${src.slice(start)}\``, start);
    this.pos++;
    this.flags = saved;
    this.depth--;
    items.push(capturing ? { kind: "capture", index, name, sub } : sub);
  }

  private parseBackslash(items: Node[]): void {
    const src = this.src;
    const start = this.pos;
    const c = src[start + 1];
    switch (c) {
      case "A":
        this.pos += 2;
        items.push({ kind: "assert", what: "begin-text" });
        return;
      case "z":
        this.pos += 2;
        items.push({ kind: "assert", what: "end-text" });
        return;
      case "b":
        this.pos += 2;
        items.push({ kind: "assert", what: "word-boundary" });
        return;
      case "B":
        this.pos += 2;
        items.push({ kind: "assert", what: "not-word-boundary" });
        return;
      case "C":
        throw new Failure("invalid escape sequence: `\\C`", start);
      case "Q": {
        const end = src.indexOf("\\E", start + 2);
        const lit = end < 0 ? src.slice(start + 2) : src.slice(start + 2, end);
        this.pos = start + 2;
        const stop = start + 2 + lit.length;
        while (this.pos < stop) items.push(this.literal(this.readRune()));
        this.pos = end < 0 ? src.length : end + 2;
        return;
      }
      case "p":
      case "P":
        items.push(this.parseUnicodeClass());
        return;
      case "d":
      case "D":
      case "w":
      case "W":
      case "s":
      case "S": {
        this.pos += 2;
        const r = [...PERL_CLASSES[c.toLowerCase()]];
        if (this.flags.fold) foldAsciiRanges(r);
        items.push({ kind: "class", ranges: c === c.toUpperCase() ? negateRanges(r) : r, unicodeClass: false });
        return;
      }
    }
    items.push(this.literal(this.parseEscape()));
  }

  /** `\pL`, `\p{Greek}`, `\P{^Greek}`: kept for the linear engine, which knows Unicode tables. */
  private parseUnicodeClass(): Node {
    const src = this.src;
    const start = this.pos;
    let end: number;
    if (src[start + 2] === "{") {
      end = src.indexOf("}", start + 3);
      if (end < 0 || !/^\^?[A-Za-z_]+$/.test(src.slice(start + 3, end))) throw new Failure(`invalid character class range: \`${src.slice(start, end < 0 ? undefined : end + 1)}\``, start);
      end++;
    } else {
      if (!/[A-Za-z]/.test(src[start + 2] ?? "")) throw new Failure(`invalid character class range: \`${src.slice(start, start + 3)}\``, start);
      end = start + 3;
    }
    this.pos = end;
    return { kind: "class", ranges: [0, MAX_RUNE], unicodeClass: true };
  }

  /** A single-character escape after `\` (Go parseEscape); returns the code point. */
  private parseEscape(): number {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    if (this.pos >= src.length) throw new Failure("trailing backslash at end of expression", start);
    const cp = this.readRune();
    const c = String.fromCodePoint(cp);
    const bad = (): never => {
      throw new Failure(`invalid escape sequence: \`${src.slice(start, this.pos)}\``, start);
    };
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return cp;
    if (c >= "1" && c <= "7") {
      // A lone digit would be a backreference, which RE2 does not support.
      if (!/[0-7]/.test(src[this.pos] ?? "")) bad();
    }
    if (c >= "0" && c <= "7") {
      let r = cp - 0x30;
      for (let i = 1; i < 3 && /[0-7]/.test(src[this.pos] ?? ""); i++) r = r * 8 + src.charCodeAt(this.pos++) - 0x30;
      return r;
    }
    switch (c) {
      case "a":
        return 7;
      case "f":
        return 12;
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "v":
        return 11;
      case "x": {
        if (src[this.pos] === "{") {
          const end = src.indexOf("}", this.pos);
          const hex = end < 0 ? "" : src.slice(this.pos + 1, end);
          if (!/^[0-9A-Fa-f]+$/.test(hex)) {
            this.pos = end < 0 ? src.length : end + 1;
            return bad();
          }
          const v = parseInt(hex, 16);
          this.pos = end + 1;
          if (v > MAX_RUNE) return bad();
          return v;
        }
        const hex = src.slice(this.pos, this.pos + 2);
        this.pos = Math.min(src.length, this.pos + 2);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return bad();
        return parseInt(hex, 16);
      }
    }
    return bad();
  }

  private parseClass(): Node {
    const src = this.src;
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (src[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    const ranges: Ranges = [];
    let unicodeClass = false;
    let first = true;
    const missing = () => new Failure(`missing closing ]: \`${src.slice(start)}\``, start);
    while (first || src[this.pos] !== "]") {
      if (this.pos >= src.length) throw missing();
      first = false;
      // [:alpha:] and [:^alpha:]
      if (src[this.pos] === "[" && src[this.pos + 1] === ":") {
        const end = src.indexOf(":]", this.pos + 2);
        if (end >= 0) {
          let name = src.slice(this.pos + 2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const set = POSIX_CLASSES[name];
          if (!set) throw new Failure(`invalid character class range: \`${src.slice(this.pos, end + 2)}\``, this.pos);
          ranges.push(...(neg ? negateRanges(set) : set));
          this.pos = end + 2;
          continue;
        }
      }
      if (src[this.pos] === "\\") {
        const e = src[this.pos + 1];
        if (e === "p" || e === "P") {
          this.parseUnicodeClass();
          unicodeClass = true;
          continue;
        }
        if (e !== undefined && "dDwWsS".includes(e)) {
          const set = PERL_CLASSES[e.toLowerCase()];
          ranges.push(...(e === e.toUpperCase() ? negateRanges(set) : set));
          this.pos += 2;
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(missing);
      let hi = lo;
      if (src[this.pos] === "-" && this.pos + 1 < src.length && src[this.pos + 1] !== "]") {
        this.pos++;
        hi = this.classChar(missing);
        if (hi < lo) throw new Failure(`invalid character class range: \`${src.slice(rangeStart, this.pos)}\``, rangeStart);
      }
      ranges.push(lo, hi);
    }
    this.pos++;
    cleanRanges(ranges);
    if (this.flags.fold && !foldAsciiRanges(ranges)) unicodeClass = true;
    return { kind: "class", ranges: negated ? negateRanges(ranges) : ranges, unicodeClass };
  }

  private classChar(missing: () => Failure): number {
    if (this.pos >= this.src.length) throw missing();
    if (this.src[this.pos] === "\\") return this.parseEscape();
    return this.readRune();
  }
}

// Go's repeatIsValid: nested counted repetitions may not make more than 1000 copies of a node.
function repeatIsValid(node: Node, budget: number): boolean {
  let n = budget;
  if (node.kind === "repeat") {
    if (node.max === 0) return true;
    const m = node.max < 0 ? node.min : node.max;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  switch (node.kind) {
    case "repeat":
    case "capture":
      return repeatIsValid(node.sub, n);
    case "concat":
    case "alt":
      return node.subs.every((s) => repeatIsValid(s, n));
    default:
      return true;
  }
}
