/** One hubtest, end to end, in-process: build the pipeline the test names, run its log, judge its asserts. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createAlertOutput } from "../alerts";
import { createBucketEngine } from "../buckets";
import { mirrorResolver } from "../data";
import { findGeoipFiles } from "../enrich";
import type { Event } from "../event";
import type { HubIndex } from "../hub";
import { parseEvent } from "../parser";
import { buildPipeline } from "../pipeline";
import { renderProblem, type Problem } from "../result";
import { evaluateAsserts, outcome, ParserDumpCollector, resolveItem, testEvents, testParserFiles, type HubtestOutcome } from "./runner";
import { scenarioResults } from "./scenario-results";
import type { HubtestConfig } from "./test-config";

export interface HubtestEnv {
  readonly hubRoot: string;
  readonly index?: HubIndex;
  /** A mirror of data files laid out by the path of their source_url (../shared/hub-data). */
  readonly dataMirror?: string;
  /** Directory holding the GeoIP databases (../shared/geoip test databases work). */
  readonly geoipDir?: string;
  /** The clock of the run: "now" for events and the year of yearless syslog dates. */
  readonly nowMs: number;
}

export function runHubtest(config: HubtestConfig, env: HubtestEnv): HubtestOutcome {
  const problems: Problem[] = [];
  const parserFiles = testParserFiles(config, "parsers", env.index, env.hubRoot, problems);
  const postoverflowFiles = testParserFiles(config, "postoverflows", env.index, env.hubRoot, problems);
  const scenarioFiles = testScenarioFiles(config, env, problems);
  if (problems.length > 0) return outcome(config.name, "error", { reason: firstLine(problems[0]!) });

  const logPath = join(config.dir, config.logFile);
  if (!config.logFile || !existsSync(logPath)) return outcome(config.name, "error", { reason: `log file "${config.logFile}" does not exist` });
  if (statSync(logPath).size === 0) return outcome(config.name, "error", { reason: `log file "${config.logFile}" is empty` });

  const mirror = env.dataMirror;
  const pipeline = buildPipeline({
    parserFiles,
    postoverflowFiles,
    dataDir: mirror ?? join(config.dir, "data"),
    resolveDataPath: mirror ? mirrorResolver(mirror) : undefined,
    geoip: findGeoipFiles(env.geoipDir),
    now: () => env.nowMs,
    scenarioFiles,
  });
  if (pipeline.problems.length > 0) return outcome(config.name, "error", { reason: firstLine(pipeline.problems[0]!) });

  const collector = new ParserDumpCollector();
  const events = testEvents(config, logPath, env.nowMs);
  // Scenario half (cmd/crowdsec parse → pour → output): parsed, non-whitelisted events are poured in
  // file order; overflows go through postoverflows (recorded in the same parser dump, as upstream)
  // and reprocess; what the output records is bucket-dump.yaml.
  const hasScenarios = config.scenarios.length > 0;
  const engine = hasScenarios ? createBucketEngine(pipeline.scenarios.scenarios, { mode: "timemachine", now: () => env.nowMs }) : undefined;
  const output = createAlertOutput({
    postoverflows: { tree: pipeline.postoverflows.tree, runtime: pipeline.runtime, observer: collector },
    pour: engine && ((evt) => engine.pour(evt)),
  });
  const bucketDump: Event[] = [];
  for (const evt of events) {
    const parsed = parseEvent(pipeline.parsers.tree, evt, pipeline.runtime, collector);
    if (!engine || parsed.kind !== "parsed" || evt.Whitelisted) continue;
    const overflows = engine.pour(evt);
    if (overflows.length > 0) bucketDump.push(...output.process(overflows).events);
  }
  if (engine) bucketDump.push(...output.process(engine.flush()).events);

  let parserAsserts = 0;
  if (!config.ignoreParsers) {
    const file = join(config.dir, "parser.assert");
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (text.trim() === "") {
      return outcome(config.name, "fail", { reason: "parser.assert is missing or empty: please fill your assert file(s)", lines: events.length });
    }
    const r = evaluateAsserts(text, "parser", collector.results, file);
    parserAsserts = r.count;
    if (r.error) return outcome(config.name, "error", { reason: r.error, lines: events.length, parserAsserts });
    if (r.failures.length > 0) {
      const f = r.failures[0]!;
      return outcome(config.name, "fail", {
        reason: `parser.assert:${f.line}: ${f.expression}${f.actual !== undefined ? ` (actual: ${f.actual})` : ""}`,
        failures: r.failures,
        lines: events.length,
        parserAsserts,
      });
    }
  }

  let scenarioAsserts = 0;
  if (hasScenarios) {
    const file = join(config.dir, "scenario.assert");
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (text.trim() === "") {
      return outcome(config.name, "fail", { reason: "scenario.assert is missing or empty: please fill your assert file(s)", lines: events.length, parserAsserts });
    }
    const r = evaluateAsserts(text, "scenario", scenarioResults(bucketDump), file);
    scenarioAsserts = r.count;
    if (r.error) return outcome(config.name, "error", { reason: r.error, lines: events.length, parserAsserts, scenarioAsserts });
    if (r.failures.length > 0) {
      const f = r.failures[0]!;
      return outcome(config.name, "fail", {
        reason: `scenario.assert:${f.line}: ${f.expression}${f.actual !== undefined ? ` (actual: ${f.actual})` : ""}`,
        failures: r.failures,
        lines: events.length,
        parserAsserts,
        scenarioAsserts,
      });
    }
  }
  return outcome(config.name, "pass", { lines: events.length, parserAsserts, scenarioAsserts });
}

/**
 * The scenario files a test installs, in the order its config lists them: a hub item by name, else
 * a custom file joined to the hub root or the test directory (pkg/hubtest/scenario.go uses
 * filepath.Join, so "/scenarios/x.yaml" is still relative to them).
 */
function testScenarioFiles(config: HubtestConfig, env: HubtestEnv, problems: Problem[]): string[] {
  const files: string[] = [];
  for (const ref of config.scenarios) {
    const item = env.index?.get("scenarios", ref);
    const custom = item ? undefined : [join(env.hubRoot, ref), join(config.dir, ref)].find((p) => existsSync(p));
    if (item || custom) {
      files.push(custom ?? join(env.hubRoot, item!.path));
      continue;
    }
    const r = resolveItem(ref, "scenarios", env.index, env.hubRoot, config.dir);
    if (r.ok) files.push(r.value.path);
    else problems.push(r.error);
  }
  return files;
}

function firstLine(p: Problem): string {
  return renderProblem(p).split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ");
}
