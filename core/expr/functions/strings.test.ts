import { describe, expect, test } from "bun:test";
import { STRING_HELPERS } from "./strings";
import { helperFn, runtimeError } from "./testing";

const fn = (name: string) => helperFn(STRING_HELPERS, name);

describe("Upper() and Lower()", () => {
  const cases = [
    { name: "Upper", s: "test", want: "TEST" },
    { name: "Upper", s: "straße", want: "STRAßE" }, // Go has no one-rune upper case for ß
    { name: "Upper", s: "ᾳ", want: "ᾼ" }, // simple mapping, not JS's "ΑΙ"
    { name: "Upper", s: "ﬀ", want: "ﬀ" },
    { name: "Upper", s: "", want: "" },
    { name: "Lower", s: "ABCDEFG", want: "abcdefg" },
    { name: "Lower", s: "AbcDefG!#", want: "abcdefg!#" },
    { name: "Lower", s: "ΟΔΟΣ", want: "οδοσ" }, // no final-sigma rule in Go
    { name: "Lower", s: "İ", want: "i" },
    { name: "Lower", s: "ÉCOLE", want: "école" },
  ];
  test.each(cases)("$name($s) is $want", ({ name, s, want }) => {
    expect(fn(name)(s)).toBe(want);
  });

  test("a non-string argument is a run-time error", () => {
    expect(runtimeError(() => fn("Upper")(null))).toBe("interface conversion: interface {} is <nil>, not string");
  });
});

describe("TrimSpace()", () => {
  const cases = [
    { s: "  a b \t\n", want: "a b" },
    { s: "\u00a0x\u3000", want: "x" },
    { s: "\u0085x\u2028", want: "x" },
    { s: "\ufeffx", want: "\ufeffx" }, // U+FEFF is not a space in Go
    { s: "   ", want: "" },
  ];
  test.each(cases)("TrimSpace($s)", ({ s, want }) => {
    expect(fn("TrimSpace")(s)).toBe(want);
  });
});

describe("Trim(), TrimLeft(), TrimRight()", () => {
  const cases = [
    { name: "Trim", s: "xxhixyx", cut: "xy", want: "hi" },
    { name: "Trim", s: "abc", cut: "", want: "abc" },
    { name: "Trim", s: "ééaé", cut: "é", want: "a" },
    { name: "Trim", s: "😀a😀", cut: "😀", want: "a" },
    { name: "TrimLeft", s: "xxhix", cut: "x", want: "hix" },
    { name: "TrimRight", s: "xhixx", cut: "x", want: "xhi" },
    { name: "TrimRight", s: "xxx", cut: "x", want: "" },
  ];
  test.each(cases)("$name($s, $cut) is $want", ({ name, s, cut, want }) => {
    expect(fn(name)(s, cut)).toBe(want);
  });
});

describe("TrimPrefix() and TrimSuffix()", () => {
  const cases = [
    { name: "TrimPrefix", s: "/api/v1", affix: "/api", want: "/v1" },
    { name: "TrimPrefix", s: "/api/v1", affix: "/v1", want: "/api/v1" },
    { name: "TrimPrefix", s: "aaa", affix: "a", want: "aa" },
    { name: "TrimSuffix", s: "file.php", affix: ".php", want: "file" },
    { name: "TrimSuffix", s: "file.php", affix: "", want: "file.php" },
  ];
  test.each(cases)("$name($s, $affix) is $want", ({ name, s, affix, want }) => {
    expect(fn(name)(s, affix)).toBe(want);
  });
});

describe("Split(), SplitN(), SplitAfter(), SplitAfterN()", () => {
  const cases = [
    { name: "Split", args: ["a,b,c", ","], want: ["a", "b", "c"] },
    { name: "Split", args: ["", ","], want: [""] },
    { name: "Split", args: ["abc", ""], want: ["a", "b", "c"] },
    { name: "Split", args: ["", ""], want: [] },
    { name: "Split", args: ["a😀b", ""], want: ["a", "😀", "b"] },
    { name: "Split", args: [",a,", ","], want: ["", "a", ""] },
    { name: "SplitN", args: ["a,b,c", ",", 2], want: ["a", "b,c"] },
    { name: "SplitN", args: ["a,b,c", ",", 0], want: [] },
    { name: "SplitN", args: ["a,b,c", ",", -1], want: ["a", "b", "c"] },
    { name: "SplitN", args: ["abc", "", 2], want: ["a", "bc"] },
    { name: "SplitAfter", args: ["a,b,c", ","], want: ["a,", "b,", "c"] },
    { name: "SplitAfterN", args: ["a,b,c", ",", 2], want: ["a,", "b,c"] },
  ];
  test.each(cases)("$name($args)", ({ name, args, want }) => {
    expect(fn(name)(...args)).toEqual(want);
  });
});

describe("Fields()", () => {
  const cases = [
    { s: "  a b\t\tc\n", want: ["a", "b", "c"] },
    { s: "", want: [] },
    { s: "\u00a0x\u2003y", want: ["x", "y"] },
  ];
  test.each(cases)("Fields($s)", ({ s, want }) => {
    expect(fn("Fields")(s)).toEqual(want);
  });
});

