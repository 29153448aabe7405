/** `picket replay FILE...`: who attacked you, from cold logs, with no set-up. */
import { createWriteStream, type WriteStream } from "node:fs";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { detectLogType } from "../core/acquisition";
import { expandInputs, openBytes, type FileInput } from "../core/acquisition";
import { lineBatchesOf } from "../core/acquisition";
import { alertToWire } from "../core/alerts";
import type { RuntimeAlert } from "../core/event";
import { RemoteParser, replaySources, type ReplayInput, type ReplayStats } from "../core/replay";
import { loadEngine, type EngineSourceOptions } from "./engine-source";
import type { ReplayWorkerLoad } from "./replay-worker";

export type ReplayOutput = "human" | "json" | "csv";

export interface ReplayOptions extends EngineSourceOptions {
  readonly files: readonly string[];
  readonly dsn?: string;
  readonly type?: string;
  readonly output: ReplayOutput;
  readonly unparsed?: string;
  /** Progress on stderr when it is a terminal (never with json/csv on stdout… unless stderr is a TTY). */
  readonly progress: boolean;
}

export async function replay(opts: ReplayOptions, io: Io, stdin: () => ReadableStream<Uint8Array> = () => Bun.stdin.stream()): Promise<ExitCode> {
  const names = [...opts.files];
  let dsnType: string | undefined;
  if (opts.dsn !== undefined) {
    const m = /^file:\/\/([^?]*)(?:\?(.*))?$/.exec(opts.dsn);
    if (!m) {
      io.err(`picket replay: unsupported DSN "${opts.dsn}": expected file://PATH[?log_type=TYPE]`);
      return EXIT.USAGE;
    }
    names.push(decodeURIComponent(m[1]!));
    dsnType = new URLSearchParams(m[2] ?? "").get("log_type") ?? undefined;
  }
  if (names.length === 0) {
    io.err("picket replay: name at least one log file (globs, .gz, - for stdin) or --dsn file://PATH");
    return EXIT.USAGE;
  }
  const { inputs, problems: inputProblems } = expandInputs(names);
  if (inputProblems.length > 0) {
    io.problems(inputProblems);
    return EXIT.USAGE;
  }
  // a single input is parsed on a worker thread while this one pours; it loads its items meanwhile
  const remote = inputs.length === 1 && opts.now === undefined && process.env.PICKET_REPLAY_WORKER !== "0" ? startParseWorker(opts) : undefined;
  try {
    return await replayWith(opts, io, stdin, inputs, dsnType, remote);
  } finally {
    remote?.close();
  }
}

/** The parse worker, loading the same items as `opts` name; undefined if it cannot be started. */
function startParseWorker(opts: ReplayOptions): RemoteParser | undefined {
  let worker: Worker;
  try {
    worker = new Worker(parseWorkerEntry());
  } catch {
    return undefined;
  }
  const remote = new RemoteParser(worker);
  const engine: EngineSourceOptions = { config: opts.config, hub: opts.hub, items: opts.items, data: opts.data, geoip: opts.geoip, builtin: opts.builtin, parsersOnly: true };
  worker.postMessage({ kind: "load", engine } satisfies ReplayWorkerLoad);
  return remote;
}

/** The worker's entry: in the compiled executable, by its path from the project root (package.json's build script adds it); from source, beside this file. */
function parseWorkerEntry(): string {
  return import.meta.url.startsWith("file:///$bunfs/") ? "./commands/replay-worker.ts" : new URL("./replay-worker.ts", import.meta.url).href;
}

