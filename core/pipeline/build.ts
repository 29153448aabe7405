import { loadScenarios, type LoadedScenarios, type ScenarioFile } from "../buckets";
import { createDataRegistry, type DataEntry } from "../data";
import { createEnrichers, type EnrichersOptions } from "../enrich";
import type { HelperContext } from "../expr";
import { createPatternLibrary } from "../grok";
import { loadParserTree, type LoadedParsers, type ParserFile } from "../parser";
import type { ParserRuntime } from "../parser";
import { StashStore } from "../parser";
import type { Problem } from "../result";
import type { DataFileSpec } from "../parser";

export interface PipelineOptions {
  readonly parserFiles: readonly ParserFile[];
  readonly postoverflowFiles?: readonly ParserFile[];
  readonly scenarioFiles?: readonly ScenarioFile[];
  /** Where `data:` files are read from (dest_file is relative to it) and where GeoIP databases live. */
  readonly dataDir: string;
  /** Overrides where a data entry's file is read from (a mirror laid out by source_url, in hubtest). */
  readonly resolveDataPath?: (entry: DataEntry) => string;
  readonly geoip?: EnrichersOptions["geoipFiles"];
  /** Wall clock (ms): the year of yearless dates, the time of events without one. */
  readonly now?: () => number;
}

export interface Pipeline {
  readonly parsers: LoadedParsers;
  readonly postoverflows: LoadedParsers;
  readonly scenarios: LoadedScenarios;
  readonly runtime: ParserRuntime;
  readonly helpers: HelperContext;
  /** Everything that could not be loaded; the rest runs. */
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

export function buildPipeline(opts: PipelineOptions): Pipeline {
  const now = opts.now ?? Date.now;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const data = createDataRegistry(opts.dataDir, { resolvePath: opts.resolveDataPath, warn: (p) => warnings.push(p) });
  const stash = new StashStore(now);
  const helpers: HelperContext = { dataFiles: data, stash, now };
  const enrichers = createEnrichers({ dataDir: opts.dataDir, geoipFiles: opts.geoip, now });
  warnings.push(...enrichers.problems);
  const knownMethods = new Set(enrichers.enrichers.keys());
  const loadData = (spec: DataFileSpec, file: string): Problem | undefined => {
    const r = data.load(spec, file);
    return r.ok ? undefined : r.error;
  };
  const parsers = loadParserTree(opts.parserFiles, { patterns: createPatternLibrary(), helpers, knownMethods, loadData });
  const postoverflows = loadParserTree(opts.postoverflowFiles ?? [], { patterns: createPatternLibrary(), helpers, knownMethods, loadData });
  const scenarios = loadScenarios(opts.scenarioFiles ?? [], { helpers, loadData });
  problems.push(...parsers.problems, ...postoverflows.problems, ...scenarios.problems);
  warnings.push(...parsers.warnings, ...postoverflows.warnings, ...scenarios.warnings);
  const runtime: ParserRuntime = { enrichers: enrichers.enrichers, stash, now };
  return { parsers, postoverflows, scenarios, runtime, helpers, problems, warnings };
}
