/**
 * `picket metrics`: scrape a Prometheus endpoint (picket's or CrowdSec's) and print what
 * `cscli metrics` prints: acquisition, bucket, parser and Local API tables, or the same sections
 * as JSON (one line) or YAML (`-o raw`, as cscli 1.4.6's raw output).
 */
import { existsSync } from "node:fs";
import YAML from "yaml";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Colors, Io } from "../cli/io";
import { readCrowdsecConfig } from "../core/config";
import { parseExposition, summarizeMetrics, type CscliMetrics } from "../core/metrics";
import { err, ok, problem, type Result } from "../core/result";
import { boxTable } from "./admin/table";
import { DEFAULT_CONFIG } from "./engine-source";

export type MetricsOutput = "human" | "json" | "raw";

export interface MetricsOptions {
  /** `http://host:port` or `http://host:port/metrics`; wins over the config. */
  readonly url?: string;
  /** config.yaml whose `prometheus` section (or `cscli.prometheus_uri`) gives the address. */
  readonly config?: string;
  readonly output: MetricsOutput;
  /** Show 1234567 rather than 1.23M (cscli's --no-unit). */
  readonly noUnit?: boolean;
}

/** Upstream's defaults for `prometheus.listen_addr` / `listen_port`. */
const DEFAULT_ADDR = "127.0.0.1";
const DEFAULT_PORT = 6060;
const FETCH_TIMEOUT_MS = 30_000;

export async function metrics(opts: MetricsOptions, io: Io, defaultConfig: string = DEFAULT_CONFIG): Promise<ExitCode> {
  const target = resolveMetricsUrl(opts, defaultConfig);
  if (!target.ok) {
    io.problems([target.error]);
    return target.error.code === "metrics.url" ? EXIT.USAGE : EXIT.CONFIG;
  }
  const url = target.value;
  const text = await scrape(url);
  if (!text.ok) {
    io.problems([text.error]);
    return EXIT.CONFIG;
  }
  const families = parseExposition(text.value, { file: url });
  if (!families.ok) {
    io.problems([families.error]);
    return EXIT.CONFIG;
  }
  const summary = summarizeMetrics(families.value);
  switch (opts.output) {
    case "json":
      io.out(JSON.stringify(sortedDeep(summary, true)));
      break;
    case "raw":
      io.out(YAML.stringify(sortedDeep(summary, true)).trimEnd());
      break;
    case "human": {
      const lines = formatMetricsTables(summary, io.color, Boolean(opts.noUnit));
      if (lines.length === 0) io.err(`picket metrics: no CrowdSec metrics at "${url}"`);
      for (const line of lines) io.out(line);
      break;
    }
    default: {
      const never: never = opts.output;
      throw new Error(`unknown output ${String(never)}`);
    }
  }
  return EXIT.OK;
}

/**
 * The endpoint to scrape: `--url` (a bare `http://host:port` gets `/metrics`), else the config's
 * `cscli.prometheus_uri`, else its `prometheus.listen_addr:listen_port`; with no config at all,
 * 127.0.0.1:6060. A config whose prometheus is disabled is an error, as in cscli.
 */
export function resolveMetricsUrl(opts: Pick<MetricsOptions, "url" | "config">, defaultConfig: string = DEFAULT_CONFIG): Result<string> {
  if (opts.url !== undefined) return metricsUrl(opts.url);
  const file = opts.config ?? (existsSync(defaultConfig) ? defaultConfig : undefined);
  if (file === undefined) return ok(`http://${DEFAULT_ADDR}:${DEFAULT_PORT}/metrics`);
  const config = readCrowdsecConfig(file);
  if (!config.ok) return config;
  const prometheus = asMap(config.value.prometheus);
  if (prometheus?.enabled !== true) {
    return err(
      problem("metrics.disabled", "Prometheus is not enabled, cannot show metrics", {
        file,
        field: "prometheus.enabled",
        hint: "set prometheus.enabled: true (and restart), or pass --url",
      }),
    );
  }
  const uri = asMap(config.value.cscli)?.prometheus_uri;
  if (typeof uri === "string" && uri !== "") return metricsUrl(uri);
  const addr = typeof prometheus.listen_addr === "string" && prometheus.listen_addr !== "" ? prometheus.listen_addr : DEFAULT_ADDR;
  const port = typeof prometheus.listen_port === "number" && prometheus.listen_port > 0 ? prometheus.listen_port : DEFAULT_PORT;
  return ok(`http://${addr.includes(":") ? `[${addr}]` : addr}:${port}/metrics`);
}

function metricsUrl(text: string): Result<string> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return err(problem("metrics.url", `Invalid URL "${text}"`, { hint: "expected http://host:port/metrics" }));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return err(problem("metrics.url", `Invalid URL "${text}": only http and https can be scraped`));
  // cscli's -u takes the address and appends /metrics
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/metrics";
  return ok(url.href);
}

async function scrape(url: string): Promise<Result<string>> {
  const hint = "is picket (or crowdsec) running with prometheus enabled? Pass --url to scrape another address";
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: "follow",
    });
  } catch (e) {
    return err(problem("metrics.unreachable", `Cannot fetch metrics from "${url}": ${fetchErrorText(e)}`, { hint }));
  }
  if (!response.ok) {
    return err(problem("metrics.http", `Cannot fetch metrics from "${url}": HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`, { hint }));
  }
  try {
    return ok(await response.text());
  } catch (e) {
    return err(problem("metrics.unreachable", `Cannot fetch metrics from "${url}": ${fetchErrorText(e)}`, { hint }));
  }
}

function fetchErrorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === "TimeoutError") return `no answer within ${FETCH_TIMEOUT_MS / 1000} s`;
  const code = (e as Error & { code?: unknown }).code;
  if (code === "ECONNREFUSED" || code === "ConnectionRefused") return "connection refused";
  if (code === "ENOTFOUND") return "unknown host";
  return e.message;
}

/** cscli's tables, in its order, each after a blank line and its title; empty ones are left out. */
export function formatMetricsTables(m: CscliMetrics, color: Colors, noUnit: boolean): string[] {
  const out: string[] = [];
  const table = (title: string, headers: readonly string[], rows: readonly (readonly string[])[]) => {
    if (rows.length === 0) return;
    out.push("", title, ...boxTable(headers, rows, color));
  };
  const num = (v: number | undefined) => (v === undefined || v === 0 ? "-" : noUnit ? String(v) : formatNumber(v));
  const columns = <K extends string>(stats: Readonly<Record<string, Partial<Record<K, number>>>>, keys: readonly K[]) =>
    sortedKeys(stats).map((k) => [k, ...keys.map((c) => num(stats[k]![c]))]);

  table("Acquisition Metrics:", ["Source", "Lines read", "Lines parsed", "Lines unparsed", "Lines poured to bucket"], columns(m.acquisition, ["reads", "parsed", "unparsed", "pour"] as const));
  table(
    "Bucket Metrics:",
    ["Bucket", "Current Count", "Overflows", "Instantiated", "Poured", "Expired"],
    columns(m.scenarios, ["curr_count", "overflow", "instantiation", "pour", "underflow"] as const),
  );
  table("Parser Metrics:", ["Parsers", "Hits", "Parsed", "Unparsed"], columns(m.parsers, ["hits", "parsed", "unparsed"] as const));
  table("Parser Stash Metrics:", ["Name", "Type", "Items"], sortedKeys(m.stash).map((k) => [k, m.stash[k]!.Type, String(m.stash[k]!.Count)]));
  table("Local Api Metrics:", ["Route", "Method", "Hits"], sortedKeys(m.lapi).flatMap((route) => sortedKeys(m.lapi[route]!).map((method) => [route, method, String(m.lapi[route]![method])])));
  table("Local Api Machines Metrics:", ["Machine", "Route", "Method", "Hits"], perClientRows(m["lapi-machine"]));
  table("Local Api Bouncers Metrics:", ["Bouncer", "Route", "Method", "Hits"], perClientRows(m["lapi-bouncer"]));
  const answers = m["lapi-decisions"];
  table("Local Api Bouncers Decisions:", ["Bouncer", "Empty answers", "Non-empty answers"], sortedKeys(answers).map((b) => [b, String(answers[b]!.Empty), String(answers[b]!.NonEmpty)]));
  // cscli walks these two in Go's random map order; sorted here, so the output is stable.
  const decisionRows: string[][] = [];
  for (const reason of sortedKeys(m.decisions)) {
    for (const origin of sortedKeys(m.decisions[reason]!)) {
      for (const action of sortedKeys(m.decisions[reason]![origin]!)) decisionRows.push([reason, origin, action, String(m.decisions[reason]![origin]![action])]);
    }
  }
  table("Local Api Decisions:", ["Reason", "Origin", "Action", "Count"], decisionRows);
  table("Local Api Alerts:", ["Reason", "Count"], sortedKeys(m.alerts).map((r) => [r, String(m.alerts[r])]));
  return out;
}

function perClientRows(stats: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>): string[][] {
  const rows: string[][] = [];
  for (const client of sortedKeys(stats)) {
    for (const route of sortedKeys(stats[client]!)) {
      for (const method of sortedKeys(stats[client]![route]!)) {
        const count = stats[client]![route]![method]!;
        rows.push([client, route, method, count !== 0 ? String(count) : "-"]);
      }
    }
  }
  return rows;
}

const UNITS: readonly (readonly [number, string])[] = [
  [1e18, "E"],
  [1e15, "P"],
  [1e12, "T"],
  [1e6, "M"],
  [1e3, "k"],
];

/** cscli's formatNumber: two decimals and a unit from 1000 up (`12.35k`, `1.20M`; it has no G). */
export function formatNumber(n: number): string {
  for (const [value, symbol] of UNITS) {
    if (n >= value) return `${(Math.round((n / value) * 100) / 100).toFixed(2)}${symbol}`;
  }
  return String(n);
}

function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(byCodeUnit);
}

// Go's sort.Strings compares bytes; for the ASCII names of metrics this is code-unit order.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A copy with the keys of every map sorted, as Go's encoding/json and yaml.v2 write maps. The
 * summary's maps are prototype-less objects; its structs (`{NonEmpty, Empty}`) keep their order.
 */
function sortedDeep(value: unknown, isRoot = false): unknown {
  if (value === null || typeof value !== "object") return value;
  // the root is upstream's map of sections
  const isMap = isRoot || Object.getPrototypeOf(value) === null;
  const out: Record<string, unknown> = isMap ? (Object.create(null) as Record<string, unknown>) : {};
  for (const k of isMap ? sortedKeys(value) : Object.keys(value)) {
    Object.defineProperty(out, k, { value: sortedDeep((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function asMap(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
