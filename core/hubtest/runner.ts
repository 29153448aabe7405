/**
 * Runs one hubtest in-process: installs the listed items the way `cscli hubtest` does (stage and
 * file name decide the order), feeds the log through the parsers in time-machine mode, records the
 * parser dump in memory, and evaluates the assert files against it (HUBTEST.md §3–§6).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, isAbsolute, join, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { Event, Line, newLogEvent, newMap } from "../event";
import { ExprRuntimeError, formatGoValue, GoTime } from "../expr";
import type { HubIndex, HubItemKind } from "../hub";
import type { ParserFile } from "../parser";
import { problem, type Problem, type Result, err, ok } from "../result";
import { compileAssertFile, compileAssertion, type AssertKind } from "./asserts";
import type { HubtestConfig } from "./test-config";

export interface ParserResult {
  Idx: number;
  Evt: Event;
  Success: boolean;
}

/** `results` of parser.assert: stage → node name → one entry per event that reached the node. */
export type ParserResults = Record<string, Record<string, ParserResult[]>>;

export type HubtestStatus = "pass" | "fail" | "error";

export interface AssertFailure {
  readonly file: string;
  readonly line: number;
  readonly expression: string;
  /** The left side of the first ` == `, evaluated again, as upstream shows it. */
  readonly actual?: string;
}

export interface HubtestOutcome {
  readonly name: string;
  readonly status: HubtestStatus;
  /** Why the test did not pass: the first failing assertion, or the error that stopped it. */
  readonly reason?: string;
  readonly failures: readonly AssertFailure[];
  readonly parserAsserts: number;
  readonly scenarioAsserts: number;
  readonly lines: number;
}

/** Resolves an item reference of a test config: a hub name, or a path relative to the hub root or the test dir. */
export function resolveItem(
  ref: string,
  kind: HubItemKind,
  index: HubIndex | undefined,
  hubRoot: string,
  testDir: string,
): Result<{ path: string; stage?: string; name: string }> {
  const item = index?.get(kind, ref);
  if (item) return ok({ path: join(hubRoot, item.path), stage: item.stage, name: item.name });
  const candidates = isAbsolute(ref) ? [ref] : [resolve(hubRoot, ref), resolve(testDir, ref)];
  for (const path of candidates) {
    if (existsSync(path)) return ok({ path, stage: stageFromPath(path, kind), name: ref });
  }
  return err(problem("hubtest.unknown-item", `Cannot find ${kind.replace(/s$/, "")} "${ref}" in the hub index, the hub directory or the test directory`));
}

/** `…/parsers/s01-parse/author/x.yaml` → "s01-parse". */
export function stageFromPath(path: string, kind: HubItemKind): string | undefined {
  const parts = path.split(sep);
  const at = parts.lastIndexOf(kind);
  const stage = at >= 0 ? parts[at + 1] : undefined;
  return stage !== undefined && /^s\d\d-/.test(stage) ? stage : parts.find((p) => /^s\d\d-/.test(p));
}

/** The parser files a test installs, with hubtest's synthetic `overrides` node first in s00-raw. */
export function testParserFiles(
  config: HubtestConfig,
  kind: "parsers" | "postoverflows",
  index: HubIndex | undefined,
  hubRoot: string,
  problems: Problem[],
): ParserFile[] {
  const files: ParserFile[] = [];
  const refs = kind === "parsers" ? config.parsers : config.postoverflows;
  for (const ref of refs) {
    const r = resolveItem(ref, kind, index, hubRoot, config.dir);
    if (!r.ok) {
      problems.push(r.error);
      continue;
    }
    if (!r.value.stage) {
      problems.push(problem("hubtest.no-stage", `Cannot tell the stage of ${kind.replace(/s$/, "")} "${ref}"`, { file: r.value.path }));
      continue;
    }
    files.push({ path: r.value.path, stage: r.value.stage, installName: basename(r.value.path) });
  }
  if (kind === "parsers" && config.overrideStaticsRaw.length > 0) {
    const text = stringify({ name: "overrides", filter: "1==1", statics: config.overrideStaticsRaw });
    files.push({ path: join(config.dir, "00_overrides.yaml"), stage: "s00-raw", installName: "00_overrides.yaml", text });
  }
  return files;
}

/** Log lines as the file datasource gives them: split on \n, trailing \r removed, empty lines skipped. */
export function readLogLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line !== "") out.push(line);
  }
  return out;
}

