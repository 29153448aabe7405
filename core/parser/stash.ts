/**
 * Named TTL caches written by parser `stash:` and read by GetFromStash (pkg/parser/stash.go,
 * pkg/cache). Each cache is bounded by its `size`; the least recently used entry goes first.
 */
import type { StashLookup } from "../expr/functions/types";

interface Entry {
  value: string;
  expiresAtMs: number;
}

export class StashStore implements StashLookup {
  private readonly caches = new Map<string, { size: number; entries: Map<string, Entry> }>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Stores `value` under `key` in cache `name`, creating the cache with its size on first use. */
  set(name: string, key: string, value: string, ttlMs: number, size: number): void {
    let cache = this.caches.get(name);
    if (!cache) {
      cache = { size: Math.max(1, size), entries: new Map() };
      this.caches.set(name, cache);
    }
    cache.entries.delete(key);
    cache.entries.set(key, { value, expiresAtMs: this.nowMs() + ttlMs });
    if (cache.entries.size > cache.size) {
      const oldest = cache.entries.keys().next().value;
      if (oldest !== undefined) cache.entries.delete(oldest);
    }
  }

  get(name: string, key: string): string | undefined {
    const entries = this.caches.get(name)?.entries;
    const entry = entries?.get(key);
    if (!entry || !entries) return undefined;
    if (entry.expiresAtMs <= this.nowMs()) {
      entries.delete(key);
      return undefined;
    }
    // Map order is insertion order: re-inserting marks the entry as most recently used.
    entries.delete(key);
    entries.set(key, entry);
    return entry.value;
  }
}
