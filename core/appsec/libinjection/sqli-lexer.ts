/**
 * libinjection's SQL tokenizer: one character class per byte decides how the next token is read.
 *
 * Semantics are those of corazawaf/libinjection-go v0.3.2 (what CrowdSec links), which follows
 * the C original except where noted. The input is bytes (see bytes.ts).
 */
import { indexOfAscii, indexOfByte, indexOfRange } from "./bytes";
import { lookupSqlWord } from "./sqli-table";
import { SqlToken, Tok, TOKEN_VALUE_MAX } from "./sqli-token";

/** How the input is read: as-is, or as if it followed an opening quote; ANSI or MySQL comments. */
export type SqlQuote = "none" | "single" | "double";
export type SqlDialect = "ansi" | "mysql";

const SINGLE = 0x27;
const DOUBLE = 0x22;
const TICK = 0x60;

// Character classes, one per way of starting a token.
const WHITE = 0;
const WORD = 1;
const OTHER = 2;
const OPERATOR1 = 3;
const OPERATOR2 = 4;
const SINGLE_CHAR = 5; // ( ) , ; { }: the character is its own token type
const QUOTED = 6;
const HASH = 7;
const MONEY = 8;
const DASH = 9;
const SLASH = 10;
const NUMBER = 11;
const VARIABLE = 12;
const B_STRING = 13;
const E_STRING = 14;
const N_STRING = 15;
const Q_STRING = 16;
const U_STRING = 17;
const X_STRING = 18;
const BRACKET_WORD = 19;
const BACKSLASH = 20;
const TICK_WORD = 21;

function classTable(): Uint8Array {
  const table = new Uint8Array(256).fill(WORD);
  const set = (chars: string, cls: number) => {
    for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = cls;
  };
  for (let b = 0; b <= 32; b++) table[b] = WHITE;
  table[127] = WHITE;
  table[0xa0] = WHITE; // Latin-1 no-break space, also the second byte of UTF-8 "à", "Ġ", …
  set("?]", OTHER);
  set("%+^~", OPERATOR1);
  set("!&*:<=>|", OPERATOR2);
  set("(),;{}", SINGLE_CHAR);
  set("'\"", QUOTED);
  set("#", HASH);
  set("$", MONEY);
  set("-", DASH);
  set("/", SLASH);
  set(".0123456789", NUMBER);
  set("@", VARIABLE);
  set("Bb", B_STRING);
  set("Ee", E_STRING);
  set("Nn", N_STRING);
  set("Qq", Q_STRING);
  set("Uu", U_STRING);
  set("Xx", X_STRING);
  set("[", BRACKET_WORD);
  set("\\", BACKSLASH);
  set("`", TICK_WORD);
  return table;
}

const CLASS = classTable();

function byteSet(chars: string): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

const WORD_END = byteSet(" []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r\"\xa0\0");
const VARIABLE_END = byteSet(" <>:\\?=@!#~+-*/&|^%(),';\t\n\v\f\r'`\"");
const DIGITS = byteSet("0123456789");
const HEX_DIGITS = byteSet("0123456789ABCDEFabcdef");
const BINARY_DIGITS = byteSet("01");
const MONEY_CHARS = byteSet("0123456789.,");
const LETTERS = byteSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

/** SQL white space, as used by the number and comment rules (not the class table). */
export function isSqlWhite(ch: number): boolean {
  return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d) || ch === 0xa0 || ch === 0;
}

/** The tokenizer over one input; `next` fills `current`, which the folder points at its slots. */
export class SqlLexer {
  input: Uint8Array = new Uint8Array(0);
  length = 0;
  quote: SqlQuote = "none";
  dialect: SqlDialect = "ansi";
  pos = 0;
  current: SqlToken = new SqlToken();
  /** "--x" comments (ANSI only): a MySQL reading may differ. */
  ddxComments = 0;
  /** "#" seen: an operator in ANSI, a comment in MySQL. */
  hashComments = 0;
  /** Tokens produced so far, folded ones included. */
  tokenCount = 0;

