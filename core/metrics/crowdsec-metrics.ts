/**
 * picket's metric set, with CrowdSec's names, label names and help texts, so dashboards and
 * `cscli metrics` read picket's `/metrics` unchanged. Labels are those of CrowdSec 1.4.6 (the
 * Debian release): upstream later added `datasource_type`/`acquis_type`/`stage`, which no
 * cscli table reads. The families are created here; the stages that count take a child
 * handle once (per source, per node, per scenario) and update it per event.
 */
import { CounterFamily, GaugeFamily, HistogramFamily, MetricsRegistry, type AnyFamily } from "./registry";

/** `prometheus.level` of config.yaml (CONFIG.md §2.8). */
export type PrometheusLevel = "full" | "aggregated" | "none";

/** Datasources whose lines-read counter is labelled by `source` alone. */
export type SourceHitsType = "file" | "journalctl" | "syslog" | "docker" | "loki" | "victorialogs" | "wineventlog" | "k8s-audit";

type Source = readonly ["source"];
type SourceType = readonly ["source", "type"];
type SourceTypeName = readonly ["source", "type", "name"];
type Name = readonly ["name"];

export interface CrowdsecMetrics {
  /** Holds the families the configured level exposes; the others still count, unseen. */
  readonly registry: MetricsRegistry;
  readonly level: PrometheusLevel;
  /** `cs_<type>source_hits_total{source}`: lines read, per datasource type (pkg/acquisition/modules). */
  readonly sourceHits: Readonly<Record<SourceHitsType, CounterFamily<Source>>>;
  /** `cs_syslogsource_parsed_total{source,type}`: datagrams parsed, `type` rfc3164 or rfc5424. */
  readonly syslogParsed: CounterFamily<SourceType>;
  /** `cs_kafkasource_hits_total{topic}`. */
  readonly kafkaHits: CounterFamily<readonly ["topic"]>;
  /** `cs_parser_hits_total{source,type}`: lines that entered the parsers; `type` is the datasource type ("file"). */
  readonly parserHits: CounterFamily<SourceType>;
  readonly parserHitsOk: CounterFamily<SourceType>;
  readonly parserHitsKo: CounterFamily<SourceType>;
  /** `cs_node_hits_total{source,type,name}`: per parser node (`child-<parent>` for unnamed children). */
  readonly nodeHits: CounterFamily<SourceTypeName>;
  readonly nodeHitsOk: CounterFamily<SourceTypeName>;
  readonly nodeHitsKo: CounterFamily<SourceTypeName>;
  /** `cs_parsing_time_seconds{type,source}`. */
  readonly parsingSeconds: HistogramFamily<readonly ["type", "source"]>;
  /** `cs_bucket_pour_seconds{type,source}`. */
  readonly pourSeconds: HistogramFamily<readonly ["type", "source"]>;
  /** `cs_bucket_pour_ok_total` / `_ko_total`: events poured in at least one bucket, or in none. */
  readonly bucketPourOk: CounterFamily;
  readonly bucketPourKo: CounterFamily;
  /** `cs_bucket_poured_total{source,type,name}`: events poured, per scenario and source. */
  readonly bucketPoured: CounterFamily<SourceTypeName>;
  /** `cs_bucket_created_total{name}` (upstream now `cs_bucket_instantiation_total`; `picket metrics` reads both). */
  readonly bucketCreated: CounterFamily<Name>;
  readonly bucketOverflowed: CounterFamily<Name>;
  /** Expired without overflowing ("Expired" in `cscli metrics`). */
  readonly bucketUnderflowed: CounterFamily<Name>;
  readonly bucketCanceled: CounterFamily<Name>;
  /** `cs_buckets{name}`: live buckets per scenario. */
  readonly buckets: GaugeFamily<Name>;
  /** `cs_lapi_route_requests_total{route,method}`. */
  readonly lapiRouteRequests: CounterFamily<readonly ["route", "method"]>;
  readonly lapiMachineRequests: CounterFamily<readonly ["machine", "route", "method"]>;
  readonly lapiBouncerRequests: CounterFamily<readonly ["bouncer", "route", "method"]>;
  /** `cs_lapi_decisions_ko_total{bouncer}`: `/decisions` answers that were empty (`null`). */
  readonly lapiDecisionsKo: CounterFamily<readonly ["bouncer"]>;
  readonly lapiDecisionsOk: CounterFamily<readonly ["bouncer"]>;
  /** `cs_lapi_request_duration_seconds{endpoint,method}`. */
  readonly lapiRequestSeconds: HistogramFamily<readonly ["endpoint", "method"]>;
  /** `cs_active_decisions{reason,origin,action}`, recomputed from the store before each scrape. */
  readonly activeDecisions: GaugeFamily<readonly ["reason", "origin", "action"]>;
  /** `cs_alerts{reason}`: alerts in the store, CAPI's excluded. */
  readonly alerts: GaugeFamily<readonly ["reason"]>;
  /** `cs_info{version}`; its value stays 0, as upstream's. */
  readonly info: GaugeFamily;
  /** `cs_cache_size{name,type}`: entries per stash cache (upstream; "Parser Stash Metrics"). */
  readonly cacheSize: GaugeFamily<readonly ["name", "type"]>;
}

