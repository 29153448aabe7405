/**
 * `picket run --api-only`: the Local API server alone, on a SQLite file or PostgreSQL, with the
 * listen address, profiles, trusted IPs, TLS and database taken from CrowdSec's config.yaml when
 * `-c` is given (flags win). Serves until SIGTERM or SIGINT, then closes the server and the store.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { readCrowdsecConfig } from "../core/config";
import { openStore, type StoreConfig } from "../core/db";
import { createLapiServer, type LapiListen } from "../core/lapi";
import { defaultProfiles, loadProfiles, type Profiles } from "../core/profiles";
import { err, ok, problem, type Problem, type Result } from "../core/result";

export interface RunOptions {
  readonly apiOnly: boolean;
  /** `host:port` (`[::1]:8080` for IPv6). */
  readonly listen?: string;
  /** SQLite file. */
  readonly db?: string;
  /** CrowdSec config.yaml. */
  readonly config?: string;
}

/** What the server is started with, after the config file and the flags. */
export interface RunPlan {
  listen: LapiListen;
  store: StoreConfig;
  profilesPath?: string;
  trustedIps: string[];
  tls?: { certFile: string; keyFile: string };
}

const DEFAULT_LISTEN = "127.0.0.1:8080";

/** `host:port` → listen address. */
export function parseListen(text: string): Result<LapiListen> {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) return err(problem("run.listen", `Invalid listen address "${text}": expected HOST:PORT`, { hint: "for example 127.0.0.1:8080" }));
  return ok({ host: m[1] ?? (m[2] || "0.0.0.0"), port });
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

/** db_config → where the store lives (sqlite: db_path; postgres: host/port/user/password/db_name/sslmode). */
function storeFromConfig(file: string, db: Record<string, unknown>): Result<StoreConfig> {
  const type = str(db.type) ?? "sqlite";
  if (type === "sqlite") {
    const path = str(db.db_path);
    if (!path) return err(problem("run.db", "db_config.db_path is missing", { file, field: "db_config.db_path" }));
    return ok({ kind: "sqlite", path });
  }
  if (type === "postgres" || type === "postgresql" || type === "pgx") {
    const user = encodeURIComponent(str(db.user) ?? "");
    const password = str(db.password);
    const auth = user ? `${user}${password ? `:${encodeURIComponent(password)}` : ""}@` : "";
    const host = str(db.host) ?? "localhost";
    const port = str(db.port) ?? "5432";
    const name = encodeURIComponent(str(db.db_name) ?? "crowdsec");
    const sslmode = str(db.sslmode);
    return ok({ kind: "postgres", url: `postgres://${auth}${host.includes(":") ? `[${host}]` : host}:${port}/${name}${sslmode ? `?sslmode=${encodeURIComponent(sslmode)}` : ""}` });
  }
  return err(problem("run.db", `Database type "${type}" is not supported: use sqlite or postgres`, { file, field: "db_config.type" }));
}

/** The server's settings from config.yaml (when given) and the flags, flags winning. */
export function planRun(opts: RunOptions): Result<RunPlan> {
  let listenText = opts.listen;
  let store: StoreConfig | undefined = opts.db ? { kind: "sqlite", path: opts.db } : undefined;
  let profilesPath: string | undefined;
  let trustedIps: string[] = [];
  let tls: RunPlan["tls"];
  if (opts.config) {
    const config = readCrowdsecConfig(opts.config);
    if (!config.ok) return config;
    const file = opts.config;
    const api = isMap(config.value.api) ? config.value.api : {};
    const server = isMap(api.server) ? api.server : {};
    listenText ??= str(server.listen_uri);
    const configDir = isMap(config.value.config_paths) ? str(config.value.config_paths.config_dir) : undefined;
    profilesPath = str(server.profiles_path) ?? join(configDir ?? dirname(file), "profiles.yaml");
    if (!str(server.profiles_path) && !existsSync(profilesPath)) profilesPath = undefined;
    if (Array.isArray(server.trusted_ips)) trustedIps = server.trusted_ips.map((v) => String(v));
    if (isMap(server.tls)) {
      const cert = str(server.tls.cert_file);
      const key = str(server.tls.key_file);
      if (cert && key) tls = { certFile: cert, keyFile: key };
      else if (cert || key) return err(problem("run.tls", "api.server.tls needs both cert_file and key_file", { file, field: "api.server.tls" }));
    }
    if (!store) {
      if (!isMap(config.value.db_config)) return err(problem("run.db", "db_config is missing", { file, field: "db_config", hint: "or give --db FILE" }));
      const s = storeFromConfig(file, config.value.db_config);
      if (!s.ok) return s;
      store = s.value;
    }
  }
  if (!store) return err(problem("run.usage", "No database: give --db FILE or -c config.yaml"));
  const listen = parseListen(listenText ?? DEFAULT_LISTEN);
  if (!listen.ok) return listen;
  return ok({ listen: listen.value, store, profilesPath, trustedIps, tls });
}

/** Resolves once SIGTERM or SIGINT arrives. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once("SIGTERM", on("SIGTERM"));
    process.once("SIGINT", on("SIGINT"));
  });
}

export async function runCommand(opts: RunOptions, io: Io, stopSignal: Promise<string> = untilSignal()): Promise<ExitCode> {
  if (!opts.apiOnly) {
    io.err("picket run: only the Local API is available yet: use `picket run --api-only` (the agent part is not built)");
    return EXIT.USAGE;
  }
  const plan = planRun(opts);
  if (!plan.ok) {
    io.problems([plan.error]);
    return plan.error.code === "run.usage" ? EXIT.USAGE : EXIT.CONFIG;
  }
  const { value: p } = plan;
  let profiles: Profiles;
  if (p.profilesPath) {
    const loaded = loadProfiles(p.profilesPath);
    if (!loaded.ok) {
      io.problems([loaded.error]);
      return EXIT.CONFIG;
    }
    profiles = loaded.value;
    for (const w of profiles.warnings) io.problems([w]);
  } else profiles = defaultProfiles();
  const store = await openStore(p.store);
  if (!store.ok) {
    io.problems([store.error]);
    return EXIT.CONFIG;
  }
  const log = (line: string) => io.err(`${new Date().toISOString()} ${line}`);
  const server = await createLapiServer({ store: store.value, profiles, listen: p.listen, trustedIps: p.trustedIps, tls: p.tls, log });
  if (!server.ok) {
    await store.value.close();
    io.problems([server.error as Problem]);
    return EXIT.CONFIG;
  }
  log(`Local API listening on ${server.value.url} (${p.store.kind}${p.store.kind === "sqlite" ? ` ${p.store.path}` : ""}, profiles: ${p.profilesPath ?? "default"})`);
  const sig = await stopSignal;
  log(`${sig} received, stopping`);
  await server.value.stop();
  await store.value.close();
  return EXIT.OK;
}