  reset(input: Uint8Array, length: number, quote: SqlQuote, dialect: SqlDialect): void {
    this.input = input;
    this.length = length;
    this.quote = quote;
    this.dialect = dialect;
    this.pos = 0;
    this.ddxComments = 0;
    this.hashComments = 0;
    this.tokenCount = 0;
  }

  /** Reads the next token into `current`; false at the end of the input. */
  next(): boolean {
    if (this.length === 0) return false;
    this.current.clear();
    if (this.pos === 0 && this.quote !== "none") {
      // The input is the rest of a string whose opening quote came before it.
      this.pos = this.readQuoted(0, 0, this.quote === "single" ? SINGLE : DOUBLE);
      this.tokenCount++;
      return true;
    }
    while (this.pos < this.length) {
      this.pos = this.readAt(this.pos);
      if (this.current.type !== Tok.none) {
        this.tokenCount++;
        return true;
      }
    }
    return false;
  }

  private at(i: number): number {
    return i < this.length ? this.input[i] : -1;
  }

  private span(from: number, accept: Uint8Array): number {
    let i = from;
    while (i < this.length && accept[this.input[i]] === 1) i++;
    return i - from;
  }

  private spanUntil(from: number, stop: Uint8Array): number {
    let i = from;
    while (i < this.length && stop[this.input[i]] !== 1) i++;
    return i - from;
  }

  private set(type: number, pos: number, length: number): void {
    this.current.assign(type, this.input, pos, length);
  }

  /** Reads one token (or skips white space) at `pos`; returns where reading continues. */
  private readAt(pos: number): number {
    const ch = this.input[pos];
    switch (CLASS[ch]) {
      case WHITE:
        return pos + 1;
      case WORD:
        return this.readWord(pos);
      case OTHER:
        this.set(Tok.unknown, pos, 1);
        return pos + 1;
      case OPERATOR1:
        this.set(Tok.operator, pos, 1);
        return pos + 1;
      case OPERATOR2:
        return this.readOperator2(pos);
      case SINGLE_CHAR:
        this.set(ch, pos, 1);
        return pos + 1;
      case QUOTED:
        return this.readQuoted(pos, 1, ch);
      case HASH:
        return this.readHash(pos);
      case MONEY:
        return this.readMoney(pos);
      case DASH:
        return this.readDash(pos);
      case SLASH:
        return this.readSlash(pos);
      case NUMBER:
        return this.readNumber(pos);
      case VARIABLE:
        return this.readVariable(pos);
      case B_STRING:
        return this.readDigitString(pos, BINARY_DIGITS);
      case E_STRING:
        return this.readEString(pos);
      case N_STRING:
        return this.at(pos + 2) !== -1 && this.input[pos + 1] === SINGLE
          ? this.readEString(pos)
          : this.readQString(pos, 1);
      case Q_STRING:
        return this.readQString(pos, 0);
      case U_STRING:
        return this.readUString(pos);
      case X_STRING:
        return this.readDigitString(pos, HEX_DIGITS);
      case BRACKET_WORD:
        return this.readBracketWord(pos);
      case BACKSLASH:
        return this.readBackslash(pos);
      case TICK_WORD:
        return this.readTickWord(pos);
      default:
        throw new Error(`sqli lexer: byte ${ch} has no character class`);
    }
  }

  /** A run of word bytes; a keyword before "." or "`" ends the token early ("SELECT.1"). */
  private readWord(pos: number): number {
    const length = this.spanUntil(pos, WORD_END);
    const tok = this.current;
    this.set(Tok.bareword, pos, length);
    for (let i = 0; i < tok.len; i++) {
      const ch = tok.val[i];
      if (ch !== 0x2e && ch !== 0x60) continue;
      const type = lookupSqlWord(tok.val, 0, i);
      if (type !== Tok.none && type !== Tok.bareword) {
        tok.clear();
        this.set(type, pos, i);
        return pos + i;
      }
    }
    if (length <= TOKEN_VALUE_MAX) tok.type = lookupSqlWord(tok.val, 0, length) || Tok.bareword;
    return pos + length;
  }

