/**
 * Counters, gauges and histograms with labels, the way Prometheus' Go client models them: a family
 * (name, help, label names) holds one child per combination of label values. Children are looked
 * up once, at load time, and the per-event work is one field update on the handle.
 */
import { formatGoFloat } from "./go-float";
import type { MetricFamilySnapshot, MetricSample } from "./snapshot";

export type MetricType = "counter" | "gauge" | "histogram";

export interface MetricOptions<L extends readonly string[]> {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. "cs_parser_hits_total". */
  readonly name: string;
  readonly help: string;
  /** Variable label names, in the order `labels(...)` takes their values. */
  readonly labels?: L;
  /** Labels with one value for the whole family (CrowdSec's `cs_info{version}`). */
  readonly constLabels?: Readonly<Record<string, string>>;
}

export interface HistogramOptions<L extends readonly string[]> extends MetricOptions<L> {
  /** Upper bounds, strictly increasing; `+Inf` is implicit. */
  readonly buckets: readonly number[];
}

/** One value per label name of the family, in declaration order. */
export type LabelValues<L extends readonly string[]> = { readonly [K in keyof L]: string };

export class CounterChild {
  value = 0;
  /** Adds `by` (default 1); a counter never goes down. */
  inc(by = 1): void {
    if (!(by >= 0)) throw new Error(`counter increment must be a non-negative number, got ${by}`);
    this.value += by;
  }
}

export class GaugeChild {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
  inc(by = 1): void {
    this.value += by;
  }
  dec(by = 1): void {
    this.value -= by;
  }
}

export class HistogramChild {
  /** Observations per bucket, not cumulative; the last slot is `+Inf`. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const KEY_SEPARATOR = "\u0000";

interface Entry<C> {
  readonly values: readonly string[];
  readonly child: C;
}

/** A named family of children keyed by label values. */
export abstract class MetricFamily<L extends readonly string[], C> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: L;
  readonly constLabels: Readonly<Record<string, string>>;
  private readonly children = new Map<string, Entry<C>>();

