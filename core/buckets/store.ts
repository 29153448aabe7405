/**
 * The live bucket instances, by store key (upstream bucketstore.go), bounded: past `maxBuckets`
 * a bucket not poured into recently is evicted, so a flood of distinct keys cannot grow memory
 * without limit.
 */
import type { Bucket } from "./bucket";

export class BucketStore {
  // Every bucket in insertion order, plus a "used" bit per bucket (the CLOCK approximation of
  // least-recently-used): a pour only sets the bit. Lookups go through one map per key group,
  // by groupby value, so a pour hashes a value the event already holds, not a new key string.
  private readonly order = new Set<Bucket>();
  private readonly byGroup: Map<string, Bucket>[] = [];
  /** Buckets evicted because the store was full (they vanish without an alert). */
  evicted = 0;

  constructor(readonly maxBuckets: number) {}

  get size(): number {
    return this.order.size;
  }

  /** The bucket of key group `group` and groupby value `partition`, marked as recently used. */
  touch(group: number, partition: string): Bucket | undefined {
    const b = this.byGroup[group]?.get(partition);
    if (b !== undefined) b.used = true;
    return b;
  }

  /** Stores `bucket`, replacing the one under its key if any. */
  add(bucket: Bucket): void {
    const map = (this.byGroup[bucket.group] ??= new Map());
    const old = map.get(bucket.partition);
    if (old !== undefined) this.order.delete(old);
    map.set(bucket.partition, bucket);
    this.order.add(bucket);
    if (this.order.size > this.maxBuckets) this.evictOne();
  }

  /** Oldest first; a bucket used since it was last looked at gets a second chance at the back. */
  private evictOne(): void {
    for (const b of this.order) {
      this.order.delete(b);
      if (b.used) {
        b.used = false;
        this.order.add(b);
        continue;
      }
      this.byGroup[b.group]!.delete(b.partition);
      this.evicted++;
      return;
    }
  }

  /** Removes `bucket` if it is still the instance stored under its key. */
  remove(bucket: Bucket): void {
    const map = this.byGroup[bucket.group];
    if (map !== undefined && map.get(bucket.partition) === bucket) {
      map.delete(bucket.partition);
      this.order.delete(bucket);
    }
  }

  clear(): void {
    this.order.clear();
    this.byGroup.length = 0;
  }

  values(): IterableIterator<Bucket> {
    return this.order.values();
  }

  /** Removes every bucket `isDead` says is dead; deleting while iterating a Set is safe. */
  sweep(isDead: (b: Bucket) => boolean): number {
    let n = 0;
    for (const b of this.order) {
      if (isDead(b)) {
        this.order.delete(b);
        this.byGroup[b.group]!.delete(b.partition);
        n++;
      }
    }
    return n;
  }
}