export interface CrowdsecMetricsOptions {
  /** Default "full". */
  readonly level?: PrometheusLevel;
  /** The `version` label of `cs_info`. */
  readonly version: string;
}

// Bucket bounds as upstream's histograms (cmd/crowdsec/metrics.go, controllers/v1/metrics.go).
const PARSING_BUCKETS = [0.0005, 0.001, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0075, 0.01];
const POUR_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05];
const LAPI_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1];

const SOURCE_HITS: Readonly<Record<SourceHitsType, { readonly name: string; readonly help: string }>> = {
  file: { name: "cs_filesource_hits_total", help: "Total lines that were read." },
  journalctl: { name: "cs_journalctlsource_hits_total", help: "Total lines that were read." },
  syslog: { name: "cs_syslogsource_hits_total", help: "Total lines that were received." },
  docker: { name: "cs_dockersource_hits_total", help: "Total lines that were read." },
  loki: { name: "cs_lokisource_hits_total", help: "Total lines that were read." },
  victorialogs: { name: "cs_victorialogssource_hits_total", help: "Total lines that were read." },
  wineventlog: { name: "cs_winevtlogsource_hits_total", help: "Total event that were read." },
  "k8s-audit": { name: "cs_k8sauditsource_hits_total", help: "Total number of events received by k8s-audit source" },
};

/** Every family of picket's metric set; the level decides which the registry exposes. */
export function createCrowdsecMetrics(options: CrowdsecMetricsOptions): CrowdsecMetrics {
  const level = options.level ?? "full";
  const sourceHits = {} as Record<SourceHitsType, CounterFamily<Source>>;
  for (const type of Object.keys(SOURCE_HITS) as SourceHitsType[]) {
    sourceHits[type] = new CounterFamily({ ...SOURCE_HITS[type], labels: ["source"] as const });
  }
  const sourceType = ["source", "type"] as const;
  const sourceTypeName = ["source", "type", "name"] as const;
  const name = ["name"] as const;
  const m = {
    level,
    sourceHits,
    syslogParsed: new CounterFamily({ name: "cs_syslogsource_parsed_total", help: "Total lines that were successfully parsed", labels: sourceType }),
    kafkaHits: new CounterFamily({ name: "cs_kafkasource_hits_total", help: "Total lines that were read from topic", labels: ["topic"] as const }),
    parserHits: new CounterFamily({ name: "cs_parser_hits_total", help: "Total events entered the parser.", labels: sourceType }),
    parserHitsOk: new CounterFamily({ name: "cs_parser_hits_ok_total", help: "Total events were successfully parsed.", labels: sourceType }),
    parserHitsKo: new CounterFamily({ name: "cs_parser_hits_ko_total", help: "Total events were unsuccessfully parsed.", labels: sourceType }),
    nodeHits: new CounterFamily({ name: "cs_node_hits_total", help: "Total events entered node.", labels: sourceTypeName }),
    nodeHitsOk: new CounterFamily({ name: "cs_node_hits_ok_total", help: "Total events successfully exited node.", labels: sourceTypeName }),
    nodeHitsKo: new CounterFamily({ name: "cs_node_hits_ko_total", help: "Total events unsuccessfully exited node.", labels: sourceTypeName }),
    parsingSeconds: new HistogramFamily({ name: "cs_parsing_time_seconds", help: "Time spent parsing a line", labels: ["type", "source"] as const, buckets: PARSING_BUCKETS }),
    pourSeconds: new HistogramFamily({ name: "cs_bucket_pour_seconds", help: "Time spent pouring an event to buckets.", labels: ["type", "source"] as const, buckets: POUR_BUCKETS }),
    bucketPourOk: new CounterFamily({ name: "cs_bucket_pour_ok_total", help: "Total events were poured in at least one bucket." }),
    bucketPourKo: new CounterFamily({ name: "cs_bucket_pour_ko_total", help: "Total events were not poured in a bucket." }),
    bucketPoured: new CounterFamily({ name: "cs_bucket_poured_total", help: "Total events were poured in bucket.", labels: sourceTypeName }),
    bucketCreated: new CounterFamily({ name: "cs_bucket_created_total", help: "Total buckets were instantiated.", labels: name }),
    bucketOverflowed: new CounterFamily({ name: "cs_bucket_overflowed_total", help: "Total buckets overflowed.", labels: name }),
    bucketUnderflowed: new CounterFamily({ name: "cs_bucket_underflowed_total", help: "Total buckets underflowed.", labels: name }),
    bucketCanceled: new CounterFamily({ name: "cs_bucket_canceled_total", help: "Total buckets canceled.", labels: name }),
    buckets: new GaugeFamily({ name: "cs_buckets", help: "Number of buckets that currently exist.", labels: name }),
    lapiRouteRequests: new CounterFamily({ name: "cs_lapi_route_requests_total", help: "Number of calls to each route per method.", labels: ["route", "method"] as const }),
    lapiMachineRequests: new CounterFamily({
      name: "cs_lapi_machine_requests_total",
      help: "Number of calls to each route per method grouped by machines.",
      labels: ["machine", "route", "method"] as const,
    }),
    lapiBouncerRequests: new CounterFamily({
      name: "cs_lapi_bouncer_requests_total",
      help: "Number of calls to each route per method grouped by bouncers.",
      labels: ["bouncer", "route", "method"] as const,
    }),
    lapiDecisionsKo: new CounterFamily({ name: "cs_lapi_decisions_ko_total", help: "Number of calls to /decisions that returned nil result.", labels: ["bouncer"] as const }),
    lapiDecisionsOk: new CounterFamily({ name: "cs_lapi_decisions_ok_total", help: "Number of calls to /decisions that returned non-nil result.", labels: ["bouncer"] as const }),
    lapiRequestSeconds: new HistogramFamily({ name: "cs_lapi_request_duration_seconds", help: "Response time of LAPI", labels: ["endpoint", "method"] as const, buckets: LAPI_BUCKETS }),
    activeDecisions: new GaugeFamily({ name: "cs_active_decisions", help: "Number of active decisions.", labels: ["reason", "origin", "action"] as const }),
    alerts: new GaugeFamily({ name: "cs_alerts", help: "Number of alerts (excluding CAPI).", labels: ["reason"] as const }),
    info: new GaugeFamily({ name: "cs_info", help: "Information about Crowdsec.", constLabels: { version: options.version } }),
    cacheSize: new GaugeFamily({ name: "cs_cache_size", help: "Entries per cache.", labels: ["name", "type"] as const }),
  };
  const registry = new MetricsRegistry();
  if (level !== "none") {
    // As upstream pkg/metrics RegisterMetrics: "aggregated" leaves out everything labelled per
    // node, scenario-and-source, machine or bouncer, to keep the cardinality low.
    const aggregated: AnyFamily[] = [
      m.parserHits, m.parserHitsOk, m.parserHitsKo, m.info, m.parsingSeconds, m.pourSeconds,
      m.bucketUnderflowed, m.bucketCanceled, m.bucketCreated, m.bucketOverflowed, m.lapiRouteRequests, m.buckets, m.cacheSize,
    ];
    const fullOnly: AnyFamily[] = [
      m.nodeHits, m.nodeHitsOk, m.nodeHitsKo, m.lapiMachineRequests, m.lapiBouncerRequests, m.lapiDecisionsKo, m.lapiDecisionsOk,
      m.lapiRequestSeconds, m.bucketPoured, m.activeDecisions, m.alerts,
    ];
    // Datasources register their counters at either level (GetMetrics / GetAggregMetrics).
    const sources: AnyFamily[] = [...Object.values(sourceHits), m.syslogParsed, m.kafkaHits];
    for (const f of [...aggregated, ...(level === "full" ? fullOnly : []), ...sources]) registry.register(f);
  }
  return { ...m, registry };
}