  constructor(options: MetricOptions<L>) {
    if (!METRIC_NAME.test(options.name)) throw new Error(`invalid metric name "${options.name}"`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labels ?? ([] as readonly string[] as L);
    this.constLabels = options.constLabels ?? {};
    const seen = new Set<string>();
    for (const label of [...this.labelNames, ...Object.keys(this.constLabels)]) {
      if (!LABEL_NAME.test(label) || label.startsWith("__")) throw new Error(`invalid label name "${label}" in metric "${options.name}"`);
      if (seen.has(label)) throw new Error(`duplicate label name "${label}" in metric "${options.name}"`);
      seen.add(label);
    }
  }

  protected abstract newChild(): C;

  /** The child for these label values, created on first use. Call it once and keep the handle. */
  labels(...values: LabelValues<L>): C {
    if (values.length !== this.labelNames.length) {
      throw new Error(`metric "${this.name}" takes ${this.labelNames.length} label values (${this.labelNames.join(", ")}), got ${values.length}`);
    }
    const key = values.join(KEY_SEPARATOR);
    let entry = this.children.get(key);
    if (!entry) {
      entry = { values: [...values], child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  /** Same as `labels(...)`, with the values given by name. */
  withLabels(values: Readonly<Record<L[number], string>>): C {
    const ordered = this.labelNames.map((n) => {
      const v = (values as Record<string, string | undefined>)[n];
      if (v === undefined) throw new Error(`metric "${this.name}": missing value for label "${n}"`);
      return v;
    });
    return this.labels(...(ordered as unknown as LabelValues<L>));
  }

  /** Forgets one child; returns whether it existed. */
  remove(...values: LabelValues<L>): boolean {
    return this.children.delete(values.join(KEY_SEPARATOR));
  }

  /** Forgets every child (gauges recomputed at each scrape, like `cs_active_decisions`). */
  reset(): void {
    this.children.clear();
  }

  /** The family's samples, labels sorted by name and children by label values (as the Go client writes them). */
  collect(): MetricFamilySnapshot {
    // As the Go client: a family without variable labels always shows its single value.
    if (this.labelNames.length === 0 && this.children.size === 0) this.labels(...([] as unknown as LabelValues<L>));
    const names = [...this.labelNames];
    const constNames = Object.keys(this.constLabels);
    const sortedNames = [...names, ...constNames].sort();
    const rows: { labels: Record<string, string>; sortKey: string[]; child: C }[] = [];
    for (const { values, child } of this.children.values()) {
      const labels: Record<string, string> = {};
      for (const n of sortedNames) {
        const i = names.indexOf(n);
        labels[n] = i >= 0 ? values[i]! : this.constLabels[n]!;
      }
      rows.push({ labels, sortKey: sortedNames.map((n) => labels[n]!), child });
    }
    rows.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    const samples: MetricSample[] = [];
    for (const row of rows) this.samplesOf(row.child, row.labels, samples);
    return { name: this.name, help: this.help, type: this.type, samples };
  }

  protected abstract samplesOf(child: C, labels: Readonly<Record<string, string>>, into: MetricSample[]): void;
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export class CounterFamily<L extends readonly string[] = readonly []> extends MetricFamily<L, CounterChild> {
  readonly type = "counter";
  protected newChild(): CounterChild {
    return new CounterChild();
  }
  protected samplesOf(child: CounterChild, labels: Readonly<Record<string, string>>, into: MetricSample[]): void {
    into.push({ name: this.name, labels, value: child.value });
  }
}

export class GaugeFamily<L extends readonly string[] = readonly []> extends MetricFamily<L, GaugeChild> {
  readonly type = "gauge";
  protected newChild(): GaugeChild {
    return new GaugeChild();
  }
  protected samplesOf(child: GaugeChild, labels: Readonly<Record<string, string>>, into: MetricSample[]): void {
    into.push({ name: this.name, labels, value: child.value });
  }
}

export class HistogramFamily<L extends readonly string[] = readonly []> extends MetricFamily<L, HistogramChild> {
  readonly type = "histogram";
  readonly bounds: readonly number[];

  constructor(options: HistogramOptions<L>) {
    const bounds = options.buckets.filter((b) => b !== Infinity);
    for (let i = 0; i < bounds.length; i++) {
      if (Number.isNaN(bounds[i]!) || (i > 0 && !(bounds[i]! > bounds[i - 1]!))) {
        throw new Error(`histogram "${options.name}": buckets must be strictly increasing numbers`);
      }
    }
    if ((options.labels ?? ([] as readonly string[])).includes("le")) throw new Error(`histogram "${options.name}": "le" is a reserved label name`);
    super(options);
    this.bounds = bounds;
  }

  protected newChild(): HistogramChild {
    return new HistogramChild(this.bounds);
  }

  protected samplesOf(child: HistogramChild, labels: Readonly<Record<string, string>>, into: MetricSample[]): void {
    let cumulative = 0;
    for (let i = 0; i <= child.bounds.length; i++) {
      cumulative += child.counts[i]!;
      const le = i < child.bounds.length ? child.bounds[i]! : Infinity;
      into.push({ name: `${this.name}_bucket`, labels: { ...labels, le: formatLe(le) }, value: cumulative });
    }
    into.push({ name: `${this.name}_sum`, labels, value: child.sum });
    into.push({ name: `${this.name}_count`, labels, value: child.count });
  }
}

/** Creates families and keeps the ones it exposes, in one place per process (or per test). */
export class MetricsRegistry {
  private readonly families = new Map<string, AnyFamily>();

  counter<const L extends readonly string[] = readonly []>(options: MetricOptions<L>): CounterFamily<L> {
    return this.register(new CounterFamily(options));
  }

  gauge<const L extends readonly string[] = readonly []>(options: MetricOptions<L>): GaugeFamily<L> {
    return this.register(new GaugeFamily(options));
  }

  histogram<const L extends readonly string[] = readonly []>(options: HistogramOptions<L>): HistogramFamily<L> {
    return this.register(new HistogramFamily(options));
  }

  /** Exposes a family built elsewhere; a second family with the same name is a bug. */
  register<F extends AnyFamily>(family: F): F {
    if (this.families.has(family.name)) throw new Error(`metric "${family.name}" is already registered`);
    this.families.set(family.name, family);
    return family;
  }

  /** Every registered family that has samples, sorted by name (families without children are left out, as upstream). */
  collect(): MetricFamilySnapshot[] {
    const out: MetricFamilySnapshot[] = [];
    for (const name of [...this.families.keys()].sort()) {
      const snapshot = this.families.get(name)!.collect();
      if (snapshot.samples.length > 0) out.push(snapshot);
    }
    return out;
  }
}

/** A family of any kind and label set, as the registry stores it. */
export type AnyFamily = CounterFamily<readonly string[]> | GaugeFamily<readonly string[]> | HistogramFamily<readonly string[]>;

/** `le` values as the Go client writes them (shortest float, `+Inf`). */
function formatLe(bound: number): string {
  return bound === Infinity ? "+Inf" : formatGoFloat(bound);
}
