import { createAlertOutput } from "../alerts";
import { createBucketEngine } from "../buckets";
import { newLogEvent, type Event, type RuntimeAlert } from "../event";
import { GoTime } from "../expr";
import { parseEvent } from "../parser";
import type { Pipeline } from "../pipeline";

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
export async function replaySources(pipeline: Pipeline, inputs: readonly ReplayInput[], cb: ReplayCallbacks, nowMs = Date.now()): Promise<ReplayStats> {
  const stats: ReplayStats = { sources: new Map(inputs.map((i) => [i.name, { read: 0, parsed: 0, unparsed: 0, whitelisted: 0, noTimestamp: 0 }])), alerts: 0 };
  const engine = createBucketEngine(pipeline.scenarios.scenarios, { mode: "timemachine", now: () => nowMs });
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
  const streams = inputs.map((input) => parsedEvents(input, pipeline, stats.sources.get(input.name)!, now, cb, (n) => {
    linesRead += n;
    cb.onProgress?.(linesRead);
  }));
  if (streams.length === 1) {
    for await (const batch of streams[0]!) for (const evt of batch) pour(evt);
  } else {
    await mergeByTime(streams, pour);
  }
  emit(engine.flush());
  return stats;
}

/** Parses one input, yielding the events that reach the buckets, a batch per batch of lines. */
async function* parsedEvents(
  input: ReplayInput,
  pipeline: Pipeline,
  stats: SourceStats,
  now: GoTime,
  cb: ReplayCallbacks,
  progress: (n: number) => void,
): AsyncGenerator<Event[]> {
  const labels = { type: input.type };
  const tree = pipeline.parsers.tree;
  const runtime = pipeline.runtime;
  for await (const lines of input.batches) {
    const out: Event[] = [];
    for (const raw of lines) {
      if (raw === "") continue;
      stats.read++;
      const evt = newLogEvent({ raw, src: input.name, labels, time: now });
      const r = parseEvent(tree, evt, runtime);
      if (r.kind !== "parsed") {
        stats.unparsed++;
        cb.onUnparsed?.(input.name, raw);
        continue;
      }
      stats.parsed++;
      if (evt.StrTime === "") stats.noTimestamp++;
      if (evt.Whitelisted) {
        stats.whitelisted++;
        continue;
      }
      out.push(evt);
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
