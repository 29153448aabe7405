import { describe, expect, test } from "bun:test";
import { TIMEMACHINE } from "../../../event";
import { acquisitionFromDsn } from "../../acquis";
import { collect, runSourceContract } from "../contract";
import { StdinSource } from "./index";

function pipe(): { stream: ReadableStream<Uint8Array>; write(text: string): void; end(): void } {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  return { stream, write: (t) => ctl.enqueue(new TextEncoder().encode(t)), end: () => ctl.close() };
}

runSourceContract("stdin", async () => {
  const p = pipe();
  const r = acquisitionFromDsn("-", { type: "syslog" }, { stdin: () => p.stream });
  if (!r.ok) throw new Error("no stdin source");
  return {
    source: r.value,
    ready: async () => {},
    produce: async (lines) => p.write(lines.map((l) => `${l}\n`).join("")),
    cleanup: async () => {},
  };
});

describe("StdinSource", () => {
  test("reads to EOF (last line without newline too), skips empty lines, time-machine, then ends", async () => {
    const p = pipe();
    const r = acquisitionFromDsn("-", { type: "syslog" }, { stdin: () => p.stream });
    expect(r.ok && r.value instanceof StdinSource).toBe(true);
    if (!r.ok) return;
    const { events, running } = collect(r.value, new AbortController().signal);
    p.write("a\r\n\nb");
    p.end();
    await running;
    expect(events.map((e) => e.Line.Raw)).toEqual(["a", "b"]);
    expect(events.map((e) => e.Line.Src)).toEqual(["stdin", "stdin"]);
    expect(events.every((e) => e.ExpectMode === TIMEMACHINE)).toBe(true);
  });
});
