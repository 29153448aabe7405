import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../cli/io";
import { renderProblem } from "../core/result";
import { expectGolden, TESTDATA } from "../core/testing";
import { formatNumber, metrics, resolveMetricsUrl, type MetricsOptions } from "./metrics";

/** CrowdSec 1.4.6's /metrics; its cscli tables are testdata/metrics/cscli-metrics.golden.txt. */
const CROWDSEC = readFileSync(join(TESTDATA, "metrics", "crowdsec-1.4.6.txt"), "utf8");
const BIG = [
  "# TYPE cs_parser_hits_total counter",
  'cs_parser_hits_total{source="/var/log/syslog",type="file"} 1.234567e+06',
  'cs_parser_hits_ok_total{source="/var/log/syslog",type="file"} 12345',
  'cs_parser_hits_ko_total{source="/var/log/syslog",type="file"} 999',
].join("\n");

const bodies: Record<string, { status: number; body: string }> = {
  "/metrics": { status: 200, body: CROWDSEC },
  "/big/metrics": { status: 200, body: BIG },
  "/go-only/metrics": { status: 200, body: "# TYPE go_goroutines gauge\ngo_goroutines 7\n" },
  "/broken/metrics": { status: 200, body: "cs_buckets 1\ncs_alerts{reason=\"x\"} many\n" },
};

let server: ReturnType<typeof Bun.serve>;
let base = "";
/** A loopback port nobody listens on: taken, then released. */
let closedPort = 0;

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) => {
      const hit = bodies[new URL(req.url).pathname];
      return hit ? new Response(hit.body, { status: hit.status, headers: { "content-type": "text/plain; version=0.0.4" } }) : new Response("404 page not found", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
  const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  closedPort = closed.port!;
  closed.stop(true);
});

afterAll(() => {
  server.stop(true);
});

const NO_CONFIG = "/nonexistent/picket-test/config.yaml";

async function run(opts: Partial<MetricsOptions>) {
  const io = memoryIo();
  const code = await metrics({ output: "human", ...opts }, io, NO_CONFIG);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("picket metrics", () => {
  test("prints cscli's tables for CrowdSec's /metrics (rows cscli leaves in map order are sorted)", async () => {
    const r = await run({ url: base });
    expect(r).toMatchObject({ code: 0, err: "" });
    expectGolden("../metrics/cscli-metrics.golden.txt", r.out);
  });

  test("-o json: one line with upstream's section names and values", async () => {
    const r = await run({ url: `${base}/metrics`, output: "json" });
    expect(r.code).toBe(0);
    expect(r.out.split("\n")).toHaveLength(2);
    const doc = JSON.parse(r.out) as Record<string, Record<string, unknown>>;
    expect(Object.keys(doc)).toEqual(["acquisition", "alerts", "decisions", "lapi", "lapi-bouncer", "lapi-decisions", "lapi-machine", "parsers", "scenarios", "stash"]);
    expect(doc.acquisition!["file:/var/log/auth.log"]).toEqual({ parsed: 11, pour: 40, reads: 13, unparsed: 2 });
    expect(doc["lapi-decisions"]).toEqual({ testbouncer: { NonEmpty: 1, Empty: 3 } });
    expectGolden("../metrics/cscli-metrics.golden.json", r.out);
  });

  test("-o raw: the same sections as YAML", async () => {
    const r = await run({ url: base, output: "raw" });
    expect(r.code).toBe(0);
    expectGolden("../metrics/cscli-metrics.golden.yaml", r.out);
  });

  test.each([
    { noUnit: false, want: "| file:/var/log/syslog | 1.23M      | 12.35k       | 999            | -                      |" },
    { noUnit: true, want: "| file:/var/log/syslog | 1234567    | 12345        | 999            | -                      |" },
  ])("numbers from 1000 up get cscli's units unless --no-unit ($noUnit)", async ({ noUnit, want }) => {
    const r = await run({ url: `${base}/big/metrics`, noUnit });
    expect(r.out.split("\n")).toContain(want);
  });

  test("an endpoint without CrowdSec metrics prints no table and says so on stderr", async () => {
    const r = await run({ url: `${base}/go-only/metrics` });
    expect(r).toEqual({ code: 0, out: "", err: `picket metrics: no CrowdSec metrics at "${base}/go-only/metrics"\n` });
  });

  test("an unreachable endpoint is an error (exit 3) with a hint", async () => {
    const r = await run({ url: `http://127.0.0.1:${closedPort}` });
    expect(r.code).toBe(3);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      `Cannot fetch metrics from "http://127.0.0.1:${closedPort}/metrics": connection refused\n` +
        "  hint: is picket (or crowdsec) running with prometheus enabled? Pass --url to scrape another address\n",
    );
  });

  test("an HTTP error status is an error (exit 3)", async () => {
    const r = await run({ url: `${base}/elsewhere/metrics` });
    expect(r.code).toBe(3);
    expect(r.err.split("\n")[0]).toBe(`Cannot fetch metrics from "${base}/elsewhere/metrics": HTTP 404 Not Found`);
  });

  test("a malformed exposition is an error (exit 3) naming the line", async () => {
    const r = await run({ url: `${base}/broken/metrics` });
    expect(r.code).toBe(3);
    expect(r.err).toBe(`${base}/broken/metrics:2:23: Invalid value "many"\n`);
  });

  test("an invalid --url is a usage error (exit 2)", async () => {
    const r = await run({ url: "ftp://127.0.0.1/metrics" });
    expect(r.code).toBe(2);
    expect(r.err).toBe('Invalid URL "ftp://127.0.0.1/metrics": only http and https can be scraped\n');
  });
});