describe("Join()", () => {
  const cases = [
    { a: ["a", "b"], sep: "-", want: "a-b" },
    { a: [], sep: "-", want: "" },
  ];
  test.each(cases)("Join($a, $sep) is $want", ({ a, sep, want }) => {
    expect(fn("Join")(a, sep)).toBe(want);
  });

  test("a non-string element is a run-time error", () => {
    expect(runtimeError(() => fn("Join")(["a", 1], ","))).toBe("interface conversion: interface {} is []interface {}, not []string");
  });
});

describe("Index() and IndexAny()", () => {
  const cases = [
    { name: "Index", s: "chicken", sub: "ken", want: 4 },
    { name: "Index", s: "chicken", sub: "dmr", want: -1 },
    { name: "Index", s: "héllo", sub: "l", want: 3 }, // bytes: é is two
    { name: "Index", s: "abc", sub: "", want: 0 },
    { name: "IndexAny", s: "golang", sub: "ny", want: 4 },
    { name: "IndexAny", s: "héllo", sub: "ol", want: 3 },
    { name: "IndexAny", s: "abc", sub: "", want: -1 },
  ];
  test.each(cases)("$name($s, $sub) is $want", ({ name, s, sub, want }) => {
    expect(fn(name)(s, sub)).toBe(want);
  });
});

describe("Replace() and ReplaceAll()", () => {
  const cases = [
    { name: "Replace", args: ["oink oink oink", "k", "ky", 2], want: "oinky oinky oink" },
    { name: "Replace", args: ["oink oink oink", "oink", "moo", -1], want: "moo moo moo" },
    { name: "Replace", args: ["abc", "b", "x", 0], want: "abc" },
    { name: "Replace", args: ["ab", "", "-", -1], want: "-a-b-" },
    { name: "Replace", args: ["ab", "", "-", 2], want: "-a-b" },
    { name: "ReplaceAll", args: ["a.b.c", ".", "/"], want: "a/b/c" },
  ];
  test.each(cases)("$name($args)", ({ name, args, want }) => {
    expect(fn(name)(...args)).toBe(want);
  });
});

describe("Sprintf()", () => {
  const cases = [
    { format: "%s-%d", args: ["a", 42], want: "a-42" },
    { format: "%5d|%-5d|%05d|%+d", args: [42, 42, -42, 3], want: "   42|42   |-0042|+3" },
    { format: "%x %X %o %b %#x %c %U", args: [255, 255, 8, 5, 255, 65, 0x1f600], want: "ff FF 10 101 0xff A U+1F600" },
    { format: "%10s|%-10s|%.2s", args: ["abc", "abc", "abc"], want: "       abc|abc       |ab" },
    { format: "%q %v %t", args: ['a"b\n', [1, "a"], true], want: '"a\\"b\\n" [1 a] true' },
    { format: "%f|%.2f|%e|%g", args: [3.14159, 2.675, 1234.5678, 0.00001234], want: "3.141590|2.67|1.234568e+03|1.234e-05" },
    { format: "%.0f %.0f %.2f", args: [0.5, 1.5, 0.125], want: "0 2 0.12" }, // half to even
    { format: "%v %v %v", args: [1.5, 1e21, 1e-7], want: "1.5 1e+21 1e-07" },
    { format: "%5.1f|%-8.3f|%+.1e", args: [3.14159, 2.5, 12345.678], want: "  3.1|2.500   |+1.2e+04" },
    { format: "%v", args: [{ b: 1, a: "x" }], want: "map[a:x b:1]" },
    { format: "%x|% x", args: ["hi", "hi"], want: "6869|68 69" },
    { format: "%T %T %T %T", args: [1, 1.5, "s", null], want: "int float64 string <nil>" },
    { format: "100%%", args: [], want: "100%" },
    { format: "%d %s", args: ["x"], want: "%!d(string=x) %!s(MISSING)" },
    { format: "%d", args: [1, 2], want: "1%!(EXTRA int=2)" },
    { format: "%z", args: [1], want: "%!z(int=1)" },
    { format: "%s|%v", args: [null, null], want: "%!s(<nil>)|<nil>" },
    { format: "%[2]d %[1]d", args: [1, 2], want: "2 1" },
    { format: "%*d|%.*f", args: [5, 1, 2, 3.14159], want: "    1|3.14" },
    { format: "%", args: [], want: "%!(NOVERB)" },
    { format: "%[3]d", args: [1], want: "%!d(BADINDEX)" },
  ];
  test.each(cases)("Sprintf($format)", ({ format, args, want }) => {
    expect(fn("Sprintf")(format, ...args)).toBe(want);
  });
});

