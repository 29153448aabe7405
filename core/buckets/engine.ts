/**
 * The pour pipeline (pkg/leakybucket/manager_run.go, bucket.go, timemachine.go), synchronous:
 * an event visits every scenario in load order; a matching one finds or creates the bucket of its
 * groupby value and pours into it; an overflow becomes an OVFLW event carrying its alert.
 */
import { newRuntimeAlert } from "../alerts";
import { AppsecEvent, Event, Line, LIVE, LOG, OVFLW, RuntimeAlert, TIMEMACHINE } from "../event";
import { eventWrites, ExprRuntimeError, GoTime, type ExprProgram, type FieldGuard } from "../expr";
import { bayesianPosterior } from "./bayesian";
import { Bucket } from "./bucket";
import { keyGroups } from "./bucket-key";
import { shouldCancel } from "./cancel";
import type { CompiledScenario } from "./compile";
import { isConditionMet } from "./conditional";
import { isTimerDue, restartTimer, timerOverflowTime } from "./counter";
import { isDuplicate } from "./distinct";
import { parseMarshaledTime, wallTime } from "./event-time";
import { buildFactory, type BucketFactory } from "./factory";
import { allowAt, tokensAt } from "./leaky";
import { isOverflowKept } from "./overflow-filter";
import { restoreEngineState, snapshotEngineState, type BucketSnapshot, type EngineState } from "./snapshot";
import { BucketStore } from "./store";
import { pourTrigger } from "./trigger";
import {
  BY_BLACKHOLE, BY_FILTER, CANCELED, DUPLICATE, FILTERED, NO_TIME, NONE, OVERFLOWED, POURED,
  type Overflow, type PourObserver, type PourOutcome,
} from "./outcome";
import type { Problem } from "../result";

export interface BucketEngineOptions {
  /**
   * "timemachine" (replay, hubtest): no wall-clock timers run; replayed buckets live by event
   * time. "live": `tick()` runs the wall-clock life timers (underflow, counter overflow).
   * Each bucket's clock follows the ExpectMode of the event that created it, as upstream.
   */
  readonly mode?: "timemachine" | "live";
  /** Wall clock, ms since epoch: the time of LIVE pours and timers. */
  readonly now?: () => number;
  /** Most buckets held at once; the least recently poured goes first. Default 1,000,000. */
  readonly maxBuckets?: number;
  /** Scenario names in simulation (Alert.Simulated). */
  readonly simulated?: ReadonlySet<string>;
  readonly observer?: PourObserver;
  /**
   * Replay: once poured, an event held by buckets keeps only what their expressions and alerts
   * read (Meta, Enriched, times), when every scenario holding it says so (queue-reads.ts).
   * Off where held events are read whole (snapshots, observers).
   */
  readonly trimHeldEvents?: boolean;
}

export interface BucketEngine {
  /** Pours one event into every scenario, in load order; returns the overflows it caused, in order. */
  pour(evt: Event): readonly Overflow[];
  /** Live mode: fires life timers due by now (counter overflows; silent underflows). */
  tick(): readonly Overflow[];
  /** End of input: upstream cancels every bucket without alerts, so this drops them all and returns []. */
  flush(): readonly Overflow[];
  /** Buckets, blackhole memories and clocks as plain JSON-able data. */
  snapshot(): BucketSnapshot;
  /** Replaces the engine state with a snapshot; buckets of scenarios no longer loaded are dropped (problems say which). */
  restore(snapshot: BucketSnapshot): Problem[];
  /** Buckets currently held. */
  readonly size: number;
  /** Buckets held per scenario name (the `cs_buckets` gauge). */
  countByScenario(): Map<string, number>;
}

const DEFAULT_MAX_BUCKETS = 1_000_000;

/** A guard entry that is not a string: the filter decides. */
const UNREADABLE: unique symbol = Symbol("unreadable");

/** What alerts read of a held LOG event (new-alert.ts, sources.ts), and what expressions may read and still allow trimming. */
const HELD_FIELDS: ReadonlySet<string> = new Set(["Meta", "Enriched", "Time", "MarshaledTime", "Type"]);

