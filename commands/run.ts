/**
 * `picket run`: the daemon. By default the agent (acquisition, parsers, buckets, postoverflows)
 * and the Local API in one process; `--no-api` runs the agent alone and pushes alerts to the
 * Local API of local_api_credentials.yaml; `--api-only` runs the Local API alone. Settings come
 * from CrowdSec's config.yaml (flags win). SIGHUP reloads, SIGTERM/SIGINT stop after saving the
 * bucket state; undelivered alerts wait on disk for the next start.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { loadAcquisition, type ModuleOptions } from "../core/acquisition";
import { simulatedScenarios } from "../core/alerts";
import { readCrowdsecConfig } from "../core/config";
import {
  Agent, AlertQueue, agentFiles, lapiObserver, localLapiClient, readCredentials, readDaemonConfig, readSimulation, refreshDecisionGauges, serveMetrics, startDelivery,
  type AgentSetup, type DaemonConfig, type Delivery, type LapiCredentials, type MetricsServer,
} from "../core/daemon";
import { flushPolicyFromDbConfig, openConfiguredStore, openStore, storeFromDbConfig, type FlushPolicy, type Store, type StoreConfig } from "../core/db";
import { createLapiClient, createLapiServer, hashApiKey, type LapiClient, type LapiListen, type LapiOptions, type LapiServer } from "../core/lapi";
import { parseDuration } from "../core/expr";
import { createCrowdsecMetrics, type CrowdsecMetrics } from "../core/metrics";
import { defaultProfiles, loadProfiles, type Profiles } from "../core/profiles";
import { err, ok, problem, type Problem, type Result } from "../core/result";
import pkg from "../package.json" with { type: "json" };
import { DEFAULT_CONFIG, loadEngine } from "./engine-source";

export interface RunOptions {
  /** The Local API alone. */
  readonly apiOnly: boolean;
  /** The agent alone, pushing to the Local API of api.client.credentials_path. */
  readonly noApi?: boolean;
  /** Period of the bucket-state checkpoint (what survives a SIGKILL), a Go duration; default 10s. */
  readonly checkpointInterval?: string;
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
  /** The store comes from db_config (not --db): CrowdSec's own file is then left for picket.db beside it. */
  storeFromConfig: boolean;
  /** db_config.flush. */
  flush: FlushPolicy;
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

/** The server's settings from config.yaml (when given) and the flags, flags winning. */
export function planRun(opts: RunOptions): Result<RunPlan> {
  let listenText = opts.listen;
  let socketPath: string | undefined;
  let store: StoreConfig | undefined = opts.db ? { kind: "sqlite", path: opts.db } : undefined;
  let profilesPath: string | undefined;
  let trustedIps: string[] = [];
  let tls: RunPlan["tls"];
  let storeFromConfig = false;
  let flush: FlushPolicy = {};
  if (opts.config) {
    const config = readCrowdsecConfig(opts.config);
    if (!config.ok) return config;
    const file = opts.config;
    const api = isMap(config.value.api) ? config.value.api : {};
    const server = isMap(api.server) ? api.server : {};
    listenText ??= str(server.listen_uri);
    socketPath = str(server.listen_socket);
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
      const s = storeFromDbConfig(file, config.value.db_config);
      if (!s.ok) return s;
      store = s.value;
      storeFromConfig = true;
    }
    const f = flushPolicyFromDbConfig(file, config.value.db_config);
    if (!f.ok) return f;
    flush = f.value;
  }
  if (!store) return err(problem("run.usage", "No database: give --db FILE or -c config.yaml"));
  if (listenText === undefined && socketPath !== undefined) return ok({ listen: { unix: socketPath }, store, storeFromConfig, flush, profilesPath, trustedIps, tls });
  const listen = parseListen(listenText ?? DEFAULT_LISTEN);
  if (!listen.ok) return listen;
  return ok({ listen: listen.value, store, storeFromConfig, flush, profilesPath, trustedIps, tls });
}


/** Process signals as a stream: each call waits for the next one. */
export interface SignalSource {
  next(): Promise<RunSignal>;
}
export type RunSignal = "SIGTERM" | "SIGINT" | "SIGHUP";

export function processSignals(): SignalSource {
  const queued: RunSignal[] = [];
  let waiting: ((s: RunSignal) => void) | undefined;
  for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(sig);
      } else queued.push(sig);
    });
  }
  return {
    next: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => (waiting = resolve))),
  };
}

