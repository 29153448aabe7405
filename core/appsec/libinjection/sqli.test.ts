import { describe, expect, test } from "bun:test";
import { detectSQLi, fingerprintSQL } from "./sqli";

// Expected verdicts are libinjection's (Go v0.3.2, the version CrowdSec links); "" = not SQLi.
const classic = [
  { input: "1' OR '1'='1", want: "s&sos" },
  { input: "1 UNION SELECT", want: "1UE" },
  { input: "1 UNION SELECT 1,2,3", want: "1UE1" },
  { input: "admin'--", want: "sc" },
  { input: "1;DROP TABLE users", want: "1;Tnn" },
  { input: "' OR 1=1--", want: "s&1c" },
  { input: "1' AND SLEEP(5)#", want: "s&f(1" },
  { input: "' UNION SELECT username, password FROM users--", want: "sUEnk" },
  { input: "1 AND 1=1", want: "1&1" },
  { input: "'; EXEC xp_cmdshell('dir')--", want: "s;Tn(" },
  { input: "1' ORDER BY 3--+", want: "sB1c" },
  { input: '" or ""="', want: "s&sos" },
  { input: "-1 OR 2+1=3", want: "1&1" },
  { input: "1 AND (SELECT COUNT(*) FROM users) > 0", want: "1&(Ef" },
  { input: "x' AND extractvalue(1,concat(0x7e,version()))--", want: "s&f(1" },
  { input: "1' WAITFOR DELAY '0:0:5'--", want: "sEsc" },
  { input: "1 OR BENCHMARK(1000000,MD5(1))", want: "1&f(1" },
  { input: "1' OR '1'='1' /*", want: "s&sos" },
  { input: "-1' and 1=1 union/* foo */select load_file('/etc/passwd')--", want: "s&1UE" },
];

// Payloads of the hub's appsec tests whose rules use libinjectionSQL (values as the rule sees them).
const hubPayloads = [
  { rule: "vpatch-CVE-2019-12989", input: "blah' union select 'tenable','zero','day','research' INTO OUTFILE '/tmp/token_01234';#", want: "sUEsk" },
  { rule: "vpatch-CVE-2023-0600", input: "abcdef',sleep(6),0,0,0,0,0);-- -", want: "s,f(1" },
  { rule: "vpatch-CVE-2023-0900", input: "1 AND (SELECT 2035 FROM (SELECT(SLEEP(10)))A)", want: "1&(E1" },
  { rule: "vpatch-CVE-2023-23489", input: "1' AND (SELECT 1 FROM (SELECT(SLEEP(6)))a)-- -", want: "s&(E1" },
  { rule: "vpatch-CVE-2023-6360", input: "1' AND (SELECT 1 FROM (SELECT(SLEEP(2)))a) AND 'a'='a", want: "s&(E1" },
  { rule: "vpatch-CVE-2024-1071", input: "user_login,SLEEP(5)", want: "n,f(1" },
  { rule: "vpatch-CVE-2023-23488", input: "a' OR (SELECT 1 FROM (SELECT(SLEEP(7)))a)-- -", want: "s&(E1" },
  { rule: "vpatch-CVE-2024-6205", input: "(select*from(select(sleep(6)))a)", want: "Eok(E" },
];

const benign = [
  "O'Reilly", "hello world", "12345", "3.14", "-1", "john.doe@example.com", "It's a nice day",
  "rock 'n' roll", "SELECT your plan", "Select a size", "https://example.com/a?b=c&d=e",
  "C:\\Windows\\System32", "Tom & Jerry", "a-b-c", "#hashtag", "", "admin' #",
  "1 union", // whitelisted: a number then UNION with nothing else is common text
];

// A representative subset of libinjection's tests/test-sqli-*.txt, restated.
const reference = [
  { input: "foo 'bar' \"zap\"", want: "" },
  { input: "1 = 1 OR 1", want: "1&1" },
  { input: "1 = '1' OR 1", want: "1os&1" },
  { input: "1 /* /* */ */ 2", want: "X" }, // nested comment
  { input: "1 = \"1\" /* 'blah' */  OR 1", want: "1os&1" },
  { input: "1# blah blah", want: "" },
  { input: "foo--", want: "" },
  { input: "foo/* yes this is sqli */", want: "nc" },
  { input: "1/* yes this is sqli */", want: "1c" },
  { input: "1--", want: "1c" },
  { input: '"foo" OR "BAR"', want: "" },
  { input: "foo' OR 'BAR", want: "s&s" },
  { input: "foo' + 1", want: "" },
  { input: '1" UNION ALL SELECT * FROM FOO', want: "sUEok" },
  { input: "1' INCH", want: "" },
  { input: "--1 UNION ALL SELECT * FROM FOO", want: "1UEok" },
  { input: "1' == --1 OR 1", want: "so1&1" },
  { input: "foo'--'bar'", want: "" },
  { input: "1--sp_password", want: "1c" },
  { input: "x'--sp_password", want: "sc" },
  { input: "1*1--", want: "1c" },
  { input: "1 /*!anything*/", want: "X" }, // MySQL versioned comment
  { input: 'foo" and 1=1 `', want: "s&1c" }, // PHP backtick comment
  { input: "1 and @version", want: "" },
  { input: "1 and @version < 1", want: "1&v" },
  { input: '1 and "a" < "b"', want: "1&sos" },
  { input: "1 TOP 'foo'", want: "" },
  { input: "1 /* junk */ UNION", want: "1U" },
  { input: "1),(1)) UNION SELECT 1;", want: "1)UE1" },
  { input: "foo - (bar) UNION SELECT 1", want: "nUE1" },
  { input: "1, -sin(1)) UNION SELECT 1", want: "1,f(1" },
  { input: "{``.``.id} UNION SELECT table_name from information_schemas LIMIT 1", want: "X" },
  { input: "1' or 1.e(1)", want: "s&(1)" }, // "1.e" is dropped, as MySQL does
  { input: "abc or 2 1.e%2", want: "n&1" },
  { input: "1' or 2 1.E/1", want: "s&1" },
];

