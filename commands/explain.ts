/** `picket explain`: a per-stage parser trace of a line, a file or stdin, streamed. */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Colors, Io } from "../cli/io";
import { linesOf } from "../core/acquisition/lines";
import { explainLine, type LineTrace } from "../core/explain";
import { loadEngine, type EngineSourceOptions } from "./engine-source";

export interface ExplainOptions extends EngineSourceOptions {
  readonly log?: string;
  readonly file?: string;
  readonly dsn?: string;
  readonly type?: string;
  readonly verbose: boolean;
  readonly json: boolean;
  readonly failures: boolean;
}

export async function explain(opts: ExplainOptions, io: Io, stdin: () => ReadableStream<Uint8Array> = () => Bun.stdin.stream()): Promise<ExitCode> {
  const input = inputOf(opts);
  if ("error" in input) {
    io.err(`picket explain: ${input.error}`);
    return EXIT.USAGE;
  }
  const { pipeline, problems } = loadEngine(opts);
  io.problems(problems);
  if (!pipeline) return EXIT.USAGE;
  const ctx = {
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
