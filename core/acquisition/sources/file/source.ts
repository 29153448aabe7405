/**
 * The `file` datasource (ACQUISITION.md §4): tail mode follows every file matching the patterns
 * (existing ones from their end, new ones from their start), cat mode reads them once (`.gz`
 * decompressed). Change notification comes from fs.watch on the watched directories when it
 * works; a poll timer covers everything else (network filesystems, deleted directories).
 */
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readdirSync } from "node:fs";
import { openBytes } from "../../files";
import type { Re2Regex } from "../../../regex";
import { ByteLines } from "../byte-lines";
import { emit, lineEvent, nowTime, pushWarning, SourceCounters, type CommonConfig, type DataSource, type EventSink } from "../types";
import type { GlobPattern } from "./glob";
import { Tailer, type FilePosition } from "./tailer";

export interface FileSourceConfig {
  readonly patterns: readonly GlobPattern[];
  readonly exclude: readonly Re2Regex[];
  readonly forceInotify: boolean;
  /** true: poll only; false or undefined: fs.watch plus a slower safety poll. */
  readonly pollWithoutInotify?: boolean;
  readonly maxLineBytes: number;
  readonly discoveryPollIntervalMs?: number;
  /** Poll period, ms. */
  readonly pollIntervalMs: number;
}

export const DEFAULT_TAIL_MAX_LINE = 1024 * 1024;