async function replayWith(
  opts: ReplayOptions,
  io: Io,
  stdin: () => ReadableStream<Uint8Array>,
  inputs: readonly FileInput[],
  dsnType: string | undefined,
  remote: RemoteParser | undefined,
): Promise<ExitCode> {
  const { pipeline, problems, origin } = loadEngine(opts);
  io.problems(problems);
  if (!pipeline) return EXIT.USAGE;
  if (origin === "builtin") io.err(io.errColor.dim("using picket's built-in collection (sshd, nginx, apache); -c or --hub to use CrowdSec items"));

  const replayInputs: ReplayInput[] = [];
  // Compressed bytes for .gz inputs (what the sizes on disk count), so the ETA stays meaningful.
  const counter = { bytes: 0 };
  for (const input of inputs) {
    const typed = await typedInput(input, opts.type ?? dsnType, stdin, counter);
    if ("error" in typed) {
      io.err(`picket replay: ${typed.error}`);
      return EXIT.USAGE;
    }
    if (typed.detected) io.err(io.errColor.dim(`${input.path}: looks like ${typed.detected}: using --type ${typed.input.type}`));
    replayInputs.push(typed.input);
  }

  let unparsedOut: WriteStream | undefined;
  if (opts.unparsed) unparsedOut = createWriteStream(opts.unparsed);
  const totalBytes = inputs.every((i) => i.sizeBytes !== undefined) ? inputs.reduce((n, i) => n + (i.sizeBytes ?? 0), 0) : undefined;
  const progress = opts.progress && io.isErrTty ? new Progress(io, totalBytes, counter) : undefined;
  const alerts: RuntimeAlert[] = [];
  const start = performance.now();
  const stats = await replaySources(pipeline, replayInputs, {
    onAlert(alert) {
      if (opts.output === "json") for (const a of alert.APIAlerts ?? []) io.json(alertToWire(a));
      else alerts.push(alert);
    },
    onUnparsed: unparsedOut ? (_source, line) => unparsedOut!.write(line + "\n") : undefined,
    onProgress: progress && ((n) => progress.update(n)),
  }, opts.now?.(), { remote });
  progress?.done();
  if (unparsedOut) await new Promise<void>((resolve) => unparsedOut!.end(resolve));
  const seconds = (performance.now() - start) / 1000;

  if (opts.output === "human") printTable(alerts, io);
  else if (opts.output === "csv") printCsv(alerts, io);
  printStats(stats, opts.now ? undefined : seconds, io);
  return stats.alerts > 0 ? EXIT.FAILED : EXIT.OK;
}

/** Decides the input's type (given, or recognised from its first lines) and opens it as batches. */
async function typedInput(
  input: FileInput,
  type: string | undefined,
  stdin: () => ReadableStream<Uint8Array>,
  counter: { bytes: number },
): Promise<{ input: ReplayInput; detected?: string } | { error: string }> {
  const counted = openBytes(input, stdin).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        counter.bytes += chunk.byteLength;
        c.enqueue(chunk);
      },
    }),
  );
  const reader = lineBatchesOf(counted).getReader();
  const head: string[][] = [];
  let sample: string[] = [];
  if (!type) {
    while (sample.length < 20) {
      const r = await reader.read();
      if (r.done) break;
      head.push(r.value);
      sample = sample.concat(r.value.slice(0, 20 - sample.length));
    }
  }
  const detection = type ? undefined : detectLogType(sample, input.path);
  const chosen = type ?? detection?.type;
  if (!chosen) {
    reader.releaseLock();
    return { error: `cannot tell the log format of "${input.path}": give --type (syslog, nginx, apache2…)` };
  }
  const batches = (async function* () {
    yield* head;
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield r.value;
  })();
  return { input: { name: input.path === "-" ? "stdin" : input.path, type: chosen, batches }, detected: detection?.format };
}

interface AlertRow {
  scenario: string;
  source: string;
  country: string;
  as: string;
  events: number;
  first: string;
  last: string;
}

function rowsOf(alerts: readonly RuntimeAlert[]): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const ra of alerts) {
    for (const a of ra.APIAlerts ?? []) {
      const s = a.Source;
      rows.push({
        scenario: a.Scenario ?? "",
        source: s ? (s.Scope && s.Scope !== "Ip" ? `${s.Scope}:${s.Value ?? ""}` : (s.Value ?? s.IP)) : "",
        country: s?.Cn ?? "",
        as: s && (s.AsNumber || s.AsName) ? `${s.AsNumber}${s.AsName ? ` ${s.AsName}` : ""}`.trim() : "",
        events: a.EventsCount ?? 0,
        first: a.StartAt ?? "",
        last: a.StopAt ?? "",
      });
    }
  }
  return rows;
}