  private readOperator2(pos: number): number {
    if (pos + 1 >= this.length) {
      this.set(Tok.operator, pos, 1);
      return pos + 1;
    }
    const ch = this.input[pos];
    if (ch === 0x3c && this.input[pos + 1] === 0x3d && this.at(pos + 2) === 0x3e) {
      this.set(Tok.operator, pos, 3); // <=>
      return pos + 3;
    }
    const type = lookupSqlWord(this.input, pos, pos + 2);
    if (type !== Tok.none) {
      this.set(type, pos, 2);
      return pos + 2;
    }
    this.set(ch === 0x3a ? Tok.colon : Tok.operator, pos, 1);
    return pos + 1;
  }

  /**
   * A string from pos+offset up to an unescaped `delim` (doubled or backslash-escaped delimiters
   * do not end it); offset 0 means the opening quote is outside the input.
   */
  private readQuoted(pos: number, offset: number, delim: number): number {
    const start = pos + offset;
    const tok = this.current;
    tok.strOpen = offset > 0 ? delim : 0;
    let q = indexOfByte(this.input, delim, start, this.length);
    for (;;) {
      if (q === -1) {
        this.set(Tok.string, start, this.length - start);
        tok.strClose = 0;
        return this.length;
      }
      if (this.isEscapedLikeGo(start, q)) {
        q = indexOfByte(this.input, delim, q + 1, this.length);
      } else if (this.at(q + 1) === delim) {
        q = indexOfByte(this.input, delim, q + 2, this.length);
      } else {
        this.set(Tok.string, start, q - start);
        tok.strClose = delim;
        return q + 1;
      }
    }
  }

  /**
   * Is the delimiter at `q` preceded by an odd number of backslashes — as Go libinjection computes
   * it. The Go port counts the backslashes before the first occurrence of input[q, end) in
   * input[start, end), which is `q` itself unless that tail text also appears earlier; then the
   * bytes before the earlier copy decide ("'\'a'a" is one unterminated string there, two strings
   * in C). CrowdSec gives Go's verdicts, so this reproduces it.
   */
  private isEscapedLikeGo(start: number, q: number): boolean {
    if (indexOfByte(this.input, 0x5c, start, q) === -1) return false;
    const at = indexOfRange(this.input, start, this.length, q, this.length);
    let count = 0;
    for (let i = at - 1; i >= start && this.input[i] === 0x5c; i--) count++;
    return count % 2 === 1;
  }

  /** "#": an operator in ANSI SQL, an end-of-line comment in MySQL. */
  private readHash(pos: number): number {
    this.hashComments++;
    if (this.dialect === "mysql") {
      this.hashComments++;
      return this.readLineComment(pos);
    }
    this.set(Tok.operator, pos, 1);
    return pos + 1;
  }

  private readLineComment(pos: number): number {
    const eol = indexOfByte(this.input, 0x0a, pos, this.length);
    if (eol === -1) {
      this.set(Tok.comment, pos, this.length - pos);
      return this.length;
    }
    this.set(Tok.comment, pos, eol - pos);
    return eol + 1;
  }

  /** "--" then white space or the end is a comment everywhere; "--x" only in ANSI SQL. */
  private readDash(pos: number): number {
    const isDouble = this.at(pos + 1) === 0x2d;
    if (isDouble && (pos + 2 === this.length || (pos + 2 < this.length && isSqlWhite(this.input[pos + 2])))) {
      return this.readLineComment(pos);
    }
    if (isDouble && this.dialect === "ansi") {
      this.ddxComments++;
      return this.readLineComment(pos);
    }
    this.set(Tok.operator, pos, 1);
    return pos + 1;
  }

