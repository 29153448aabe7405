/**
 * Running datasources together: every source writes into one bounded queue (a full queue makes
 * sources wait, or count drops when they cannot), `transform` programs run on the way in
 * (ACQUISITION.md §2.1), and the consumer reads events in batches. `stop()` stops every source.
 */
import { newLogEvent, newMap, TIMEMACHINE, type Event } from "../event";
import { ExprRuntimeError, type ExprProgram } from "../expr";
import { problem, type Problem } from "../result";
import { transformOf } from "./acquis";
import type { DataSource, EventSink } from "./sources/types";

/** Per-source counters, as `cscli metrics` would show them. */
export interface SourceMetrics {
  readonly module: string;
  readonly name: string;
  readonly type: string | undefined;
  /** Lines read per `Line.Src`. */
  readonly read: Readonly<Record<string, number>>;
  /** Dropped lines or messages per reason (`line-too-long`, `unrecognized`, `backpressure`, …). */
  readonly drops: Readonly<Record<string, number>>;
}

export interface AcquisitionRun {
  readonly sources: readonly DataSource[];
  /** Events of every source, a batch per wake-up; ends when every source has ended or after stop(). One consumer. */
  batches(): AsyncIterable<Event[]>;
  /** The same events one by one. */
  [Symbol.asyncIterator](): AsyncIterator<Event>;
  /** Resolves when every source has ended (cat mode) or was stopped. */
  readonly done: Promise<void>;
  /** A source that failed to start or died (a port already in use): the others go on. */
  readonly failures: readonly Problem[];
  stop(): Promise<void>;
  metrics(): SourceMetrics[];
}

export interface StartOptions {
  /** Queue length at which producers are asked to wait. Default 10 000. */
  readonly highWater?: number;
  /** Called when a transform fails on an event (the original event goes on, as upstream). */
  readonly onTransformError?: (source: DataSource, message: string) => void;
  /**
   * Called as each batch is taken off the queue, before it is handed to the consumer: at that
   * moment every event the sources have handed over is in this batch or an earlier one, so what
   * the sources report as handed over (file positions) is exactly what these batches hold.
   */
  readonly onCut?: () => void;
}

/** Starts every source into one queue. */
export function startAcquisition(sources: readonly DataSource[], opts: StartOptions = {}): AcquisitionRun {
  const queue = new EventQueue(opts.highWater ?? 10_000, opts.onCut);
  const controller = new AbortController();
  const failures: Problem[] = [];
  const done = runAcquisition(sources, (e) => queue.push(e), controller.signal, { ...opts, onFailure: (p) => failures.push(p) }).finally(() => queue.end());
  let stopping: Promise<void> | undefined;
  const run: AcquisitionRun = {
    sources,
    batches: () => queue.batches(),
    async *[Symbol.asyncIterator]() {
      for await (const batch of queue.batches()) yield* batch;
    },
    done,
    failures,
    stop() {
      stopping ??= (async () => {
        controller.abort();
        await Promise.all(sources.map((s) => s.stop()));
        await done;
      })();
      return stopping;
    },
    metrics: () => sources.map(metricsOf),
  };
  return run;
}

/**
 * Runs every source into `sink` (transforms applied) until all have ended or `signal` aborts.
 * A source that throws is reported through `onFailure` and does not stop the others.
 */
export async function runAcquisition(
  sources: readonly DataSource[],
  sink: EventSink,
  signal: AbortSignal,
  opts: StartOptions & { onFailure?: (p: Problem) => void } = {},
): Promise<void> {
  await Promise.all(
    sources.map(async (source) => {
      const program = transformOf(source);
      const into = program ? transformingSink(source, program, sink, opts.onTransformError) : sink;
      try {
        await source.start(into, signal);
      } catch (e) {
        const where = source.config.file ? { file: source.config.file } : {};
        opts.onFailure?.(problem("acquis.source-failed", `Datasource "${source.module}" stopped: ${e instanceof Error ? e.message : String(e)}`, where));
      }
    }),
  );
}

export function metricsOf(source: DataSource): SourceMetrics {
  return {
    module: source.module,
    name: source.config.name,
    type: source.config.labels.type,
    read: Object.fromEntries(source.counters.read),
    drops: Object.fromEntries(source.counters.drops),
  };
}

/**
 * Applies a transform (ACQUISITION.md §2.1): a string replaces `Line.Raw` in a copy, a list of
 * strings gives one copy each (an empty list drops the event), anything else keeps the original.
 */
export function applyTransform(evt: Event, program: ExprProgram, onError: (message: string) => void = () => {}): Event[] {
  const out = program.run({ evt });
  if (out instanceof ExprRuntimeError) {
    onError(out.message);
    return [evt];
  }
  if (typeof out === "string") return [copyWithRaw(evt, out)];
  if (Array.isArray(out)) {
    const events: Event[] = [];
    for (const item of out) {
      if (typeof item === "string") events.push(copyWithRaw(evt, item));
      else {
        onError(`transform returned a list holding a non-string element`);
        events.push(evt);
      }
    }
    return events;
  }
  onError(out === null || out === undefined ? "transform returned nil" : `transform returned a ${typeof out}, not a string or a list of strings`);
  return [evt];
}

function copyWithRaw(evt: Event, raw: string): Event {
  const labels = newMap<string>();
  if (evt.Line.Labels) Object.assign(labels, evt.Line.Labels);
  return newLogEvent({ raw, src: evt.Line.Src, sharedLabels: labels, module: evt.Line.Module, time: evt.Line.Time, timeMachine: evt.ExpectMode === TIMEMACHINE });
}

function transformingSink(source: DataSource, program: ExprProgram, sink: EventSink, onError?: (s: DataSource, m: string) => void): EventSink {
  const report = (m: string) => onError?.(source, m);
  return (evt) => {
    let wait: void | Promise<void> = undefined;
    for (const e of applyTransform(evt, program, report)) wait = sink(e) ?? wait;
    return wait;
  };
}

/** A bounded hand-off between producers (sources) and one consumer. */
export class EventQueue {
  private items: Event[] = [];
  private producers: (() => void)[] = [];
  private consumer: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly highWater: number,
    /** Called when a batch is taken, before the consumer gets it. */
    private readonly onCut?: () => void,
  ) {}

  get length(): number {
    return this.items.length;
  }

  /** Accepts the event; returns a promise to wait on when the queue is at its high-water mark. */
  push(evt: Event): void | Promise<void> {
    this.items.push(evt);
    this.wake();
    if (this.items.length < this.highWater) return undefined;
    return new Promise((resolve) => this.producers.push(resolve));
  }

  end(): void {
    this.ended = true;
    this.wake();
    for (const p of this.producers) p();
    this.producers = [];
  }

  async *batches(): AsyncGenerator<Event[]> {
    for (;;) {
      if (this.items.length > 0) {
        const batch = this.items;
        this.items = [];
        this.onCut?.();
        const waiting = this.producers;
        this.producers = [];
        for (const p of waiting) p();
        yield batch;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.consumer = resolve));
    }
  }

  private wake(): void {
    const c = this.consumer;
    this.consumer = undefined;
    c?.();
  }
}