function printTable(alerts: readonly RuntimeAlert[], io: Io): void {
  const rows = rowsOf(alerts);
  const c = io.color;
  if (rows.length === 0) {
    io.out("No alert.");
    return;
  }
  const headers = ["SCENARIO", "SOURCE", "COUNTRY", "AS", "EVENTS", "FIRST SEEN", "LAST SEEN"];
  const cells = rows.map((r) => [r.scenario, r.source, r.country, r.as, String(r.events), r.first, r.last]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((cell, i) => (i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  io.out(c.bold(line(headers)));
  for (const row of cells) io.out(line(row));
  io.out("");
  const byScenario = new Map<string, { alerts: number; sources: Set<string> }>();
  for (const r of rows) {
    const s = byScenario.get(r.scenario) ?? { alerts: 0, sources: new Set<string>() };
    s.alerts++;
    s.sources.add(r.source);
    byScenario.set(r.scenario, s);
  }
  io.out(c.bold("Per scenario"));
  const width = Math.max(...[...byScenario.keys()].map((k) => k.length));
  for (const [name, s] of [...byScenario].sort((a, b) => b[1].alerts - a[1].alerts || a[0].localeCompare(b[0]))) {
    io.out(`  ${name.padEnd(width)}  ${String(s.alerts).padStart(4)} alert${s.alerts === 1 ? " " : "s"}  ${String(s.sources.size).padStart(4)} source${s.sources.size === 1 ? "" : "s"}`);
  }
}

function printCsv(alerts: readonly RuntimeAlert[], io: Io): void {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  io.out("scenario,source,country,as,events,first_seen,last_seen");
  for (const r of rowsOf(alerts)) io.out([r.scenario, r.source, r.country, r.as, String(r.events), r.first, r.last].map(quote).join(","));
}

/** Per-source counts on stderr; the timing is left out under a fixed clock (tests). */
function printStats(stats: ReplayStats, seconds: number | undefined, io: Io): void {
  let read = 0;
  for (const [name, s] of stats.sources) {
    read += s.read;
    const parts = [`${s.read} lines`, `${s.parsed} parsed`, `${s.unparsed} unparsed`];
    if (s.whitelisted > 0) parts.push(`${s.whitelisted} whitelisted`);
    if (s.noTimestamp > 0) parts.push(`${s.noTimestamp} without a timestamp`);
    io.err(`${name}: ${parts.join(", ")}`);
  }
  const timing = seconds === undefined ? "" : ` in ${seconds.toFixed(2)} s (${Math.round(read / Math.max(seconds, 1e-6)).toLocaleString("en-US")} lines/s)`;
  io.err(`replay: ${read} lines${timing}, ${stats.alerts} alerts`);
}

/** A one-line progress bar on stderr: lines read, lines/s and, when sizes are known, ETA. */
class Progress {
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly io: Io,
    private readonly totalBytes: number | undefined,
    private readonly counter: { readonly bytes: number },
  ) {}

  update(lines: number): void {
    const now = performance.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const rate = lines / Math.max(elapsed, 1e-3);
    let text = `${lines.toLocaleString("en-US")} lines, ${Math.round(rate).toLocaleString("en-US")} lines/s`;
    if (this.totalBytes && this.counter.bytes > 0) {
      const fraction = Math.min(1, this.counter.bytes / this.totalBytes);
      text += `, ${Math.floor(fraction * 100)}%, ETA ${Math.ceil((elapsed / fraction) * (1 - fraction))} s`;
    }
    process.stderr.write(`\r\x1b[2K${this.io.errColor.dim(text)}`);
  }

  done(): void {
    process.stderr.write("\r\x1b[2K");
  }
}

