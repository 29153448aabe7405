/** `picket explain`: a per-stage parser trace of a line, a file or stdin, streamed. */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Colors, Io } from "../cli/io";
import { linesOf } from "../core/acquisition";
import { ExplainBuckets, explainLine, type LineTrace, type WhyNotReport } from "../core/explain";
import { loadEngine, type EngineSourceOptions } from "./engine-source";

export interface ExplainOptions extends EngineSourceOptions {
  readonly log?: string;
  readonly file?: string;
  readonly dsn?: string;
  readonly type?: string;
  readonly verbose: boolean;
  readonly json: boolean;
  readonly failures: boolean;
  /** Pour parsed lines into the scenarios' buckets and show each pour. */
  readonly buckets?: boolean;
  /** Why did (or didn't) this scenario overflow for --key? */
  readonly whyNot?: string;
  readonly key?: string;
  /** Fixed clock (tests). */
  readonly now?: () => number;
}

export async function explain(opts: ExplainOptions, io: Io, stdin: () => ReadableStream<Uint8Array> = () => Bun.stdin.stream()): Promise<ExitCode> {
  const input = inputOf(opts);
  if ("error" in input) {
    io.err(`picket explain: ${input.error}`);
    return EXIT.USAGE;
  }
  if ((opts.whyNot === undefined) !== (opts.key === undefined)) {
    io.err("picket explain: --why-not SCENARIO and --key VALUE go together");
    return EXIT.USAGE;
  }
  const { pipeline, problems } = loadEngine(opts);
  io.problems(problems);
  if (!pipeline) return EXIT.USAGE;
  if (opts.whyNot !== undefined && !pipeline.scenarios.scenarios.some((s) => s.config.name === opts.whyNot)) {
    io.err(`picket explain: scenario "${opts.whyNot}" is not loaded`);
    return EXIT.USAGE;
  }
  const watch = opts.whyNot !== undefined && opts.key !== undefined ? { scenario: opts.whyNot, key: opts.key } : undefined;
  const buckets = opts.buckets || watch ? new ExplainBuckets(pipeline, (opts.now ?? Date.now)(), watch) : undefined;
  const ctx = {
    buckets,
    tree: pipeline.parsers.tree,
    runtime: pipeline.runtime,
    scenarios: pipeline.scenarios.scenarios,
    labels: { type: input.type },
    src: input.src,
    withChanges: opts.verbose || opts.json,
  };
  let total = 0;
  let unparsed = 0;
  const show = (trace: LineTrace) => {
    total++;
    if (trace.outcome === "unparsed" || trace.outcome === "error") unparsed++;
    else if (opts.failures) return;
    if (watch && !opts.verbose) return; // --why-not prints its report; -v adds the traces

    if (opts.json) io.json(trace);
    else io.out(formatTrace(trace, opts.verbose, io.color));
  };
  if (input.kind === "line") {
    show(explainLine(input.line, 1, ctx));
  } else {
    const bytes = input.path === "-" ? stdin() : (Readable.toWeb(createReadStream(input.path)) as ReadableStream<Uint8Array>);
    let n = 0;
    try {
      for await (const line of linesOf(bytes)) {
        n++;
        if (line === "") continue; // the file datasource skips empty lines
        show(explainLine(line, n, ctx));
      }
    } catch (e) {
      io.err(`picket explain: cannot read "${input.path}": ${e instanceof Error ? e.message : String(e)}`);
      return EXIT.USAGE;
    }
  }
  const report = buckets?.whyNot(pipeline.scenarios.scenarios);
  if (report) {
    if (opts.json) io.json({ whyNot: report });
    else io.out(formatWhyNot(report, io.color));
  }
  if (!opts.json) io.err(`explain: ${total} lines, ${total - unparsed} parsed, ${unparsed} unparsed`);
  return unparsed > 0 ? EXIT.FAILED : EXIT.OK;
}

type Input = { kind: "line"; line: string; type: string; src: string } | { kind: "file"; path: string; type: string; src: string };

