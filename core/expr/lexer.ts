/**
 * Expression text → tokens, following expr-lang's lexer (parser/lexer/state.go): the same token
 * kinds, operators, string escapes and number syntax, so error messages name the same tokens.
 */

export type TokenKind = "Identifier" | "Number" | "String" | "Operator" | "Bracket" | "EOF" | "Error";

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, operator text, number text, or the decoded string; for Error, the message. */
  readonly value: string;
  /** UTF-16 offsets into the source. */
  readonly from: number;
  readonly to: number;
}

/** `Kind("value")` as upstream prints tokens in "unexpected token" messages. */
export function tokenText(t: Token): string {
  if (t.value === "" || t.kind === "EOF") return t.kind;
  return `${t.kind}(${goQuote(t.value)})`;
}

/** Go's %q / %#v for strings (enough for messages). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}

const KEYWORD_OPERATORS = new Set(["not", "in", "or", "and", "matches", "contains", "startsWith", "endsWith", "let", "if", "else"]);

const UNICODE_SPACE = /^[\u0085\u00a0\u2028\u2029\p{Zs}]$/u;

/** Go's unicode.IsSpace. */
export function isSpace(c: string): boolean {
  const k = c.charCodeAt(0);
  if (k < 128) return k === 32 || (k >= 9 && k <= 13);
  return UNICODE_SPACE.test(c);
}

/** Go's unicode.IsLetter || IsDigit || '_' || '$', the identifier alphabet. */
export function isAlphaNumeric(c: string): boolean {
  if (c.length === 1) {
    const k = c.charCodeAt(0);
    if ((k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36) return true;
    if (k < 128) return false;
  }
  return /^[\p{L}\p{Nd}]$/u.test(c);
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function hexValue(c: string): number {
  if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
  const l = c.toLowerCase();
  if (l >= "a" && l <= "f") return l.charCodeAt(0) - 87;
  return 16;
}

class LexError {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

/** Tokenises the whole source; a lexing error becomes a final Error token (the parser reports it when reached). */
export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let pos = 0;

  const charAt = (i: number): string => {
    if (i >= n) return "";
    const k = source.charCodeAt(i);
    if (k < 0xd800 || k > 0xdbff) return source[i] as string;
    return String.fromCodePoint(source.codePointAt(i) ?? 0);
  };
  const push = (kind: TokenKind, value: string, from: number, to: number) => tokens.push({ kind, value, from, to });

  try {
    while (pos < n) {
      const start = pos;
      const c = charAt(pos);
      if (isSpace(c)) {
        pos += c.length;
        continue;
      }
      if (c === "'" || c === '"') {
        const [value, end] = scanString(source, pos, c);
        pos = end;
        push("String", value, start, pos);
        continue;
      }
      if (c === "`") {
        const [value, end] = scanRawString(source, pos);
        pos = end;
        push("String", value, start, pos);
        continue;
      }
      if (isDigit(c) || (c === "." && isDigit(charAt(pos + 1)))) {
        pos = scanNumber(source, pos);
        push("Number", source.slice(start, pos), start, pos);
        continue;
      }
      if (c === "/" && (charAt(pos + 1) === "/" || charAt(pos + 1) === "*")) {
        if (charAt(pos + 1) === "/") {
          const nl = source.indexOf("\n", pos);
          pos = nl < 0 ? n : nl + 1;
        } else {
          const close = source.indexOf("*/", pos + 2);
          if (close < 0) throw new LexError("unclosed comment", n);
          pos = close + 2;
        }
        continue;
      }
      if (c === "#") {
        pos++;
        push("Operator", "#", start, pos);
        const nameStart = pos;
        while (pos < n && isAlphaNumeric(charAt(pos))) pos += charAt(pos).length;
        if (pos > nameStart) push("Identifier", source.slice(nameStart, pos), nameStart, pos);
        continue;
      }
      if (isAlphaNumeric(c)) {
        while (pos < n && isAlphaNumeric(charAt(pos))) pos += charAt(pos).length;
        const word = source.slice(start, pos);
        push(KEYWORD_OPERATORS.has(word) ? "Operator" : "Identifier", word, start, pos);
        continue;
      }
      pos += c.length;
      const next = charAt(pos);
      switch (c) {
        case "?":
          if (next === "." || next === "?") pos++;
          push("Operator", source.slice(start, pos), start, pos);
          break;
        case "|":
          if (next === "|") pos++;
          push("Operator", source.slice(start, pos), start, pos);
          break;
        case ":":
          if (next === ":") pos++;
          push("Operator", source.slice(start, pos), start, pos);
          break;
        case ".":
          if (next === ".") pos++;
          push("Operator", source.slice(start, pos), start, pos);
          break;
        case "(": case "[": case "{": case ")": case "]": case "}":
          push("Bracket", c, start, pos);
          break;
        case ",": case ";": case "%": case "+": case "-": case "^": case "/":
          push("Operator", c, start, pos);
          break;
        case "&": case "!": case "=": case "*": case "<": case ">":
          if (next === "&" || next === "=" || next === "*") pos++;
          push("Operator", source.slice(start, pos), start, pos);
          break;
        default:
          throw new LexError(`unrecognized character: ${goRuneText(c)}`, start);
      }
    }
    push("EOF", "", Math.max(0, n - 1), n);
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    tokens.push({ kind: "Error", value: e.message, from: e.at, to: e.at + 1 });
  }
  return tokens;
}

/** Go's %#U: `U+0040 '@'`. */
function goRuneText(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} '${c}'`;
}

function scanNumber(source: string, start: number): number {
  let pos = start;
  const n = source.length;
  let digits = "0123456789_";
  const accept = (set: string): boolean => {
    if (pos < n && set.includes(source[pos] as string)) {
      pos++;
      return true;
    }
    return false;
  };
  const acceptRun = (set: string) => {
    while (accept(set));
  };
  if (accept("0")) {
    if (accept("xX")) digits = "0123456789abcdefABCDEF_";
    else if (accept("oO")) digits = "01234567_";
    else if (accept("bB")) digits = "01_";
  }
  acceptRun(digits);
  const beforeDot = pos;
  if (accept(".")) {
    // `1..3` is a range: give the dot back
    if (source[pos] === ".") return beforeDot;
    acceptRun(digits);
  }
  if (accept("eE")) {
    accept("+-");
    acceptRun(digits);
  }
  if (pos < n) {
    const cp = String.fromCodePoint(source.codePointAt(pos) ?? 0);
    if (isAlphaNumeric(cp)) throw new LexError(`bad number syntax: ${goQuote(source.slice(start, pos + cp.length))}`, pos);
  }
  return pos;
}

function scanRawString(source: string, start: number): [string, number] {
  let out = "";
  let pos = start + 1;
  for (;;) {
    const close = source.indexOf("`", pos);
    if (close < 0) throw new LexError("literal not terminated", source.length);
    out += source.slice(pos, close);
    if (source[close + 1] === "`") {
      // a doubled backtick stands for one
      out += "`";
      pos = close + 2;
      continue;
    }
    return [out, close + 1];
  }
}

