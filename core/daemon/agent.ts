/**
 * The live agent: acquisition → parsers → buckets (wall clock, a tick timer for life timers) →
 * postoverflows → alerts, committed to the on-disk queue. One "generation" per configuration:
 * SIGHUP builds the next one and moves the buckets of unchanged scenarios and the file positions
 * over, so a reload neither forgets counters nor skips lines.
 */
import { FileSource, startAcquisition, SyslogSource, type AcquisitionRun, type DataSource, type FilePosition } from "../acquisition";
import { alertsBySource, alertToWire, createAlertOutput, type AlertOutput, type WireAlert } from "../alerts";
import { createBucketEngine, type BucketEngine, type CompiledScenario, type PourObserver, type PourOutcome } from "../buckets";
import { APPSEC, type Event, type RuntimeAlert } from "../event";
import type { CounterChild, CrowdsecMetrics, HistogramChild, SourceHitsType } from "../metrics";
import { parseEvent } from "../parser";
import type { Pipeline } from "../pipeline";
import type { Problem } from "../result";
import type { AlertQueue } from "./queue";
import { keepUnchangedScenarios, loadState, saveState, type AgentState } from "./state";

/** What one configuration gives the agent. */
export interface AgentSetup {
  readonly pipeline: Pipeline;
  readonly sources: readonly DataSource[];
  /** Scenario names in simulation. */
  readonly simulated: ReadonlySet<string>;
}

export interface AgentOptions {
  readonly queue: AlertQueue;
  /** Where the bucket snapshot and file positions are saved. */
  readonly statePath: string;
  readonly metrics: CrowdsecMetrics;
  /** Alerts were committed to the queue. */
  readonly onAlerts?: (count: number) => void;
  readonly log?: (line: string) => void;
  /** Life-timer period, ms. Default 1000. */
  readonly tickMs?: number;
  /** Periodic checkpoint (state saved when something changed), ms. Default 10 000. */
  readonly checkpointMs?: number;
  /** Wall clock (tests). */
  readonly now?: () => number;
  /** Awaited before each batch is processed (tests: a slow consumer). */
  readonly pace?: () => Promise<void>;
}

export interface AgentStats {
  /** Events that reached the parsers. */
  events: number;
  parsed: number;
  unparsed: number;
  /** Events whose processing threw (logged, counted, skipped). */
  failed: number;
  /** APPSEC events (the appsec datasource's direct alerts), sent to the output without parsing. */
  appsecAlerts: number;
  alerts: number;
}

const SOURCE_TYPES: ReadonlySet<string> = new Set<SourceHitsType>(["file", "journalctl", "syslog", "docker", "loki", "victorialogs", "wineventlog", "k8s-audit"]);

/** Delay of the checkpoint that follows committed alerts, ms. */
const SOON_MS = 5000;

/** Per-source parser counters, created on first sight of a source. */
interface SourceHandles {
  readonly hits: CounterChild;
  readonly ok: CounterChild;
  readonly ko: CounterChild;
  readonly parsing: HistogramChild;
  readonly pour: HistogramChild;
}

interface Generation {
  readonly setup: AgentSetup;
  readonly engine: BucketEngine;
  readonly output: AlertOutput;
  readonly hashes: ReadonlyMap<string, string>;
  run?: AcquisitionRun;
  consuming?: Promise<void>;
  /** File positions handed over when each batch not yet processed was cut, oldest first. */
  readonly cuts: Record<string, FilePosition>[];
  /** File positions of the last batch processed: every line before them went through. */
  processed?: Record<string, FilePosition>;
}

const sentKey = (scenario: string, scope: string, value: string): string => `${scenario}\u0000${scope}\u0000${value}`;

