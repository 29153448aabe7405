/**
 * libinjection's folding: tokens are read and reduced ("1+1" → "1", "UNION" "ALL" → "UNION ALL",
 * comments dropped) until at most five remain; their types are the fingerprint.
 */
import type { SqlLexer } from "./sqli-lexer";
import { lookupSqlWord } from "./sqli-table";
import { SqlToken, Tok, TOKEN_VALUE_MAX } from "./sqli-token";

/** Fingerprint length. */
export const MAX_TOKENS = 5;

// Slots beyond MAX_TOKENS hold the look-ahead token that decides the type of the fifth.
const SLOT_COUNT = 8;

const { keyword, union, group, expression, sqlType, func, bareword, number, variable, string } = Tok;
const { operator, logicOperator, comment, collate, leftParen, rightParen, leftBrace, rightBrace } = Tok;
const { dot, comma, semicolon, tsql, backslash, evil } = Tok;

/** Tokens that may join the next one into a multi-word keyword ("NOT" "IN" → "NOT IN"). */
function isMergeableFirst(type: number): boolean {
  return (
    type === keyword || type === bareword || type === operator || type === union || type === func ||
    type === expression || type === tsql || type === sqlType
  );
}

function isMergeableSecond(type: number): boolean {
  return isMergeableFirst(type) || type === logicOperator;
}

// Words that look like columns but act as functions when followed by "(" (TSQL and MySQL).
const FUNCTION_LIKE_WORDS = [
  "USER_ID", "USER_NAME", "DATABASE", "PASSWORD", "USER", "CURRENT_USER", "CURRENT_DATE",
  "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP",
];

function isFunctionLikeWord(token: SqlToken): boolean {
  for (const word of FUNCTION_LIKE_WORDS) if (token.is(word)) return true;
  return false;
}

/** Five-token shapes that are plain arithmetic or function calls: folding restarts after them. */
function isBenignFiveTokenShape(t: SqlToken[]): boolean {
  const a = t[0].type;
  const b = t[1].type;
  const c = t[2].type;
  const d = t[3].type;
  const e = t[4].type;
  return (
    (a === number && (b === operator || b === comma) && c === leftParen && d === number && e === rightParen) ||
    (a === bareword && b === operator && c === leftParen && (d === bareword || d === number) && e === rightParen) ||
    (a === number && b === rightParen && c === comma && d === leftParen && e === number) ||
    (a === bareword && b === rightParen && c === operator && d === leftParen && e === bareword)
  );
}

/** The folding machine; owns the token slots, reused for every input. */
export class SqlFolder {
  readonly tokens: SqlToken[] = Array.from({ length: SLOT_COUNT }, () => new SqlToken());
  private readonly lastComment = new SqlToken();
  private readonly mergeBuffer = new Uint8Array(TOKEN_VALUE_MAX + 2);

  constructor(private readonly lexer: SqlLexer) {}