/** Scans and decodes a quoted string; escapes as upstream's scanEscape accepts and unescape decodes them. */
function scanString(source: string, start: number, quote: string): [string, number] {
  let out = "";
  let pos = start + 1;
  const n = source.length;
  for (;;) {
    if (pos >= n) throw new LexError("literal not terminated", n);
    const c = source[pos] as string;
    if (c === quote) return [out, pos + 1];
    if (c === "\n") throw new LexError("literal not terminated", pos);
    if (c === "\r") {
      // strings normalise newlines to \n
      out += "\n";
      pos += source[pos + 1] === "\n" ? 2 : 1;
      continue;
    }
    if (c !== "\\") {
      out += c;
      pos++;
      continue;
    }
    const e = source[pos + 1] ?? "";
    pos += 2;
    switch (e) {
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "\\": out += "\\"; break;
      case quote: out += quote; break;
      case "0": case "1": case "2": case "3": {
        const d1 = source[pos] ?? "";
        const d2 = source[pos + 1] ?? "";
        if (!(d1 >= "0" && d1 <= "7" && d2 >= "0" && d2 <= "7")) throw new LexError("invalid char escape", pos);
        out += String.fromCodePoint((e.charCodeAt(0) - 48) * 64 + (d1.charCodeAt(0) - 48) * 8 + (d2.charCodeAt(0) - 48));
        pos += 2;
        break;
      }
      case "x":
        out += String.fromCodePoint(readHex(source, pos, 2));
        pos += 2;
        break;
      case "U":
        out += String.fromCodePoint(checkedRune(readHex(source, pos, 8), pos));
        pos += 8;
        break;
      case "u": {
        if (source[pos] === "{") {
          const close = source.indexOf("}", pos);
          const hex = close < 0 ? "" : source.slice(pos + 1, close);
          if (hex.length === 0 || hex.length > 6 || ![...hex].every((h) => hexValue(h) < 16)) throw new LexError("invalid char escape", pos);
          out += String.fromCodePoint(checkedRune(parseInt(hex, 16), pos));
          pos = close + 1;
        } else {
          const v = readHex(source, pos, 4);
          if (v >= 0xd800 && v <= 0xdfff) out += "\ufffd";
          else out += String.fromCodePoint(v);
          pos += 4;
        }
        break;
      }
      default:
        throw new LexError(e === "4" || e === "5" || e === "6" || e === "7" ? "unable to unescape string" : "invalid char escape", pos - 1);
    }
  }
}

function readHex(source: string, pos: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const d = hexValue(source[pos + i] ?? "");
    if (d >= 16) throw new LexError("invalid char escape", pos + i);
    v = v * 16 + d;
  }
  return v;
}

function checkedRune(v: number, pos: number): number {
  if (v > 0x10ffff) throw new LexError("unable to unescape string", pos);
  if (v >= 0xd800 && v <= 0xdfff) return 0xfffd;
  return v;
}