function inputOf(opts: ExplainOptions): Input | { error: string } {
  const given = [opts.log !== undefined, opts.file !== undefined, opts.dsn !== undefined].filter(Boolean).length;
  if (given !== 1) return { error: "give exactly one of --log LINE, --file PATH (- for stdin) or --dsn file://PATH" };
  if (opts.dsn !== undefined) {
    const m = /^file:\/\/([^?]*)(?:\?(.*))?$/.exec(opts.dsn);
    if (!m) return { error: `unsupported DSN "${opts.dsn}": expected file://PATH[?log_type=TYPE]` };
    const params = new URLSearchParams(m[2] ?? "");
    const type = opts.type ?? params.get("log_type") ?? undefined;
    if (!type) return { error: "--type is required (or log_type= in the DSN)" };
    return { kind: "file", path: decodeURIComponent(m[1]!), type, src: decodeURIComponent(m[1]!) };
  }
  if (!opts.type) return { error: "--type is required: the log type the parsers expect (syslog, nginx, …)" };
  if (opts.log !== undefined) return { kind: "line", line: opts.log, type: opts.type, src: "explain" };
  return { kind: "file", path: opts.file!, type: opts.type, src: opts.file === "-" ? "stdin" : opts.file! };
}

/** The human trace: stages, ✓/✗ per node, with -v the fields each node changed. */
export function formatTrace(t: LineTrace, verbose: boolean, c: Colors): string {
  const out = [`${c.bold(`line ${t.line}:`)} ${t.raw}`];
  for (const stage of t.stages) {
    out.push(`  ${c.cyan(stage.stage)}`);
    for (const node of stage.nodes) {
      out.push(`    ${node.success ? c.green("✓") : c.red("✗")} ${node.name}`);
      if (!verbose) continue;
      for (const ch of node.changes) {
        if (ch.before === undefined) out.push(`        ${c.green("+")} ${ch.field} = ${quote(ch.after!)}`);
        else if (ch.after === undefined) out.push(`        ${c.red("-")} ${ch.field}`);
        else out.push(`        ${c.yellow("~")} ${ch.field} = ${quote(ch.after)} (was ${quote(ch.before)})`);
      }
    }
  }
  switch (t.outcome) {
    case "parsed":
      out.push(`  ${c.green("→ parsed")}; scenarios: ${t.scenarios.length > 0 ? t.scenarios.join(", ") : "none"}`);
      for (const b of t.buckets ?? []) {
        const level = b.capacity > 0 ? `${b.before} → ${b.after} / ${b.capacity}` : `${b.before} → ${b.after}`;
        const mark = b.outcome === "overflow" ? c.red(b.outcome) : b.outcome === "poured" ? b.outcome : c.yellow(b.outcome);
        out.push(`    ${c.cyan("bucket")} ${b.scenario} [${b.key}] ${level}: ${mark}`);
      }
      break;
    case "whitelisted":
      out.push(`  ${c.yellow("→ whitelisted")} (${t.reason ?? ""}): not poured into scenarios`);
      break;
    case "unparsed":
      out.push(`  ${c.red("→ unparsed")}: no node of ${t.reason || "any stage"} succeeded`);
      break;
    case "error":
      out.push(`  ${c.red("→ error")}: ${t.reason ?? ""}`);
      break;
  }
  return out.join("\n");
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** The "why (not)" report: counts of what happened to the watched bucket, and the verdict. */
export function formatWhyNot(r: WhyNotReport, c: Colors): string {
  const rows: [string, string][] = [
    ["scenario", `${r.scenario} (${r.type}, capacity ${r.capacity}${r.leakspeed ? `, leakspeed ${r.leakspeed}` : ""})`],
    ["key", r.key],
    ["events that passed the filter", `${r.matched} (${r.matchedOtherKeys} for other keys)`],
    ["poured", String(r.poured)],
    ["dropped by distinct", String(r.duplicates)],
    ["leaked between events", String(r.leaked)],
    ["highest level", `${r.maxLevel} / ${r.capacity}`],
    ["overflows", String(r.overflows)],
    ["silenced by blackhole", String(r.blackholed)],
  ];
  if (r.overflowFiltered > 0) rows.push(["dropped by overflow_filter", String(r.overflowFiltered)]);
  if (r.canceled > 0) rows.push(["cancelled by cancel_on", String(r.canceled)]);
  if (r.noTime > 0) rows.push(["without a usable time", String(r.noTime)]);
  if (r.errors > 0) rows.push(["errors", String(r.errors)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [c.bold("why (not)?")];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${v}`);
  lines.push(`  ${c.bold("→")} ${r.overflows > 0 ? c.green(r.verdict) : c.yellow(r.verdict)}`);
  return lines.join("\n");
}
