/**
 * Network helpers (upstream helpers.go): IpInRange, IsIP*, IpToRange, LookupHost, Distance.
 * GeoIP helpers are not here: they need mmdb readers the helper context does not carry.
 */
import { ExprRuntimeError } from "../errors";
import { asString } from "./args";
import { goParseFloat } from "./strings";
import { goCIDRContains, goPrefixString, isV4Mapped, parseGoAddr, parseGoCIDR, parseGoIP, type GoIPNet } from "../../net";
import type { HelperDef } from "./types";

// Whitelists loop one IP over every line of a CIDR file (up to ~1000 lines in hub data).
const CIDR_CACHE_SIZE = 4096;

const ATOI = /^[+-]?\d+$/;

/** Haversine distance in km on a 6371 km sphere, as github.com/umahmood/haversine computes it. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = (d: number): number => (d * Math.PI) / 180;
  const la1 = rad(lat1);
  const lo1 = rad(lon1);
  const la2 = rad(lat2);
  const lo2 = rad(lon2);
  const a = Math.sin((la2 - la1) / 2) ** 2 + Math.cos(la1) * Math.cos(la2) * Math.sin((lo2 - lo1) / 2) ** 2;
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * 6371;
}

function coordinate(name: string, v: unknown): number {
  const text = asString(v);
  const f = goParseFloat(text);
  if (f === undefined) {
    throw new ExprRuntimeError(`${name} is not a float : strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  }
  return f;
}

export const NET_HELPERS: readonly HelperDef[] = [
  {
    name: "IpInRange",
    signatures: ["func(string, string) bool"],
    pure: true,
    rangeMembership: true,
    make: () => {
      // CIDRs are nearly always constants: keep their parse, bounded in case they are not.
      const cidrs = new Map<string, GoIPNet | null>();
      let lastIp = "";
      let lastAddr: Uint8Array | undefined;
      return (ip, range) => {
        const ipText = asString(ip);
        const text = asString(range);
        if (ipText !== lastIp || lastAddr === undefined) {
          lastIp = ipText;
          lastAddr = parseGoIP(ipText);
        }
        const addr = lastAddr;
        if (!addr) return false;
        let net = cidrs.get(text);
        if (net === undefined) {
          net = parseGoCIDR(text) ?? null;
          if (cidrs.size >= CIDR_CACHE_SIZE) cidrs.clear();
          cidrs.set(text, net);
        }
        return net !== null && goCIDRContains(net, addr);
      };
    },
  },
  {
    name: "IsIPV4",
    signatures: ["func(string) bool"],
    make: () => (ip) => {
      const addr = parseGoIP(asString(ip));
      return addr !== undefined && isV4Mapped(addr);
    },
  },
  {
    name: "IsIPV6",
    signatures: ["func(string) bool"],
    make: () => (ip) => {
      const addr = parseGoIP(asString(ip));
      return addr !== undefined && !isV4Mapped(addr);
    },
  },
  {
    name: "IsIP",
    signatures: ["func(string) bool"],
    make: () => (ip) => parseGoIP(asString(ip)) !== undefined,
  },
  {
    name: "IpToRange",
    signatures: ["func(string, string) string"],
    make: (ctx) => (ip, cidr) => {
      const ipText = asString(ip);
      let maskText = asString(cidr);
      if (maskText.startsWith("/")) maskText = maskText.slice(1);
      if (!ATOI.test(maskText)) {
        ctx.warn?.(`bad cidr '${maskText}'`);
        return "";
      }
      const addr = parseGoAddr(ipText);
      if (!addr) {
        ctx.warn?.(`can't parse IP address '${ipText}'`);
        return "";
      }
      const bits = Number(maskText);
      const prefix = goPrefixString(addr, bits);
      if (typeof prefix !== "string") {
        ctx.warn?.(`can't create prefix from IP address '${ipText}' and mask '${bits}': ${prefix.error}`);
        return "";
      }
      return prefix;
    },
  },
  {
    // No synchronous DNS exists here: an IP literal answers itself (as net.LookupHost does);
    // names go through the context's resolver when there is one, else resolve to nothing.
    name: "LookupHost",
    signatures: ["func(string) []string"],
    make: (ctx) => (host) => {
      const name = asString(host);
      if (parseGoAddr(name)) return [name];
      const found = ctx.lookupHost?.(name);
      if (found === undefined) {
        ctx.warn?.(`Failed to lookup host '${name}' : no resolver`);
        return [];
      }
      return [...found];
    },
  },
  {
    name: "Distance",
    signatures: ["func(string, string, string, string) (float64, error)"],
    make: () => (lat1, long1, lat2, long2) => {
      const a = coordinate("lat1", lat1);
      const b = coordinate("long1", long1);
      const c = coordinate("lat2", lat2);
      const d = coordinate("long2", long2);
      if ((a === 0 && b === 0) || (c === 0 && d === 0)) return 0;
      return haversineKm(a, b, c, d);
    },
  },
];
