import { describe, expect, test } from "bun:test";
import { linesOf, LineSplitStream } from "./lines";

async function collect(chunks: readonly string[], opts = {}): Promise<string[]> {
  const source = new ReadableStream<string>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
  const out: string[] = [];
  for await (const line of source.pipeThrough(new LineSplitStream(opts))) out.push(line);
  return out;
}

describe("LineSplitStream", () => {
  test.each([
    { name: "one chunk", chunks: ["a\nb\nc\n"], want: ["a", "b", "c"] },
    { name: "no final newline", chunks: ["a\nb"], want: ["a", "b"] },
    { name: "line across chunks", chunks: ["ab", "c\nd", "e\n"], want: ["abc", "de"] },
    { name: "CRLF", chunks: ["a\r\nb\r\n"], want: ["a", "b"] },
    { name: "CR split from LF", chunks: ["a\r", "\nb"], want: ["a", "b"] },
    { name: "empty lines kept", chunks: ["a\n\nb\n"], want: ["a", "", "b"] },
    { name: "empty input", chunks: [] as string[], want: [] as string[] },
  ])("$name", async ({ chunks, want }) => {
    expect(await collect(chunks)).toEqual([...want]);
  });

  test("cuts a line longer than the bound and reports it", async () => {
    const cut: number[] = [];
    const lines = await collect(["x".repeat(10), "y".repeat(10), "\nok\n"], { maxLineLength: 8, onTruncated: (n: number) => cut.push(n) });
    expect(lines).toEqual(["xxxxxxxx", "ok"]);
    expect(cut).toEqual([20]);
  });
});

describe("linesOf()", () => {
  test("decodes UTF-8 split inside a character", async () => {
    const bytes = new TextEncoder().encode("é1\nü2\n");
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 1));
        c.enqueue(bytes.slice(1));
        c.close();
      },
    });
    const out: string[] = [];
    for await (const l of linesOf(source)) out.push(l);
    expect(out).toEqual(["é1", "ü2"]);
  });
});
