/**
 * Bucket identity (pkg/leakybucket/manager_load.go BucketKey): sha1 over the filter, the groupby
 * value and the scenario name, with zero-byte separators. Two scenarios with the same filter and
 * name share their buckets, as they do upstream.
 */
import { createHash } from "node:crypto";

/** Upstream's Mapkey; computed once per bucket instance, not per pour. */
export function bucketMapkey(filter: string, partition: string, name: string): string {
  return createHash("sha1").update(filter).update("\0").update(partition).update("\0").update(name).digest("hex");
}

/**
 * Key groups: scenarios with equal (filter, name) get the same small number, so the store key
 * `group \0 partition` is equal exactly when upstream's sha1 keys are.
 */
export function keyGroups(scenarios: readonly { readonly filter: string; readonly name: string }[]): number[] {
  const ids = new Map<string, number>();
  return scenarios.map((s) => {
    const k = `${s.filter}\0${s.name}`;
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  });
}

/** The store key of a bucket. */
export function storeKey(group: number, partition: string): string {
  return `${group}\0${partition}`;
}
