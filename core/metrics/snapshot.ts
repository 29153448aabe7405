/** What a scrape holds: families of samples, as written by `writeExposition` and read by `parseExposition`. */

/** `summary` and `untyped` only come from other exporters; picket's registry writes the first three. */
export type FamilyType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface MetricSample {
  /** The sample's own name: the family name, or `<family>_bucket|_sum|_count` for histograms. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch, when the line carried one. */
  readonly timestampMs?: number;
}

export interface MetricFamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly samples: readonly MetricSample[];
}
