/**
 * libinjection's SQL injection check: fingerprint the input in up to five readings (as-is, after a
 * single quote, after a double quote; ANSI or MySQL comments), then ask the fingerprint set and
 * a few false-positive rules.
 */
import { indexOfAscii, indexOfByte, toBytes } from "./bytes";
import { SqlFolder } from "./sqli-fold";
import { SqlLexer, type SqlDialect, type SqlQuote } from "./sqli-lexer";
import { isSqliFingerprint } from "./sqli-table";
import { Tok, type SqlToken } from "./sqli-token";

/** Verdict of detectSQLi; `fingerprint` is "" when there is no injection (as libinjection-go). */
export interface SqliResult {
  readonly injection: boolean;
  readonly fingerprint: string;
}

/** One token of a fingerprint, for tests and explain output. */
export interface SqliToken {
  readonly type: string;
  /** Value bytes as Latin-1 text (at most 31 bytes, as libinjection keeps). */
  readonly value: string;
  /** Quote characters around a string ("" when absent); "@" or "@@" before a variable. */
  readonly open: string;
  readonly close: string;
}

function describeToken(t: SqlToken): SqliToken {
  const quote = (ch: number) => (ch === 0 ? "" : String.fromCharCode(ch));
  return {
    type: String.fromCharCode(t.type),
    value: t.text(),
    open: (t.type === Tok.variable ? "@".repeat(t.count) : "") + quote(t.strOpen),
    close: quote(t.strClose),
  };
}

const CLEAN: SqliResult = Object.freeze({ injection: false, fingerprint: "" });

// One machine, reused: detection is synchronous and never re-entered.
const lexer = new SqlLexer();
const folder = new SqlFolder(lexer);
const fingerprint = new Uint8Array(8);
let fingerprintLength = 0;

/** Fingerprints the lexer's input in one reading into `fingerprint`. */
function fingerprintReading(input: Uint8Array, length: number, quote: SqlQuote, dialect: SqlDialect): void {
  lexer.reset(input, length, quote, dialect);
  const count = folder.fold();
  const tokens = folder.tokens;
  if (count > 2) {
    // PHP's "`" starts a comment: an empty unterminated `name at the end is one
    const last = tokens[count - 1];
    if (last.type === Tok.bareword && last.strOpen === 0x60 && last.len === 0 && last.strClose === 0) {
      last.type = Tok.comment;
    }
  }
  for (let i = 0; i < count; i++) {
    if (tokens[i].type === Tok.evil) {
      // Unparseable (nested or MySQL-versioned comments, "{ ``"): the fingerprint is just X
      fingerprint[0] = Tok.evil;
      tokens[0].type = Tok.evil;
      fingerprintLength = 1;
      return;
    }
    fingerprint[i] = tokens[i].type;
  }
  fingerprintLength = count;
}

