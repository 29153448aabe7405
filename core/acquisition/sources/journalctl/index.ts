/**
 * The `journalctl` datasource (ACQUISITION.md §5): runs `journalctl --follow -n 0 <filters…>`
 * (tail) or `journalctl [--since X] <filters…>` (cat) in its default short output, as upstream
 * does, so lines look like syslog and `labels.type: syslog` parses them. Every stdout line is an
 * event (empty ones too, as upstream); stderr lines become warnings. In tail mode an exited
 * journalctl is restarted after a delay that doubles up to a cap and resets once it ran a while.
 */
import { err, ok, problem } from "../../../result";
import { ByteLines } from "../byte-lines";
import { emit, lineEvent, nowTime, pause, pushWarning, SourceCounters, type CommonConfig, type DataSource, type DataSourceModule, type EventSink, type ModuleOptions, type SourceDocument } from "../types";

export interface JournalctlSourceConfig {
  readonly filters: readonly string[];
  readonly since?: string;
  readonly binary: string;
  readonly restartDelayMs: number;
  readonly restartMaxMs: number;
}

/** Upstream reads stdout with a 64 KiB line scanner. */
const MAX_LINE = 64 * 1024;
/** A run this long resets the restart delay. */
const STABLE_MS = 60_000;

export class JournalctlSource implements DataSource {
  readonly module = "journalctl";
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  /** How many times journalctl was started. */
  runs = 0;
  readonly src: string;
  private child: ReturnType<typeof Bun.spawn> | undefined;
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    readonly config: CommonConfig,
    readonly journal: JournalctlSourceConfig,
  ) {
    this.src = `journalctl-${journal.filters.join(".")}`;
  }

  /** The command line, binary first. */
  command(): string[] {
    const args = this.config.mode === "cat" ? (this.journal.since ? ["--since", this.journal.since] : []) : ["--follow", "-n", "0"];
    return [this.journal.binary, ...args, ...this.journal.filters];
  }

  start(sink: EventSink, signal: AbortSignal): Promise<void> {
    this.running = this.run(sink, AbortSignal.any([signal, this.stopper.signal]));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.child?.kill();
    await this.running?.catch(() => undefined);
  }

  private async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    let delay = this.journal.restartDelayMs;
    while (!signal.aborted) {
      const startedAt = Date.now();
      const code = await this.once(sink, signal);
      if (signal.aborted || this.config.mode === "cat") return;
      pushWarning(this.warnings, `journalctl exited with code ${code}: restarting in ${delay} ms`);
      if (Date.now() - startedAt >= STABLE_MS) delay = this.journal.restartDelayMs;
      await pause(delay, signal);
      delay = Math.min(delay * 2, this.journal.restartMaxMs);
    }
  }

  /** One journalctl process, read to its end; returns its exit code. */
  private async once(sink: EventSink, signal: AbortSignal): Promise<number | string> {
    const child = spawnPiped(this.command());
    if (typeof child === "string") return child;
    this.runs++;
    this.child = child;
    const kill = () => child.kill();
    signal.addEventListener("abort", kill, { once: true });
    const stderr = this.readStderr(child.stderr);
    let batch: string[] = [];
    const splitter = new ByteLines({ maxLineBytes: MAX_LINE, stripCr: true }, (line, tooLong) => {
      if (tooLong) this.counters.drop("line-too-long");
      else batch.push(line);
    });
    const reader = child.stdout.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) splitter.flush();
        else splitter.push(value);
        const lines = batch;
        batch = [];
        for (const line of lines) {
          this.counters.hit(this.src);
          await emit(sink, lineEvent(line, this.src, this.config, this.module, nowTime(), this.config.useTimeMachine));
        }
        if (done) break;
      }
    } catch {
      // The pipe broke (child killed): the exit code says the rest.
    } finally {
      reader.releaseLock();
      signal.removeEventListener("abort", kill);
    }
    const code = await child.exited;
    await stderr;
    this.child = undefined;
    return code;
  }

  private async readStderr(stream: ReadableStream<Uint8Array>): Promise<void> {
    const splitter = new ByteLines({ maxLineBytes: MAX_LINE, stripCr: true }, (line) => {
      if (line !== "") pushWarning(this.warnings, `journalctl: ${line}`);
    });
    try {
      for await (const chunk of stream) splitter.push(chunk);
      splitter.flush();
    } catch {
      // closed with the child
    }
  }
}

function spawnPiped(cmd: string[]) {
  try {
    return Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function journalctlBinary(opts: ModuleOptions): string | undefined {
  return opts.journalctlPath ?? Bun.which("journalctl", { PATH: opts.env?.PATH ?? process.env.PATH ?? "" }) ?? undefined;
}

export const journalctlModule: DataSourceModule = {
  name: "journalctl",
  keys: ["journalctl_filter"],
  unavailable(opts) {
    return journalctlBinary(opts) ? undefined : "journalctl is not in PATH";
  },
  configure(doc: SourceDocument, opts: ModuleOptions): JournalctlSource | undefined {
    const { value: v, reader: r, common } = doc;
    const before = r.problems.length;
    const filters = r.stringList(v.journalctl_filter, ["journalctl_filter"]) ?? [];
    if (filters.length === 0) r.report([], "acquis.journalctl.no-filter", "journalctl_filter is required");
    if (common.mode !== "tail" && common.mode !== "cat") r.report(["mode"], "acquis.mode", `Unsupported mode "${common.mode}" for journalctl source`);
    const binary = journalctlBinary(opts);
    if (r.problems.length > before || !binary) return undefined;
    return new JournalctlSource(common, { filters, binary, restartDelayMs: opts.restartDelayMs ?? 1000, restartMaxMs: opts.restartMaxMs ?? 10_000 });
  },
  fromDsn(dsn, common, opts) {
    const query = dsn.slice("journalctl://".length);
    const filters: string[] = [];
    let since: string | undefined;
    const problems = [];
    if (query === "") problems.push(problem("acquis.dsn", `Empty journalctl DSN "${dsn}": expected filters=…`));
    for (const [key, value] of new URLSearchParams(query)) {
      if (key === "filters") filters.push(value);
      else if (key === "since") since = value;
      else if (key !== "log_level") problems.push(problem("acquis.dsn", `Unknown parameter "${key}" in DSN "${dsn}"`));
    }
    const binary = journalctlBinary(opts);
    if (!binary) problems.push(problem("acquis.journalctl.unavailable", "journalctl is not in PATH"));
    if (problems.length > 0 || !binary) return err(problems);
    return ok(new JournalctlSource({ ...common, mode: "cat" }, { filters, since, binary, restartDelayMs: 1000, restartMaxMs: 10_000 }));
  },
};
