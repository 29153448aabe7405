import { describe, expect, test } from "bun:test";
import { lex, tokenText } from "./lexer";

const show = (src: string) => lex(src).map(tokenText);

describe("lex()", () => {
  const cases: { src: string; want: string[] }[] = [
    { src: "evt.Meta.x == 'a'", want: ['Identifier("evt")', 'Operator(".")', 'Identifier("Meta")', 'Operator(".")', 'Identifier("x")', 'Operator("==")', 'String("a")', "EOF"] },
    { src: "a not in b", want: ['Identifier("a")', 'Operator("not")', 'Operator("in")', 'Identifier("b")', "EOF"] },
    { src: "a?.b ?? c", want: ['Identifier("a")', 'Operator("?.")', 'Identifier("b")', 'Operator("??")', 'Identifier("c")', "EOF"] },
    { src: "1..3", want: ['Number("1")', 'Operator("..")', 'Number("3")', "EOF"] },
    { src: "x[1:2]", want: ['Identifier("x")', 'Bracket("[")', 'Number("1")', 'Operator(":")', 'Number("2")', 'Bracket("]")', "EOF"] },
    { src: "#.a + #index", want: ['Operator("#")', 'Operator(".")', 'Identifier("a")', 'Operator("+")', 'Operator("#")', 'Identifier("index")', "EOF"] },
    { src: "a && b || !c", want: ['Identifier("a")', 'Operator("&&")', 'Identifier("b")', 'Operator("||")', 'Operator("!")', 'Identifier("c")', "EOF"] },
    { src: "2 ** 3 ^ 4 % 5", want: ['Number("2")', 'Operator("**")', 'Number("3")', 'Operator("^")', 'Number("4")', 'Operator("%")', 'Number("5")', "EOF"] },
    { src: "a <= b >= c != d", want: ['Identifier("a")', 'Operator("<=")', 'Identifier("b")', 'Operator(">=")', 'Identifier("c")', 'Operator("!=")', 'Identifier("d")', "EOF"] },
    { src: "let x = 1; x", want: ['Operator("let")', 'Identifier("x")', 'Operator("=")', 'Number("1")', 'Operator(";")', 'Identifier("x")', "EOF"] },
    { src: "if a { b } else { c }", want: ['Operator("if")', 'Identifier("a")', 'Bracket("{")', 'Identifier("b")', 'Bracket("}")', 'Operator("else")', 'Bracket("{")', 'Identifier("c")', 'Bracket("}")', "EOF"] },
    { src: "x | f(y)", want: ['Identifier("x")', 'Operator("|")', 'Identifier("f")', 'Bracket("(")', 'Identifier("y")', 'Bracket(")")', "EOF"] },
    { src: "a // comment\n+ /* more */ b", want: ['Identifier("a")', 'Operator("+")', 'Identifier("b")', "EOF"] },
    { src: "$env._x1", want: ['Identifier("$env")', 'Operator(".")', 'Identifier("_x1")', "EOF"] },
    { src: "a contains b startsWith c endsWith d matches e", want: ['Identifier("a")', 'Operator("contains")', 'Identifier("b")', 'Operator("startsWith")', 'Identifier("c")', 'Operator("endsWith")', 'Identifier("d")', 'Operator("matches")', 'Identifier("e")', "EOF"] },
    { src: "::len(x)", want: ['Operator("::")', 'Identifier("len")', 'Bracket("(")', 'Identifier("x")', 'Bracket(")")', "EOF"] },
  ];
  test.each(cases)("$src", ({ src, want }) => {
    expect(show(src)).toEqual(want);
  });

  const strings: { src: string; want: string }[] = [
    { src: String.raw`'a\'b'`, want: "a'b" },
    { src: String.raw`"a\"b"`, want: 'a"b' },
    { src: String.raw`"\n\t\\"`, want: "\n\t\\" },
    { src: String.raw`'\d+'`, want: "" },
    { src: String.raw`"\x41\u00e9\U0001F600"`, want: "Aé😀" },
    { src: String.raw`"\101"`, want: "A" },
    { src: String.raw`"\u{1F600}"`, want: "😀" },
    { src: "`raw \\d ``x`` `", want: "raw \\d `x` " },
    { src: "`multi\nline`", want: "multi\nline" },
    { src: "'héllo'", want: "héllo" },
  ];
  test.each(strings)("string $src", ({ src, want }) => {
    const t = lex(src)[0];
    if (src === String.raw`'\d+'`) {
      expect(t?.kind).toBe("Error");
      expect(t?.value).toBe("invalid char escape");
    } else {
      expect(t?.kind).toBe("String");
      expect(t?.value).toBe(want);
    }
  });

  const numbers = ["42", "0x2A", "1_000", "0.5", ".5", "1e3", "1.5E-3", "0b101", "0o17"];
  test.each(numbers)("number %s", (src) => {
    expect(show(src)).toEqual([`Number("${src}")`, "EOF"]);
  });

  const errors: { src: string; message: string; at: number }[] = [
    { src: "a @ b", message: "unrecognized character: U+0040 '@'", at: 2 },
    { src: "'abc", message: "literal not terminated", at: 4 },
    { src: "'ab\ncd'", message: "literal not terminated", at: 3 },
    { src: "0b15", message: 'bad number syntax: "0b15"', at: 3 },
    { src: "0X10G", message: 'bad number syntax: "0X10G"', at: 4 },
    { src: "a /* b", message: "unclosed comment", at: 6 },
    { src: String.raw`"\q"`, message: "invalid char escape", at: 2 },
  ];
  test.each(errors)("error in $src", ({ src, message, at }) => {
    const last = lex(src).at(-1);
    expect({ kind: last?.kind, message: last?.value, at: last?.from }).toEqual({ kind: "Error", message, at });
  });

  test("positions are UTF-16 offsets of each token", () => {
    expect(lex("é + b").map((t) => [t.from, t.to])).toEqual([[0, 1], [2, 3], [4, 5], [4, 5]]);
  });
});