function fingerprintIs(text: string): boolean {
  if (fingerprintLength !== text.length) return false;
  for (let i = 0; i < fingerprintLength; i++) if (fingerprint[i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * libinjection's is_not_whitelist: short fingerprints that the set lists but that ordinary
 * text also produces ("1 union", "foo --", "sexy and 17") are not injections.
 */
function isNotWhitelisted(input: Uint8Array, length: number): boolean {
  const t = folder.tokens;
  const n = fingerprintLength;
  if (n > 1 && fingerprint[n - 1] === Tok.comment && indexOfAscii(input, "sp_password", 0, length) !== -1) {
    return true; // SQL Server leaves statements mentioning sp_password out of its audit log
  }
  if (n === 2) {
    if (fingerprint[1] === Tok.union) return lexer.tokenCount !== 2; // "1 union" alone is text
    if (t[1].first() === 0x23) return false; // "#" comments: too many false positives
    if (t[0].type === Tok.bareword && t[1].type === Tok.comment && t[1].first() !== 0x2f) return false;
    if (t[0].type === Tok.number && t[1].type === Tok.comment) {
      if (t[1].first() !== 0x2f) return true;
      if (lexer.tokenCount > 2) return true; // something was folded: likely SQL
      // "1234/*" is SQL, "1234ABCD/*" (base64-ish) is not: look at the byte after the number
      const after = t[0].len < length ? input[t[0].len] : 0;
      const next = t[0].len + 1 < length ? input[t[0].len + 1] : 0;
      if (after <= 32) return true;
      if (after === 0x2f && next === 0x2a) return true;
      if (after === 0x2d && next === 0x2d) return true;
      return false;
    }
    // "--" is common in text: only a trailing bare "--" counts
    if (t[1].len > 2 && t[1].first() === 0x2d) return false;
    return true;
  }
  if (n === 3) {
    if (fingerprintIs("sos") || fingerprintIs("s&s")) {
      // ...foo' + 'bar...: a string split by the injection point, with data on each side
      return t[0].strOpen === 0 && t[2].strClose === 0 && t[0].strClose === t[2].strOpen;
    }
    if (
      (fingerprintIs("s&n") || fingerprintIs("n&1") || fingerprintIs("1&1") || fingerprintIs("1&v") ||
        fingerprintIs("1&s")) &&
      lexer.tokenCount === 3
    ) {
      return false; // "sexy and 17" is text, "sexy and 17<18" is not
    }
    if (t[1].type === Tok.keyword && (t[1].len < 5 || !startsWithInto(t[1].val))) {
      return false; // only INTO OUTFILE / INTO DUMPFILE make "?k?" an injection
    }
  }
  return true;
}

function startsWithInto(val: Uint8Array): boolean {
  return (val[0] | 0x20) === 0x69 && (val[1] | 0x20) === 0x6e && (val[2] | 0x20) === 0x74 && (val[3] | 0x20) === 0x6f;
}

function isInjection(input: Uint8Array, length: number): boolean {
  return isSqliFingerprint(fingerprint, fingerprintLength) && isNotWhitelisted(input, length);
}

/** Tries one quote context, in ANSI then (when comments make it matter) MySQL reading. */
function isInjectionIn(input: Uint8Array, length: number, quote: SqlQuote): boolean {
  fingerprintReading(input, length, quote, "ansi");
  if (isInjection(input, length)) return true;
  if (lexer.ddxComments === 0 && lexer.hashComments === 0) return false;
  fingerprintReading(input, length, quote, "mysql");
  return isInjection(input, length);
}

function fingerprintText(): string {
  let out = "";
  for (let i = 0; i < fingerprintLength; i++) out += String.fromCharCode(fingerprint[i]);
  return out;
}

/** libinjection_is_sqli over bytes. */
function checkSqli(input: Uint8Array, length: number): boolean {
  if (length === 0) return false;
  if (isInjectionIn(input, length, "none")) return true;
  if (indexOfByte(input, 0x27, 0, length) !== -1 && isInjectionIn(input, length, "single")) return true;
  if (indexOfByte(input, 0x22, 0, length) !== -1) {
    // as libinjection: the double-quote reading is MySQL only
    fingerprintReading(input, length, "double", "mysql");
    if (isInjection(input, length)) return true;
  }
  return false;
}

/** SQL injection verdict for one value, as libinjection (Go v0.3.2) gives it. */
export function detectSQLi(input: string | Uint8Array): SqliResult {
  const { bytes, length } = toBytes(input);
  if (!checkSqli(bytes, length)) return CLEAN;
  return { injection: true, fingerprint: fingerprintText() };
}

/** Fingerprint and folded tokens of one reading, whatever the verdict (tests, explain). */
export function fingerprintSQL(
  input: string | Uint8Array,
  quote: SqlQuote = "none",
  dialect: SqlDialect = "ansi",
): { fingerprint: string; tokens: SqliToken[] } {
  const { bytes, length } = toBytes(input);
  fingerprintReading(bytes, length, quote, dialect);
  const tokens: SqliToken[] = [];
  for (let i = 0; i < fingerprintLength; i++) tokens.push(describeToken(folder.tokens[i]));
  if (fingerprint[0] === Tok.evil) return { fingerprint: "X", tokens: [{ type: "X", value: "X", open: "", close: "" }] };
  return { fingerprint: fingerprintText(), tokens };
}

/** Every token of one reading, before folding (tests). */
export function tokenizeSQL(input: string | Uint8Array, quote: SqlQuote = "none", dialect: SqlDialect = "ansi"): SqliToken[] {
  const { bytes, length } = toBytes(input);
  const reader = new SqlLexer();
  reader.reset(bytes, length, quote, dialect);
  const tokens: SqliToken[] = [];
  while (reader.next()) tokens.push(describeToken(reader.current));
  return tokens;
}
