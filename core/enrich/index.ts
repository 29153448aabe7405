/**
 * Parser enrichers (`method:` of statics) as CrowdSec runs them — ParseDate, GeoIpCity, GeoIpASN,
 * IpToRange, reverse_dns, UnmarshalJSON — and the Go time layouts they rest on, which the parser
 * pipeline, buckets and replay reuse.
 */
export { createEnrichers, type Enricher, type Enrichers, type EnrichersOptions } from "./enrichers";
export type { EnrichErrorSink } from "./json";
export type { ReverseDnsOptions, ReverseResolver } from "./rdns";
export { parseStrTime, type StrTimeParse } from "./date";
export { compileGoLayout } from "./go-parse";
export {
  parseGoTime,
  formatRfc3339,
  marshalGoTime,
  goTimeFromEpochMs,
  goTimeToEpochMs,
  toGoTime,
  type GoLayout,
  type GoParseOptions,
  type GoTimeValue,
} from "./go-time";
export { findGeoipFiles } from "./geoip-files";
