/**
 * SQL tokens as libinjection sees them. A token's type is the character that stands for it in a
 * fingerprint ("s&sos" is string, logic operator, string, operator, string), kept as its code.
 */

const c = (ch: string): number => ch.charCodeAt(0);

/** Token types, by fingerprint character. */
export const Tok = {
  none: 0,
  keyword: c("k"),
  union: c("U"),
  group: c("B"),
  expression: c("E"),
  sqlType: c("t"),
  func: c("f"),
  bareword: c("n"),
  number: c("1"),
  variable: c("v"),
  string: c("s"),
  operator: c("o"),
  logicOperator: c("&"),
  comment: c("c"),
  collate: c("A"),
  leftParen: c("("),
  rightParen: c(")"),
  leftBrace: c("{"),
  rightBrace: c("}"),
  dot: c("."),
  comma: c(","),
  colon: c(":"),
  semicolon: c(";"),
  tsql: c("T"),
  unknown: c("?"),
  evil: c("X"),
  backslash: c("\\"),
} as const;

/** Longest token value kept, as libinjection's 32-byte buffer with its terminating NUL. */
export const TOKEN_VALUE_MAX = 31;

/** A reusable token slot; the lexer and the folder overwrite slots instead of allocating. */
export class SqlToken {
  type = 0;
  /** Offset of the value in the input (for merged words, of the first word). */
  pos = 0;
  /** Value length in bytes, at most TOKEN_VALUE_MAX. */
  len = 0;
  /** For variables: how many "@" (1 or 2). */
  count = 0;
  /** Opening and closing quote character of strings, 0 when absent. */
  strOpen = 0;
  strClose = 0;
  readonly val = new Uint8Array(TOKEN_VALUE_MAX + 1);

  clear(): void {
    this.type = 0;
    this.pos = 0;
    this.len = 0;
    this.count = 0;
    this.strOpen = 0;
    this.strClose = 0;
  }

  /** Sets type and value from input[pos, pos+length), keeping at most TOKEN_VALUE_MAX bytes. */
  assign(type: number, input: Uint8Array, pos: number, length: number): void {
    const kept = length > TOKEN_VALUE_MAX ? TOKEN_VALUE_MAX : length;
    this.type = type;
    this.pos = pos;
    this.len = kept;
    for (let i = 0; i < kept; i++) this.val[i] = input[pos + i];
  }

  copyFrom(other: SqlToken): void {
    this.type = other.type;
    this.pos = other.pos;
    this.len = other.len;
    this.count = other.count;
    this.strOpen = other.strOpen;
    this.strClose = other.strClose;
    for (let i = 0; i < other.len; i++) this.val[i] = other.val[i];
  }

  /** First value byte, or 0 for an empty value. */
  first(): number {
    return this.len > 0 ? this.val[0] : 0;
  }

  /** Is the value, ASCII case-folded, exactly `upper` (an upper-case ASCII word)? */
  is(upper: string): boolean {
    if (this.len !== upper.length) return false;
    for (let i = 0; i < this.len; i++) {
      let ch = this.val[i];
      if (ch >= 0x61 && ch <= 0x7a) ch -= 0x20;
      if (ch !== upper.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Unary operators: + - ! ~ !! NOT. */
  isUnaryOp(): boolean {
    if (this.type !== Tok.operator) return false;
    switch (this.len) {
      case 1: {
        const ch = this.val[0];
        return ch === 0x2b || ch === 0x2d || ch === 0x21 || ch === 0x7e;
      }
      case 2:
        return this.val[0] === 0x21 && this.val[1] === 0x21;
      case 3:
        return this.is("NOT");
      default:
        return false;
    }
  }

  /** Arithmetic operators: * / + - %. */
  isArithmeticOp(): boolean {
    if (this.type !== Tok.operator || this.len !== 1) return false;
    const ch = this.val[0];
    return ch === 0x2a || ch === 0x2f || ch === 0x2b || ch === 0x2d || ch === 0x25;
  }

  /** The value as text (Latin-1 view of the bytes), for tests and debugging. */
  text(): string {
    let out = "";
    for (let i = 0; i < this.len; i++) out += String.fromCharCode(this.val[i]);
    return out;
  }
}
