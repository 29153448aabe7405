/**
 * CrowdSec's config.yaml (pkg/csconfig): the `.local` overlay, environment expansion, and the
 * paths every command needs (CONFIG.md §1–§2). The daemon's full key-by-key reading builds on this.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { err, ok, problem, type Result } from "../result";

export interface CrowdsecPaths {
  readonly configFile: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly hubDir: string;
  readonly patternDir: string;
  readonly simulationPath: string;
}

/** Replaces `${NAME}` and `$NAME` by defined variables; undefined ones stay verbatim (upstream). */
export function expandEnv(text: string, env: Record<string, string | undefined> = process.env): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const value = env[(braced ?? bare)!];
    return value === undefined ? whole : value;
  });
}

/** Deep merge of the `.local` overlay: maps merge key by key, anything else replaces (CONFIG.md §1.1). */
export function mergeOverlay(base: unknown, overlay: unknown): unknown {
  if (isMap(base) && isMap(overlay)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(overlay)) out[k] = k in base ? mergeOverlay(base[k], v) : v;
    return out;
  }
  return overlay === undefined ? base : overlay;
}

/** Reads config.yaml (+ config.yaml.local) as plain data, merged and env-expanded. */
export function readCrowdsecConfig(file: string): Result<Record<string, unknown>> {
  const read = (path: string): Result<unknown> => {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      return err(problem("config.read", `Cannot read config: ${e instanceof Error ? e.message : String(e)}`, { file: path }));
    }
    let merged: unknown = {};
    for (const doc of parseAllDocuments(expandEnv(text))) {
      const e = doc.errors[0];
      if (e) return err(problem("config.yaml", `Cannot parse YAML: ${e.message.split("\n")[0]}`, { file: path, line: e.linePos?.[0].line, column: e.linePos?.[0].col }));
      merged = mergeOverlay(merged, doc.toJS() ?? {});
    }
    return ok(merged);
  };
  const main = read(file);
  if (!main.ok) return main;
  let value = main.value;
  if (existsSync(`${file}.local`)) {
    const local = read(`${file}.local`);
    if (!local.ok) return local;
    value = mergeOverlay(value, local.value);
  }
  return ok(isMap(value) ? value : {});
}

/** The config_paths section with upstream's defaults; relative paths are taken from the working directory. */
export function crowdsecPaths(file: string, config: Record<string, unknown>): Result<CrowdsecPaths> {
  const section = config.config_paths;
  if (!isMap(section)) return err(problem("config.paths", "No configuration paths provided (config_paths is missing)", { file, field: "config_paths" }));
  const str = (k: string) => (typeof section[k] === "string" && section[k] !== "" ? abs(section[k] as string) : undefined);
  const configDir = str("config_dir") ?? dirname(resolve(file));
  const dataDir = str("data_dir");
  if (!dataDir) return err(problem("config.paths", "Please provide a data directory with the 'data_dir' directive", { file, field: "config_paths.data_dir" }));
  const hubDir = str("hub_dir") ?? join(configDir, "hub");
  return ok({
    configFile: resolve(file),
    configDir,
    dataDir,
    hubDir,
    patternDir: str("pattern_dir") ?? join(configDir, "patterns"),
    simulationPath: str("simulation_path") ?? join(configDir, "simulation.yaml"),
  });
}

export function loadCrowdsecPaths(file: string): Result<CrowdsecPaths> {
  const config = readCrowdsecConfig(file);
  return config.ok ? crowdsecPaths(file, config.value) : config;
}

function abs(p: string): string {
  return isAbsolute(p) ? p : resolve(p);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
