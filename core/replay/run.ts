import { createAlertOutput } from "../alerts";
import { createBucketEngine } from "../buckets";
import { newLogEvent, newMap, type Event, type RuntimeAlert } from "../event";
import { GoTime } from "../expr";
import { parseEvent } from "../parser";
import type { Pipeline } from "../pipeline";
import type { ParseReply, RemoteParser } from "./remote";
import { EventBatchReader } from "./transfer";

export interface ReplayInput {
  /** Line.Src of its events, and the name its counts are reported under. */
  readonly name: string;
  /** The acquisition label `type` (syslog, nginx…). */
  readonly type: string;
  /** Lines in batches (empty lines are skipped, as the file datasource does). */
  readonly batches: AsyncIterable<readonly string[]>;
}

export interface SourceStats {
  read: number;
  parsed: number;
  unparsed: number;
  whitelisted: number;
  /** Parsed, but no parser found a date in it: its time is the replay's wall clock. */
  noTimestamp: number;
}

export interface ReplayStats {
  readonly sources: ReadonlyMap<string, SourceStats>;
  alerts: number;
}

export interface ReplayOptions {
  /**
   * A parse worker (remote.ts): a single input is then parsed on it while this thread pours.
   * Not ready (it could not load the items) or several inputs: this thread parses.
   */
  readonly remote?: RemoteParser;
}

export interface ReplayCallbacks {
  readonly onAlert: (alert: RuntimeAlert) => void;
  readonly onUnparsed?: (source: string, line: string) => void;
  /** Called after each batch of lines with the running line count (progress). */
  readonly onProgress?: (linesRead: number) => void;
}

/**
 * Replays `inputs` through `pipeline`: each input's events in file order, inputs merged by event
 * time (each file is in time order already), poured one at a time so results equal a
 * single-threaded, line-by-line run.
 */
export async function replaySources(pipeline: Pipeline, inputs: readonly ReplayInput[], cb: ReplayCallbacks, nowMs = Date.now(), opts: ReplayOptions = {}): Promise<ReplayStats> {
  const stats: ReplayStats = { sources: new Map(inputs.map((i) => [i.name, { read: 0, parsed: 0, unparsed: 0, whitelisted: 0, noTimestamp: 0 }])), alerts: 0 };
  const engine = createBucketEngine(pipeline.scenarios.scenarios, { mode: "timemachine", now: () => nowMs, trimHeldEvents: true });
  const output = createAlertOutput({
    postoverflows: { tree: pipeline.postoverflows.tree, runtime: pipeline.runtime },
    pour: (evt) => engine.pour(evt),
  });
  const emit = (overflows: ReturnType<typeof engine.pour>) => {
    if (overflows.length === 0) return;
    for (const alert of output.process(overflows).alerts) {
      stats.alerts++;
      cb.onAlert(alert);
    }
  };
  const pour = (evt: Event) => emit(engine.pour(evt));
  const now = new GoTime(nowMs);
  let linesRead = 0;
  const gc = new GcPacer();
  const progress = (n: number) => {
    linesRead += n;
    cb.onProgress?.(linesRead);
    gc.lines(n);
  };
  const remote = inputs.length === 1 && opts.remote && (await opts.remote.ready) ? opts.remote : undefined;
  if (remote) {
    await pourRemote(remote, inputs[0]!, stats.sources.get(inputs[0]!.name)!, nowMs, cb, pour, progress);
  } else if (inputs.length === 1) {
    // one input: each event is poured as soon as it is parsed, so no batch of events is held
    const input = inputs[0]!;
    const parse = eventParser(input, pipeline, stats.sources.get(input.name)!, now, cb);
    for await (const lines of input.batches) {
      for (let i = 0; i < lines.length; i++) {
        const evt = parse(lines[i]!);
        if (evt !== undefined) pour(evt);
      }
      progress(lines.length);
    }
  } else {
    await mergeByTime(inputs.map((input) => parsedEvents(input, pipeline, stats.sources.get(input.name)!, now, cb, progress)), pour);
  }
  emit(engine.flush());
  return stats;
}

/**
 * Full garbage collections between batches. Left to itself the runtime lets its heap grow to a
 * multiple of what lives, and the peak memory of a long replay with it; a collection every so
 * many lines keeps the heap near the live size (the buckets and the events they hold). Each
 * costs time in proportion to what lives, so the next one waits for at least 19 times as long
 * as the last took: at most 5% of the time goes to them.
 */
class GcPacer {
  private since = 0;
  private notBefore = 0;

  lines(n: number): void {
    if ((this.since += n) < GC_EVERY_LINES) return;
    const start = performance.now();
    if (start < this.notBefore) return;
    this.since = 0;
    Bun.gc(true);
    const end = performance.now();
    this.notBefore = end + (end - start) * 19;
  }
}

