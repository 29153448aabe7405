import { describe, expect, test } from "bun:test";
import { ByteLines } from "./byte-lines";

function split(chunks: readonly string[], opts: { maxLineBytes?: number; stripCr?: boolean; flush?: boolean } = {}) {
  const out: string[] = [];
  const lines = new ByteLines({ maxLineBytes: opts.maxLineBytes ?? 1024, stripCr: opts.stripCr ?? false }, (line, tooLong) => out.push(tooLong ? "<too long>" : line));
  const enc = new TextEncoder();
  for (const c of chunks) lines.push(enc.encode(c));
  const committed = lines.committed;
  if (opts.flush) lines.flush();
  return { out, committed, consumed: lines.consumed };
}

describe("ByteLines", () => {
  test.each([
    { name: "lines in one chunk", chunks: ["a\nb\n"], want: ["a", "b"], committed: 4 },
    { name: "a line across chunks", chunks: ["ab", "c\nd"], want: ["abc"], committed: 4 },
    { name: "a partial last line is held", chunks: ["a\npart"], want: ["a"], committed: 2 },
    { name: "empty lines are reported (callers skip them)", chunks: ["\n\n"], want: ["", ""], committed: 2 },
  ] as { name: string; chunks: string[]; want: string[]; committed: number }[])("$name", ({ chunks, want, committed }) => {
    const r = split(chunks);
    expect(r.out).toEqual(want);
    expect(r.committed).toBe(committed);
  });

  test("keeps \\r unless told to strip it", () => {
    expect(split(["a\r\n"]).out).toEqual(["a\r"]);
    expect(split(["a\r\n"], { stripCr: true }).out).toEqual(["a"]);
  });

  test("drops an over-long line whole, across chunks, and resumes at the next newline", () => {
    expect(split(["0123456789", "abcdef\nok\n"], { maxLineBytes: 8 }).out).toEqual(["<too long>", "ok"]);
    expect(split(["0123456789\nok\n"], { maxLineBytes: 8 }).out).toEqual(["<too long>", "ok"]);
    expect(split(["01234567\n"], { maxLineBytes: 8 }).out).toEqual(["01234567"]);
  });

  test("each line comes with the offset just after its terminator (where a restart resumes)", () => {
    const ends: [string, number][] = [];
    const lines = new ByteLines({ maxLineBytes: 4, stripCr: true }, (line, tooLong, end) => ends.push([tooLong ? "<too long>" : line, end]));
    const enc = new TextEncoder();
    for (const c of ["ab\r\nc", "d\n\n0123456789\né\n", "tail"]) lines.push(enc.encode(c));
    lines.flush();
    expect(ends).toEqual([["ab", 4], ["cd", 7], ["", 8], ["<too long>", 19], ["é", 22], ["tail", 26]]);
  });

  test("flush() emits the unfinished last line", () => {
    expect(split(["a\nlast"], { flush: true }).out).toEqual(["a", "last"]);
  });

  test("a multi-byte character split across chunks decodes whole; offsets count bytes", () => {
    const out: string[] = [];
    const lines = new ByteLines({ maxLineBytes: 64, stripCr: false }, (l) => out.push(l));
    lines.push(new Uint8Array([0x63, 0x61, 0x66, 0xc3]));
    lines.push(new Uint8Array([0xa9, 0x0a]));
    expect(out).toEqual(["café"]);
    expect(lines.committed).toBe(6);
  });

  test("invalid UTF-8 becomes U+FFFD instead of dropping the line", () => {
    const out: string[] = [];
    const lines = new ByteLines({ maxLineBytes: 64, stripCr: false }, (l) => out.push(l));
    lines.push(new Uint8Array([0x61, 0xff, 0x62, 0x0a]));
    expect(out).toEqual(["a\uFFFDb"]);
  });
});
