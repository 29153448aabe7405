/**
 * The contract every datasource passes (STYLE.md: stages that share a contract share a suite),
 * and the bounded wait the source tests use instead of sleeps.
 */
import { describe, expect, test } from "bun:test";
import { LOG, type Event } from "../../event";
import type { DataSource } from "./types";

/** Polls `cond` until it holds or `timeoutMs` passes (then fails with `what`). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 1500): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A source under test, and how to make it produce lines once started. */
export interface SourceHarness {
  readonly source: DataSource;
  /** Resolves once the started source can receive lines (socket bound, tailer positioned). */
  ready(): Promise<void>;
  /** Makes the running source read these lines. */
  produce(lines: readonly string[]): Promise<void>;
  /** The `Line.Raw` each produced line becomes (identity by default). */
  expected?(line: string): string;
  cleanup(): Promise<void>;
}

/** Collects events of a started source. */
export function collect(source: DataSource, signal: AbortSignal): { events: Event[]; running: Promise<void> } {
  const events: Event[] = [];
  const running = source.start((e) => void events.push(e), signal);
  return { events, running };
}

export function runSourceContract(name: string, make: () => Promise<SourceHarness>): void {
  describe(`${name}: DataSource contract`, () => {
    test("emits each produced line as a LOG event carrying the module, the shared labels and a source", async () => {
      const h = await make();
      const ctl = new AbortController();
      try {
        const { events, running } = collect(h.source, ctl.signal);
        await h.ready();
        const lines = ["alpha one 1", "beta two 2", "gamma three 3"];
        await h.produce(lines);
        await waitFor(() => events.length >= lines.length, `${lines.length} events`);
        const map = h.expected ?? ((l: string) => l);
        expect(events.map((e) => e.Line.Raw)).toEqual(lines.map(map));
        for (const e of events) {
          expect(e.Type).toBe(LOG);
          expect(e.Process).toBe(true);
          expect(e.Line.Process).toBe(true);
          expect(e.Line.Module).toBe(h.source.module);
          expect(e.Line.Labels).toBe(h.source.config.labels);
          expect(e.Line.Src).not.toBe("");
        }
        expect(h.source.counters.linesRead).toBeGreaterThanOrEqual(lines.length);
        await h.source.stop();
        await running;
      } finally {
        ctl.abort();
        await h.cleanup();
      }
    });

    test("stop() makes start() resolve, and a second stop() is harmless", async () => {
      const h = await make();
      try {
        const { running } = collect(h.source, new AbortController().signal);
        await h.ready();
        await h.source.stop();
        await running;
        await h.source.stop();
      } finally {
        await h.cleanup();
      }
    });

    test("aborting the signal makes start() resolve", async () => {
      const h = await make();
      const ctl = new AbortController();
      try {
        const { running } = collect(h.source, ctl.signal);
        await h.ready();
        ctl.abort();
        await running;
      } finally {
        await h.source.stop();
        await h.cleanup();
      }
    });
  });
}
