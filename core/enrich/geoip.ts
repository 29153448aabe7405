/**
 * GeoIpCity, GeoIpASN and IpToRange, as upstream pkg/parser/enrich_geoip.go with
 * geoip2-golang v1 and maxminddb-golang v1 underneath.
 *
 * The databases are read whole at load time (fs.readFileSync) so that lookups are synchronous.
 * A missing or unusable database is one Problem at load, and its enrichers then write nothing.
 */
import { readFileSync, statSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import ipaddr from "ipaddr.js";
import { Reader, type AsnResponse, type CityResponse, type Response } from "maxmind";
import { problem, type Problem } from "../result";
import type { EnrichErrorSink } from "./json";

export const CITY_DB_FILE = "GeoLite2-City.mmdb";
export const ASN_DB_FILE = "GeoLite2-ASN.mmdb";

/** Where the databases are: `dataDir` with upstream's file names, or explicit paths (which win). */
export interface GeoIpSources {
  readonly dataDir?: string;
  readonly cityFile?: string;
  readonly asnFile?: string;
}

export interface GeoIpDatabases {
  readonly city: Reader<CityResponse> | null;
  readonly asn: Reader<AsnResponse> | null;
}

// geoip2-golang's getDBType: City() works on these, ASN() on those; anything else is refused.
const CITY_TYPES = new Set([
  "DBIP-City-Lite",
  "DBIP-Country-Lite",
  "DBIP-Country",
  "DBIP-Location (compat=City)",
  "GeoLite2-City",
  "GeoIP2-City",
  "GeoIP2-City-Africa",
  "GeoIP2-City-Asia-Pacific",
  "GeoIP2-City-Europe",
  "GeoIP2-City-North-America",
  "GeoIP2-City-South-America",
  "GeoIP2-Precision-City",
  "GeoLite2-Country",
  "GeoIP2-Country",
  "DBIP-ISP (compat=Enterprise)",
  "DBIP-Location-ISP (compat=Enterprise)",
  "GeoIP2-Enterprise",
]);
const ASN_TYPES = new Set(["GeoLite2-ASN", "GeoIP2-ISP", "GeoIP2-Precision-ISP"]);

/** Decoded records by data offset: City records are large and the same few networks repeat. */
class RecordCache {
  private readonly map = new Map<string | number, unknown>();
  constructor(private readonly max: number) {}
  get(key: string | number): unknown {
    return this.map.get(key);
  }
  set(key: string | number, value: unknown): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
  }
}

const RECORD_CACHE_SIZE = 4096;

// GeoLite2-City is ~60 MB: engines built one after another (hubtest runs one per test) share
// the reader of an unchanged file instead of reading it again.
const openedReaders = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly reader: Reader<Response> }>();

function openDatabase<T extends CityResponse | AsnResponse>(
  path: string,
  types: ReadonlySet<string>,
  disables: string,
  problems: Problem[],
): Reader<T> | null {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    const opened = openedReaders.get(path);
    if (opened !== undefined && opened.mtimeMs === st.mtimeMs && opened.size === st.size && types.has(opened.reader.metadata.databaseType)) {
      return opened.reader as Reader<T>;
    }
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    problems.push(
      problem(
        code === "ENOENT" ? "enrich.geoip-missing" : "enrich.geoip-unreadable",
        `Cannot open GeoIP database "${path}": ${code === "ENOENT" ? "file not found" : (e as Error).message}; ${disables} write nothing`,
        { file: path, hint: "install the data files of crowdsecurity/geoip-enrich into the data directory" },
      ),
    );
    return null;
  }
  let reader: Reader<T>;
  try {
    reader = new Reader<T>(bytes, { cache: new RecordCache(RECORD_CACHE_SIZE) });
  } catch (e) {
    problems.push(
      problem("enrich.geoip-invalid", `Cannot read GeoIP database "${path}": ${(e as Error).message}; ${disables} write nothing`, {
        file: path,
      }),
    );
    return null;
  }
  if (!types.has(reader.metadata.databaseType)) {
    problems.push(
      problem(
        "enrich.geoip-type",
        `Cannot use GeoIP database "${path}": type "${reader.metadata.databaseType}" is not supported here; ${disables} write nothing`,
        { file: path },
      ),
    );
    return null;
  }
  const st = statSync(path);
  openedReaders.set(path, { mtimeMs: st.mtimeMs, size: st.size, reader: reader as Reader<Response> });
  return reader;
}

/** Opens the City and ASN databases; each one that cannot be used is one problem, not a failure. */
export function openGeoIp(sources: GeoIpSources): { databases: GeoIpDatabases; problems: Problem[] } {
  const problems: Problem[] = [];
  const cityPath = sources.cityFile ?? (sources.dataDir !== undefined ? join(sources.dataDir, CITY_DB_FILE) : undefined);
  const asnPath = sources.asnFile ?? (sources.dataDir !== undefined ? join(sources.dataDir, ASN_DB_FILE) : undefined);
  const city = cityPath === undefined ? null : openDatabase<CityResponse>(cityPath, CITY_TYPES, "GeoIpCity", problems);
  const asn = asnPath === undefined ? null : openDatabase<AsnResponse>(asnPath, ASN_TYPES, "GeoIpASN and IpToRange", problems);
  return { databases: { city, asn }, problems };
}

/**
 * An address as Go's net.ParseIP + To4 sees it: dotted IPv4 (also for ::ffff:a.b.c.d), canonical
 * IPv6 otherwise; null when Go would not parse it (zones, leading zeros, garbage).
 */