export async function runCommand(opts: RunOptions, io: Io, signals: SignalSource = processSignals()): Promise<ExitCode> {
  if (opts.apiOnly && opts.noApi) {
    io.err("picket run: you must run at least the API server or the agent (--api-only and --no-api exclude each other)");
    return EXIT.USAGE;
  }
  return opts.apiOnly ? runApiOnly(opts, io, signals) : runDaemon(opts, io, signals);
}

const logTo = (io: Io) => (line: string) => io.err(`${new Date().toISOString()} ${line}`);

async function loadProfilesOf(path: string | undefined, io: Io): Promise<Profiles | undefined> {
  if (!path) return defaultProfiles();
  const loaded = loadProfiles(path);
  if (!loaded.ok) {
    io.problems([loaded.error]);
    return undefined;
  }
  for (const w of loaded.value.warnings) io.problems([w]);
  return loaded.value;
}

/** The Local API alone (`--api-only`). */
async function runApiOnly(opts: RunOptions, io: Io, signals: SignalSource): Promise<ExitCode> {
  const plan = planRun(opts);
  if (!plan.ok) {
    io.problems([plan.error]);
    return plan.error.code === "run.usage" ? EXIT.USAGE : EXIT.CONFIG;
  }
  const log = logTo(io);
  const api = await startLapi(plan.value, io, log);
  if (!api) return EXIT.CONFIG;
  let sig: RunSignal;
  while ((sig = await signals.next()) === "SIGHUP") log("SIGHUP: the Local API alone has nothing to reload");
  log(`${sig} received, stopping`);
  await api.server.stop();
  await api.store.close();
  return EXIT.OK;
}

/** Opens the plan's store (CrowdSec's own SQLite file left for picket.db beside it) and serves the Local API on it. */
async function startLapi(p: RunPlan, io: Io, log: (line: string) => void, observe?: LapiOptions["observe"]): Promise<{ store: Store; server: LapiServer } | undefined> {
  const profiles = await loadProfilesOf(p.profilesPath, io);
  if (!profiles) return undefined;
  const opened = p.storeFromConfig ? await openConfiguredStore(p.store) : await openStore(p.store).then((r) => (r.ok ? ok({ store: r.value, config: p.store, note: undefined }) : r));
  if (!opened.ok) {
    io.problems([opened.error]);
    return undefined;
  }
  if (opened.value.note) log(opened.value.note);
  const store = opened.value.store;
  const server = await createLapiServer({ store, profiles, listen: p.listen, trustedIps: p.trustedIps, tls: p.tls, log, observe, flush: p.flush });
  if (!server.ok) {
    await store.close();
    io.problems([server.error as Problem]);
    return undefined;
  }
  const where = opened.value.config;
  log(`Local API listening on ${server.value.url} (${where.kind}${where.kind === "sqlite" ? ` ${where.path}` : ""}, profiles: ${p.profilesPath ?? "default"})`);
  return { store, server: server.value };
}

interface ApiPart {
  readonly store: Store;
  server: LapiServer;
  readonly plan: RunPlan;
}

async function startApi(opts: RunOptions, config: DaemonConfig, metrics: CrowdsecMetrics, io: Io, log: (line: string) => void): Promise<ApiPart | undefined> {
  const plan = planRun({ ...opts, apiOnly: true, config: config.file });
  if (!plan.ok) {
    io.problems([plan.error]);
    return undefined;
  }
  const api = await startLapi(plan.value, io, log, lapiObserver(metrics));
  return api ? { ...api, plan: plan.value } : undefined;
}

/** How the appsec datasource checks bouncer keys: the in-process store, or the remote Local API's url. */
type KeyChecking = Pick<ModuleOptions, "lapiUrl" | "checkApiKey">;

/** A bouncer key is valid when a non-revoked API-key bouncer of the store has its hash (as the Local API checks it). */
function storeKeyCheck(store: Store): KeyChecking {
  return {
    checkApiKey: async (key) => {
      const b = await store.findBouncerByKeyHash(hashApiKey(key));
      return b !== null && !b.revoked && b.authType === "api-key";
    },
  };
}

