/**
 * The live bucket instances, by store key (upstream bucketstore.go), bounded: past `maxBuckets`
 * a bucket not poured into recently is evicted, so a flood of distinct keys cannot grow memory
 * without limit.
 */
import type { Bucket } from "./bucket";

export class BucketStore {
  // Insertion order plus a "used" bit per bucket (the CLOCK approximation of least-recently-used):
  // a pour only sets the bit, where re-inserting into the Map would cost two more hash lookups.
  private readonly buckets = new Map<string, Bucket>();
  /** Buckets evicted because the store was full (they vanish without an alert). */
  evicted = 0;

  constructor(readonly maxBuckets: number) {}

  get size(): number {
    return this.buckets.size;
  }

  /** The bucket under `key`, marked as recently used. */
  touch(key: string): Bucket | undefined {
    const b = this.buckets.get(key);
    if (b !== undefined) b.used = true;
    return b;
  }

  add(bucket: Bucket): void {
    this.buckets.set(bucket.key, bucket);
    if (this.buckets.size > this.maxBuckets) this.evictOne();
  }

  /** Oldest first; a bucket used since it was last looked at gets a second chance at the back. */
  private evictOne(): void {
    for (const [key, b] of this.buckets) {
      this.buckets.delete(key);
      if (b.used) {
        b.used = false;
        this.buckets.set(key, b);
        continue;
      }
      this.evicted++;
      return;
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
