/** The events a bucket keeps (upstream pkg/pipeline/queue.go), readable as `queue` by expressions. */
import { QUEUE_TYPE, type Event, type QueueView } from "../event";
import { STRUCT_TYPE, type StructType } from "../expr";

/** Go's max int, which upstream uses as the limit of an unbounded queue. */
export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export class BucketQueue implements QueueView {
  Queue: Event[] = [];
  /** Size limit; the queue holds at most L + 1 events. */
  readonly L: number;

  constructor(limit: number) {
    this.L = limit === -1 ? UNBOUNDED : limit;
  }

  get [STRUCT_TYPE](): StructType {
    return QUEUE_TYPE;
  }

  /** As upstream Queue.Add: while more than L events are held, drop the oldest; then append. */
  add(evt: Event): void {
    while (this.Queue.length > this.L) this.Queue.shift();
    this.Queue.push(evt);
  }
}

/**
 * The queue size of a scenario (NewLeakyFromFactory): capacity, or cache_size when it is
 * smaller, or cache_size for an unbounded (-1) bucket.
 */
export function queueLimit(capacity: number, cacheSize: number): number {
  if (cacheSize > 0 && (cacheSize <= capacity || capacity === -1)) return cacheSize;
  return capacity;
}