describe("resolveMetricsUrl()", () => {
  const dir = mkdtempSync(join(tmpdir(), "picket-metrics-"));
  const config = (name: string, yaml: string) => {
    const file = join(dir, name);
    writeFileSync(file, yaml);
    return file;
  };
  const cases = [
    { what: "--url without a path gets /metrics", opts: { url: "http://127.0.0.1:6060" }, want: "http://127.0.0.1:6060/metrics" },
    { what: "--url without a scheme", opts: { url: "10.0.0.2:6061" }, want: "http://10.0.0.2:6061/metrics" },
    { what: "--url with its own path", opts: { url: "https://metrics.example/crowdsec/metrics" }, want: "https://metrics.example/crowdsec/metrics" },
    { what: "no config at all", opts: {}, want: "http://127.0.0.1:6060/metrics" },
    {
      what: "prometheus listen_addr and listen_port",
      opts: { config: config("listen.yaml", "prometheus:\n  enabled: true\n  level: full\n  listen_addr: 0.0.0.0\n  listen_port: 6070\n") },
      want: "http://0.0.0.0:6070/metrics",
    },
    { what: "an IPv6 listen_addr", opts: { config: config("v6.yaml", "prometheus:\n  enabled: true\n  listen_addr: '::1'\n") }, want: "http://[::1]:6060/metrics" },
    {
      what: "cscli.prometheus_uri wins over the listen address",
      opts: { config: config("uri.yaml", "cscli:\n  prometheus_uri: http://10.1.1.1:7000\nprometheus:\n  enabled: true\n  listen_port: 6070\n") },
      want: "http://10.1.1.1:7000/metrics",
    },
    {
      what: "--url wins over a config whose prometheus is disabled",
      opts: { url: "http://127.0.0.1:1", config: config("off1.yaml", "prometheus:\n  enabled: false\n") },
      want: "http://127.0.0.1:1/metrics",
    },
  ];
  test.each(cases)("$what", ({ opts, want }) => {
    const r = resolveMetricsUrl(opts, NO_CONFIG);
    expect(r.ok ? r.value : renderProblem(r.error)).toBe(want);
  });

  test.each([
    { yaml: "prometheus:\n  enabled: false\n", name: "off.yaml" },
    { yaml: "common:\n  log_level: info\n", name: "absent.yaml" },
  ])("a config whose prometheus is not enabled ($name) is an error, as in cscli", ({ yaml, name }) => {
    const file = config(name, yaml);
    const r = resolveMetricsUrl({ config: file }, NO_CONFIG);
    expect(r.ok ? r.value : renderProblem(r.error)).toBe(
      `${file} prometheus.enabled: Prometheus is not enabled, cannot show metrics\n  hint: set prometheus.enabled: true (and restart), or pass --url`,
    );
  });

  test("the default config is used when it exists", () => {
    const file = config("default.yaml", "prometheus:\n  enabled: true\n  listen_port: 6099\n");
    const r = resolveMetricsUrl({}, file);
    expect(r.ok ? r.value : renderProblem(r.error)).toBe("http://127.0.0.1:6099/metrics");
  });
});

describe("formatNumber()", () => {
  // as cscli's formatNumber (cmd/crowdsec-cli/utils.go): no "G" unit between M and T
  test.each([
    { n: 7, want: "7" },
    { n: 999, want: "999" },
    { n: 1000, want: "1.00k" },
    { n: 12345, want: "12.35k" },
    { n: 999999, want: "1000.00k" },
    { n: 1234567, want: "1.23M" },
    { n: 5e9, want: "5000.00M" },
    { n: 2.5e12, want: "2.50T" },
  ])("$n → $want", ({ n, want }) => {
    expect(formatNumber(n)).toBe(want);
  });
});