export class FileSource implements DataSource {
  readonly module = "file";
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  private readonly tailers = new Map<string, Tailer>();
  private readonly watchers = new Map<string, FSWatcher>();
  /** Directories whose new entries are checked against the patterns. */
  private readonly watchedDirs = new Set<string>();
  private restored: Record<string, FilePosition> = {};
  /** Completed poll rounds (tests wait on it instead of sleeping). */
  polls = 0;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    readonly config: CommonConfig,
    readonly file: FileSourceConfig,
  ) {}

  /**
   * Byte offset after the last line of each tailed file handed to the sink (lines read but still
   * waiting to be handed over are not counted): what a consumer has received, in order.
   */
  positions(): Record<string, FilePosition> {
    const out: Record<string, FilePosition> = {};
    for (const [path, t] of this.tailers) {
      const p = t.position();
      if (p) out[path] = p;
    }
    return out;
  }

  /**
   * Where a restart may resume each file when none of its lines handed over since is known to be
   * processed: where reading of its current file began (its open or truncation), or the restored
   * position of a file not opened yet.
   */
  beginnings(): Record<string, FilePosition> {
    const out: Record<string, FilePosition> = {};
    for (const [path, p] of Object.entries(this.restored)) if (!this.tailers.get(path)?.beginning()) out[path] = p;
    for (const [path, t] of this.tailers) {
      const p = t.beginning();
      if (p) out[path] = p;
    }
    return out;
  }

  /** Positions saved by an earlier run: a file with the same identity resumes there instead of at its end. */
  restorePositions(positions: Record<string, FilePosition>): void {
    this.restored = { ...positions };
  }

  start(sink: EventSink, signal: AbortSignal): Promise<void> {
    const inner = this.stopper.signal;
    const both = AbortSignal.any([signal, inner]);
    this.running = this.config.mode === "cat" ? this.cat(sink, both) : this.tail(sink, both);
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake();
    await this.running?.catch(() => undefined);
  }

  private isExcluded(path: string): boolean {
    for (const re of this.file.exclude) if (re.test(path)) return true;
    return false;
  }

  private matchesAny(path: string): boolean {
    for (const p of this.file.patterns) if (p.matches(path)) return true;
    return false;
  }

  private async cat(sink: EventSink, signal: AbortSignal): Promise<void> {
    for (const pattern of this.file.patterns) {
      const matches = pattern.expand();
      if (matches.length === 0) pushWarning(this.warnings, `No matching files for pattern "${pattern.source}"`);
      for (const path of matches) {
        if (signal.aborted) return;
        if (this.isExcluded(path)) continue;
        const st = await stat(path).catch(() => undefined);
        if (!st) {
          pushWarning(this.warnings, `Cannot stat "${path}"`);
          continue;
        }
        if (st.isDirectory()) continue;
        await this.catOne(path, sink, signal);
      }
    }
  }

  private async catOne(path: string, sink: EventSink, signal: AbortSignal): Promise<void> {
    let batch: string[] = [];
    const splitter = new ByteLines({ maxLineBytes: this.file.maxLineBytes, stripCr: true }, (line, tooLong) => {
      if (tooLong) this.counters.drop("line-too-long");
      else if (line !== "") batch.push(line);
    });
    const reader = openBytes({ path }, () => new ReadableStream()).getReader();
    const flushBatch = async () => {
      const lines = batch;
      batch = [];
      for (const line of lines) {
        this.counters.hit(path);
        // cat mode is always time-machine (ACQUISITION.md §3.2).
        await emit(sink, lineEvent(line, path, this.config, this.module, nowTime(), true));
      }
    };
    try {
      for (;;) {
        if (signal.aborted) return;
        const { done, value } = await reader.read();
        if (done) break;
        splitter.push(value);
        await flushBatch();
      }
      splitter.flush();
      await flushBatch();
    } catch (e) {
      pushWarning(this.warnings, `Cannot read "${path}": ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      reader.releaseLock();
    }
  }

  private async tail(sink: EventSink, signal: AbortSignal): Promise<void> {
    for (const pattern of this.file.patterns) {
      if (this.file.forceInotify) this.watchedDirs.add(dirname(pattern.source));
      const matches = pattern.expand();
      if (matches.length === 0) pushWarning(this.warnings, `No matching files for pattern "${pattern.source}"`);
      for (const path of matches) {
        if (this.isExcluded(path)) continue;
        const st = await stat(path).catch(() => undefined);
        if (st?.isDirectory()) {
          pushWarning(this.warnings, `"${path}" is a directory: skipped`);
          continue;
        }
        // A glob that matched: its directory is watched, so files created later are picked up.
        if (pattern.isGlob) this.watchedDirs.add(dirname(path));
        this.addTailer(path, false);
      }
    }
    const lastDiscovery = { at: Date.now() };
    try {
      while (!signal.aborted) {
        this.ensureWatchers();
        await this.discover(lastDiscovery);
        for (const tailer of [...this.tailers.values()]) {
          do {
            if (signal.aborted) break;
            const note = await tailer.poll();
            if (note) pushWarning(this.warnings, note);
            await this.handOver(tailer, sink);
          } while (tailer.again);
        }
        this.polls++;
        await this.sleep(signal);
      }
    } finally {
      for (const w of this.watchers.values()) w.close();
      this.watchers.clear();
      await Promise.all([...this.tailers.values()].map((t) => t.close()));
    }
  }

  /**
   * The lines of one poll to the sink, in order. Each line's end offset becomes the tailer's
   * position as soon as the sink has it (before waiting on backpressure), so a position never
   * covers a line the consumer has not received.
   */
  private async handOver(tailer: Tailer, sink: EventSink): Promise<void> {
    const { lines, ends, tooLong } = tailer.take();
    if (tooLong > 0) this.counters.drop("line-too-long", tooLong);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line === "") continue; // empty lines never become events (upstream)
      this.counters.hit(tailer.path);
      const wait = sink(lineEvent(line, tailer.path, this.config, this.module, nowTime(), this.config.useTimeMachine));
      tailer.deliver(ends[i]!);
      if (wait) await wait;
    }
    // skipped lines (empty, too long) after the last one handed over are done with too
    tailer.deliver();
  }

  private addTailer(path: string, fromStart: boolean): void {
    if (this.tailers.has(path)) return;
    const saved = this.restored[path];
    const start = saved ? { kind: "position" as const, position: saved } : fromStart ? { kind: "start" as const } : { kind: "end" as const };
    this.tailers.set(path, new Tailer(path, start, this.file.maxLineBytes));
  }

  /** New files in watched directories (or anywhere the patterns reach, with discovery polling). */
  private async discover(last: { at: number }): Promise<void> {
    for (const dir of this.watchedDirs) {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        continue; // directory gone: wait for it to come back
      }
      for (const name of names) {
        const path = join(dir, name);
        if (this.tailers.has(path) || !this.matchesAny(path) || this.isExcluded(path)) continue;
        const st = await stat(path).catch(() => undefined);
        if (st?.isFile()) this.addTailer(path, true);
      }
    }
    const every = this.file.discoveryPollIntervalMs;
    if (every !== undefined && Date.now() - last.at >= every) {
      last.at = Date.now();
      for (const pattern of this.file.patterns) {
        for (const path of pattern.expand()) {
          if (this.tailers.has(path) || this.isExcluded(path)) continue;
          const st = await stat(path).catch(() => undefined);
          if (st?.isFile()) this.addTailer(path, true);
        }
      }
    }
  }

  /** fs.watch on every watched directory and every tailed file's directory; dead watchers are retried. */
  private ensureWatchers(): void {
    if (this.file.pollWithoutInotify === true) return;
    const dirs = new Set(this.watchedDirs);
    for (const path of this.tailers.keys()) dirs.add(dirname(path));
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.wake());
        w.on("error", () => {
          w.close();
          this.watchers.delete(dir);
          this.wake();
        });
        this.watchers.set(dir, w);
      } catch {
        // Not watchable (missing, unsupported filesystem): polling covers it.
      }
    }
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private sleep(signal: AbortSignal): Promise<void> {
    if (this.woken || signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    // With working watchers the timer is only a safety net for missed notifications.
    const ms = this.file.pollIntervalMs;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.wakeUp = done;
    });
  }
}
