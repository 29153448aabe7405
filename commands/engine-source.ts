/**
 * Where a command's items come from: `-c config.yaml` (CrowdSec layout), or `--hub DIR --items …`
 * (hub items by name, collections expanded). Shared by explain, replay and run.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { loadCrowdsecPaths } from "../core/config";
import { DEFAULT_PARSERS, DEFAULT_SCENARIOS } from "../core/defaults";
import { mirrorResolver } from "../core/data";
import { findGeoipFiles } from "../core/enrich";
import { loadHubIndex } from "../core/hub";
import { buildPipeline, type Pipeline } from "../core/pipeline";
import { hubItems, installedItems } from "../core/pipeline";
import { problem, type Problem } from "../core/result";

export interface EngineSourceOptions {
  readonly config?: string;
  readonly hub?: string;
  /** Comma-separated item names (with --hub). */
  readonly items?: string;
  /** With --hub: data files laid out by the path of their source_url (like ../shared/hub-data). */
  readonly data?: string;
  /** Directory with GeoIP databases (default: the data dir). */
  readonly geoip?: string;
  /** Use picket's built-in collection even when CrowdSec's default config exists. */
  readonly builtin?: boolean;
  /** Fixed clock (tests): the year of yearless syslog dates. */
  readonly now?: () => number;
  /** Load the parsers only, no scenario or postoverflow (replay's parse worker). */
  readonly parsersOnly?: boolean;
}

/** The items to load, without scenarios and postoverflows when only the parsers are wanted. */
function parts<T extends { readonly scenarioFiles?: readonly unknown[]; readonly postoverflowFiles?: readonly unknown[] }>(opts: EngineSourceOptions, files: T): T {
  return opts.parsersOnly ? { ...files, scenarioFiles: [], postoverflowFiles: [] } : files;
}

export const DEFAULT_CONFIG = "/etc/crowdsec/config.yaml";

/** Where the items came from, for the command to say. */
export type EngineOrigin = "hub" | "config" | "builtin";

/**
 * Builds the pipeline the options name: --hub items, -c config's installed items, else CrowdSec's
 * default config when it exists (installed hub items take precedence), else picket's built-in
 * collection. Problems are returned for the command to print.
 */
export function loadEngine(opts: EngineSourceOptions): { pipeline?: Pipeline; problems: Problem[]; origin?: EngineOrigin } {
  if (opts.hub) {
    const index = loadHubIndex(resolve(opts.hub));
    if (!index.ok) return { problems: [index.error] };
    const names = (opts.items ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) return { problems: [problem("usage.items", "--hub needs --items: the collections or items to load", { hint: "e.g. --items crowdsecurity/linux,crowdsecurity/nginx" })] };
    const { files, problems } = hubItems(index.value, names);
    if (problems.length > 0) return { problems };
    const mirror = opts.data ? resolve(opts.data) : undefined;
    const pipeline = buildPipeline({
      ...parts(opts, files),
      dataDir: mirror ?? resolve(opts.hub),
      resolveDataPath: mirror ? mirrorResolver(mirror) : undefined,
      geoip: findGeoipFiles(opts.geoip ? resolve(opts.geoip) : mirror),
      now: opts.now,
    });
    return { pipeline, problems: [...pipeline.problems], origin: "hub" };
  }
  const configFile = opts.builtin ? undefined : (opts.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined));
  const paths = configFile ? loadCrowdsecPaths(configFile) : undefined;
  if (paths && !paths.ok) return { problems: [paths.error] };
  const files = paths?.ok ? installedItems(paths.value.configDir) : undefined;
  // Installed hub items take precedence; a config with no parser installed falls back to the built-ins.
  if (!paths?.ok || !files || files.parserFiles.length === 0) {
    const pipeline = buildPipeline({
      parserFiles: DEFAULT_PARSERS,
      scenarioFiles: opts.parsersOnly ? [] : DEFAULT_SCENARIOS,
      dataDir: opts.data ? resolve(opts.data) : process.cwd(),
      geoip: findGeoipFiles(opts.geoip ? resolve(opts.geoip) : undefined),
      now: opts.now,
    });
    return { pipeline, problems: [...pipeline.problems], origin: "builtin" };
  }
  const pipeline = buildPipeline({ ...parts(opts, files), dataDir: paths.value.dataDir, geoip: findGeoipFiles(opts.geoip ?? paths.value.dataDir), now: opts.now });
  return { pipeline, problems: [...pipeline.problems], origin: "config" };
}
