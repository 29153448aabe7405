import { describe, expect, test } from "bun:test";
import { MAX_LINE_BYTES, splitDataLines } from "./lines";

describe("splitDataLines()", () => {
  // what upstream FileInit keeps of bufio.Scanner lines
  const cases = [
    { what: "plain lines", text: "a\nb\n", want: ["a", "b"] },
    { what: "a last line without newline", text: "a\nb", want: ["a", "b"] },
    { what: "empty lines and comments", text: "\n#c\na\n\n#\nb", want: ["a", "b"] },
    { what: "CRLF endings", text: "a\r\nb\r\n", want: ["a", "b"] },
    { what: "a CR-only line", text: "a\r\n\r\nb", want: ["a", "b"] },
    { what: "only one CR dropped", text: "a\r\r\n", want: ["a\r"] },
    { what: "spaces kept", text: " a \n\t#x\n ", want: [" a ", "\t#x", " "] },
    { what: "a BOM kept on the first line", text: "\ufeffa\n", want: ["\ufeffa"] },
    { what: "an empty file", text: "", want: [] },
  ];
  test.each(cases)("keeps $what", ({ text, want }) => {
    const r = splitDataLines(text);
    expect(r.lines.map((l) => l.text)).toEqual(want);
    expect(r.tooLongAt).toBeUndefined();
  });

  test("numbers lines from 1, counting the dropped ones", () => {
    expect(splitDataLines("#c\n\nx\ny").lines).toEqual([
      { text: "x", line: 3 },
      { text: "y", line: 4 },
    ]);
  });

  test("stops at a line longer than bufio.Scanner takes, keeping the lines before it", () => {
    const r = splitDataLines(`a\n${"x".repeat(MAX_LINE_BYTES + 1)}\nb\n`);
    expect(r.lines.map((l) => l.text)).toEqual(["a"]);
    expect(r.tooLongAt).toBe(2);
  });

  test("takes a line of exactly the limit", () => {
    const r = splitDataLines(`${"é".repeat((MAX_LINE_BYTES - 1) / 2)}x\n`);
    expect(r.tooLongAt).toBeUndefined();
    expect(r.lines).toHaveLength(1);
  });
});