function lookupAddress(value: string): { ip: string; v4: boolean } | null {
  const family = isIP(value);
  if (family === 4) return { ip: value, v4: true };
  if (family !== 6 || value.includes("%")) return null;
  const parsed = ipaddr.IPv6.parse(value);
  if (parsed.isIPv4MappedAddress()) return { ip: parsed.toIPv4Address().toString(), v4: true };
  return { ip: value, v4: false };
}

/** Go's fmt "%f": six decimals, ties to even on the exact binary value, "-0.000000" for -0. */
export function formatGoFloat(x: number): string {
  if (Object.is(x, -0)) return "-0.000000";
  const fixed = x.toFixed(6);
  // toFixed rounds an exact tie away from zero; Go rounds it to even. A tie needs the exact
  // value to end in a 5 at the 7th decimal, which toFixed(7) shows and toFixed(30) confirms.
  const seven = x.toFixed(7);
  if (seven.endsWith("5") && /^0*$/.test(x.toFixed(30).slice(seven.length))) {
    const lastKept = seven.charCodeAt(seven.length - 2) - 48;
    if (lastKept % 2 === 0) return seven.slice(0, -1);
  }
  return fixed;
}

function isoCodeOf(r: CityResponse | null): { code: string; eu: boolean } {
  if (r?.country?.iso_code) return { code: r.country.iso_code, eu: r.country.is_in_european_union === true };
  if (r?.registered_country?.iso_code) {
    return { code: r.registered_country.iso_code, eu: r.registered_country.is_in_european_union === true };
  }
  if (r?.represented_country?.iso_code) {
    return { code: r.represented_country.iso_code, eu: r.represented_country.is_in_european_union === true };
  }
  return { code: "", eu: false };
}

/**
 * Answers by address text, bounded (least recently used out first): the same sources come back line after
 * line, and an answer depends only on the text and the database. The answers are frozen, as
 * every caller gets the same object.
 */
class AnswerCache {
  private readonly map = new Map<string, Readonly<Record<string, string>> | null>();
  constructor(private readonly max: number) {}
  /** A hit moves to the young end (least recently used goes first). */
  get(key: string): Readonly<Record<string, string>> | null | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: Record<string, string> | null): Readonly<Record<string, string>> | null {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    const frozen = value === null ? null : Object.freeze(value);
    this.map.set(key, frozen);
    return frozen;
  }
}

const ANSWER_CACHE_SIZE = 16384;

/**
 * One GeoIP enricher: the answer per address text, cached. Go: ParseIP gives nil (or an IPv6
 * address meets an IPv4-only database), the lookup errors, the enricher logs at debug and writes
 * nothing. Otherwise a miss is geoip2's zero struct, which `fields` turns into zero values.
 */
function cachedLookup<R extends Response>(db: Reader<R> | null, fields: (record: R | null) => Record<string, string>): (value: string) => Readonly<Record<string, string>> | null {
  const cache = new AnswerCache(ANSWER_CACHE_SIZE);
  return (value) => {
    if (value === "" || db === null) return null;
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const addr = lookupAddress(value);
    if (addr === null || (!addr.v4 && db.metadata.ipVersion === 4)) return cache.set(value, null);
    return cache.set(value, fields(db.get(addr.ip)));
  };
}

/** `GeoIpCity`: IsoCode, IsInEU, Latitude, Longitude (a miss: IsoCode "" and coordinates 0). */
export function createGeoIpCity(db: Reader<CityResponse> | null) {
  return cachedLookup(db, (record) => {
    const iso = isoCodeOf(record);
    return {
      IsoCode: iso.code,
      IsInEU: iso.eu ? "true" : "false",
      Latitude: formatGoFloat(record?.location?.latitude ?? 0),
      Longitude: formatGoFloat(record?.location?.longitude ?? 0),
    };
  });
}

/** `GeoIpASN`: ASNNumber, ASNumber (legacy copy), ASNOrg (a miss: number "0", organisation ""). */
export function createGeoIpAsn(db: Reader<AsnResponse> | null) {
  return cachedLookup(db, (record) => {
    const asn = String(record?.autonomous_system_number ?? 0);
    return { ASNNumber: asn, ASNumber: asn, ASNOrg: record?.autonomous_system_organization ?? "" };
  });
}

function ipv4Network(ip: string, prefix: number): string {
  const parts = ip.split(".");
  const n = ((+parts[0]! << 24) | (+parts[1]! << 16) | (+parts[2]! << 8) | +parts[3]!) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${prefix}`;
}

function ipv6Network(ip: string, prefix: number): string {
  const bytes = ipaddr.IPv6.parse(ip).toByteArray();
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix}`;
}

/** `IpToRange`: SourceRange, the ASN database's network that holds the address. */
export function createIpToRange(db: Reader<AsnResponse> | null, onError: EnrichErrorSink) {
  const cache = new AnswerCache(ANSWER_CACHE_SIZE);
  return function IpToRange(value: string): Readonly<Record<string, string>> | null {
    if (value === "" || db === null) return null;
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const addr = lookupAddress(value);
    if (addr === null || (!addr.v4 && db.metadata.ipVersion === 4)) {
      // the only GeoIP failure upstream logs at error level, each time: not cached
      onError("IpToRange", `Unable to enrich ip '${value}'`);
      return null;
    }
    const [record, prefix] = db.getWithPrefixLength(addr.ip);
    if (record === null) return cache.set(value, null);
    return cache.set(value, { SourceRange: addr.v4 ? ipv4Network(addr.ip, prefix) : ipv6Network(addr.ip, prefix) });
  };
}