export class Agent {
  readonly stats: AgentStats = { events: 0, parsed: 0, unparsed: 0, failed: 0, appsecAlerts: 0, alerts: 0 };
  private gen: Generation;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly metrics: CrowdsecMetrics;
  private pending: WireAlert[] = [];
  /** Bucket alerts of `pending`: noted in the queue until the state that produced them is saved. */
  private pendingUnsaved: WireAlert[] = [];
  /** Alerts noted in the queue since the last save (to clear once a save covers them). */
  private unsavedNoted = false;
  /**
   * Bucket alerts a crashed run sent after its last save, by scenario + source: re-reading the
   * lines from that save reproduces them, and they are not sent twice. Emptied at the first save.
   */
  private alreadySent = new Map<string, number>();
  private dirty = false;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private checkpointTimer: ReturnType<typeof setInterval> | undefined;
  private readonly sourceHandles = new Map<string, SourceHandles>();
  private readonly pouredHandles = new Map<CompiledScenario, Map<string, CounterChild>>();
  private readonly nameHandles = new Map<CompiledScenario, { overflowed: CounterChild; canceled: CounterChild }>();
  private readonly sourceSeen = new WeakMap<DataSource, Map<string, number>>();
  /** The event being poured, for the observer's labels. */
  private current: Event | null = null;
  private pouredOnce = false;
  private readonly observer: PourObserver;
  private readonly pourOk: CounterChild;
  private readonly pourKo: CounterChild;
  private stopped = false;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    setup: AgentSetup,
    private readonly opts: AgentOptions,
  ) {
    this.log = opts.log ?? (() => undefined);
    this.now = opts.now ?? Date.now;
    this.metrics = opts.metrics;
    this.pourOk = opts.metrics.bucketPourOk.labels();
    this.pourKo = opts.metrics.bucketPourKo.labels();
    this.observer = { onPour: (s, _p, _b, _a, outcome) => this.onPour(s, outcome) };
    this.gen = this.generation(setup);
  }

  /** Restores the saved state (buckets of unchanged scenarios, file positions), starts reading and the timers. */
  start(): Problem[] {
    const problems: Problem[] = [];
    const saved = loadState(this.opts.statePath);
    if (!saved.ok) problems.push(saved.error);
    else if (saved.value) problems.push(...this.restore(this.gen, saved.value));
    const sent = this.opts.queue.unsaved();
    if (sent.length > 0) {
      this.unsavedNoted = true;
      for (const a of sent) {
        const key = sentKey(a.scenario, a.scope, a.value);
        this.alreadySent.set(key, (this.alreadySent.get(key) ?? 0) + 1);
      }
      this.log(`${sent.length} alert(s) were sent after the last saved state: the same alerts from lines read again are not sent twice`);
    }
    this.startReading(this.gen);
    const tickMs = this.opts.tickMs ?? 1000;
    this.tickTimer = setInterval(() => this.tick(), tickMs);
    this.checkpointTimer = setInterval(() => {
      if (this.dirty) this.checkpoint();
    }, this.opts.checkpointMs ?? 10_000);
    return problems;
  }

  /**
   * Resolves once every file source has opened its files and every syslog source is bound (at
   * most `timeoutMs`): lines written before that moment may be skipped, as a tail starts at the
   * end of existing files. Returns whether everything got ready in time.
   */
  async ready(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const isReady = (s: DataSource) => (s instanceof FileSource ? s.polls > 0 : s instanceof SyslogSource ? s.ports().udp !== undefined : true);
    while (!this.gen.setup.sources.every(isReady)) {
      if (Date.now() > deadline || (this.gen.run?.failures.length ?? 0) > 0) return false;
      await Bun.sleep(5);
    }
    return true;
  }

  /** Datasources of the running configuration. */
  get sources(): readonly DataSource[] {
    return this.gen.setup.sources;
  }

  /** Buckets held now. */
  get bucketCount(): number {
    return this.gen.engine.size;
  }

  /** Acquisition failures of the running configuration (a port in use…). */
  get failures(): readonly Problem[] {
    return this.gen.run?.failures ?? [];
  }

  /**
   * Swaps in a new configuration: the old sources stop and their events are processed, the buckets
   * of scenarios whose file did not change move over, tails resume where they were.
   */
  async reload(setup: AgentSetup): Promise<Problem[]> {
    const old = this.gen;
    await this.stopReading(old);
    const state = this.stateOf(old);
    const next = this.generation(setup);
    const problems = this.restore(next, state);
    this.gen = next;
    this.startReading(next);
    this.checkpoint();
    return problems;
  }

  /** Stops reading, processes what was read, saves the state. The queue keeps undelivered alerts. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tickTimer);
    clearInterval(this.checkpointTimer);
    clearTimeout(this.soonTimer);
    await this.stopReading(this.gen);
    this.checkpoint();
  }

  /**
   * The state that produced committed alerts is saved within seconds, not per batch: a snapshot
   * costs in proportion to the buckets held, and alerts come in bursts. A SIGKILL in that window
   * makes the restart read those lines again from the older state; the bucket alerts committed
   * meanwhile were noted in the queue's transaction (`unsaved`), so the same alerts are not sent twice.
   */
  private checkpointSoon(): void {
    this.dirty = true;
    if (this.soonTimer !== undefined || this.stopped) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      if (this.dirty && !this.stopped) this.checkpoint();
    }, SOON_MS);
  }

  /** Saves buckets and positions now. */
  checkpoint(): void {
    const r = saveState(this.opts.statePath, this.stateOf(this.gen));
    if (!r.ok) {
      this.log(r.error.message);
      return;
    }
    this.dirty = false;
    // every alert committed so far came from processed lines, whose bucket state is now on disk
    this.alreadySent.clear();
    if (this.unsavedNoted) {
      try {
        this.opts.queue.clearUnsaved();
        this.unsavedNoted = false;
      } catch (e) {
        this.log(`Cannot clear the alerts noted before the saved state: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** Brings the per-source line counters (kept by the sources) and the bucket gauge into the metrics; call before a scrape. */
  syncMetrics(): void {
    for (const source of this.gen.setup.sources) {
      if (!SOURCE_TYPES.has(source.module)) continue;
      let seen = this.sourceSeen.get(source);
      if (!seen) this.sourceSeen.set(source, (seen = new Map()));
      const family = this.metrics.sourceHits[source.module as SourceHitsType];
      // each source counts from its start; a reload's new sources add to the same counters
      for (const [src, n] of source.counters.read) {
        const last = seen.get(src) ?? 0;
        if (n > last) {
          family.labels(src).inc(n - last);
          seen.set(src, n);
        }
      }
    }
    this.metrics.buckets.reset();
    for (const [name, n] of this.gen.engine.countByScenario()) this.metrics.buckets.labels(name).set(n);
  }

  private generation(setup: AgentSetup): Generation {
    const engine = createBucketEngine(setup.pipeline.scenarios.scenarios, { mode: "live", now: this.now, simulated: setup.simulated, observer: this.observer });
    const output = createAlertOutput({
      postoverflows: { tree: setup.pipeline.postoverflows.tree, runtime: setup.pipeline.runtime },
      pour: (evt) => engine.pour(evt),
    });
    const hashes = new Map(setup.pipeline.scenarios.scenarios.map((s) => [s.config.name, s.hash] as const));
    return { setup, engine, output, hashes, cuts: [] };
  }

  /**
   * File positions covering only lines whose processing is complete: those of the last batch
   * processed; a file with nothing processed since its reading began resumes where it began.
   * Lines still queued, or read but not handed over, are read again after a crash.
   */
  private processedPositions(gen: Generation): Record<string, FilePosition> {
    const positions: Record<string, FilePosition> = {};
    for (const s of gen.setup.sources) if (s instanceof FileSource) Object.assign(positions, s.beginnings());
    if (gen.processed) Object.assign(positions, gen.processed);
    return positions;
  }

  /** What the file sources have handed over, when a batch is cut. */
  private handedOver(gen: Generation): Record<string, FilePosition> {
    const positions: Record<string, FilePosition> = {};
    for (const s of gen.setup.sources) if (s instanceof FileSource) Object.assign(positions, s.positions());
    return positions;
  }

  private stateOf(gen: Generation): AgentState {
    const positions = this.processedPositions(gen);
    return { format: 1, savedAt: new Date(this.now()).toISOString(), scenarioHashes: Object.fromEntries(gen.hashes), buckets: gen.engine.snapshot(), positions };
  }

  private restore(gen: Generation, state: AgentState): Problem[] {
    const { snapshot, dropped } = keepUnchangedScenarios(state.buckets, state.scenarioHashes, gen.hashes);
    const problems = gen.engine.restore(snapshot).filter((p) => !p.message.includes("\u0000dropped:"));
    if (dropped.length > 0) this.log(`Buckets of ${dropped.length} changed or removed scenario(s) not restored: ${dropped.join(", ")}`);
    for (const s of gen.setup.sources) if (s instanceof FileSource) s.restorePositions(state.positions);
    if (gen.engine.size > 0 || Object.keys(state.positions).length > 0) {
      this.log(`Restored ${gen.engine.size} bucket(s) and ${Object.keys(state.positions).length} file position(s) saved at ${state.savedAt}`);
    }
    return problems;
  }

  private startReading(gen: Generation): void {
    const files = gen.setup.sources.some((s) => s instanceof FileSource);
    const run = startAcquisition(gen.setup.sources, {
      onTransformError: (s, m) => this.log(`transform of ${s.module} source "${s.config.name}": ${m}`),
      onCut: files ? () => void gen.cuts.push(this.handedOver(gen)) : undefined,
    });
    gen.run = run;
    const pace = this.opts.pace;
    gen.consuming = (async () => {
      for await (const batch of run.batches()) {
        if (pace) await pace();
        this.processBatch(gen, batch);
        if (files) gen.processed = gen.cuts.shift() ?? gen.processed;
      }
    })();
    void run.done.then(() => {
      for (const f of run.failures) this.log(f.message);
    });
  }

  private async stopReading(gen: Generation): Promise<void> {
    await gen.run?.stop();
    await gen.consuming;
  }

  /** One batch of events; an event that throws is logged, counted and skipped. */
  private processBatch(gen: Generation, batch: readonly Event[]): void {
    let i = 0;
    while (i < batch.length) {
      try {
        for (; i < batch.length; i++) this.processEvent(gen, batch[i]!);
      } catch (e) {
        this.stats.failed++;
        // the event may be what is broken: read its source defensively
        const src = (batch[i] as { Line?: { Src?: unknown } | null } | undefined)?.Line?.Src;
        this.log(`Event from "${String(src ?? "?")}" skipped: ${e instanceof Error ? e.message : String(e)}`);
        i++;
      }
    }
    this.current = null;
    if (batch.length > 0) this.dirty = true;
    this.commit();
  }

  private processEvent(gen: Generation, evt: Event): void {
    if (evt.Type === APPSEC) {
      // the appsec datasource's direct alert (Overflow.APIAlerts): no parser nor bucket, straight to the
      // postoverflows and the queue, as upstream's runParse hands APPSEC events to the output
      this.stats.appsecAlerts++;
      this.emit(gen, [{ event: evt }], false);
      return;
    }
    const h = this.handlesOf(evt);
    this.stats.events++;
    h.hits.inc();
    const t0 = performance.now();
    const r = parseEvent(gen.setup.pipeline.parsers.tree, evt, gen.setup.pipeline.runtime);
    const t1 = performance.now();
    h.parsing.observe((t1 - t0) / 1000);
    if (r.kind !== "parsed") {
      this.stats.unparsed++;
      h.ko.inc();
      return;
    }
    this.stats.parsed++;
    h.ok.inc();
    if (evt.Whitelisted) return;
    this.current = evt;
    this.pouredOnce = false;
    const overflows = gen.engine.pour(evt);
    h.pour.observe((performance.now() - t1) / 1000);
    (this.pouredOnce ? this.pourOk : this.pourKo).inc();
    if (overflows.length > 0) this.emit(gen, overflows);
  }

  private tick(): void {
    const gen = this.gen;
    if (gen.engine.size === 0) return;
    const before = gen.engine.size;
    try {
      const overflows = gen.engine.tick();
      if (overflows.length > 0) this.emit(gen, overflows);
    } catch (e) {
      this.log(`Bucket timers failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (gen.engine.size !== before) this.dirty = true;
    this.commit();
  }

  private emit(gen: Generation, overflows: readonly { readonly event: Event }[], fromBuckets = true): void {
    for (const alert of gen.output.process(overflows).alerts) this.queueAlert(alert, fromBuckets);
  }

  private queueAlert(alert: RuntimeAlert, fromBuckets: boolean): void {
    for (const a of alertsBySource(alert)) {
      const wire = alertToWire(a);
      if (fromBuckets && this.alreadySent.size > 0) {
        const key = sentKey(wire.scenario, wire.source.scope, wire.source.value);
        const n = this.alreadySent.get(key);
        if (n !== undefined) {
          if (n <= 1) this.alreadySent.delete(key);
          else this.alreadySent.set(key, n - 1);
          this.log(`Alert ${wire.scenario} for ${wire.source.value} was sent before the restart: not sent again`);
          continue;
        }
      }
      this.pending.push(wire);
      if (fromBuckets) this.pendingUnsaved.push(wire);
    }
  }

  /** Commits the alerts of this batch to disk, then saves the state that produced them. */
  private commit(): void {
    if (this.pending.length === 0) return;
    const alerts = this.pending;
    const unsaved = this.pendingUnsaved;
    this.pending = [];
    this.pendingUnsaved = [];
    try {
      this.opts.queue.push(alerts, unsaved);
      if (unsaved.length > 0) this.unsavedNoted = true;
    } catch (e) {
      // the disk refused: keep them in memory for the next commit rather than lose them
      this.pending = alerts.concat(this.pending);
      this.pendingUnsaved = unsaved.concat(this.pendingUnsaved);
      this.log(`Cannot queue ${alerts.length} alert(s) on disk: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.stats.alerts += alerts.length;
    this.checkpointSoon();
    this.opts.onAlerts?.(alerts.length);
  }

  private handlesOf(evt: Event): SourceHandles {
    const src = evt.Line.Src;
    let h = this.sourceHandles.get(src);
    if (h === undefined) {
      const m = this.metrics;
      const type = evt.Line.Module || "file";
      const labels = [src, type] as const;
      h = {
        hits: m.parserHits.labels(...labels),
        ok: m.parserHitsOk.labels(...labels),
        ko: m.parserHitsKo.labels(...labels),
        parsing: m.parsingSeconds.labels(type, src),
        pour: m.pourSeconds.labels(type, src),
      };
      this.sourceHandles.set(src, h);
    }
    return h;
  }

  private onPour(s: CompiledScenario, outcome: PourOutcome): void {
    switch (outcome.kind) {
      case "poured":
      case "overflow":
      case "discarded": {
        this.pouredOnce = true;
        const evt = this.current;
        if (evt !== null) this.pouredChild(s, evt).inc();
        if (outcome.kind === "overflow") this.namesOf(s).overflowed.inc();
        return;
      }
      case "canceled":
        this.namesOf(s).canceled.inc();
        return;
      default:
        return;
    }
  }

  private pouredChild(s: CompiledScenario, evt: Event): CounterChild {
    let bySrc = this.pouredHandles.get(s);
    if (!bySrc) this.pouredHandles.set(s, (bySrc = new Map()));
    const src = evt.Line.Src;
    let c = bySrc.get(src);
    if (!c) bySrc.set(src, (c = this.metrics.bucketPoured.labels(src, evt.Line.Module || "file", s.config.name)));
    return c;
  }

  private namesOf(s: CompiledScenario): { overflowed: CounterChild; canceled: CounterChild } {
    let n = this.nameHandles.get(s);
    if (!n) {
      n = { overflowed: this.metrics.bucketOverflowed.labels(s.config.name), canceled: this.metrics.bucketCanceled.labels(s.config.name) };
      this.nameHandles.set(s, n);
    }
    return n;
  }
}

