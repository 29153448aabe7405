/**
 * Test helpers for the parser suites: load one of the small parser trees under testdata/parsers
 * (laid out as installed, `<tree>/<stage>/<file>.yaml`), run log lines through it with a fixed
 * clock, and read back the outcome, the event and the parser dump.
 */
import { join } from "node:path";
import { newLogEvent, type Event } from "../event";
import { GoTime } from "../expr";
import { ParserDumpCollector, type ParserResults } from "../hubtest/runner";
import { buildPipeline, type Pipeline } from "../pipeline";
import { renderProblem } from "../result";
import { TESTDATA } from "../testing";
import { listInstalledParsers } from "./load";
import { parseEvent, type ParseOutcome } from "./runtime";

export const PARSER_TESTDATA = join(TESTDATA, "parsers");

/** 2024-06-01T12:00:00Z: the wall clock of every parser test. */
export const TEST_NOW_MS = Date.UTC(2024, 5, 1, 12, 0, 0);

/** Builds the pipeline of testdata/parsers/<tree>; data files are read from testdata/parsers/data. */
export function loadTestTree(tree: string, opts: { now?: () => number } = {}): Pipeline {
  return buildPipeline({
    parserFiles: listInstalledParsers(join(PARSER_TESTDATA, tree)),
    dataDir: join(PARSER_TESTDATA, "data"),
    now: opts.now ?? (() => TEST_NOW_MS),
  });
}

/** Rendered problems of a pipeline, one string each, file paths relative to testdata/parsers. */
export function renderedProblems(pipeline: Pipeline): string[] {
  return pipeline.problems.map((p) => renderProblem(p).replaceAll(PARSER_TESTDATA + "/", ""));
}

export interface TestLine {
  readonly raw: string;
  /** The `type` label; "test" by default. */
  readonly type?: string;
  /** A stage to start at (upstream tests inject events past s00-raw this way). */
  readonly stage?: string;
}

export interface LineRun {
  readonly outcome: ParseOutcome;
  readonly evt: Event;
}

/** Parses each line in order through `pipeline`, recording every node tried in one dump. */
export function runLines(pipeline: Pipeline, lines: readonly (TestLine | string)[]): { runs: LineRun[]; dump: ParserResults } {
  const collector = new ParserDumpCollector();
  const runs = lines.map((l) => {
    const line = typeof l === "string" ? { raw: l } : l;
    const evt = newLogEvent({ raw: line.raw, src: "test.log", labels: { type: line.type ?? "test" }, time: new GoTime(TEST_NOW_MS) });
    if (line.stage) evt.Stage = line.stage;
    const outcome = parseEvent(pipeline.parsers.tree, evt, pipeline.runtime, collector);
    return { outcome, evt };
  });
  return { runs, dump: collector.results };
}

/** Parses one line; the common case of the tables. */
export function runLine(pipeline: Pipeline, line: TestLine | string): LineRun & { dump: ParserResults } {
  const { runs, dump } = runLines(pipeline, [line]);
  return { ...runs[0]!, dump };
}

/** The dump reduced to what tables compare: stage → node → success of each attempt. */
export function dumpSuccess(dump: ParserResults): Record<string, Record<string, boolean[]>> {
  const out: Record<string, Record<string, boolean[]>> = {};
  for (const stage of Object.keys(dump)) {
    if (stage === "success") continue;
    const nodes: Record<string, boolean[]> = {};
    for (const [name, list] of Object.entries(dump[stage]!)) nodes[name] = list.map((r) => r.Success);
    out[stage] = nodes;
  }
  return out;
}

/** A copy of a string map as a plain object, for toEqual. */
export function plain(map: Readonly<Record<string, string>> | null): Record<string, string> {
  return { ...(map ?? {}) };
}
