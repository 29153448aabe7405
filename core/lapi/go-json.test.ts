import { describe, expect, test } from "bun:test";
import { goQuoteChar, readGoJson } from "./go-json";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("readGoJson()", () => {
  const errors = [
    { body: "", want: "EOF" },
    { body: "   \n", want: "EOF" },
    { body: "{not json", want: "invalid character 'n' looking for beginning of object key string" },
    { body: "garbage", want: "invalid character 'g' looking for beginning of value" },
    { body: "[1,]", want: "invalid character ']' looking for beginning of value" },
    { body: '{"a" 1}', want: "invalid character '1' after object key" },
    { body: '{"a":1 "b"}', want: "invalid character '\"' after object key:value pair" },
    { body: "[1 2]", want: "invalid character '2' after array element" },
    { body: "[tru]", want: "invalid character ']' in literal true (expecting 'e')" },
    { body: "nul", want: "unexpected EOF" },
    { body: '["a\\x"]', want: "invalid character 'x' in string escape code" },
    { body: "[-a]", want: "invalid character 'a' in numeric literal" },
    { body: "[1.]", want: "invalid character ']' after decimal point in numeric literal" },
    { body: "[1e]", want: "invalid character ']' in exponent of numeric literal" },
    { body: '{"a":', want: "unexpected EOF" },
    { body: "'x'", want: "invalid character '\\'' looking for beginning of value" },
  ];
  test.each(errors)("$body → $want", ({ body, want }) => {
    expect(readGoJson(bytes(body))).toEqual({ ok: false, message: want });
  });

  test("a string literal with a control character is refused", () => {
    expect(readGoJson(bytes('["a\u0001"]'))).toEqual({ ok: false, message: "invalid character '\\x01' in string literal" });
  });

  test("only the first value is read, as json.Decoder does", () => {
    expect(readGoJson(bytes('[{"a":1}] trailing garbage'))).toEqual({ ok: true, value: [{ a: 1 }] });
  });

  test("random high bytes are named by their rune", () => {
    expect(readGoJson(new Uint8Array([0xff, 0x00]))).toEqual({ ok: false, message: "invalid character 'ÿ' looking for beginning of value" });
    expect(goQuoteChar(0x85)).toBe("'\\u0085'");
    expect(goQuoteChar(0x5c)).toBe("'\\\\'");
  });
});
