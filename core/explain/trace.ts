import type { CompiledScenario } from "../buckets";
import type { BucketPour, ExplainBuckets } from "./buckets";
import { newLogEvent, type Event } from "../event";
import { ExprRuntimeError, GoTime } from "../expr";
import { parseEvent, type ParserRuntime, type ParserTree } from "../parser";

export interface FieldChange {
  /** `Parsed.program`, `Meta.source_ip`, `StrTime`… */
  readonly field: string;
  readonly before?: string;
  readonly after?: string;
}

export interface NodeTrace {
  readonly name: string;
  readonly success: boolean;
  readonly changes: readonly FieldChange[];
}

export interface StageTrace {
  readonly stage: string;
  readonly nodes: NodeTrace[];
}

export interface LineTrace {
  /** 1-based line number in its source. */
  readonly line: number;
  readonly raw: string;
  /** parsed: every stage passed; unparsed: a stage had no successful node; whitelisted: parsed, then dropped. */
  readonly outcome: "parsed" | "unparsed" | "whitelisted" | "error";
  /** For unparsed lines, the stage where the event was dropped; for errors, the message. */
  readonly reason?: string;
  readonly stages: readonly StageTrace[];
  /** Scenarios whose filter accepts the parsed event, in load order. */
  readonly scenarios: readonly string[];
  /** The event's Meta after parsing (what scenarios and alerts see). */
  readonly meta: Readonly<Record<string, string>>;
  /** With bucket tracing: each bucket the event was poured into, level before and after. */
  readonly buckets?: readonly BucketPour[];
}

export interface ExplainContext {
  readonly tree: ParserTree;
  readonly runtime: ParserRuntime;
  readonly scenarios: readonly CompiledScenario[];
  readonly labels: Readonly<Record<string, string>>;
  readonly src: string;
  /** Compute per-node field changes (costs a snapshot per node). */
  readonly withChanges: boolean;
  /** Pour parsed events into buckets and report each pour (explain --buckets, --why-not). */
  readonly buckets?: ExplainBuckets;
}

/** Parses one line as explain shows it. */
export function explainLine(raw: string, line: number, ctx: ExplainContext): LineTrace {
  const evt = newLogEvent({ raw, src: ctx.src, labels: ctx.labels, time: new GoTime(ctx.runtime.now()), timeMachine: true });
  const stages: StageTrace[] = [];
  let before: Map<string, string> | undefined;
  const outcome = parseEvent(ctx.tree, evt, ctx.runtime, {
    beforeNode: ctx.withChanges ? (_stage, _node, e) => void (before = snapshot(e)) : undefined,
    afterNode(stage, node, e, success) {
      let st = stages[stages.length - 1];
      if (!st || st.stage !== stage) stages.push((st = { stage, nodes: [] }));
      st.nodes.push({ name: node.name, success, changes: before ? diff(before, snapshot(e)) : [] });
    },
  });
  // The node that failed with an error is not reported to observers (upstream records nothing for
  // it): show it anyway, with what it changed before failing.
  if (outcome.kind === "error") {
    let st = stages[stages.length - 1];
    if (!st || st.stage !== outcome.stage) stages.push((st = { stage: outcome.stage, nodes: [] }));
    st.nodes.push({ name: outcome.node, success: false, changes: before ? diff(before, snapshot(evt)) : [] });
  }
  const meta = { ...(evt.Meta ?? {}) };
  if (outcome.kind === "unparsed") return { line, raw, outcome: "unparsed", reason: outcome.stage, stages, scenarios: [], meta };
  if (outcome.kind === "error") return { line, raw, outcome: "error", reason: outcome.message, stages, scenarios: [], meta };
  if (evt.Whitelisted) return { line, raw, outcome: "whitelisted", reason: evt.WhitelistReason, stages, scenarios: [], meta };
  const scenarios = matchingScenarios(ctx.scenarios, evt);
  if (!ctx.buckets) return { line, raw, outcome: "parsed", stages, scenarios, meta };
  return { line, raw, outcome: "parsed", stages, scenarios, meta, buckets: ctx.buckets.pour(evt) };
}

function matchingScenarios(scenarios: readonly CompiledScenario[], evt: Event): string[] {
  const vars = { evt };
  const out: string[] = [];
  for (const s of scenarios) {
    const r = s.filter.run(vars);
    if (r instanceof ExprRuntimeError) break; // upstream stops pouring this event on a filter error
    if (r === true) out.push(s.config.name);
  }
  return out;
}

/** The event's fields as flat text, for before/after comparison. */
function snapshot(e: Event): Map<string, string> {
  const out = new Map<string, string>();
  const maps = [["Parsed", e.Parsed], ["Meta", e.Meta], ["Enriched", e.Enriched]] as const;
  for (const [prefix, m] of maps) if (m) for (const k in m) out.set(`${prefix}.${k}`, m[k]!);
  if (e.Unmarshaled) for (const k in e.Unmarshaled) out.set(`Unmarshaled.${k}`, JSON.stringify(e.Unmarshaled[k]) ?? "null");
  if (e.StrTime) out.set("StrTime", e.StrTime);
  if (e.MarshaledTime) out.set("MarshaledTime", e.MarshaledTime);
  if (e.Whitelisted) out.set("Whitelisted", "true");
  if (e.WhitelistReason) out.set("WhitelistReason", e.WhitelistReason);
  return out;
}

function diff(before: Map<string, string>, after: Map<string, string>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, value] of after) {
    const old = before.get(field);
    if (old !== value) out.push(old === undefined ? { field, after: value } : { field, before: old, after: value });
  }
  for (const [field, value] of before) if (!after.has(field)) out.push({ field, before: value });
  return out;
}
