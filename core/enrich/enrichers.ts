/**
 * The enricher registry: the `method:` names upstream pkg/parser/enrich.go registers, built once
 * at load time with their databases, clock and resolver.
 */
import type { Event } from "../event";
import type { Problem } from "../result";
import { createParseDate } from "./date";
import { createGeoIpAsn, createGeoIpCity, createIpToRange, openGeoIp } from "./geoip";
import { createUnmarshalJson, type EnrichErrorSink } from "./json";
import { createReverseDns, type ReverseDnsOptions } from "./rdns";

/**
 * One `method:`: called with the static's value; every returned key is written into
 * evt.Enriched. null (or {}) writes nothing.
 */
export type Enricher = (value: string, evt: Event) => Readonly<Record<string, string>> | null;

export interface EnrichersOptions {
  /** Directory holding GeoLite2-City.mmdb and GeoLite2-ASN.mmdb (the hub data dir). */
  readonly dataDir?: string;
  /** Explicit database paths; each wins over dataDir. */
  readonly geoipFiles?: { readonly city?: string; readonly asn?: string };
  /** Wall clock, ms since epoch: "now" fallback of ParseDate and the year of yearless dates. */
  readonly now?: () => number;
  /** reverse_dns: resolver, timeout, cache bounds. */
  readonly reverseDns?: ReverseDnsOptions;
  /** Failures upstream logs at error level (invalid JSON for UnmarshalJSON, bad IP for IpToRange). */
  readonly onError?: EnrichErrorSink;
}

export interface Enrichers {
  readonly enrichers: ReadonlyMap<string, Enricher>;
  /** Load-time problems (an unusable GeoIP database); the enrichers concerned write nothing. */
  readonly problems: Problem[];
}

const ignoreErrors: EnrichErrorSink = () => {};

/** Builds every enricher upstream registers, in its order. */
export function createEnrichers(opts: EnrichersOptions = {}): Enrichers {
  const now = opts.now ?? Date.now;
  const onError = opts.onError ?? ignoreErrors;
  const geo = openGeoIp({ dataDir: opts.dataDir, cityFile: opts.geoipFiles?.city, asnFile: opts.geoipFiles?.asn });
  const enrichers = new Map<string, Enricher>([
    ["GeoIpCity", createGeoIpCity(geo.databases.city)],
    ["GeoIpASN", createGeoIpAsn(geo.databases.asn)],
    ["IpToRange", createIpToRange(geo.databases.asn, onError)],
    ["reverse_dns", createReverseDns({ now, ...opts.reverseDns })],
    ["ParseDate", createParseDate(now)],
    ["UnmarshalJSON", createUnmarshalJson(onError)],
  ]);
  return { enrichers, problems: geo.problems };
}
