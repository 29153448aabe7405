import { describe, expect, test } from "bun:test";
import { unwrap } from "../result";
import { compileOperator, type MatchType } from "./operators";
import { LIBINJECTION } from "./injection";
import { TRANSFORMS } from "./transforms";

describe("TRANSFORMS", () => {
  const cases: { t: string; input: string; want: string }[] = [
    { t: "lowercase", input: "ÀbC", want: "àbc" },
    { t: "uppercase", input: "abc", want: "ABC" },
    { t: "length", input: "é1", want: "3" },
    { t: "urldecode", input: "%2527+x%zz", want: "%27 x%zz" },
    { t: "b64decode", input: "aGVsbG8", want: "hello" },
    { t: "b64decode", input: "aGVsbG8=!garbage", want: "hello" },
    { t: "b64decode_lenient", input: "aGVs bG8.", want: "hello" },
    { t: "b64encode", input: "hello", want: "aGVsbG8=" },
    { t: "hexdecode", input: "414243", want: "ABC" },
    { t: "hexdecode", input: "41z", want: "41z" },
    { t: "trim", input: " \tx \n", want: "x" },
    { t: "trim_left", input: "  x ", want: "x " },
    { t: "trim_right", input: "  x ", want: "  x" },
    { t: "normalize_path", input: "/a/./b/../c//d/", want: "/a/c/d/" },
    { t: "normalizepathwin", input: "\\a\\..\\b", want: "/b" },
    { t: "htmlentitydecode", input: "&lt;a&#x41;&#66;&quot;", want: '<aAB"' },
    { t: "js_decode", input: "\\x41\\u0042\\n", want: "AB\n" },
    { t: "css_decode", input: "\\41 b", want: "Ab" },
    { t: "cmdline", input: "C^MD.exe /c  'dir'", want: "cmd.exe/c dir" },
    { t: "remove_whitespaces", input: " a b\t", want: "ab" },
    { t: "compress_whitespaces", input: "a  \t b", want: "a b" },
    { t: "remove_nulls", input: "a\u0000b", want: "ab" },
    { t: "replace_nulls", input: "a\u0000b", want: "a b" },
    { t: "remove_comments", input: "a/*x*/b", want: "ab" },
    { t: "replace_comments", input: "a/*x*/b", want: "a b" },
  ];
  test.each(cases.map((c) => ({ ...c, shown: JSON.stringify(c.input) })))("$t($shown)", ({ t, input, want }) => expect(TRANSFORMS[t]!(input)).toBe(want));
});

describe("compileOperator()", () => {
  const cases: { type: MatchType; value: string; input: string; want: boolean }[] = [
    { type: "equals", value: "POST", input: "POST", want: true },
    { type: "equals", value: "POST", input: "post", want: false },
    { type: "contains", value: "etc/", input: "/../etc/passwd", want: true },
    { type: "startsWith", value: "/api", input: "/api/x", want: true },
    { type: "endsWith", value: ".php", input: "x.php5", want: false },
    { type: "regex", value: "^b$", input: "a\nb", want: true },
    { type: "regex", value: "a.b", input: "a\nb", want: true },
    { type: "regex", value: "\\x22", input: 'say "hi"', want: true },
    { type: "gte", value: "2", input: "2", want: true },
    { type: "gte", value: "100", input: "abc", want: false },
    { type: "gt", value: "1", input: "2", want: true },
    { type: "lt", value: "1", input: "x", want: true },
    { type: "lte", value: "0", input: "0", want: true },
    { type: "eq", value: "0", input: "", want: true },
    { type: "libinjectionSQL", value: "", input: "1' OR '1'='1", want: true },
    { type: "libinjectionSQL", value: "", input: "hello world", want: false },
    { type: "libinjectionXSS", value: "", input: "<script>alert(1)</script>", want: true },
  ];
  test.each(cases)("$type $value on $input", ({ type, value, input, want }) => {
    expect(unwrap(compileOperator(type, value, { injection: LIBINJECTION }))(input)).toBe(want);
  });

  test("fromFile needs its data file", () => {
    expect(compileOperator("fromFile", "x.txt", {}).ok).toBe(false);
    const op = unwrap(compileOperator("fromFile", "x.txt", { dataFile: () => ["Foo", "# c", "bar"] }));
    expect([op("xFOOy"), op("nothing")]).toEqual([true, false]);
  });

  test("without libinjection the libinjection types do not compile", () => {
    const r = compileOperator("libinjectionSQL", "", {});
    expect(r.ok ? "" : r.error.message).toBe('Cannot compile match type "libinjectionSQL": libinjection is not available');
  });
});