const GC_EVERY_LINES = 16384;

/** Lines per request to the parse worker, and requests in flight (the worker parses ahead of the pours by that much). */
const REMOTE_BATCH = 1024;
const REMOTE_DEPTH = 4;

/** One input parsed by the worker: batches out in order, events poured back in the same order. */
async function pourRemote(
  remote: RemoteParser,
  input: ReplayInput,
  stats: SourceStats,
  nowMs: number,
  cb: ReplayCallbacks,
  pour: (evt: Event) => void,
  progress: (n: number) => void,
): Promise<void> {
  remote.start(nowMs, [{ name: input.name, type: input.type }], cb.onUnparsed !== undefined);
  const inflight: Promise<ParseReply & { kind: "parsed" }>[] = [];
  const consume = (r: ParseReply & { kind: "parsed" }) => {
    stats.read += r.stats.read;
    stats.parsed += r.stats.parsed;
    stats.unparsed += r.stats.unparsed;
    stats.whitelisted += r.stats.whitelisted;
    stats.noTimestamp += r.stats.noTimestamp;
    if (cb.onUnparsed) for (const line of r.unparsed) cb.onUnparsed(input.name, line);
    const reader = new EventBatchReader(r.events);
    for (let evt = reader.next(); evt !== undefined; evt = reader.next()) pour(evt);
    progress(r.lines);
  };
  for await (const lines of input.batches) {
    for (let i = 0; i < lines.length; i += REMOTE_BATCH) {
      inflight.push(remote.parse(0, i === 0 && lines.length <= REMOTE_BATCH ? lines : lines.slice(i, i + REMOTE_BATCH)));
      if (inflight.length >= REMOTE_DEPTH) consume(await inflight.shift()!);
    }
  }
  while (inflight.length > 0) consume(await inflight.shift()!);
}

/** Parses one line of `input` (counted in `stats`): the event if it goes on to the buckets. */
export function eventParser(input: ReplayInput, pipeline: Pipeline, stats: SourceStats, now: GoTime, cb: ReplayCallbacks): (raw: string) => Event | undefined {
  // one labels map per input, as upstream's datasource gives every line its config's map
  const labels = Object.assign(newMap<string>(), { type: input.type });
  const tree = pipeline.parsers.tree;
  const runtime = pipeline.runtime;
  return (raw) => {
    if (raw === "") return undefined;
    stats.read++;
    const evt = newLogEvent({ raw, src: input.name, sharedLabels: labels, time: now });
    const r = parseEvent(tree, evt, runtime);
    if (r.kind !== "parsed") {
      stats.unparsed++;
      cb.onUnparsed?.(input.name, raw);
      return undefined;
    }
    stats.parsed++;
    if (evt.StrTime === "") stats.noTimestamp++;
    if (evt.Whitelisted) {
      stats.whitelisted++;
      return undefined;
    }
    return evt;
  };
}

/** Parses one input, yielding the events that reach the buckets, a batch per batch of lines. */
async function* parsedEvents(input: ReplayInput, pipeline: Pipeline, stats: SourceStats, now: GoTime, cb: ReplayCallbacks, progress: (n: number) => void): AsyncGenerator<Event[]> {
  const parse = eventParser(input, pipeline, stats, now, cb);
  for await (const lines of input.batches) {
    const out: Event[] = [];
    for (let i = 0; i < lines.length; i++) {
      const evt = parse(lines[i]!);
      if (evt !== undefined) out.push(evt);
    }
    progress(lines.length);
    if (out.length > 0) yield out;
  }
}

/** k-way merge by event time; ties keep input order. */
async function mergeByTime(streams: AsyncGenerator<Event[]>[], pour: (evt: Event) => void): Promise<void> {
  const heads: { batch: Event[]; at: number; it: AsyncGenerator<Event[]> }[] = [];
  for (const it of streams) {
    const r = await it.next();
    if (!r.done) heads.push({ batch: r.value, at: 0, it });
  }
  while (heads.length > 0) {
    let best = 0;
    for (let i = 1; i < heads.length; i++) {
      const a = heads[i]!.batch[heads[i]!.at]!;
      const b = heads[best]!.batch[heads[best]!.at]!;
      if (a.Time.unixMs < b.Time.unixMs || (a.Time.unixMs === b.Time.unixMs && a.Time.subMsNanos < b.Time.subMsNanos)) best = i;
    }
    const head = heads[best]!;
    pour(head.batch[head.at++]!);
    if (head.at >= head.batch.length) {
      const r = await head.it.next();
      if (r.done) heads.splice(best, 1);
      else {
        head.batch = r.value;
        head.at = 0;
      }
    }
  }
}
