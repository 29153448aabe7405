/**
 * Prometheus metrics without dependencies: a registry of counters, gauges and histograms with
 * labels, the text exposition format 0.0.4 (writer and parser), picket's metric set under
 * CrowdSec's names, and the `cscli metrics` summary of a scrape.
 *
 * Families are created once; hot paths take a child handle once and update it per event:
 *
 * ```ts
 * const metrics = createCrowdsecMetrics({ level: "full", version: pkg.version });
 * // load time, once per source / parser node / scenario
 * const read = metrics.sourceHits.file.labels("/var/log/auth.log");
 * const poured = metrics.bucketPoured.labels("/var/log/auth.log", "file", "crowdsecurity/ssh-bf");
 * // per event: one field update, no allocation
 * read.inc();
 * poured.inc();
 * // per scrape (GET /metrics)
 * setStoreGauges(metrics, await store.decisionCounts(), await store.alertCounts());
 * new Response(writeExposition(metrics.registry.collect()), { headers: { "content-type": EXPOSITION_CONTENT_TYPE } });
 * ```
 */

/** Families and their children; `MetricsRegistry.collect()` gives what `/metrics` shows. */
export {
  CounterChild,
  CounterFamily,
  GaugeChild,
  GaugeFamily,
  HistogramChild,
  HistogramFamily,
  MetricFamily,
  MetricsRegistry,
  type AnyFamily,
  type HistogramOptions,
  type LabelValues,
  type MetricOptions,
  type MetricType,
} from "./registry";
/** A scrape as data: families of samples (histograms as their `_bucket`/`_sum`/`_count` lines). */
export type { FamilyType, MetricFamilySnapshot, MetricSample } from "./snapshot";
/** Text exposition format 0.0.4, written. */
export { EXPOSITION_CONTENT_TYPE, escapeHelp, escapeLabelValue, writeExposition } from "./exposition";
/** Text exposition format 0.0.4, read back (problems carry line and column). */
export { parseExposition, type ParseExpositionOptions } from "./parse";
/** Numbers as the Go client writes them (`1e+06`, `0.005`, `+Inf`). */
export { formatGoFloat } from "./go-float";
/** picket's metric set with CrowdSec's names and labels, and helpers that fill it. */
export {
  createCrowdsecMetrics,
  recordSourceCounts,
  setStoreGauges,
  type CrowdsecMetrics,
  type CrowdsecMetricsOptions,
  type DecisionCount,
  type PrometheusLevel,
  type SourceCounts,
  type SourceHitsType,
} from "./crowdsec-metrics";
/** `cscli metrics`' sections computed from a scrape. */
export { summarizeMetrics, type AcquisitionColumn, type CscliMetrics, type ParserColumn, type ScenarioColumn } from "./cscli-summary";