function readsOnlyHeldFields(p: ExprProgram | undefined): boolean {
  if (p === undefined) return true;
  const reads = p.queueReads;
  if (reads === "any") return false;
  for (const f of reads) if (!HELD_FIELDS.has(f)) return false;
  return true;
}

/** Whether every expression of the scenario that sees held events reads only HELD_FIELDS of them (scope.expression sees each whole). */
function heldEventsTrimmable(s: CompiledScenario): boolean {
  return s.scopeExpression === undefined && readsOnlyHeldFields(s.condition) && readsOnlyHeldFields(s.overflowFilter) && s.bayesianConditions.every((b) => readsOnlyHeldFields(b.condition));
}

// What a trimmed event points to instead of its own parts (nothing reads them).
const HELD_LINE = Object.freeze(new Line());
const HELD_OVERFLOW = Object.freeze(new RuntimeAlert());
const HELD_APPSEC = Object.freeze(new AppsecEvent());

/** Drops what no reader of a held event reads: the line, the parsed fields, the rest of the parse state. */
function trimHeldEvent(evt: Event): void {
  evt.Parsed = null;
  evt.Unmarshaled = null;
  evt.Line = HELD_LINE;
  evt.Overflow = HELD_OVERFLOW;
  evt.Appsec = HELD_APPSEC;
  evt.StrTime = "";
  evt.StrTimeFormat = "";
  evt.WhitelistReason = "";
  evt.Stage = "";
}
/** Replay GC runs after this many pours at least (and at least as many as buckets kept by the last one). */
const GC_MIN_POURS = 4096;

export function createBucketEngine(scenarios: readonly CompiledScenario[], opts: BucketEngineOptions = {}): BucketEngine {
  const groups = keyGroups(scenarios.map((s) => s.config));
  const factories = scenarios.map((s, i) => buildFactory(s, i, groups[i]!, opts.simulated?.has(s.config.name) ?? false));
  return new Engine(factories, opts);
}

class Engine implements BucketEngine, EngineState {
  readonly store: BucketStore;
  /** Latest replay event time seen: replayed buckets idle past their life by then are collected. */
  watermark: GoTime | null = null;
  nextId = 0;
  private readonly now: () => number;
  private readonly live: boolean;
  private readonly observer: PourObserver | undefined;
  private poursSinceSweep = 0;
  private sizeAfterSweep = 0;
  // Reused per pour: expressions get the same variables objects, refilled.
  private readonly evtVars: { evt: Event | null } = { evt: null };
  private readonly bucketVars: { evt: Event | null; queue: unknown; leaky: Bucket | null } = { evt: null, queue: null, leaky: null };
  private readonly overflowVars: { queue: unknown; signal: RuntimeAlert | null; leaky: Bucket | null } = { queue: null, signal: null, leaky: null };
  // Per pour: the event's replay time and the wall time, computed at most once.
  private timeOf: Event | null = null;
  private eventTime: GoTime | undefined;
  private nowOf: Event | null = null;
  private nowTime: GoTime = GoTime.ZERO;
  private nowMs = 0;
  /** Per scenario: its buckets may hold trimmed events. Empty when trimming is off. */
  private readonly trims: readonly boolean[];
  /**
   * Filter guards (expr guards.ts) by scenario, as slots of the distinct entries they read; the
   * entries are read once per pour (undefined: not yet), and again after an expression wrote
   * into event data.
   */
  private readonly guardSlots: readonly (readonly { readonly slot: number; readonly values: ReadonlySet<string> }[])[];
  private readonly guardReads: readonly FieldGuard["read"][];
  private readonly guardValues: (string | typeof UNREADABLE | undefined)[];
  private guardWrites = -1;
  /** This pour put the event in a bucket; in one whose scenario needs it whole. */
  private held = false;
  private heldWhole = false;

