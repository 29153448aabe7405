/**
 * The one contract every live datasource implements, the common keys of an acquisition document,
 * and the counters a source keeps (lines read per `Line.Src`, drops per reason).
 */
import { newLogEvent, type Event } from "../../event";
import { GoTime } from "../../expr";
import type { DocReader } from "../../config";
import type { Problem, Result } from "../../result";

/** `tail` follows forever; `cat` reads what exists and ends; `server` is upstream's alias of tail for servers. */
export type AcquisitionMode = "tail" | "cat" | "server";

/**
 * Where events go. Returning a promise asks the source to wait before producing more
 * (backpressure); sources that cannot wait (a UDP socket) count a drop instead of queueing forever.
 */
export type EventSink = (event: Event) => void | Promise<void>;

/** The keys every acquisition document accepts (ACQUISITION.md §2), decoded. */
export interface CommonConfig {
  readonly source: string;
  readonly mode: AcquisitionMode;
  /** Shared by every event of the source (`Line.Labels`), as upstream shares its config map. */
  readonly labels: Record<string, string>;
  readonly logLevel?: string;
  readonly name: string;
  readonly useTimeMachine: boolean;
  /** Always fresh (a user value is ignored, as upstream overwrites it). */
  readonly uniqueId: string;
  readonly transform?: string;
  /** Where the document was read, for messages (`acquis.yaml (position 2)`). */
  readonly file?: string;
  readonly index?: number;
}

/** Counters of one source: lines read per `Line.Src` (upstream `cs_*source_hits_total`) and drops per reason. */
export class SourceCounters {
  readonly read = new Map<string, number>();
  readonly drops = new Map<string, number>();

  hit(src: string, n = 1): void {
    this.read.set(src, (this.read.get(src) ?? 0) + n);
  }

  drop(reason: string, n = 1): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + n);
  }

  /** Total lines read over every `Line.Src`. */
  get linesRead(): number {
    let n = 0;
    for (const v of this.read.values()) n += v;
    return n;
  }

  get dropped(): number {
    let n = 0;
    for (const v of this.drops.values()) n += v;
    return n;
  }
}

/** One configured datasource. `start` resolves when the source has ended (cat mode) or was stopped. */
export interface DataSource {
  /** Datasource name, also `Line.Module`: "file", "journalctl", "syslog", "docker", "stdin". */
  readonly module: string;
  readonly config: CommonConfig;
  readonly counters: SourceCounters;
  start(sink: EventSink, signal: AbortSignal): Promise<void>;
  /** Stops producing events and releases sockets, watchers and children; idempotent. */
  stop(): Promise<void>;
  /** Non-fatal trouble while running (a tailed file vanished, journalctl exited), newest last, bounded. */
  readonly warnings: readonly string[];
}

/** What a module needs besides the document: test seams and host services. */
export interface ModuleOptions {
  /** Poll period of file tailers and docker discovery, ms. */
  readonly pollIntervalMs?: number;
  /** journalctl executable (default: `journalctl` found in PATH). */
  readonly journalctlPath?: string;
  /** First restart delay of journalctl, ms (doubles up to `restartMaxMs`). */
  readonly restartDelayMs?: number;
  readonly restartMaxMs?: number;
  /** Stdin bytes (tests); default Bun.stdin. */
  readonly stdin?: () => ReadableStream<Uint8Array>;
  readonly env?: Record<string, string | undefined>;
  /** Installed hub items (`config_dir`) and the hub (`hub_dir`): the appsec source resolves appsec-configs and appsec-rules there. */
  readonly hub?: { readonly configDir: string; readonly hubDir: string };
  /** The Local API (`http://127.0.0.1:8080/`, the credentials' url): the appsec source checks bouncer keys with HEAD v1/decisions/stream. */
  readonly lapiUrl?: string;
  /** Checks a bouncer API key instead of asking `lapiUrl`: true when valid; a rejection means the check could not be made. */
  readonly checkApiKey?: (key: string) => Promise<boolean>;
}

/** One document handed to a module: its map, a strict reader recording problems, the decoded common keys. */
export interface SourceDocument {
  readonly value: Record<string, unknown>;
  readonly reader: DocReader;
  readonly common: CommonConfig;
}

/** A datasource kind: its own keys, how to build it from a document or a DSN. One registry line each. */
export interface DataSourceModule {
  readonly name: string;
  /** Keys of this datasource besides the common ones (strict decoding). */
  readonly keys: readonly string[];
  readonly labelsOptional?: boolean;
  /** Mode when the document sets none; "tail" unless said. */
  readonly defaultMode?: AcquisitionMode;
  /** Why the source cannot run on this host (document skipped with a warning), or undefined. */
  unavailable?(opts: ModuleOptions): string | undefined;
  /** Reads the document; problems are recorded on `doc.reader` and undefined returned. */
  configure(doc: SourceDocument, opts: ModuleOptions): DataSource | undefined;
  /** `file:///x.log`, `journalctl://filters=…` (ACQUISITION.md §9); always cat mode. */
  fromDsn?(dsn: string, common: CommonConfig, opts: ModuleOptions): Result<DataSource, Problem[]>;
}

/** The event a datasource emits for one line (ACQUISITION.md §3). */
export function lineEvent(raw: string, src: string, config: CommonConfig, module: string, time: GoTime, timeMachine: boolean): Event {
  return newLogEvent({ raw, src, sharedLabels: config.labels, module, time, timeMachine });
}

/** Wall clock, UTC, as `Line.Time` of live sources. */
export function nowTime(): GoTime {
  return new GoTime(Date.now());
}

const MAX_WARNINGS = 50;

/** Appends a warning, keeping the newest ones. */
export function pushWarning(list: string[], message: string): void {
  list.push(message);
  if (list.length > MAX_WARNINGS) list.splice(0, list.length - MAX_WARNINGS);
}

/** Calls the sink and waits only when it asks to. */
export async function emit(sink: EventSink, event: Event): Promise<void> {
  const wait = sink(event);
  if (wait) await wait;
}

/** A promise that resolves after `ms` or as soon as the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
