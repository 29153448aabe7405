import { describe, expect, test } from "bun:test";
import { newLogEvent, PARSER_ENV, type Event } from "../event";
import { compileExpr } from "../expr";
import { unwrap } from "../result";
import { acquisitionFromDsn, parseAcquisition } from "./acquis";
import { applyTransform, EventQueue, startAcquisition } from "./run";
import type { DataSource } from "./sources/types";

function stdinSource(text: string, opts: { transform?: string; type?: string } = {}): DataSource {
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(text));
      c.close();
    },
  });
  const r = acquisitionFromDsn("-", { type: opts.type ?? "syslog" }, { stdin: () => stream, transform: opts.transform });
  if (!r.ok) throw new Error(r.error.map((p) => p.message).join("; "));
  return r.value;
}

async function drain(it: AsyncIterable<Event>): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe("startAcquisition()", () => {
  test("merges every source into one stream that ends when all sources end; metrics per source", async () => {
    const run = startAcquisition([stdinSource("a1\na2\n", { type: "a" }), stdinSource("b1\n", { type: "b" })]);
    const events = await drain(run);
    await run.done;
    expect(events.map((e) => e.Line.Raw).sort()).toEqual(["a1", "a2", "b1"]);
    expect(run.metrics()).toEqual([
      { module: "stdin", name: "", type: "a", read: { stdin: 2 }, drops: {} },
      { module: "stdin", name: "", type: "b", read: { stdin: 1 }, drops: {} },
    ]);
    expect(run.failures).toEqual([]);
  });

  test("applies a source's transform on the way in", async () => {
    const run = startAcquisition([stdinSource("x\ny\n", { transform: 'evt.Line.Raw == "x" ? ["x1", "x2"] : []' })]);
    expect((await drain(run)).map((e) => e.Line.Raw)).toEqual(["x1", "x2"]);
  });

  test("stop() ends sources that would run forever, and the stream with them", async () => {
    const never = new ReadableStream<Uint8Array>({});
    const live = acquisitionFromDsn("-", { type: "t" }, { stdin: () => never });
    if (!live.ok) throw new Error("no stdin source");
    const run = startAcquisition([live.value]);
    const consumed = drain(run);
    await run.stop();
    expect(await consumed).toEqual([]);
  });

  test("a source that cannot start is reported; the others still run", async () => {
    const r = parseAcquisition("source: syslog\nlisten_addr: 192.0.2.1\nlisten_port: 5514\nlabels: {type: syslog}\n", "a.yaml");
    const run = startAcquisition([r.sources[0]!, stdinSource("ok\n")]);
    const events = await drain(run);
    expect(events.map((e) => e.Line.Raw)).toEqual(["ok"]);
    expect(run.failures.map((p) => p.code)).toEqual(["acquis.source-failed"]);
  });
});

describe("EventQueue", () => {
  test("asks producers to wait at the high-water mark and releases them when the consumer takes a batch", async () => {
    const q = new EventQueue(2);
    expect(q.push(newLogEvent({ raw: "1" }))).toBeUndefined();
    const wait = q.push(newLogEvent({ raw: "2" }));
    expect(wait).toBeInstanceOf(Promise);
    let released = false;
    void (wait as Promise<void>).then(() => (released = true));
    const it = q.batches()[Symbol.asyncIterator]();
    const first = await it.next();
    expect((first.value as Event[]).map((e) => e.Line.Raw)).toEqual(["1", "2"]);
    await Promise.resolve();
    expect(released).toBe(true);
    q.end();
    expect((await it.next()).done).toBe(true);
  });
});

describe("applyTransform()", () => {
  const program = (src: string) => unwrap(compileExpr(src, { env: PARSER_ENV }));
  const evt = () => newLogEvent({ raw: "orig", src: "f", labels: { type: "t" }, module: "file" });
  test.each([
    { name: "a string replaces Line.Raw in a copy", src: 'upper(evt.Line.Raw)', want: ["ORIG"], errors: 0 },
    { name: "a list gives one copy per string", src: '["a", "b"]', want: ["a", "b"], errors: 0 },
    { name: "an empty list drops the event", src: "[]", want: [], errors: 0 },
    { name: "a non-string element keeps the original for it", src: '["a", 1]', want: ["a", "orig"], errors: 1 },
    { name: "nil keeps the original", src: "nil", want: ["orig"], errors: 1 },
    { name: "another type keeps the original", src: "42", want: ["orig"], errors: 1 },
  ] as { name: string; src: string; want: string[]; errors: number }[])("$name", ({ src, want, errors }) => {
    const e = evt();
    const seen: string[] = [];
    const out = applyTransform(e, program(src), (m) => void seen.push(m));
    expect(out.map((x) => x.Line.Raw)).toEqual(want);
    expect(seen.length).toBe(errors);
    for (const x of out) {
      expect(x.Line.Src).toBe("f");
      if (x !== e) expect(x.Line.Labels).not.toBe(e.Line.Labels); // labels copied, as upstream
    }
  });
});