  /** Tokenizes and folds the lexer's input; returns how many tokens (≤ 5) make the fingerprint. */
  fold(): number {
    const lexer = this.lexer;
    const t = this.tokens;
    const lastComment = this.lastComment;
    lastComment.clear();
    let pos = 0; // where the next token goes
    let left = 0; // tokens before this index are settled
    let more = true;

    // Leading comments, "(", SQL types and unary operators say nothing: skip them.
    lexer.current = t[0];
    for (;;) {
      more = lexer.next();
      const first = lexer.current;
      if (!(first.type === comment || first.type === leftParen || first.type === sqlType || first.isUnaryOp())) break;
    }
    if (!more) return 0;
    pos++;

    for (;;) {
      if (pos >= MAX_TOKENS && isBenignFiveTokenShape(t)) {
        if (pos > MAX_TOKENS) {
          t[1].copyFrom(t[MAX_TOKENS]);
          pos = 2;
        } else {
          pos = 1;
        }
        left = 0;
      }
      if (!more || left >= MAX_TOKENS) {
        left = pos;
        break;
      }

      // Two tokens to look at.
      while (more && pos <= MAX_TOKENS && pos - left < 2) {
        lexer.current = t[pos];
        more = lexer.next();
        if (!more) break;
        if (t[pos].type === comment) {
          lastComment.copyFrom(t[pos]);
        } else {
          lastComment.type = Tok.none;
          pos++;
        }
      }
      if (pos - left < 2) {
        left = pos;
        continue;
      }

      const a = t[left];
      const b = t[left + 1];
      // Each branch either folds (and restarts the loop) or falls through to three-token rules.
      if (a.type === string && b.type === string) {
        pos--; // "foo" "bar" is one string in SQL
        continue;
      }
      if (a.type === semicolon && b.type === semicolon) {
        pos--;
        continue;
      }
      if ((a.type === operator || a.type === logicOperator) && (b.isUnaryOp() || b.type === sqlType)) {
        pos--;
        left = 0;
        continue;
      }
      if (a.type === leftParen && b.isUnaryOp()) {
        pos--;
        if (left > 0) left--;
        continue;
      }
      if (this.merge(a, b)) {
        pos--;
        if (left > 0) left--;
        continue;
      }
      if (a.type === semicolon && b.type === func && b.len >= 2 && (b.val[0] | 0x20) === 0x69 && (b.val[1] | 0x20) === 0x66) {
        b.type = tsql; // TSQL "; IF 1=1 …" is a statement, not the IF() function
        continue;
      }
      if ((a.type === bareword || a.type === variable) && b.type === leftParen && isFunctionLikeWord(a)) {
        a.type = func;
        continue;
      }
      if (a.type === keyword && (a.is("IN") || a.is("NOT IN"))) {
        a.type = b.type === leftParen ? operator : bareword; // "IN (…)" compares, "IN BOOLEAN MODE" does not
        continue;
      }
      if (a.type === operator && (a.is("LIKE") || a.is("NOT LIKE"))) {
        if (b.type === leftParen) a.type = func; // SELECT LIKE(…)
      } else if (
        a.type === sqlType &&
        (b.type === bareword || b.type === number || b.type === sqlType || b.type === leftParen ||
          b.type === func || b.type === variable || b.type === string)
      ) {
        a.copyFrom(b);
        pos--;
        left = 0;
        continue;
      } else if (a.type === collate && b.type === bareword) {
        // Too many collation names to list: one with "_" is taken as a type
        if (hasByte(b, 0x5f)) {
          b.type = sqlType;
          left = 0;
        }
      } else if (a.type === backslash) {
        if (b.isArithmeticOp()) {
          a.type = number; // TSQL reads "\%1" as "0 % 1"
        } else {
          a.copyFrom(b); // and "\1" as "1"
          pos--;
        }
        left = 0;
        continue;
      } else if (a.type === leftParen && b.type === leftParen) {
        pos--;
        left = 0;
        continue;
      } else if (a.type === rightParen && b.type === rightParen) {
        pos--;
        left = 0;
        continue;
      } else if (a.type === leftBrace && b.type === bareword) {
        // MySQL "{ ``.``.id }" is too odd to parse: an empty name after "{" is evil
        if (b.len === 0) {
          b.type = evil;
          return left + 2;
        }
        pos -= 2; // ODBC "{foo expr}" → expr
        left = 0;
        continue;
      } else if (b.type === rightBrace) {
        pos--;
        left = 0;
        continue;
      }

      // A third token.
      while (more && pos <= MAX_TOKENS && pos - left < 3) {
        lexer.current = t[pos];
        more = lexer.next();
        if (!more) break;
        if (t[pos].type === comment) {
          lastComment.copyFrom(t[pos]);
        } else {
          lastComment.type = Tok.none;
          pos++;
        }
      }
      if (pos - left < 3) {
        left = pos;
        continue;
      }

      const folded = foldThree(t, left);
      if (folded !== null) {
        pos += folded;
        left = 0;
        continue;
      }
      left++;
    }

    // A trailing comment counts when there is room for it.
    if (left < MAX_TOKENS && lastComment.type === comment) {
      t[left].copyFrom(lastComment);
      left++;
    }
    return left > MAX_TOKENS ? MAX_TOKENS : left;
  }