  constructor(
    readonly factories: readonly BucketFactory[],
    opts: BucketEngineOptions,
  ) {
    this.store = new BucketStore(opts.maxBuckets ?? DEFAULT_MAX_BUCKETS);
    this.now = opts.now ?? Date.now;
    this.live = opts.mode === "live";
    this.observer = opts.observer;
    this.trims = opts.trimHeldEvents && !opts.observer ? factories.map((f) => heldEventsTrimmable(f.scenario)) : [];
    const slots = new Map<string, number>();
    const reads: FieldGuard["read"][] = [];
    this.guardSlots = factories.map((f) =>
      f.scenario.filter.guards.map((g) => {
        const k = `${g.variable}\u0000${g.field}\u0000${g.key}`;
        let slot = slots.get(k);
        if (slot === undefined) {
          slots.set(k, (slot = reads.length));
          reads.push(g.read);
        }
        return { slot, values: g.values };
      }),
    );
    this.guardReads = reads;
    this.guardValues = new Array<string | typeof UNREADABLE | undefined>(reads.length).fill(undefined);
  }

  /** Whether scenario i's filter must run: false when one of its guards fails (the filter would answer false). */
  private guardsHold(i: number): boolean {
    const guards = this.guardSlots[i]!;
    if (guards.length === 0) return true;
    const values = this.guardValues;
    if (eventWrites.count !== this.guardWrites) {
      values.fill(undefined);
      this.guardWrites = eventWrites.count;
    }
    for (let k = 0; k < guards.length; k++) {
      const g = guards[k]!;
      let v = values[g.slot];
      if (v === undefined) values[g.slot] = v = this.guardReads[g.slot]!(this.evtVars) ?? UNREADABLE;
      if (v !== UNREADABLE && !g.values.has(v)) return false;
    }
    return true;
  }

  get size(): number {
    return this.store.size;
  }