/** Makes the events of a test's log, in file order, as the file datasource does in one-shot mode. */
export function testEvents(config: HubtestConfig, logPath: string, nowMs: number): Event[] {
  const labels: Record<string, string> = { ...config.labels, type: config.logType };
  return readLogLines(logPath).map((raw) =>
    newLogEvent({ raw, src: logPath, labels, module: "file", time: new GoTime(nowMs), timeMachine: true }),
  );
}

/** Collects the parser dump in memory: one deep copy of the event per top-level node tried. */
export class ParserDumpCollector {
  readonly results: ParserResults = { success: { "": [] } };
  private readonly order = new Map<string, Map<string, number>>();

  afterNode(stage: string, node: { name: string; named: boolean }, evt: Event, success: boolean): void {
    let stageMap = this.results[stage];
    if (!stageMap) this.results[stage] = stageMap = {};
    let seen = this.order.get(stage);
    if (!seen) this.order.set(stage, (seen = new Map()));
    if (!seen.has(node.name)) seen.set(node.name, seen.size + 1);
    let list = stageMap[node.name];
    if (!list) stageMap[node.name] = list = [];
    list.push({ Idx: seen.get(node.name)!, Evt: snapshotEvent(evt), Success: success });
  }
}

/** A copy of a LOG event as the parser dump keeps it: maps copied, so later nodes do not change it. */
export function snapshotEvent(evt: Event): Event {
  const copy = new Event();
  copy.Type = evt.Type;
  copy.ExpectMode = evt.ExpectMode;
  copy.Whitelisted = evt.Whitelisted;
  copy.WhitelistReason = evt.WhitelistReason;
  copy.Stage = evt.Stage;
  const line = new Line();
  line.Raw = evt.Line.Raw;
  line.Src = evt.Line.Src;
  line.Time = evt.Line.Time;
  line.Labels = evt.Line.Labels && Object.assign(newMap<string>(), evt.Line.Labels);
  line.Process = evt.Line.Process;
  line.Module = evt.Line.Module;
  copy.Line = line;
  copy.Parsed = evt.Parsed && Object.assign(newMap<string>(), evt.Parsed);
  copy.Enriched = evt.Enriched && Object.assign(newMap<string>(), evt.Enriched);
  copy.Meta = evt.Meta && Object.assign(newMap<string>(), evt.Meta);
  copy.Unmarshaled = evt.Unmarshaled && (structuredClone(evt.Unmarshaled) as Record<string, unknown>);
  copy.Overflow = evt.Overflow;
  copy.Time = evt.Time;
  copy.StrTime = evt.StrTime;
  copy.StrTimeFormat = evt.StrTimeFormat;
  copy.MarshaledTime = evt.MarshaledTime;
  copy.Process = evt.Process;
  copy.Appsec = evt.Appsec;
  return copy;
}

/** Evaluates an assert file; a runtime error or a non-bool stops the test as upstream does. */
export function evaluateAsserts(
  text: string,
  kind: AssertKind,
  results: unknown,
  file: string,
): { failures: AssertFailure[]; error?: string; count: number } {
  const failures: AssertFailure[] = [];
  const lines = compileAssertFile(text, kind);
  const vars = { results };
  for (const line of lines) {
    if (!line.ok) return { failures, error: `${basename(file)}:${line.line}: cannot compile assertion: ${line.error.message}`, count: lines.length };
    const v = line.program.run(vars);
    if (v instanceof ExprRuntimeError) {
      return { failures, error: `${basename(file)}:${line.line}: unable to run assert "${line.source}": ${v.message}`, count: lines.length };
    }
    if (typeof v !== "boolean") {
      return { failures, error: `${basename(file)}:${line.line}: assertion is not a boolean: ${line.source}`, count: lines.length };
    }
    if (!v) failures.push({ file, line: line.line, expression: line.source, actual: actualValue(line.source, kind, vars) });
  }
  return { failures, count: lines.length };
}

/** Upstream shows the value of the left side of the first ` == ` of a failed line. */
function actualValue(source: string, kind: AssertKind, vars: { results: unknown }): string | undefined {
  const m = /^([^ =]+) == .*/.exec(source);
  if (!m) return undefined;
  const compiled = compileAssertion(m[1]!, kind, "any");
  if (!compiled.ok) return undefined;
  const v = compiled.value.run(vars);
  return v instanceof ExprRuntimeError ? undefined : formatGoValue(v);
}

export function outcome(
  name: string,
  status: HubtestStatus,
  fields: Partial<Omit<HubtestOutcome, "name" | "status">> = {},
): HubtestOutcome {
  return { name, status, failures: [], parserAsserts: 0, scenarioAsserts: 0, lines: 0, ...fields };
}