  /** Joins two words when "A B" is a known phrase ("UNION ALL", "NOT IN"); `a` becomes it. */
  private merge(a: SqlToken, b: SqlToken): boolean {
    if (!isMergeableFirst(a.type) || !isMergeableSecond(b.type)) return false;
    const length = a.len + b.len + 1;
    if (length > TOKEN_VALUE_MAX + 1) return false;
    const buf = this.mergeBuffer;
    for (let i = 0; i < a.len; i++) buf[i] = a.val[i];
    buf[a.len] = 0x20;
    for (let i = 0; i < b.len; i++) buf[a.len + 1 + i] = b.val[i];
    const type = lookupSqlWord(buf, 0, length);
    if (type === Tok.none) return false;
    const firstPos = a.pos;
    a.assign(type, buf, 0, length);
    a.pos = firstPos;
    return true;
  }
}

function hasByte(token: SqlToken, byte: number): boolean {
  for (let i = 0; i < token.len; i++) if (token.val[i] === byte) return true;
  return false;
}

/**
 * Three-token folds on t[left..left+2]: returns how `pos` moves (the folder then restarts from
 * the first token), or null when nothing folds.
 */
function foldThree(t: SqlToken[], left: number): number | null {
  const a = t[left];
  const b = t[left + 1];
  const c = t[left + 2];
  const at = a.type;
  const bt = b.type;
  const ct = c.type;
  if (at === number && bt === operator && ct === number) return -2; // 1+1
  if (at === operator && bt !== leftParen && ct === operator) return -2;
  if (at === logicOperator && ct === logicOperator) return -2;
  if (at === variable && bt === operator && (ct === variable || ct === number || ct === bareword)) return -2;
  if ((at === bareword || at === number) && bt === operator && (ct === number || ct === bareword)) return -2;
  if (
    (at === bareword || at === number || at === variable || at === string) &&
    bt === operator && b.len === 2 && b.val[0] === 0x3a && b.val[1] === 0x3a && ct === sqlType
  ) {
    return -2; // PostgreSQL cast: x::int
  }
  if (
    (at === bareword || at === number || at === string || at === variable) && bt === comma &&
    (ct === number || ct === bareword || ct === string || ct === variable)
  ) {
    return -2; // a list: 1,2
  }
  if ((at === expression || at === group || at === comma) && b.isUnaryOp() && ct === leftParen) {
    b.copyFrom(c); // SELECT + ( → SELECT (
    return -1;
  }
  if (
    (at === keyword || at === expression || at === group) && b.isUnaryOp() &&
    (ct === number || ct === bareword || ct === variable || ct === string || ct === func)
  ) {
    b.copyFrom(c); // SELECT -1 → SELECT 1
    return -1;
  }
  if (at === comma && b.isUnaryOp() && (ct === number || ct === bareword || ct === variable || ct === string)) {
    b.copyFrom(c); // ", -1" → ",1", then back up to fold "1,1"
    return -3;
  }
  if (at === comma && b.isUnaryOp() && ct === func) {
    b.copyFrom(c); // 1,-sin(1) → 1,sin(1)
    return -1;
  }
  if (at === bareword && bt === dot && ct === bareword) return -2; // db.table
  if (at === expression && bt === dot && ct === bareword) {
    b.copyFrom(c); // SELECT . `foo` → SELECT `foo`
    return -1;
  }
  if (at === func && bt === leftParen && ct !== rightParen) {
    // USER() takes no arguments: USER(foo) is not that function
    if (a.is("USER")) a.type = bareword;
  }
  return null;
}
