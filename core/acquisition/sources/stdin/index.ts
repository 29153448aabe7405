/**
 * `stdin` (picket's addition; upstream uses `-dsn file:///dev/stdin`): lines of standard input,
 * for pipelines (`… | picket run --dsn -`). Cat mode (the default) reads to EOF as a replay,
 * time-machine; tail mode treats the lines as live. Empty lines are skipped as in the file source.
 */
import { ok } from "../../../result";
import { ByteLines } from "../byte-lines";
import { emit, lineEvent, nowTime, SourceCounters, type CommonConfig, type DataSource, type DataSourceModule, type EventSink, type ModuleOptions, type SourceDocument } from "../types";

const MAX_LINE = 1024 * 1024;

export class StdinSource implements DataSource {
  readonly module = "stdin";
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    readonly config: CommonConfig,
    private readonly input: () => ReadableStream<Uint8Array>,
  ) {}

  start(sink: EventSink, signal: AbortSignal): Promise<void> {
    this.running = this.run(sink, AbortSignal.any([signal, this.stopper.signal]));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running?.catch(() => undefined);
  }

  private async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const timeMachine = this.config.mode === "cat" || this.config.useTimeMachine;
    let batch: string[] = [];
    const lines = new ByteLines({ maxLineBytes: MAX_LINE, stripCr: true }, (line, tooLong) => {
      if (tooLong) this.counters.drop("line-too-long");
      else if (line !== "") batch.push(line);
    });
    const reader = this.input().getReader();
    // A pending read() does not end on abort: cancel the reader so stop() returns at once.
    const cancel = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener("abort", cancel, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) lines.flush();
        else lines.push(value);
        const out = batch;
        batch = [];
        for (const line of out) {
          this.counters.hit("stdin");
          await emit(sink, lineEvent(line, "stdin", this.config, this.module, nowTime(), timeMachine));
        }
        if (done) return;
      }
    } finally {
      signal.removeEventListener("abort", cancel);
      reader.releaseLock();
    }
  }
}

function stdinOf(opts: ModuleOptions): () => ReadableStream<Uint8Array> {
  return opts.stdin ?? (() => Bun.stdin.stream());
}

export const stdinModule: DataSourceModule = {
  name: "stdin",
  keys: [],
  defaultMode: "cat",
  configure(doc: SourceDocument, opts: ModuleOptions): StdinSource | undefined {
    const { reader: r, common } = doc;
    if (common.mode !== "tail" && common.mode !== "cat") {
      r.report(["mode"], "acquis.mode", `Unsupported mode "${common.mode}" for stdin source`);
      return undefined;
    }
    return new StdinSource(common, stdinOf(opts));
  },
  fromDsn(_dsn, common: CommonConfig, opts) {
    return ok(new StdinSource({ ...common, mode: "cat" }, stdinOf(opts)));
  },
};
