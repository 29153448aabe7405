/**
 * What happens to overflows once emitted (cmd/crowdsec/output.go), in emission order:
 * postoverflows run on the overflow event; it is recorded (upstream's bucket dump, whitelisted
 * ones included); a whitelisted overflow stops there; a `reprocess` one is poured back into the
 * buckets (not parsed again); the rest become alerts to send.
 */
import { newMap, type Alert, type Event, type RuntimeAlert } from "../event";
import { GoTime } from "../expr";
import { parseEvent, type ParseObserver, type ParserRuntime, type ParserTree } from "../parser";

/** Reprocessing is recursive; a scenario that consumes its own overflows would never stop. */
const MAX_REPROCESS_DEPTH = 16;

export interface AlertOutputOptions {
  /** The postoverflow tree (s00-enrich, s01-whitelist…) and the runtime its nodes use. */
  readonly postoverflows?: { readonly tree: ParserTree; readonly runtime: ParserRuntime; readonly observer?: ParseObserver };
  /** Pours a reprocessed overflow back into the buckets and returns the overflows it causes. */
  readonly pour?: (evt: Event) => readonly { readonly event: Event }[];
}

export interface OutputBatch {
  /** Every overflow event after postoverflows, whitelisted ones included, in processing order. */
  readonly events: Event[];
  /** Runtime alerts to send to the Local API (not whitelisted), in processing order. */
  readonly alerts: RuntimeAlert[];
}

export interface AlertOutput {
  process(overflows: readonly { readonly event: Event }[]): OutputBatch;
}

/** parser.Parse on an overflow event; with no postoverflow stage upstream still fills the maps and the time. */
function runPostoverflows(evt: Event, opts: AlertOutputOptions["postoverflows"]): void {
  if (opts && opts.tree.stages.length > 0) {
    parseEvent(opts.tree, evt, opts.runtime, opts.observer);
    return;
  }
  evt.Process = false;
  if (evt.Time.IsZero()) evt.Time = new GoTime(opts ? opts.runtime.now() : Date.now());
  evt.Parsed ??= newMap<string>();
  evt.Enriched ??= newMap<string>();
  evt.Meta ??= newMap<string>();
  evt.Unmarshaled ??= newMap<unknown>();
  evt.Process = true;
}

export function createAlertOutput(opts: AlertOutputOptions = {}): AlertOutput {
  return {
    process(overflows) {
      const events: Event[] = [];
      const alerts: RuntimeAlert[] = [];
      const work: { evt: Event; depth: number }[] = overflows.map((o) => ({ evt: o.event, depth: 0 }));
      for (let i = 0; i < work.length; i++) {
        const { evt, depth } = work[i]!;
        runPostoverflows(evt, opts.postoverflows);
        events.push(evt);
        const ov = evt.Overflow;
        if (ov.Whitelisted) continue;
        if (ov.Reprocess && opts.pour && depth < MAX_REPROCESS_DEPTH) {
          for (const next of opts.pour(evt)) work.push({ evt: next.event, depth: depth + 1 });
        }
        alerts.push(ov);
      }
      return { events, alerts };
    },
  };
}

/** One alert per source, as sent to the Local API (output.go dedupAlerts). */
export function alertsBySource(alert: RuntimeAlert): Alert[] {
  const first = alert.Alert;
  if (!first) return [];
  const sources = alert.Sources;
  const keys = sources ? Object.keys(sources) : [];
  if (keys.length <= 1) return [first];
  return keys.map((k) => {
    const copy = Object.assign(Object.create(Object.getPrototypeOf(first) as object) as Alert, first);
    copy.Source = sources![k]!;
    return copy;
  });
}
