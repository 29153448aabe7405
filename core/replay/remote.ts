/**
 * Parsing on a worker thread while the main thread pours: batches of lines go out in order, the
 * events that reach the buckets come back in the same order (transfer.ts), so the pours are
 * those of a single-threaded run. The worker builds its own pipeline from the same items; its
 * parsers (and their stash) see every line in file order, as they would on the main thread.
 */
import type { Pipeline } from "../pipeline";
import { GoTime } from "../expr";
import { eventParser, type ReplayInput, type SourceStats } from "./run";
import { encodeEvents, type EventBatchData } from "./transfer";

export interface RemoteInput {
  readonly name: string;
  readonly type: string;
}

/** Main thread → worker. */
export type ParseRequest =
  | { readonly kind: "start"; readonly nowMs: number; readonly inputs: readonly RemoteInput[]; readonly unparsed: boolean }
  | { readonly kind: "lines"; readonly seq: number; readonly input: number; readonly lines: readonly string[] };

/** Worker → main thread. */
export type ParseReply =
  /** The worker built its pipeline (or could not: `error`). */
  | { readonly kind: "ready"; readonly error?: string }
  | { readonly kind: "parsed"; readonly seq: number; readonly lines: number; readonly stats: SourceStats; readonly events: EventBatchData; readonly unparsed: readonly string[] }
  | { readonly kind: "failed"; readonly seq: number; readonly message: string };

/** What replay needs of a worker (a Worker is one). */
export interface ParseWorkerPort {
  postMessage(message: ParseRequest): void;
  onmessage: ((event: MessageEvent<ParseReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** Worker side: answers `start` and `lines` requests with the pipeline's parsers. */
export function createParseService(pipeline: Pipeline): (req: ParseRequest) => ParseReply | undefined {
  let parsers: { parse: (raw: string) => ReturnType<ReturnType<typeof eventParser>>; stats: SourceStats; unparsed: string[] }[] = [];
  return (req) => {
    if (req.kind === "start") {
      const now = new GoTime(req.nowMs);
      parsers = req.inputs.map((input) => {
        const stats: SourceStats = { read: 0, parsed: 0, unparsed: 0, whitelisted: 0, noTimestamp: 0 };
        const unparsed: string[] = [];
        const replayInput: ReplayInput = { name: input.name, type: input.type, batches: NO_BATCHES };
        const onUnparsed = req.unparsed ? (_: string, line: string) => void unparsed.push(line) : undefined;
        return { parse: eventParser(replayInput, pipeline, stats, now, { onAlert: () => {}, onUnparsed }), stats, unparsed };
      });
      return undefined;
    }
    const p = parsers[req.input];
    if (!p) return { kind: "failed", seq: req.seq, message: `no input ${req.input}` };
    const before = { ...p.stats };
    const events = [];
    for (const raw of req.lines) {
      const evt = p.parse(raw);
      if (evt !== undefined) events.push(evt);
    }
    const s = p.stats;
    const stats: SourceStats = {
      read: s.read - before.read,
      parsed: s.parsed - before.parsed,
      unparsed: s.unparsed - before.unparsed,
      whitelisted: s.whitelisted - before.whitelisted,
      noTimestamp: s.noTimestamp - before.noTimestamp,
    };
    const unparsed = p.unparsed.splice(0);
    return { kind: "parsed", seq: req.seq, lines: req.lines.length, stats, events: encodeEvents(events), unparsed };
  };
}

const NO_BATCHES: AsyncIterable<readonly string[]> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
};

/** Main side: sends batches, resolves each with its reply, in order. */
export class RemoteParser {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: ParseReply & { kind: "parsed" }) => void; reject: (e: Error) => void }>();
  private broken: Error | undefined;
  private settle: (ok: boolean) => void = () => {};
  /** True once the worker has built its pipeline; false if it could not (replay then parses itself). */
  readonly ready: Promise<boolean>;

  constructor(private readonly port: ParseWorkerPort) {
    this.ready = new Promise<boolean>((resolve) => (this.settle = resolve));
    port.onmessage = (event) => {
      const r = event.data;
      if (r.kind === "ready") {
        this.settle(r.error === undefined);
        return;
      }
      const w = this.waiting.get(r.seq);
      if (!w) return;
      this.waiting.delete(r.seq);
      if (r.kind === "parsed") w.resolve(r);
      else w.reject(new Error(`replay parse worker: ${r.message}`));
    };
    port.onerror = (event) => this.fail(new Error(`replay parse worker: ${event.message}`));
  }

  start(nowMs: number, inputs: readonly RemoteInput[], unparsed: boolean): void {
    this.port.postMessage({ kind: "start", nowMs, inputs, unparsed });
  }

  parse(input: number, lines: readonly string[]): Promise<ParseReply & { kind: "parsed" }> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = this.seq++;
    const reply = new Promise<ParseReply & { kind: "parsed" }>((resolve, reject) => this.waiting.set(seq, { resolve, reject }));
    // replies wait in line to be poured: a failure is seen when its turn comes, not as unhandled
    reply.catch(() => {});
    this.port.postMessage({ kind: "lines", seq, input, lines });
    return reply;
  }

  close(): void {
    this.port.onmessage = null;
    this.port.onerror = null;
    this.port.terminate();
    this.fail(new Error("replay parse worker closed"));
  }

  private fail(e: Error): void {
    this.settle(false);
    this.broken ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