/** What the agent runs with, from config.yaml: items, datasources (the appsec one with the hub and the key check), simulation. */
function loadAgentSetup(config: DaemonConfig, keys: KeyChecking, log: (line: string) => void, io: Io): Result<AgentSetup, Problem[]> {
  const engine = loadEngine({ config: config.file });
  if (!engine.pipeline) return err(engine.problems);
  // one broken hub item does not stop the others (as replay); the problems are printed
  if (engine.problems.length > 0) io.problems(engine.problems);
  if (engine.origin === "builtin") log("No parser installed in the config directory: using picket's built-in collection");
  if (!config.acquisitionPath && !config.acquisitionDir) {
    return err([problem("run.acquisition", "No acquisition_path or acquisition_dir specified", { file: config.file, field: "crowdsec_service" })]);
  }
  const sources = loadAcquisition(
    { acquisitionPath: config.acquisitionPath, acquisitionDir: config.acquisitionDir },
    { helpers: engine.pipeline.helpers, onWarning: (p) => io.problems([p]), hub: { configDir: config.paths.configDir, hubDir: config.paths.hubDir }, ...keys },
  );
  if (!sources.ok) return err(sources.error);
  const sim = readSimulation(config.paths.simulationPath);
  if (!sim.ok) return err([sim.error]);
  const names = engine.pipeline.scenarios.scenarios.map((s) => s.config.name);
  return ok({ pipeline: engine.pipeline, sources: sources.value, simulated: simulatedScenarios(sim.value, names) });
}

/** The agent and (unless --no-api) the Local API, until SIGTERM/SIGINT; SIGHUP reloads. */
async function runDaemon(opts: RunOptions, io: Io, signals: SignalSource): Promise<ExitCode> {
  const file = opts.config ?? DEFAULT_CONFIG;
  const log = logTo(io);
  let checkpointMs: number | undefined;
  if (opts.checkpointInterval !== undefined) {
    const d = parseDuration(opts.checkpointInterval);
    if (!d.ok || d.ns < 100e6) {
      io.err(`picket run: invalid --checkpoint-interval "${opts.checkpointInterval}": expected a duration of at least 100ms, such as 5s`);
      return EXIT.USAGE;
    }
    checkpointMs = d.ns / 1e6;
  }
  const read = readDaemonConfig(file);
  if (!read.ok) {
    io.problems(read.error);
    return EXIT.CONFIG;
  }
  const config = read.value;
  if (config.unusedKeys.length > 0) log(`${file}: CrowdSec settings picket accepts but does not use: ${config.unusedKeys.join(", ")}`);
  const withApi = !opts.noApi && config.serverEnabled;
  const withAgent = config.agentEnabled;
  if (!withApi && !withAgent) {
    io.problems([problem("run.nothing", "You must run at least the API server or the agent", { file, hint: "api.server and crowdsec_service are both disabled or missing" })]);
    return EXIT.CONFIG;
  }
  if (!withAgent) log("crowdsec_service is missing or disabled: running the Local API alone");
  const metrics = createCrowdsecMetrics({ level: config.prometheus.level, version: pkg.version });
  const userAgent = `picket/v${pkg.version}`;

  const api = withApi ? await startApi(opts, config, metrics, io, log) : undefined;
  if (withApi && !api) return EXIT.CONFIG;

  let agent: Agent | undefined;
  let queue: AlertQueue | undefined;
  let delivery: Delivery | undefined;
  const closeAll = async () => {
    await delivery?.stop();
    queue?.close();
    if (api) {
      await api.server.stop();
      await api.store.close();
    }
  };
  let keys: KeyChecking = {};
  if (withAgent) {
    let creds: LapiCredentials | undefined;
    if (!api) {
      if (!config.credentialsPath) {
        io.problems([problem("run.credentials", "Missing Local API credentials for the agent", { file, field: "api.client.credentials_path" })]);
        await closeAll();
        return EXIT.CONFIG;
      }
      const read = readCredentials(config.credentialsPath);
      if (!read.ok) {
        io.problems([read.error]);
        await closeAll();
        return EXIT.CONFIG;
      }
      creds = read.value;
    }
    // the appsec datasource asks the store in this process, or upstream's HEAD /v1/decisions/stream of the remote Local API
    keys = api ? storeKeyCheck(api.store) : { lapiUrl: creds!.url };
    const setup = loadAgentSetup(config, keys, log, io);
    if (!setup.ok) {
      io.problems(setup.error);
      await closeAll();
      return EXIT.CONFIG;
    }
    const scenarios = setup.value.pipeline.scenarios.scenarios.map((s) => s.config.name);
    let client: LapiClient;
    if (api) {
      const local = await localLapiClient(api.store, () => api.server.handle, userAgent, scenarios);
      if (!local.ok) {
        io.problems([local.error]);
        await closeAll();
        return EXIT.CONFIG;
      }
      client = local.value;
    } else {
      const c = creds!;
      client = createLapiClient({ url: c.url, machineId: c.login, password: c.password, userAgent, scenarios, timeoutMs: 10_000 });
    }
    const files = agentFiles(config.paths.dataDir);
    try {
      mkdirSync(config.paths.dataDir, { recursive: true });
      queue = new AlertQueue(files.queue);
    } catch (e) {
      io.problems([problem("run.queue", `Cannot open the alert queue: ${e instanceof Error ? e.message : String(e)}`, { file: files.queue })]);
      await closeAll();
      return EXIT.CONFIG;
    }
    const q = queue;
    delivery = startDelivery({
      queue: q,
      push: (alerts) => client.pushAlerts(alerts),
      log,
    });
    const d = delivery;
    if (q.length > 0) log(`${q.length} alert(s) queued by an earlier run: delivering`);
    agent = new Agent(setup.value, { queue: q, statePath: files.state, metrics, log, onAlerts: () => d.kick(), checkpointMs });
    for (const p of agent.start()) io.problems([p]);
    if (!(await agent.ready())) for (const f of agent.failures) io.problems([f]);
    // loading the items leaves much garbage (YAML trees, compile-time tables): give it back once
    Bun.gc(true);
    const names = agent.sources.map((s) => `${s.module}${s.config.labels.type ? `/${s.config.labels.type}` : ""}`);
    log(`Agent started: ${agent.sources.length} datasource(s) (${names.join(", ")}), ${scenarios.length} scenario(s), alerts to ${api ? "the Local API in this process" : "the remote Local API"}`);
  }

  const a = agent;
  let metricsServer: MetricsServer | undefined;
  if (config.prometheus.enabled && config.prometheus.level !== "none") {
    const served = serveMetrics(metrics, config.prometheus.listenAddr, config.prometheus.listenPort, async () => {
      a?.syncMetrics();
      if (api) await refreshDecisionGauges(metrics, api.store);
    });
    if (!served.ok) {
      io.problems([served.error]);
      await a?.stop();
      await closeAll();
      return EXIT.CONFIG;
    }
    metricsServer = served.value;
    log(`Metrics on ${metricsServer.url}`);
  }

  for (;;) {
    const sig = await signals.next();
    if (sig !== "SIGHUP") {
      log(`${sig} received, stopping`);
      break;
    }
    await reload(file, opts, a, api, keys, metrics, io, log);
  }
  await a?.stop();
  const delivered = delivery ? await delivery.drain(3000) : true;
  const left = queue?.length ?? 0;
  metricsServer?.stop();
  await closeAll();
  if (a) log(`Stopped: bucket state saved${delivered ? "" : `; ${left} alert(s) stay queued on disk for the next start`}`);
  return EXIT.OK;
}

