/**
 * What the daemon takes from CrowdSec's config.yaml (CONFIG.md §2): paths, the agent's
 * acquisition files, the Local API server and client, prometheus, simulation; plus the companion
 * files it reads (local_api_credentials.yaml, simulation.yaml). Relative paths resolve against
 * the working directory, as upstream.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { crowdsecPaths, expandEnv, readCrowdsecConfig, type CrowdsecPaths } from "../config";
import type { PrometheusLevel } from "../metrics";
import { err, ok, problem, type Problem, type Result } from "../result";
import { checkConfigKeys } from "./config-keys";

export interface PrometheusSettings {
  readonly enabled: boolean;
  readonly level: PrometheusLevel;
  readonly listenAddr: string;
  readonly listenPort: number;
}

export interface DaemonConfig {
  readonly file: string;
  readonly raw: Record<string, unknown>;
  readonly paths: CrowdsecPaths;
  /** crowdsec_service present and not `enable: false`. */
  readonly agentEnabled: boolean;
  readonly acquisitionPath?: string;
  readonly acquisitionDir?: string;
  /** api.server present and not `enable: false`. */
  readonly serverEnabled: boolean;
  /** api.client.credentials_path. */
  readonly credentialsPath?: string;
  readonly prometheus: PrometheusSettings;
  /** Keys CrowdSec knows that picket ignores (listed once at start). */
  readonly unusedKeys: readonly string[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const abs = (p: string): string => (isAbsolute(p) ? p : resolve(p));

/** Reads and checks config.yaml (+ .local): unknown keys, missing data_dir and bad values are problems. */
export function readDaemonConfig(file: string, env: Record<string, string | undefined> = process.env): Result<DaemonConfig, Problem[]> {
  const keys = checkConfigKeys(file, env);
  if (keys.problems.length > 0) return err(keys.problems);
  const read = readCrowdsecConfig(file);
  if (!read.ok) return err([read.error]);
  const raw = read.value;
  const paths = crowdsecPaths(file, raw);
  if (!paths.ok) return err([paths.error]);
  const cs = raw.crowdsec_service;
  const api = isMap(raw.api) ? raw.api : {};
  const server = api.server;
  const client = isMap(api.client) ? api.client : {};
  const prom = isMap(raw.prometheus) ? raw.prometheus : {};
  const level = str(prom.level) ?? "full";
  if (level !== "full" && level !== "aggregated" && level !== "none") {
    return err([problem("config.prometheus", `Invalid prometheus level "${level}": expected full, aggregated or none`, { file, field: "prometheus.level" })]);
  }
  const port = prom.listen_port === undefined ? 6060 : Number(prom.listen_port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return err([problem("config.prometheus", `Invalid prometheus listen_port "${String(prom.listen_port)}"`, { file, field: "prometheus.listen_port" })]);
  }
  const acquisitionPath = isMap(cs) ? str(cs.acquisition_path) : undefined;
  const acquisitionDir = isMap(cs) ? str(cs.acquisition_dir) : undefined;
  const credentials = str(client.credentials_path);
  return ok({
    file,
    raw,
    paths: paths.value,
    agentEnabled: isMap(cs) && cs.enable !== false,
    acquisitionPath: acquisitionPath && abs(acquisitionPath),
    acquisitionDir: acquisitionDir && abs(acquisitionDir),
    serverEnabled: isMap(server) && server.enable !== false,
    credentialsPath: credentials && abs(credentials),
    prometheus: { enabled: prom.enabled === true, level, listenAddr: str(prom.listen_addr) ?? "127.0.0.1", listenPort: port },
    unusedKeys: keys.unused,
  });
}

/** local_api_credentials.yaml (CONFIG.md §3.1). */
export interface LapiCredentials {
  readonly url: string;
  readonly login: string;
  readonly password: string;
}

export function readCredentials(file: string, env: Record<string, string | undefined> = process.env): Result<LapiCredentials> {
  let value: unknown;
  try {
    value = Bun.YAML.parse(expandEnv(readFileSync(file, "utf8"), env));
  } catch (e) {
    return err(problem("config.credentials", `Cannot read Local API credentials: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  const m = isMap(value) ? value : {};
  const url = str(m.url);
  if (!url) return err(problem("config.credentials", "No credentials or URL found in api client configuration", { file, field: "url" }));
  const login = str(m.login);
  const password = str(m.password);
  if (!login || !password) {
    return err(problem("config.credentials", "Login and password are needed (TLS client certificates are not supported)", { file, field: login ? "password" : "login" }));
  }
  return ok({ url, login, password });
}

/** simulation.yaml: the global switch and its exceptions; a missing file simulates nothing. */
export function readSimulation(file: string): Result<{ simulation: boolean; exclusions: string[] }> {
  if (!existsSync(file)) return ok({ simulation: false, exclusions: [] });
  let value: unknown;
  try {
    value = Bun.YAML.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return err(problem("config.simulation", `Cannot read simulation.yaml: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  if (value === null || value === undefined) return ok({ simulation: false, exclusions: [] });
  if (!isMap(value)) return err(problem("config.simulation", "simulation.yaml must be a map", { file }));
  for (const k of Object.keys(value)) {
    if (k !== "simulation" && k !== "exclusions") return err(problem("config.simulation", `Unknown key "${k}" in simulation.yaml`, { file, field: k }));
  }
  const sw = value.simulation;
  const exclusions = Array.isArray(value.exclusions) ? value.exclusions.map(String) : [];
  return ok({ simulation: sw === true || sw === "on" || sw === "true", exclusions });
}

/** Where the daemon keeps its own files: the alert queue and the saved state. */
export function agentFiles(dataDir: string): { queue: string; state: string } {
  return { queue: join(dataDir, "picket-alerts.db"), state: join(dataDir, "picket-state.json") };
}