  /** "/" or a C comment; nested "/*" and MySQL "/*!" comments are evil (X). */
  private readSlash(pos: number): number {
    if (this.at(pos + 1) !== 0x2a) {
      this.set(Tok.operator, pos, 1);
      return pos + 1;
    }
    const close = indexOfAscii(this.input, "*/", pos + 2, this.length);
    const length = close === -1 ? this.length - pos : close + 2 - pos;
    let type: number = Tok.comment;
    if (close !== -1 && indexOfAscii(this.input, "/*", pos + 2, close + 1) !== -1) type = Tok.evil;
    else if (this.at(pos + 2) === 0x21) type = Tok.evil;
    this.set(type, pos, length);
    return pos + length;
  }

  /** "\N" is MySQL's NULL. */
  private readBackslash(pos: number): number {
    if (this.at(pos + 1) === 0x4e) {
      this.set(Tok.number, pos, 2);
      return pos + 2;
    }
    this.set(Tok.backslash, pos, 1);
    return pos + 1;
  }

  /** Integers, decimals, exponents, 0x/0b literals, Oracle's d/f suffixes. */
  private readNumber(pos: number): number {
    const input = this.input;
    if (input[pos] === 0x30 && pos + 1 < this.length) {
      const kind = input[pos + 1] | 0x20;
      const digits = kind === 0x78 ? HEX_DIGITS : kind === 0x62 ? BINARY_DIGITS : null;
      if (digits !== null) {
        const length = this.span(pos + 2, digits);
        if (length === 0) {
          this.set(Tok.bareword, pos, 2);
          return pos + 2;
        }
        this.set(Tok.number, pos, length + 2);
        return pos + 2 + length;
      }
    }
    const start = pos;
    let p = pos + this.span(pos, DIGITS);
    if (this.at(p) === 0x2e) {
      p++;
      p += this.span(p, DIGITS);
      if (p - start === 1) {
        this.set(Tok.dot, start, 1);
        return p;
      }
    }
    let hasE = false;
    let hasExponent = false;
    if ((this.at(p) | 0x20) === 0x65) {
      hasE = true;
      p++;
      if (this.at(p) === 0x2b || this.at(p) === 0x2d) p++;
      const digits = this.span(p, DIGITS);
      hasExponent = digits > 0;
      p += digits;
    }
    const suffix = this.at(p) | 0x20;
    if (suffix === 0x64 || suffix === 0x66) {
      // "1.2f" and "1fUNION" take the suffix; "123FROM" does not.
      const after = this.at(p + 1);
      if (after === -1 || isSqlWhite(after) || after === 0x3b || (after | 0x20) === 0x75) p++;
    }
    // "1.e" without exponent digits is ignored, as MySQL does ("1' or 1.e(1)" bypass)
    if (!(hasE && !hasExponent)) this.set(Tok.number, start, p - start);
    return p;
  }

  /** "@name", "@@name", "@`name`", "@'name'". */
  private readVariable(pos: number): number {
    let p = pos + 1;
    if (this.at(p) === 0x40) {
      p++;
      this.current.count = 2;
    } else {
      this.current.count = 1;
    }
    const ch = this.at(p);
    if (ch === TICK || ch === SINGLE || ch === DOUBLE) {
      const end = ch === TICK ? this.readTickWord(p) : this.readQuoted(p, 1, ch);
      this.current.type = Tok.variable;
      return end;
    }
    const length = this.spanUntil(p, VARIABLE_END);
    this.set(Tok.variable, p, length);
    return p + length;
  }

  /** MySQL `quoted` names: a function if the name is one, else a bare word. */
  private readTickWord(pos: number): number {
    const end = this.readQuoted(pos, 1, TICK);
    const tok = this.current;
    tok.type = lookupSqlWord(tok.val, 0, tok.len) === Tok.func ? Tok.func : Tok.bareword;
    return end;
  }

  /** PostgreSQL U&'…' strings. */
  private readUString(pos: number): number {
    if (pos + 2 < this.length && this.input[pos + 1] === 0x26 && this.input[pos + 2] === SINGLE) {
      const end = this.readQuoted(pos + 2, 1, SINGLE);
      const tok = this.current;
      tok.strOpen = 0x75;
      if (tok.strClose === SINGLE) tok.strClose = 0x75;
      return end;
    }
    return this.readWord(pos);
  }