  countByScenario(): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of this.store.values()) {
      const name = this.factories[b.scenario]!.scenario.config.name;
      out.set(name, (out.get(name) ?? 0) + 1);
    }
    return out;
  }

  pour(evt: Event): readonly Overflow[] {
    let out: Overflow[] | undefined;
    const vars = this.evtVars;
    vars.evt = evt;
    this.timeOf = null;
    this.nowOf = null;
    this.held = false;
    this.heldWhole = false;
    this.guardWrites = -1; // a new event: its entries are read afresh
    const factories = this.factories;
    for (let i = 0; i < factories.length; i++) {
      const f = factories[i]!;
      const s = f.scenario;
      // a failed leading test (`evt.Meta.log_type in [...]`) is the filter's false, without running it
      if (!this.guardsHold(i)) {
        this.observer?.onPour(s, "", 0, 0, FILTERED);
        continue;
      }
      const pass = s.filter.run(vars);
      if (pass !== true) {
        if (pass instanceof ExprRuntimeError) {
          this.observer?.onPour(s, "", 0, 0, { kind: "error", stage: "filter", message: pass.message });
          break;
        }
        this.observer?.onPour(s, "", 0, 0, FILTERED);
        continue;
      }
      let partition = "";
      if (s.groupby) {
        const g = s.groupby.run(vars);
        if (typeof g !== "string") {
          const message = g instanceof ExprRuntimeError ? g.message : "groupby did not return a string";
          this.observer?.onPour(s, "", 0, 0, { kind: "error", stage: "groupby", message });
          break;
        }
        partition = g;
      }
      const r = this.pourInto(f, partition, evt, out);
      if (r === false) break;
      out = r;
    }
    vars.evt = null;
    if (this.held && !this.heldWhole && evt.Type === LOG) trimHeldEvent(evt);
    // amortized: a sweep costs the buckets held, at most twice the pours since the last one
    if (++this.poursSinceSweep >= GC_MIN_POURS && this.poursSinceSweep >= this.sizeAfterSweep) this.collect();
    return out ?? NONE;
  }

  /** Finds or creates the bucket and pours; false when the event cannot go on (no valid mode). */
  private pourInto(f: BucketFactory, partition: string, evt: Event, out: Overflow[] | undefined): Overflow[] | undefined | false {
    let b = this.store.touch(f.group, partition);
    if (b !== undefined) {
      if (b.Mode === LIVE) {
        if (this.live && isTimerDue(b, this.wallMs(evt))) {
          this.store.remove(b);
          if (this.factories[b.scenario]!.isTimed) {
            b.Ovflw_ts = timerOverflowTime(b);
            out = this.emit(this.overflow(this.factories[b.scenario]!, b), out);
          }
          b = undefined;
        }
      } else if (!b.First_ts.IsZero()) {
        // replay expiry (manager_run.go): an event later than Last_ts + life finds the bucket gone
        const d = this.replayTime(evt) ?? GoTime.ZERO;
        if (d.After(b.Last_ts.Add(b.Duration))) {
          this.store.remove(b);
          b = undefined;
        }
      }
    }
    if (b === undefined) {
      const mode = evt.ExpectMode;
      if (mode !== LIVE && mode !== TIMEMACHINE) {
        this.observer?.onPour(f.scenario, partition, 0, 0, { kind: "error", stage: "mode", message: `input event has no expected mode: ${mode}` });
        return false;
      }
      b = new Bucket({
        group: f.group,
        scenario: f.index,
        partition,
        filter: f.scenario.config.filter,
        name: f.scenario.config.name,
        uuid: `bucket-${++this.nextId}`,
        mode,
        durationNs: f.durationNs,
        queueLimit: f.queueLimit,
      });
      this.store.add(b);
    }
    // the bucket follows the rules of the scenario that created it (they share a key only if filter and name agree)
    return this.pourIntoBucket(this.factories[b.scenario]!, b, evt, out);
  }

  private pourIntoBucket(f: BucketFactory, b: Bucket, evt: Event, out: Overflow[] | undefined): Overflow[] | undefined {
    const s = f.scenario;
    const observer = this.observer;
    const before = observer ? this.level(f, b, evt) : 0;
    const vars = this.evtVars;
    if (f.isTrigger) {
      pourTrigger(b, evt, b.Mode === TIMEMACHINE ? (this.replayTime(evt) ?? this.wallTime(evt)) : this.wallTime(evt));
    } else {
      if (s.distinct && isDuplicate(b, s.distinct, vars)) {
        observer?.onPour(s, b.partition, before, before, DUPLICATE);
        return out;
      }
      if (s.cancelOn && shouldCancel(s.cancelOn, vars)) {
        this.store.remove(b);
        observer?.onPour(s, b.partition, before, 0, CANCELED);
        return out;
      }
      const at = b.Mode === TIMEMACHINE ? this.replayTime(evt) : this.wallTime(evt);
      if (at === undefined) observer?.onPour(s, b.partition, before, before, NO_TIME);
      else {
        b.Total_count++;
        if (b.First_ts.IsZero()) b.First_ts = at;
        b.Last_ts = at;
        if (allowAt(b, at, f.limit, f.burst) || f.isConditional) b.Queue.add(evt);
        else {
          b.Ovflw_ts = at;
          b.Queue.add(evt);
          b.pendingOverflow = true;
        }
        this.held = true;
        if (this.trims[b.scenario] !== true) this.heldWhole = true;
      }
      let decided = false;
      if (s.condition || f.bayesian) {
        const bv = this.bucketVars;
        bv.evt = evt;
        bv.queue = b.Queue;
        bv.leaky = b;
        if (s.condition && isConditionMet(s.condition, bv)) decided = true;
        else if (f.bayesian && bayesianPosterior(f.bayesian, b, bv) > f.bayesian.threshold) decided = true;
        bv.evt = null;
        bv.leaky = null;
        bv.queue = null;
        if (decided) {
          b.Ovflw_ts = b.Last_ts;
          b.pendingOverflow = true;
        }
      }
      if (!decided && b.Mode === LIVE) restartTimer(b, f.isTimed, this.wallMs(evt));
    }
    if (!b.pendingOverflow) {
      observer?.onPour(s, b.partition, before, observer ? this.level(f, b, evt) : 0, POURED);
      return out;
    }
    this.store.remove(b);
    const ovf = this.overflow(f, b, before);
    return this.emit(ovf, out);
  }

  private emit(ovf: Overflow | undefined, out: Overflow[] | undefined): Overflow[] | undefined {
    if (ovf === undefined) return out;
    if (out === undefined) return [ovf];
    out.push(ovf);
    return out;
  }

  /** The bucket is dead: build the alert, run the overflow hooks (overflow_filter, then blackhole). */
  private overflow(f: BucketFactory, b: Bucket, levelBefore = 0): Overflow | undefined {
    const s = f.scenario;
    const built = newRuntimeAlert(f.alert, b, b.Queue.Queue);
    const level = this.observer ? b.Total_count : 0;
    if (s.overflowFilter) {
      const v = this.overflowVars;
      v.queue = b.Queue;
      v.signal = built.alert;
      v.leaky = b;
      const kept = isOverflowKept(s.overflowFilter, v);
      v.queue = null;
      v.signal = null;
      v.leaky = null;
      if (!kept) {
        this.observer?.onPour(s, b.partition, levelBefore, level, BY_FILTER);
        return undefined;
      }
    }
    // blackhole runs even when no alert could be built: the key is hidden all the same
    if (f.blackhole && !f.blackhole.admit(b.Mapkey, b.Ovflw_ts)) {
      this.observer?.onPour(s, b.partition, levelBefore, level, BY_BLACKHOLE);
      return undefined;
    }
    if (built.alert.Alert === null) {
      this.observer?.onPour(s, b.partition, levelBefore, level, { kind: "discarded", by: "alert", reason: built.error ?? "no source" });
      return undefined;
    }
    this.observer?.onPour(s, b.partition, levelBefore, level, OVERFLOWED);
    const evt = new Event();
    evt.Type = OVFLW;
    evt.Overflow = built.alert;
    evt.MarshaledTime = b.Ovflw_ts.toJSON();
    return { scenario: s, event: evt };
  }

  tick(): readonly Overflow[] {
    if (!this.live) return NONE;
    const nowMs = this.now();
    let out: Overflow[] | undefined;
    for (const b of [...this.store.values()]) {
      if (b.Mode !== LIVE || !isTimerDue(b, nowMs)) continue;
      this.store.remove(b);
      const f = this.factories[b.scenario]!;
      if (f.isTimed) {
        b.Ovflw_ts = timerOverflowTime(b);
        out = this.emit(this.overflow(f, b), out);
      }
    }
    return out ?? NONE;
  }

  flush(): readonly Overflow[] {
    this.store.clear();
    return NONE;
  }

  snapshot(): BucketSnapshot {
    return snapshotEngineState(this);
  }

  restore(snapshot: BucketSnapshot): Problem[] {
    return restoreEngineState(this, snapshot);
  }

  /**
   * Replay GC: a replayed bucket idle past its life by the latest event time is gone for any
   * later in-order event (§10.2), so it is dropped now; live buckets whose timer fired and that
   * would only underflow go too. Counters due in live mode wait for tick().
   */
  private collect(): void {
    this.poursSinceSweep = 0;
    const watermark = this.watermark;
    const nowMs = this.live ? this.now() : Number.NaN;
    this.store.sweep((b) => {
      if (b.Mode === LIVE) return this.live && !this.factories[b.scenario]!.isTimed && isTimerDue(b, nowMs);
      if (b.First_ts.IsZero()) return true;
      return watermark !== null && b.Duration > 0 && watermark.After(b.Last_ts.Add(b.Duration));
    });
    this.sizeAfterSweep = this.store.size;
  }

  /** The event's replay time (MarshaledTime), parsed once per pour; undefined when Go would refuse it. */
  private replayTime(evt: Event): GoTime | undefined {
    if (this.timeOf !== evt) {
      this.timeOf = evt;
      this.eventTime = evt.MarshaledTime === "" ? undefined : parseMarshaledTime(evt.MarshaledTime);
      const t = this.eventTime;
      if (t !== undefined && (this.watermark === null || t.After(this.watermark))) this.watermark = t;
    }
    return this.eventTime;
  }

  private wallMs(evt: Event): number {
    if (this.nowOf !== evt) {
      this.nowOf = evt;
      this.nowMs = this.now();
      this.nowTime = wallTime(this.nowMs);
    }
    return this.nowMs;
  }

  private wallTime(evt: Event): GoTime {
    this.wallMs(evt);
    return this.nowTime;
  }

  /** Observer level: capacity − tokens (at the event's time) for token buckets, Total_count otherwise. */
  private level(f: BucketFactory, b: Bucket, evt: Event): number {
    if (f.limit === Infinity || f.isTrigger || f.isConditional) return b.Total_count;
    const at = b.Mode === TIMEMACHINE ? this.replayTime(evt) : this.wallTime(evt);
    return at === undefined ? f.burst - b.tokens : f.burst - tokensAt(b, at, f.limit, f.burst);
  }
}
