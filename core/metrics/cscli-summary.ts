/**
 * What `cscli metrics` makes of a scrape: the `cs_*` families summed into per-source,
 * per-scenario, per-parser and Local API sections (cmd/crowdsec-cli/metrics.go, 1.4.6; the
 * section names are upstream's `-o json` keys). Values are truncated to integers, as cscli's.
 */
import type { MetricFamilySnapshot } from "./snapshot";

export type AcquisitionColumn = "reads" | "parsed" | "unparsed" | "pour";
export type ScenarioColumn = "curr_count" | "overflow" | "instantiation" | "pour" | "underflow";
export type ParserColumn = "hits" | "parsed" | "unparsed";

type Counts<K extends string> = Partial<Record<K, number>>;
type ByKey<V> = Record<string, V>;

export interface CscliMetrics {
  /** `type:source` → lines read, parsed, unparsed, poured to buckets. */
  readonly acquisition: ByKey<Counts<AcquisitionColumn>>;
  /** Scenario → current buckets, overflows, instantiations, pours, underflows ("Expired"). */
  readonly scenarios: ByKey<Counts<ScenarioColumn>>;
  /** Parser node → hits, parsed, unparsed. */
  readonly parsers: ByKey<Counts<ParserColumn>>;
  /** Stash cache → its type and entry count (upstream's "Parser Stash Metrics"). */
  readonly stash: ByKey<{ Type: string; Count: number }>;
  /** Route → method → requests. */
  readonly lapi: ByKey<ByKey<number>>;
  /** Machine → route → method → requests. */
  readonly "lapi-machine": ByKey<ByKey<ByKey<number>>>;
  /** Bouncer → route → method → requests. */
  readonly "lapi-bouncer": ByKey<ByKey<ByKey<number>>>;
  /** Bouncer → `/decisions` answers with and without decisions. */
  readonly "lapi-decisions": ByKey<{ NonEmpty: number; Empty: number }>;
  /** Scenario (reason) → origin → action → active decisions. */
  readonly decisions: ByKey<ByKey<ByKey<number>>>;
  /** Scenario (reason) → alerts. */
  readonly alerts: ByKey<number>;
}

// Objects without a prototype: label values come from the scraped endpoint, "__proto__" included.
const dict = <V>(): ByKey<V> => Object.create(null) as ByKey<V>;
const at = <V>(map: ByKey<V>, key: string, make: () => V): V => (map[key] ??= make());

/** Sums the `cs_*` samples the way cscli does; other families are ignored. */
export function summarizeMetrics(families: readonly MetricFamilySnapshot[]): CscliMetrics {
  const m: CscliMetrics = {
    acquisition: dict(),
    scenarios: dict(),
    parsers: dict(),
    stash: dict(),
    lapi: dict(),
    "lapi-machine": dict(),
    "lapi-bouncer": dict(),
    "lapi-decisions": dict(),
    decisions: dict(),
    alerts: dict(),
  };
  const add = <K extends string>(map: ByKey<Counts<K>>, key: string, column: K, value: number) => {
    const row = at<Counts<K>>(map, key, () => Object.create(null) as Counts<K>);
    row[column] = (row[column] ?? 0) + value;
  };
  for (const family of families) {
    if (!family.name.startsWith("cs_")) continue;
    for (const sample of family.samples) {
      const l = sample.labels;
      const name = l.name ?? "";
      // as cscli: the acquisition key is "<datasource type>:<source>"
      const source = l.source === undefined ? "" : l.type === undefined ? l.source : `${l.type}:${l.source}`;
      const route = l.route ?? "";
      const method = l.method ?? "";
      const value = Number.isFinite(sample.value) ? Math.trunc(sample.value) : 0;
      switch (family.name) {
        case "cs_bucket_created_total":
        case "cs_bucket_instantiation_total":
          add(m.scenarios, name, "instantiation", value);
          break;
        case "cs_buckets":
          add(m.scenarios, name, "curr_count", value);
          break;
        case "cs_bucket_overflowed_total":
          add(m.scenarios, name, "overflow", value);
          break;
        case "cs_bucket_poured_total":
          add(m.scenarios, name, "pour", value);
          add(m.acquisition, source, "pour", value);
          break;
        case "cs_bucket_underflowed_total":
          add(m.scenarios, name, "underflow", value);
          break;
        case "cs_parser_hits_total":
          add(m.acquisition, source, "reads", value);
          break;
        case "cs_parser_hits_ok_total":
          add(m.acquisition, source, "parsed", value);
          break;
        case "cs_parser_hits_ko_total":
          add(m.acquisition, source, "unparsed", value);
          break;
        case "cs_node_hits_total":
          add(m.parsers, name, "hits", value);
          break;
        case "cs_node_hits_ok_total":
          add(m.parsers, name, "parsed", value);
          break;
        case "cs_node_hits_ko_total":
          add(m.parsers, name, "unparsed", value);
          break;
        case "cs_cache_size":
          m.stash[name] = { Type: l.type ?? "", Count: value };
          break;
        case "cs_lapi_route_requests_total": {
          const methods = at(m.lapi, route, dict<number>);
          methods[method] = (methods[method] ?? 0) + value;
          break;
        }
        case "cs_lapi_machine_requests_total":
        case "cs_lapi_bouncer_requests_total": {
          const table = family.name === "cs_lapi_machine_requests_total" ? m["lapi-machine"] : m["lapi-bouncer"];
          const who = (family.name === "cs_lapi_machine_requests_total" ? l.machine : l.bouncer) ?? "";
          const methods = at(at(table, who, dict<ByKey<number>>), route, dict<number>);
          methods[method] = (methods[method] ?? 0) + value;
          break;
        }
        case "cs_lapi_decisions_ko_total":
        case "cs_lapi_decisions_ok_total": {
          const row = at(m["lapi-decisions"], l.bouncer ?? "", () => ({ NonEmpty: 0, Empty: 0 }));
          if (family.name === "cs_lapi_decisions_ko_total") row.Empty += value;
          else row.NonEmpty += value;
          break;
        }
        case "cs_active_decisions": {
          const actions = at(at(m.decisions, l.reason ?? "", dict<ByKey<number>>), l.origin ?? "", dict<number>);
          const action = l.action ?? "";
          actions[action] = (actions[action] ?? 0) + value;
          break;
        }
        case "cs_alerts": {
          const reason = l.reason ?? "";
          m.alerts[reason] = (m.alerts[reason] ?? 0) + value;
          break;
        }
        default:
          break;
      }
    }
  }
  return m;
}