  /** E'…' (PostgreSQL escaped) and N'…' (national character) strings. */
  private readEString(pos: number): number {
    if (pos + 2 >= this.length || this.input[pos + 1] !== SINGLE) return this.readWord(pos);
    return this.readQuoted(pos, 2, SINGLE);
  }

  /** X'hex' and B'bits' literals are numbers. */
  private readDigitString(pos: number, digits: Uint8Array): number {
    if (pos + 2 >= this.length || this.input[pos + 1] !== SINGLE) return this.readWord(pos);
    const length = this.span(pos + 2, digits);
    if (this.at(pos + 2 + length) !== SINGLE) return this.readWord(pos);
    this.set(Tok.number, pos, length + 3);
    return pos + 3 + length;
  }

  /** Oracle q'<delim>…<delim>' strings (and nq'…'). */
  private readQString(pos: number, offset: number): number {
    const p = pos + offset;
    const q = this.at(p);
    if ((q !== 0x71 && q !== 0x51) || p + 2 >= this.length || this.input[p + 1] !== SINGLE) {
      return this.readWord(pos);
    }
    let close = this.input[p + 2];
    if (close < 33) return this.readWord(pos);
    if (close === 0x28) close = 0x29;
    else if (close === 0x5b) close = 0x5d;
    else if (close === 0x7b) close = 0x7d;
    else if (close === 0x3c) close = 0x3e;
    let end = -1;
    for (let i = p + 3; i + 1 < this.length; i++) {
      if (this.input[i] === close && this.input[i + 1] === SINGLE) {
        end = i;
        break;
      }
    }
    const tok = this.current;
    tok.strOpen = 0x71;
    if (end === -1) {
      this.set(Tok.string, p + 3, this.length - p - 3);
      tok.strClose = 0;
      return this.length;
    }
    this.set(Tok.string, p + 3, end - p - 3);
    tok.strClose = 0x71;
    return end + 2;
  }

  /** SQL Server [bracketed names]. */
  private readBracketWord(pos: number): number {
    const close = indexOfByte(this.input, 0x5d, pos, this.length);
    const length = close === -1 ? this.length - pos : close + 1 - pos;
    this.set(Tok.bareword, pos, length);
    return pos + length;
  }

  /** "$" starts money ($1,000.00), a $$dollar$$ or $tag$…$tag$ string, or is a lone word. */
  private readMoney(pos: number): number {
    if (pos + 1 === this.length) {
      this.set(Tok.bareword, pos, 1);
      return this.length;
    }
    const digits = this.span(pos + 1, MONEY_CHARS);
    if (digits === 1 && this.input[pos + 1] === 0x2e) return this.readWord(pos);
    if (digits > 0) {
      this.set(Tok.number, pos, digits + 1);
      return pos + digits + 1;
    }
    const tok = this.current;
    if (this.input[pos + 1] === 0x24) {
      const close = indexOfAscii(this.input, "$$", pos + 2, this.length);
      const length = close === -1 ? this.length - pos - 2 : close - pos - 2;
      this.set(Tok.string, pos + 2, length);
      tok.strOpen = 0x24;
      tok.strClose = close === -1 ? 0 : 0x24;
      return close === -1 ? this.length : close + 2;
    }
    const tagLength = this.span(pos + 1, LETTERS);
    if (tagLength === 0 || this.at(pos + tagLength + 1) !== 0x24) {
      this.set(Tok.bareword, pos, 1);
      return pos + 1;
    }
    const bodyStart = pos + tagLength + 2; // after "$tag$"
    const close = indexOfRange(this.input, bodyStart, this.length, pos, bodyStart);
    tok.strOpen = 0x24;
    if (close === -1) {
      this.set(Tok.string, bodyStart, this.length - bodyStart);
      tok.strClose = 0;
      return this.length;
    }
    this.set(Tok.string, bodyStart, close - bodyStart);
    tok.strClose = 0x24;
    return close + tagLength + 2;
  }
}