/** Per-source counts as the replay engine keeps them (core/replay SourceStats). */
export interface SourceCounts {
  readonly read: number;
  readonly parsed: number;
  readonly unparsed: number;
}

/**
 * Adds a finished run's per-source counts: lines read (`cs_<type>source_hits_total`) and the
 * parser totals (`cs_parser_hits*_total`), `type` being the datasource type as upstream labels it.
 */
export function recordSourceCounts(metrics: CrowdsecMetrics, counts: ReadonlyMap<string, SourceCounts>, datasource: SourceHitsType = "file"): void {
  for (const [source, c] of counts) {
    metrics.sourceHits[datasource].labels(source).inc(c.read);
    metrics.parserHits.labels(source, datasource).inc(c.read);
    metrics.parserHitsOk.labels(source, datasource).inc(c.parsed);
    metrics.parserHitsKo.labels(source, datasource).inc(c.unparsed);
  }
}

/** One row of the store's decision count per scenario (QueryDecisionCountByScenario upstream). */
export interface DecisionCount {
  readonly scenario: string;
  readonly origin: string;
  /** The decision type: ban, captcha… */
  readonly action: string;
  readonly count: number;
}

/** Replaces `cs_active_decisions` and `cs_alerts` by the store's current counts, as upstream does before each scrape. */
export function setStoreGauges(metrics: CrowdsecMetrics, decisions: Iterable<DecisionCount>, alertsPerScenario: Iterable<readonly [string, number]>): void {
  metrics.activeDecisions.reset();
  for (const d of decisions) metrics.activeDecisions.labels(d.scenario, d.origin, d.action).set(d.count);
  metrics.alerts.reset();
  for (const [reason, count] of alertsPerScenario) metrics.alerts.labels(reason).set(count);
}
