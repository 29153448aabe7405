/**
 * Bucket identity (pkg/leakybucket/manager_load.go BucketKey): sha1 over the filter, the groupby
 * value and the scenario name, with zero-byte separators. Two scenarios with the same filter and
 * name share their buckets, as they do upstream.
 */

/** Upstream's Mapkey; computed once per bucket instance, not per pour (Bun's one-shot hash: ~0.5 µs, node:crypto's ~3 µs). */
export function bucketMapkey(filter: string, partition: string, name: string): string {
  return Bun.CryptoHasher.hash("sha1", `${filter}\0${partition}\0${name}`, "hex");
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
