/**
 * The reverse_dns enricher, as upstream pkg/parser/enrich_dns.go over pkg/dnscache: the first
 * PTR name of the address, from a bounded LRU cache that also remembers failures.
 *
 * Enrichers are synchronous, DNS is not. On a cache miss the default resolver posts the address
 * to a worker thread that runs dns.reverse, and blocks this thread on Atomics.wait until the
 * answer or the timeout (upstream's 3 s by default). A timeout or an error is cached as "no name"
 * for the negative TTL, so an address that does not resolve costs one timeout per 5 minutes, not
 * one per event. Cost: a miss holds the pipeline for one DNS round trip; reverse_dns runs in
 * postoverflows (once per alert), where that is acceptable. Hits cost a Map lookup.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** Resolves the PTR names of an address within `timeoutMs`; null on error or timeout. */
export type ReverseResolver = (ip: string, timeoutMs: number) => readonly string[] | null;

export interface ReverseDnsOptions {
  /** Defaults to the worker-thread resolver below; tests inject their own. */
  readonly resolver?: ReverseResolver;
  /** Upper bound of one lookup; default 3000, upstream's lookupTimeout. */
  readonly timeoutMs?: number;
  /** Cached addresses; default 16384, upstream's size. */
  readonly cacheSize?: number;
  /** How long a name is kept; default 1 hour. */
  readonly positiveTtlMs?: number;
  /** How long "no name" is kept; default 5 minutes. */
  readonly negativeTtlMs?: number;
  /** Clock for the TTLs, ms since epoch. */
  readonly now?: () => number;
}

interface CacheEntry {
  readonly names: readonly string[];
  readonly expiresAtMs: number;
}

const NO_NAMES: readonly string[] = [];

/** upstream uses netip.ParseAddr: zones are allowed, IPv4 with leading zeros is not. */
function cacheKey(value: string): string | null {
  const percent = value.indexOf("%");
  const bare = percent < 0 ? value : value.slice(0, percent);
  const family = isIP(bare);
  if (family === 4) return percent < 0 ? value : null; // an IPv4 with a zone is not an address
  if (family !== 6) return null;
  if (percent >= 0 && percent === value.length - 1) return null;
  // netip's String() is canonical, so "::0001" and "::1" share an entry (embedded IPv4 kept as written)
  if (bare.includes(".")) return value;
  return ipaddr.IPv6.parse(bare).toString() + (percent < 0 ? "" : value.slice(percent));
}

export function createReverseDns(opts: ReverseDnsOptions = {}) {
  const resolve = opts.resolver ?? createWorkerResolver();
  const timeoutMs = opts.timeoutMs ?? 3000;
  const maxEntries = opts.cacheSize ?? 16384;
  const positiveTtlMs = opts.positiveTtlMs ?? 3_600_000;
  const negativeTtlMs = opts.negativeTtlMs ?? 300_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, CacheEntry>();

  function lookup(key: string): readonly string[] {
    const t = now();
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key); // Map order is our LRU order: a hit moves to the young end
      if (hit.expiresAtMs > t) {
        cache.set(key, hit);
        return hit.names;
      }
    }
    const names = resolve(key, timeoutMs) ?? NO_NAMES;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { names, expiresAtMs: t + (names.length > 0 ? positiveTtlMs : negativeTtlMs) });
    return names;
  }

  return function reverse_dns(value: string): Record<string, string> | null {
    if (value === "") return null;
    const key = cacheKey(value);
    if (key === null) return null;
    const names = lookup(key);
    return names.length === 0 ? null : { reverse_dns: names[0]! };
  };
}

// The worker's whole program. It is a string so that it travels inside the compiled executable.
// Go's resolver returns absolute names ("dns.google."); Node's does not, so the dot is added
// here: hub data (rdns_seo_bots.txt) is written with it.
const WORKER_SOURCE = `
import { promises as dns } from "node:dns";
self.onmessage = async (event) => {
  const { ip, buffer } = event.data;
  const state = new Int32Array(buffer, 0, 2);
  const bytes = new Uint8Array(buffer, 8);
  let status = 1;
  let text = "";
  try {
    text = (await dns.reverse(ip)).map((n) => (n.endsWith(".") ? n : n + ".")).join("\\n");
  } catch {
    status = 2;
  }
  const encoded = new TextEncoder().encode(text);
  const n = Math.min(encoded.length, bytes.length);
  bytes.set(encoded.subarray(0, n));
  state[1] = n;
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
};
`;

const ANSWER_BYTES = 16 * 1024;

/**
 * The default resolver: dns.reverse on a worker thread, waited for with Atomics.wait. A lookup
 * that times out takes the worker down with it (a late answer must not land in the next
 * lookup's buffer); the next miss starts a fresh one.
 */
export function createWorkerResolver(): ReverseResolver {
  let worker: Worker | null = null;
  const buffer = new SharedArrayBuffer(8 + ANSWER_BYTES);
  const state = new Int32Array(buffer, 0, 2);
  return (ip, timeoutMs) => {
    if (worker === null) {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" }));
      worker = new Worker(url);
      worker.unref();
    }
    Atomics.store(state, 0, 0);
    worker.postMessage({ ip, buffer });
    Atomics.wait(state, 0, 0, timeoutMs);
    const status = Atomics.load(state, 0);
    if (status === 0) {
      worker.terminate();
      worker = null;
      return null;
    }
    if (status !== 1) return null;
    // slice(): decoders refuse views of shared memory
    const text = new TextDecoder().decode(new Uint8Array(buffer, 8, state[1]!).slice());
    return text === "" ? [] : text.split("\n");
  };
}