// Quirks of the Go port, which CrowdSec's verdicts follow and C's do not.
const goQuirks = [
  // strings.ToUpper folds "ſ" to S and "ı" to I, so these are SELECT and UNION there
  { input: "1 union ſelect 1", want: "1UE1" },
  { input: "1 unıon select 1", want: "1UE1" },
  // a backslash before an earlier copy of the string's tail escapes the quote (C: not SQLi)
  { input: "selector--'or--'\\''", want: "s&s" },
  { input: "'--\\'\\'\\' '", want: "sos" },
  { input: " union'=\\'select\\''", want: "sos" },
  { input: "\\'\\\\'or\\'1\\''", want: "s&s" },
  // and the reverse: C calls these SQLi, Go does not
  { input: "'=\\'''\\'", want: "" },
  { input: "'or \\'''\\'", want: "" },
];

// Strings are read as UTF-8, as Go sees a UTF-8 request: U+00A0 is C2 A0, a word byte then white.
const encodings = [
  { input: "1\u00a0or 1=1", want: "" },
  { input: new Uint8Array([0x31, 0xa0, ...new TextEncoder().encode("or 1=1")]), want: "1&1" },
  { input: "café' or '1'='1", want: "s&sos" },
  { input: new TextEncoder().encode("1' OR '1'='1"), want: "s&sos" },
];

describe("detectSQLi()", () => {
  test.each(classic)("flags $input as $want", ({ input, want }) => {
    expect(detectSQLi(input)).toEqual({ injection: true, fingerprint: want });
  });

  test.each(hubPayloads)("flags the $rule test payload as $want", ({ input, want }) => {
    expect(detectSQLi(input)).toEqual({ injection: true, fingerprint: want });
  });

  test.each(benign.map((input) => ({ input })))("passes benign $input", ({ input }) => {
    expect(detectSQLi(input)).toEqual({ injection: false, fingerprint: "" });
  });

  test.each(reference)("libinjection vector $input → '$want'", ({ input, want }) => {
    expect(detectSQLi(input)).toEqual({ injection: want !== "", fingerprint: want });
  });

  test.each(goQuirks)("follows Go on $input → '$want'", ({ input, want }) => {
    expect(detectSQLi(input)).toEqual({ injection: want !== "", fingerprint: want });
  });

  test.each(encodings.map((c, i) => ({ ...c, i })))("reads input bytes as Go does (case $i)", ({ input, want }) => {
    expect(detectSQLi(input)).toEqual({ injection: want !== "", fingerprint: want });
  });

  test("is unaffected by a previous, longer input (shared buffers)", () => {
    detectSQLi("x".repeat(5000) + "' OR '1'='1");
    expect(detectSQLi("1")).toEqual({ injection: false, fingerprint: "" });
    expect(detectSQLi("admin'--")).toEqual({ injection: true, fingerprint: "sc" });
  });

  test("handles inputs larger than the shared buffer", () => {
    expect(detectSQLi("1 UNION SELECT " + "a".repeat(2_000_000)).fingerprint).toBe("1UEn");
  });
});

describe("fingerprintSQL()", () => {
  // The three readings: as-is, after an opening single quote, after an opening double quote
  const readings = [
    { input: "1' OR '1'='1", quote: "none", dialect: "ansi", want: "1s1s1" },
    { input: "1' OR '1'='1", quote: "single", dialect: "ansi", want: "s&sos" },
    { input: '1" OR "1"="1', quote: "double", dialect: "mysql", want: "s&sos" },
    { input: "O'Reilly", quote: "single", dialect: "ansi", want: "sn" },
    // "#" is an operator in ANSI SQL and a comment in MySQL
    { input: "1 OR 1 # x", quote: "none", dialect: "ansi", want: "1&1" },
    { input: "1 OR 1 # x", quote: "none", dialect: "mysql", want: "1&1c" },
    // "--x" is a comment in ANSI SQL and two minus signs in MySQL
    { input: "1--x", quote: "none", dialect: "ansi", want: "1c" },
    { input: "1--x", quote: "none", dialect: "mysql", want: "1" },
  ] as const;

  test.each(readings)("$input read with quote $quote, $dialect → $want", ({ input, quote, dialect, want }) => {
    expect(fingerprintSQL(input, quote, dialect).fingerprint).toBe(want);
  });
});