/** SIGHUP: read everything again; on any problem the running configuration stays. */
async function reload(
  file: string, opts: RunOptions, agent: Agent | undefined, api: ApiPart | undefined, keys: KeyChecking, metrics: CrowdsecMetrics, io: Io, log: (line: string) => void,
): Promise<void> {
  log("SIGHUP received: reloading the configuration");
  const read = readDaemonConfig(file);
  if (!read.ok) {
    io.problems(read.error);
    log("Reload failed: the running configuration stays");
    return;
  }
  if (agent) {
    const setup = loadAgentSetup(read.value, keys, log, io);
    if (!setup.ok) {
      io.problems(setup.error);
      log("Reload failed: the running configuration stays");
      return;
    }
    for (const p of await agent.reload(setup.value)) io.problems([p]);
    // a datasource of the new configuration that cannot start (a port still in use…) is said now
    if (!(await agent.ready())) for (const f of agent.failures) io.problems([f]);
  }
  if (api) {
    const plan = planRun({ ...opts, apiOnly: true, config: file });
    const profiles = plan.ok ? await loadProfilesOf(plan.value.profilesPath, io) : undefined;
    if (!plan.ok) io.problems([plan.error]);
    if (profiles && plan.ok) {
      // the server holds its profiles: a new one takes its place on the same address
      await api.server.stop(1000);
      const p = api.plan;
      const next = await createLapiServer({ store: api.store, profiles, listen: p.listen, trustedIps: p.trustedIps, tls: p.tls, log, observe: lapiObserver(metrics) });
      if (next.ok) api.server = next.value;
      else io.problems([next.error as Problem]);
    }
  }
  Bun.gc(true);
  log(`Reloaded${agent ? `: ${agent.bucketCount} bucket(s) kept` : ""}`);
}
