/**
 * Parsed LOG events across a thread boundary, as flat data: one array of strings and one of
 * numbers per batch, read back into Event objects one at a time on the other side. Every field
 * parsing can write is carried (the maps, the string fields statics may target, both times);
 * the rest of a LOG event is what newLogEvent made of it, and is checked to still be so.
 */
import { Event, newMap, type AnyMap, type StringMap } from "../event";
import { GoTime } from "../expr";

/** Events as data a worker can post (structured-clone friendly, no class instances). */
export interface EventBatchData {
  readonly count: number;
  readonly strings: string[];
  readonly numbers: number[];
  /** Unmarshaled maps that are not empty, in event order (their own structured clone). */
  readonly unmarshaled: AnyMap[];
}

const NULL_MAP = -1;

function putMap(m: StringMap | null, strings: string[], numbers: number[]): void {
  if (m === null) {
    numbers.push(NULL_MAP);
    return;
  }
  let n = 0;
  for (const k in m) {
    strings.push(k, m[k]!);
    n++;
  }
  numbers.push(n);
}

function putTime(t: GoTime, strings: string[], numbers: number[]): void {
  numbers.push(t.unixMs, t.offsetSeconds, t.subMsNanos);
  strings.push(t.zoneName);
}

/** Whether the parts of `e` that no parser writes are still as newLogEvent left them. */
function untouched(e: Event): boolean {
  const o = e.Overflow;
  const a = e.Appsec;
  return (
    o.Sources === null && o.Alert === null && o.APIAlerts === null && !o.Whitelisted && !o.Reprocess &&
    !a.HasInBandMatches && !a.HasOutBandMatches && a.MatchedRules === null && a.Vars === null && a.HookVars === null
  );
}

/** Writes events into batch data (worker side). Throws if an event has a part it cannot carry. */
export function encodeEvents(events: readonly Event[]): EventBatchData {
  const strings: string[] = [];
  const numbers: number[] = [];
  const unmarshaled: AnyMap[] = [];
  for (const e of events) {
    if (!untouched(e)) throw new Error("replay transfer: a parsed event has overflow or appsec data");
    const l = e.Line;
    numbers.push(e.Type, e.ExpectMode, (e.Whitelisted ? 1 : 0) | (e.Process ? 2 : 0) | (l.Process ? 4 : 0));
    strings.push(e.WhitelistReason, e.Stage, e.StrTime, e.StrTimeFormat, e.MarshaledTime, l.Raw, l.Src, l.Module, e.Overflow.Mapkey, e.Overflow.BucketId);
    putTime(e.Time, strings, numbers);
    putTime(l.Time, strings, numbers);
    putMap(l.Labels, strings, numbers);
    putMap(e.Parsed, strings, numbers);
    putMap(e.Enriched, strings, numbers);
    putMap(e.Meta, strings, numbers);
    const u = e.Unmarshaled;
    if (u === null) numbers.push(NULL_MAP);
    else {
      let empty = true;
      for (const _ in u) {
        empty = false;
        break;
      }
      if (empty) numbers.push(0);
      else {
        numbers.push(1);
        unmarshaled.push(u);
      }
    }
  }
  return { count: events.length, strings, numbers, unmarshaled };
}

/** Gives a structured clone's plain objects back their null prototype (maps are null-prototype objects). */
function restoreMaps(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = restoreMaps(v[i]);
    return v;
  }
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const m = newMap<unknown>();
    for (const k of Object.keys(v)) m[k] = restoreMaps((v as AnyMap)[k]);
    return m;
  }
  return v;
}

/** Reads a batch back, one event per `next()` (main side), so only the event poured is alive. */
export class EventBatchReader {
  private s = 0;
  private n = 0;
  private u = 0;
  private read = 0;

  constructor(private readonly data: EventBatchData) {}

  get remaining(): number {
    return this.data.count - this.read;
  }

  next(): Event | undefined {
    if (this.read >= this.data.count) return undefined;
    this.read++;
    const { strings, numbers } = this.data;
    const e = new Event();
    const l = e.Line;
    e.Type = numbers[this.n++]!;
    e.ExpectMode = numbers[this.n++]!;
    const flags = numbers[this.n++]!;
    e.Whitelisted = (flags & 1) !== 0;
    e.Process = (flags & 2) !== 0;
    l.Process = (flags & 4) !== 0;
    e.WhitelistReason = strings[this.s++]!;
    e.Stage = strings[this.s++]!;
    e.StrTime = strings[this.s++]!;
    e.StrTimeFormat = strings[this.s++]!;
    e.MarshaledTime = strings[this.s++]!;
    l.Raw = strings[this.s++]!;
    l.Src = strings[this.s++]!;
    l.Module = strings[this.s++]!;
    e.Overflow.Mapkey = strings[this.s++]!;
    e.Overflow.BucketId = strings[this.s++]!;
    e.Time = this.time();
    l.Time = this.time();
    l.Labels = this.map();
    e.Parsed = this.map();
    e.Enriched = this.map();
    e.Meta = this.map();
    const u = numbers[this.n++]!;
    e.Unmarshaled = u === NULL_MAP ? null : u === 0 ? newMap<unknown>() : (restoreMaps(this.data.unmarshaled[this.u++]) as AnyMap);
    return e;
  }

  private time(): GoTime {
    const { strings, numbers } = this.data;
    const ms = numbers[this.n++]!;
    const offset = numbers[this.n++]!;
    const sub = numbers[this.n++]!;
    const zone = strings[this.s++]!;
    return ms === GoTime.ZERO.unixMs && offset === 0 && sub === 0 && zone === GoTime.ZERO.zoneName ? GoTime.ZERO : new GoTime(ms, offset, sub, zone);
  }

  private map(): StringMap | null {
    const count = this.data.numbers[this.n++]!;
    if (count === NULL_MAP) return null;
    const strings = this.data.strings;
    const m = newMap<string>();
    for (let i = 0; i < count; i++) {
      const k = strings[this.s++]!;
      m[k] = strings[this.s++]!;
    }
    return m;
  }
}