describe("Match()", () => {
  // upstream TestMatch, then the corner cases of its recursion
  const cases = [
    { glob: "foo", val: "foo", want: true },
    { glob: "foo", val: "bar", want: false },
    { glob: "foo*", val: "foo", want: true },
    { glob: "foo*", val: "foobar", want: true },
    { glob: "foo*", val: "barfoo", want: false },
    { glob: "foo*", val: "bar", want: false },
    { glob: "*foo", val: "foo", want: true },
    { glob: "*foo", val: "barfoo", want: true },
    { glob: "foo*r", val: "foobar", want: true },
    { glob: "foo*r", val: "foobazr", want: true },
    { glob: "foo?ar", val: "foobar", want: true },
    { glob: "foo?ar", val: "foobazr", want: false },
    { glob: "foo?ar", val: "foobaz", want: false },
    { glob: "*foo?ar?", val: "foobar", want: false },
    { glob: "*foo?ar?", val: "foobare", want: true },
    { glob: "*foo?ar?", val: "rafoobar", want: false },
    { glob: "*foo?ar?", val: "rafoobare", want: true },
    { glob: "", val: "", want: true },
    { glob: "", val: "a", want: false },
    { glob: "*", val: "", want: true },
    { glob: "**", val: "", want: false },
    { glob: "**", val: "x", want: true },
    { glob: "a**", val: "a", want: false },
    { glob: "a**", val: "ab", want: true },
    { glob: "a*b*", val: "ab", want: true },
    { glob: "?", val: "é", want: false }, // "?" is one byte
    { glob: "??", val: "é", want: true },
    { glob: "*.exe", val: "C:\\Windows\\cmd.exe", want: true },
  ];
  test.each(cases)("Match($glob, $val) is $want", ({ glob, val, want }) => {
    expect(fn("Match")(glob, val)).toBe(want);
  });
});

describe("ToString()", () => {
  const cases = [
    { value: "foo", want: "foo" },
    { value: 1, want: "" },
    { value: null, want: "" },
    { value: ["a"], want: "" },
  ];
  test.each(cases)("ToString($value) is $want", ({ value, want }) => {
    expect(fn("ToString")(value)).toBe(want);
  });
});

describe("Get()", () => {
  const cases = [
    { arr: ["a", "b"], i: 1, want: "b" },
    { arr: ["a", "b"], i: 2, want: "" },
    { arr: [], i: 0, want: "" },
  ];
  test.each(cases)("Get($arr, $i) is $want", ({ arr, i, want }) => {
    expect(fn("Get")(arr, i)).toBe(want);
  });

  test("a negative index is a run-time error, as Go's index panic", () => {
    expect(runtimeError(() => fn("Get")(["a"], -1))).toBe("runtime error: index out of range [-1]");
  });
});

describe("Atof()", () => {
  const cases = [
    { s: "1.5", want: 1.5 },
    { s: "1aaa.5", want: 0 },
    { s: "-2e3", want: -2000 },
    { s: ".5", want: 0.5 },
    { s: "1.", want: 1 },
    { s: "inf", want: Infinity },
    { s: "-Infinity", want: -Infinity },
    { s: "0x1p-2", want: 0.25 },
    { s: "0x10", want: 0 }, // a hex mantissa needs a p exponent
    { s: " 1", want: 0 },
    { s: "", want: 0 },
    { s: "1e400", want: Infinity }, // range error: Go still returns ±Inf
  ];
  test.each(cases)("Atof($s) is $want", ({ s, want }) => {
    expect(fn("Atof")(s)).toBe(want);
  });

  test("Atof(nan) is NaN", () => {
    expect(fn("Atof")("NaN")).toBeNaN();
  });

  test("reports a bad float as upstream logs it", () => {
    const warnings: string[] = [];
    helperFn(STRING_HELPERS, "Atof", { warn: (m) => warnings.push(m) })("x");
    expect(warnings).toEqual([`Atof : can't convert float 'x' : strconv.ParseFloat: parsing "x": invalid syntax`]);
  });
});

describe("B64Decode()", () => {
  const cases = [
    { s: "Zm9v", want: "foo" },
    { s: "Zm9vYg==", want: "foob" },
    { s: "Zm9v\nYmFy", want: "foobar" }, // newlines are ignored
    { s: "", want: "" },
  ];
  test.each(cases)("B64Decode($s) is $want", ({ s, want }) => {
    expect(fn("B64Decode")(s)).toBe(want);
  });

  const errors = [
    { s: "foo", want: "illegal base64 data at input byte 0" },
    { s: "Zm9vYg", want: "illegal base64 data at input byte 4" },
    { s: "Zm9v!", want: "illegal base64 data at input byte 4" },
  ];
  test.each(errors)("B64Decode($s) fails with $want", ({ s, want }) => {
    expect(runtimeError(() => fn("B64Decode")(s))).toBe(want);
  });
});

describe("LogInfo() and Hostname()", () => {
  test("LogInfo formats its line, logs it and returns true", () => {
    const lines: string[] = [];
    const log = helperFn(STRING_HELPERS, "LogInfo", { info: (m) => lines.push(m) });
    expect(log("ip %s seen %d times", "1.2.3.4", 3)).toBe(true);
    expect(lines).toEqual(["ip 1.2.3.4 seen 3 times"]);
  });

  test("Hostname returns a non-empty name", () => {
    const name = fn("Hostname")();
    expect(typeof name).toBe("string");
    expect(name).not.toBe("");
  });
});
