/**
 * blackhole (pkg/leakybucket/blackhole.go): after a key overflows, further overflows of that key
 * are discarded until `blackhole` has passed, in overflow time (log time in replay). The memory
 * belongs to the scenario, so it outlives bucket instances.
 */
import type { GoTime } from "../expr";

export class BlackholeMemory {
  /** Mapkey → end of its blackhole period. Upstream keeps a list; one entry per key is equivalent. */
  readonly hidden = new Map<string, GoTime>();
  /** Earliest expiration held, so a prune pass runs only when something can go. */
  private earliest: GoTime | null = null;

  constructor(readonly durationNs: number) {}

  /**
   * Decides an overflow of `mapkey` at `at`: first forgets entries that expired by `at` (as
   * upstream's pass over its list does), then discards the overflow if the key is still hidden
   * (without extending it), else hides the key for the blackhole duration.
   */
  admit(mapkey: string, at: GoTime): boolean {
    this.prune(at);
    const until = this.hidden.get(mapkey);
    if (until !== undefined) return false;
    const end = at.Add(this.durationNs);
    this.hidden.set(mapkey, end);
    if (this.earliest === null || end.Before(this.earliest)) this.earliest = end;
    return true;
  }

  /** Drops entries whose expiration is not after `at`. */
  prune(at: GoTime): void {
    if (this.earliest === null || this.earliest.After(at)) return;
    let earliest: GoTime | null = null;
    for (const [key, until] of this.hidden) {
      if (!until.After(at)) this.hidden.delete(key);
      else if (earliest === null || until.Before(earliest)) earliest = until;
    }
    this.earliest = earliest;
  }

  restore(entries: Iterable<readonly [string, GoTime]>): void {
    for (const [key, until] of entries) {
      this.hidden.set(key, until);
      if (this.earliest === null || until.Before(this.earliest)) this.earliest = until;
    }
  }
}
