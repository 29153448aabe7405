/**
 * One bucket instance (upstream leakybucket.Leaky): plain data — key, token count, timestamps,
 * kept events and per-instance processor state — so the store can save and restore it. Field
 * names that expressions read as `leaky.X` keep upstream's spelling.
 */
import { LEAKY_TYPE, type LeakyView } from "../event";
import { GoTime, STRUCT_TYPE, type StructType } from "../expr";
import { bucketMapkey, storeKey } from "./bucket-key";
import type { LimiterState } from "./leaky";
import { BucketQueue } from "./queue";

export class Bucket implements LeakyView, LimiterState {
  /** LIVE (0) or TIMEMACHINE (1): the ExpectMode of the event that created the bucket. */
  Mode: number;
  /** Upstream gives each instance a random name; ours count up per engine. */
  Uuid: string;
  First_ts: GoTime = GoTime.ZERO;
  Last_ts: GoTime = GoTime.ZERO;
  Ovflw_ts: GoTime = GoTime.ZERO;
  Total_count = 0;
  /** Life of the bucket, nanoseconds (BUCKETS.md §10.1); 0 for triggers. */
  Duration: number;
  Queue: BucketQueue;

  /** The scenario's key group (bucket-key.ts): with the groupby value, the bucket's identity in the store. */
  readonly group: number;
  /** Index of the scenario (in engine order) that created the bucket and whose rules it follows. */
  readonly scenario: number;
  /** The groupby value. */
  readonly partition: string;
  tokens = 0;
  limiterLast: GoTime | null = null;
  /** distinct: values already seen by this instance (never aged). */
  seen: Set<string> | null = null;
  /** bayesian: which guillotine conditions already fired in this instance. */
  guillotines: boolean[] | null = null;
  /** Wall-clock start of the life timer (ms), LIVE buckets only; NaN until the first pour. */
  timerStartMs = Number.NaN;
  /** Set by the pour that overflows (trigger, leaky, condition, bayesian). */
  pendingOverflow = false;
  /** Poured into since the store last considered evicting it. */
  used = false;

  // What the Mapkey hashes, kept so the hash is only computed when something reads it
  // (an overflow, `leaky.Mapkey`, a snapshot): most buckets never overflow.
  private readonly filter: string;
  private readonly name: string;
  private mapkey: string | undefined;

  constructor(init: {
    group: number;
    scenario: number;
    partition: string;
    filter: string;
    name: string;
    mapkey?: string;
    uuid: string;
    mode: number;
    durationNs: number;
    queueLimit: number;
  }) {
    this.group = init.group;
    this.scenario = init.scenario;
    this.partition = init.partition;
    this.filter = init.filter;
    this.name = init.name;
    this.mapkey = init.mapkey;
    this.Uuid = init.uuid;
    this.Mode = init.mode;
    this.Duration = init.durationNs;
    this.Queue = new BucketQueue(init.queueLimit);
  }

  /** The store key: group and groupby value. */
  get key(): string {
    return storeKey(this.group, this.partition);
  }

  /** Upstream's bucket key: sha1(filter \0 groupby \0 name), hex. */
  get Mapkey(): string {
    return (this.mapkey ??= bucketMapkey(this.filter, this.partition, this.name));
  }

  get [STRUCT_TYPE](): StructType {
    return LEAKY_TYPE;
  }
}
