/**
 * Where an admin command reads and writes: the database directly (`--db PATH`, or db_config of a
 * CrowdSec config.yaml) or a Local API as a machine (`--url --machine --password`, or the config's
 * api.client.credentials_path, as cscli does). Machines, bouncers and `alerts flush` are always
 * direct (cscli 1.4.6); decisions and alerts go through the API when one is named.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { readCrowdsecConfig } from "../../core/config";
import { storeFromDbConfig, type StoreConfig } from "../../core/db";
import { err, ok, problem, type Problem, type Result } from "../../core/result";
import type { FlagSpec, Flags } from "./flags";

export const DEFAULT_CONFIG = "/etc/crowdsec/config.yaml";

/** Where the admin commands' store is; `fromConfig`: named by db_config (CrowdSec's own file is then left for picket.db beside it). */
export type StoreTarget = StoreConfig & { fromConfig?: boolean };

export interface ApiTarget {
  url: string;
  machineId: string;
  password: string;
}

export type Access = { kind: "db"; store: StoreTarget } | { kind: "api"; api: ApiTarget };

export const OUTPUT_FLAG: FlagSpec = { name: "output", short: "o", kind: "string", value: "FORMAT", default: "human", description: "Output format: human, json or raw" };
export const DB_FLAGS: readonly FlagSpec[] = [
  { name: "db", kind: "string", value: "PATH", description: "The database: a SQLite file, or a postgres:// URL" },
  { name: "config", short: "c", kind: "string", value: "FILE", description: `CrowdSec config.yaml whose db_config to use (default ${DEFAULT_CONFIG} when it exists)` },
];
export const API_FLAGS: readonly FlagSpec[] = [
  { name: "url", kind: "string", value: "URL", description: "Talk to this Local API instead of the database (with --machine and --password)" },
  { name: "machine", kind: "string", value: "NAME", description: "Machine to log in to the Local API as" },
  { name: "password", kind: "string", value: "PW", description: "That machine's password" },
];

export type OutputMode = "human" | "json" | "raw";

export function outputMode(flags: Flags): Result<OutputMode, string> {
  const o = flags.string("output");
  if (o === "human" || o === "json" || o === "raw") return ok(o);
  return err(`invalid output "${o}" (expected human, json or raw)`);
}

/** The config file in force: `-c FILE`, else the default one when it exists. */
function configFile(flags: Flags, defaultConfig: string): string | undefined {
  return flags.optional("config") ?? (existsSync(defaultConfig) ? defaultConfig : undefined);
}

/** Direct database access only (machines, bouncers, alerts flush). */
export function resolveStore(flags: Flags, defaultConfig = DEFAULT_CONFIG): Result<StoreTarget, Problem> {
  const db = flags.optional("db");
  if (db !== undefined) return ok(storeOfDbFlag(db));
  const file = configFile(flags, defaultConfig);
  if (file === undefined) {
    return err(problem("admin.no-db", "No database given", { hint: `give --db PATH (a SQLite file), or -c config.yaml whose db_config to use` }));
  }
  const config = readCrowdsecConfig(file);
  if (!config.ok) return config;
  return storeOfConfig(file, config.value);
}

/** Decisions and alerts: an API when one is named (flags or the config's credentials), else the database. */
export function resolveAccess(flags: Flags, defaultConfig = DEFAULT_CONFIG): Result<Access, Problem> {
  const url = flags.optional("url");
  if (url !== undefined) {
    const machineId = flags.optional("machine");
    const password = flags.optional("password");
    if (machineId === undefined || password === undefined) {
      return err(problem("admin.api-credentials", "--url needs --machine and --password", { hint: "the machine must exist and be validated (picket machines add NAME --password PW)" }));
    }
    return ok({ kind: "api", api: { url, machineId, password } });
  }
  const db = flags.optional("db");
  if (db !== undefined) return ok({ kind: "db", store: storeOfDbFlag(db) });
  const file = configFile(flags, defaultConfig);
  if (file === undefined) {
    return err(problem("admin.no-target", "No database or Local API given", { hint: "give --db PATH, --url URL --machine NAME --password PW, or -c config.yaml" }));
  }
  const config = readCrowdsecConfig(file);
  if (!config.ok) return config;
  const credentialsPath = at(config.value, ["api", "client", "credentials_path"]);
  if (typeof credentialsPath === "string" && credentialsPath !== "" && existsSync(credentialsPath)) {
    const creds = readCredentials(credentialsPath);
    if (!creds.ok) return creds;
    return ok({ kind: "api", api: creds.value });
  }
  const store = storeOfConfig(file, config.value);
  return store.ok ? ok({ kind: "db", store: store.value }) : store;
}

function storeOfDbFlag(db: string): StoreTarget {
  return /^postgres(ql)?:\/\//.test(db) ? { kind: "postgres", url: db } : { kind: "sqlite", path: db };
}

/** db_config (CONFIG.md §2.5), read as `picket run` reads it, so both land on the same database. */
export function storeOfConfig(file: string, config: Record<string, unknown>): Result<StoreTarget, Problem> {
  const store = storeFromDbConfig(file, config.db_config);
  return store.ok ? ok({ ...store.value, fromConfig: true }) : store;
}

/** local_api_credentials.yaml: url, login, password (CONFIG.md §3.1). */
export function readCredentials(file: string): Result<ApiTarget, Problem> {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    return err(problem("admin.credentials", `Cannot read Local API credentials: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  const d = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const url = typeof d.url === "string" ? d.url : "";
  const login = typeof d.login === "string" ? d.login : "";
  const password = d.password === undefined || d.password === null ? "" : String(d.password);
  if (url === "" || login === "" || password === "") {
    return err(problem("admin.credentials", "Local API credentials need url, login and password", { file, hint: "TLS client certificates are not supported by picket's admin commands" }));
  }
  return ok({ url, machineId: login, password });
}

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const k of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/**
 * The Local API URL to write in a machine's credentials (cscli `machines add`): the config's
 * client credentials URL, else `http://` + api.server.listen_uri; undefined without a config.
 */
export function configApiUrl(flags: Flags, defaultConfig = DEFAULT_CONFIG): Result<string | undefined, Problem> {
  const file = configFile(flags, defaultConfig);
  if (file === undefined) return ok(undefined);
  const config = readCrowdsecConfig(file);
  if (!config.ok) return config;
  const credentialsPath = at(config.value, ["api", "client", "credentials_path"]);
  if (typeof credentialsPath === "string" && existsSync(credentialsPath)) {
    const creds = readCredentials(credentialsPath);
    if (creds.ok) return ok(creds.value.url);
  }
  const listen = at(config.value, ["api", "server", "listen_uri"]);
  return ok(typeof listen === "string" && listen !== "" ? `http://${listen}` : undefined);
}
