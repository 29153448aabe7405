import { describe, expect, test } from "bun:test";
import { tokenizeSQL, type SqliToken } from "./sqli";

/** libinjection's test-driver notation: "<type> <value>", strings with their quotes, variables with "@". */
function render(t: SqliToken): string {
  return `${t.type} ${t.type === "s" || t.type === "v" ? t.open + t.value + t.close : t.value}`;
}

// A representative subset of libinjection's tests/test-tokens-*.txt (ANSI reading), restated.
const cases: Array<{ input: string; want: string[] }> = [
  { input: "select 1,'''',2;", want: ["E select", "1 1", ", ,", "s ''''", ", ,", "1 2", "; ;"] },
  { input: "SELECT `version`();", want: ["E SELECT", "f version", "( (", ") )", "; ;"] },
  { input: "SELECT foo.`select`;", want: ["E SELECT", "n foo.`select`", "; ;"] },
  { input: "SELECT `foo`.bar;", want: ["E SELECT", "n foo", ". .", "n bar", "; ;"] },
  { input: "SELECT @`version`;", want: ["E SELECT", "v @`version`", "; ;"] },
  { input: "SELECT { foo 1 };", want: ["E SELECT", "{ {", "n foo", "1 1", "} }", "; ;"] },
  { input: "SELECT \\N;", want: ["E SELECT", "1 \\N", "; ;"] },
  { input: "SELECT \\ % 1;", want: ["E SELECT", "\\ \\", "o %", "1 1", "; ;"] },
  // values are cut at 31 bytes
  { input: "SELECT '1234567890123456789012345678901234567890';", want: ["E SELECT", "s '1234567890123456789012345678901'", "; ;"] },
  { input: "SELECT 1 /* 2 */;", want: ["E SELECT", "1 1", "c /* 2 */", "; ;"] },
  { input: "SELECT 1 /", want: ["E SELECT", "1 1", "o /"] },
  { input: "SELECT /* FOO /* BAR */ JUNK */", want: ["E SELECT", "X /* FOO /* BAR */", "n JUNK", "o *", "o /"] },
  { input: "SELECT 1 -- ABCD\n;", want: ["E SELECT", "1 1", "c -- ABCD", "; ;"] },
  { input: "SELECT 1 -", want: ["E SELECT", "1 1", "o -"] },
  { input: "SELECT 1 /*! ,2 */;", want: ["E SELECT", "1 1", "X /*! ,2 */", "; ;"] },
  { input: "SELECT _latin1'foo", want: ["E SELECT", "t _latin1", "s 'foo"] },
  { input: "SELECT '1'::money;", want: ["E SELECT", "s '1'", "o ::", "t money", "; ;"] },
  { input: "SELECT 0b0101010;", want: ["E SELECT", "1 0b0101010", "; ;"] },
  { input: "SELECT 0b;", want: ["E SELECT", "n 0b", "; ;"] },
  { input: "SELECT 0X0123456789ABCDEF;", want: ["E SELECT", "1 0X0123456789ABCDEF", "; ;"] },
  { input: "SELECT .123e-1;", want: ["E SELECT", "1 .123e-1", "; ;"] },
  { input: "SELECT 10.10e;", want: ["E SELECT", "; ;"] }, // exponent without digits: no token
  { input: "SELECT 1.;", want: ["E SELECT", "1 1.", "; ;"] },
  { input: "SELECT .;", want: ["E SELECT", ". .", "; ;"] },
  { input: "SELECT $1,000.00", want: ["E SELECT", "1 $1,000.00"] },
  { input: "SELECT $", want: ["E SELECT", "n $"] },
  { input: "SELECT $.foo;", want: ["E SELECT", "n $.foo", "; ;"] },
  { input: "SELECT binary_double_nan", want: ["E SELECT", "1 binary_double_nan"] },
  { input: "SELECT 1d;", want: ["E SELECT", "1 1d", "; ;"] },
  { input: "SELECT 1Funion select", want: ["E SELECT", "1 1F", "U union", "E select"] },
  { input: "SELECT 123.UNION", want: ["E SELECT", "1 123.", "U UNION"] },
  { input: "SELECT X'1234';", want: ["E SELECT", "1 X'1234'", "; ;"] },
  { input: "SELECT b'';", want: ["E SELECT", "1 b''", "; ;"] },
  { input: "SELECT x X;", want: ["E SELECT", "n x", "n X", "; ;"] },
  { input: "SELECT 1 || 2;", want: ["E SELECT", "1 1", "& ||", "1 2", "; ;"] },
  { input: "SELECT 1 <=> 2;", want: ["E SELECT", "1 1", "o <=>", "1 2", "; ;"] },
  { input: "SELECT NOT 1;", want: ["E SELECT", "o NOT", "1 1", "; ;"] },
  { input: "SELECT 1 : 2;", want: ["E SELECT", "1 1", ": :", "1 2", "; ;"] },
  { input: "SELECT 1 # 1;", want: ["E SELECT", "1 1", "o #", "1 1", "; ;"] },
  { input: "SELECT 'FOO\\\"BAR';", want: ["E SELECT", "s 'FOO\\\"BAR'"] .concat(["; ;"]) },
  { input: "SELECT 'FOO\\'", want: ["E SELECT", "s 'FOO\\'"] }, // escaped quote: unterminated
  { input: "'FOO' \"BAR\";", want: ["s 'FOO'", "s \"BAR\"", "; ;"] },
  { input: "$foo$foo$foo$", want: ["s $foo$"] },
  { input: "$$FOO BAR$$more", want: ["s $FOO BAR$", "n more"] },
  { input: "$foo!", want: ["n $", "n foo", "o !"] },
  { input: "U&'foo'", want: ["s ufoou"] },
  { input: "U&\"", want: ["n U", "o &", "s \""] },
  { input: "q'(foo)'", want: ["s qfooq"] },
  { input: "nQ'! foo !'more", want: ["s q foo q", "n more"] },
  { input: "select '1\\\\''2';", want: ["E select", "s '1\\\\''2'", "; ;"] },
  { input: "select N'123';", want: ["E select", "s '123'", "; ;"] },
  { input: "select n'", want: ["E select", "n n", "s '"] },
  { input: ";$s$s$$", want: ["; ;", "s $s$$"] },
  { input: "SELECT @@VERSION;", want: ["E SELECT", "v @@VERSION", "; ;"] },
  { input: "SELECT @'foo'", want: ["E SELECT", "v @'foo'"] },
  { input: "SELECT @a`foo`", want: ["E SELECT", "v @a", "n foo"] },
  { input: "SELECT 1 CROSS JOIN 2;", want: ["E SELECT", "1 1", "n CROSS", "k JOIN", "1 2", "; ;"] },
  { input: "SELECT.1", want: ["E SELECT", "1 .1"] },
  { input: "SELECT UTL_INADDR.GET_HOST_ADDRESS(1)", want: ["E SELECT", "f UTL_INADDR.GET_HOST_ADDRESS", "( (", "1 1", ") )"] },
  { input: "FOO.1", want: ["n FOO.1"] },
  { input: "CURRENT_USER``BAR", want: ["v CURRENT_USER", "n ", "n BAR"] },
  { input: "SELECT [foo] FROM[bar]", want: ["E SELECT", "n [foo]", "k FROM", "n [bar]"] },
];

describe("tokenizeSQL()", () => {
  test.each(cases.map((c) => ({ ...c, shown: JSON.stringify(c.input) })))("tokenizes $shown", ({ input, want }) => {
    expect(tokenizeSQL(input).map(render)).toEqual(want);
  });

  test("reads bytes >= 0x80 as word bytes (UTF-8 of a string)", () => {
    // tests/test-tokens-i18n: a UTF-8 variable name; rendered here as Latin-1 bytes
    const tokens = tokenizeSQL("SELECT @テスト;").map(render);
    expect(tokens).toEqual(["E SELECT", `v @${Buffer.from("テスト").toString("latin1")}`, "; ;"]);
  });

  test("reads \\xa0 as white space, also inside UTF-8 (à is C3 A0)", () => {
    expect(tokenizeSQL(new Uint8Array([0x61, 0xa0, 0x62])).map(render)).toEqual(["n a", "n b"]);
    expect(tokenizeSQL("àb").map(render)).toEqual(["n \u00c3", "n b"]);
  });

  test("starts inside a string in the quote readings", () => {
    expect(tokenizeSQL("1' OR '1", "single").map(render)).toEqual(["s 1'", "& OR", "s '1"]);
  });
});
