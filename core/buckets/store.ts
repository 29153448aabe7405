/**
 * The live bucket instances, by store key (upstream bucketstore.go), bounded: the least recently
 * poured bucket is evicted past `maxBuckets`, so a flood of distinct keys cannot grow memory
 * without limit.
 */
import type { Bucket } from "./bucket";

export class BucketStore {
  // A Map iterates in insertion order; re-inserting on every pour keeps it least-recently-used first.
  private readonly buckets = new Map<string, Bucket>();
  /** Buckets evicted because the store was full (they vanish without an alert). */
  evicted = 0;

  constructor(readonly maxBuckets: number) {}

  get size(): number {
    return this.buckets.size;
  }

  /** The bucket under `key`, marked as most recently used. */
  touch(key: string): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b !== undefined) {
      this.buckets.delete(key);
      this.buckets.set(key, b);
    }
    return b;
  }

  add(bucket: Bucket): void {
    this.buckets.set(bucket.key, bucket);
    if (this.buckets.size > this.maxBuckets) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) {
        this.buckets.delete(oldest.value);
        this.evicted++;
      }
    }
  }

  /** Removes `bucket` if it is still the instance stored under its key. */
  remove(bucket: Bucket): void {
    if (this.buckets.get(bucket.key) === bucket) this.buckets.delete(bucket.key);
  }

  clear(): void {
    this.buckets.clear();
  }

  values(): IterableIterator<Bucket> {
    return this.buckets.values();
  }

  /** Removes every bucket `isDead` says is dead; deleting while iterating a Map is safe. */
  sweep(isDead: (b: Bucket) => boolean): number {
    let n = 0;
    for (const [key, b] of this.buckets) {
      if (isDead(b)) {
        this.buckets.delete(key);
        n++;
      }
    }
    return n;
  }
}
