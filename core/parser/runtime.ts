/**
 * The per-event parser runtime: the node algorithm and the stage loop of pkg/parser/node.go and
 * runtime.go (PARSERS.md §3–§4). Synchronous, and it runs only what compile.ts built.
 */
import { ExprRuntimeError, formatStaticValue, GoTime } from "../expr";
import { newMap, type Event } from "../event";
import { goCIDRContains, parseGoAddr, type GoAddr } from "../net";
import type { Enricher } from "../enrich";
import type { CompiledNode, CompiledStatic, CompiledWhitelist, StaticTarget } from "./compile";
import type { StashStore } from "./stash";
import { setTarget } from "./target";

export interface ParserRuntime {
  readonly enrichers: ReadonlyMap<string, Enricher>;
  readonly stash: StashStore;
  /** Wall clock, for events that reach the parsers without a time. */
  readonly now: () => number;
  /** Per-event warnings (filter runtime errors…); the caller counts or rate-limits them. */
  readonly warn?: (message: string, node: CompiledNode) => void;
}

/**
 * Called for every top-level node tried on an event, after it ran (hubtest dumps, explain). A node
 * that ends in a hard error is not reported: the outcome names it.
 */
export interface ParseObserver {
  beforeNode?(stage: string, node: CompiledNode, evt: Event): void;
  afterNode(stage: string, node: CompiledNode, evt: Event, success: boolean): void;
}

export interface ParserTree {
  /** Stages that have at least one node, sorted as strings. */
  readonly stages: readonly string[];
  /** Top-level nodes per stage, in load order. */
  readonly nodesByStage: ReadonlyMap<string, readonly CompiledNode[]>;
}

export type ParseOutcome =
  | { readonly kind: "parsed" }
  /** No node of `stage` succeeded, or the event was not promoted to it: upstream drops the event. */
  | { readonly kind: "unparsed"; readonly stage: string }
  /** A static produced a value of a type upstream refuses: the event is dropped with an error. */
  | { readonly kind: "error"; readonly stage: string; readonly node: string; readonly message: string };

const PARSED: ParseOutcome = { kind: "parsed" };

/** Orders top-level nodes into a tree; nodes come in load order (files sorted by install path). */
export function buildParserTree(nodes: readonly CompiledNode[]): ParserTree {
  const nodesByStage = new Map<string, CompiledNode[]>();
  for (const n of nodes) {
    let list = nodesByStage.get(n.stage);
    if (!list) nodesByStage.set(n.stage, (list = []));
    list.push(n);
  }
  return { stages: [...nodesByStage.keys()].sort(), nodesByStage };
}

type ExprVars = { readonly evt: Event };

class HardError {
  constructor(readonly message: string) {}
}

/** Runs the stage loop on `evt` (mutated in place). */
export function parseEvent(tree: ParserTree, evt: Event, rt: ParserRuntime, observer?: ParseObserver): ParseOutcome {
  const stages = tree.stages;
  // With no stage at all the loop below does nothing and the event passes, as upstream Parse.
  if (evt.Stage === "" && stages.length > 0) evt.Stage = stages[0]!;
  evt.Process = false;
  if (evt.Time.IsZero()) evt.Time = new GoTime(rt.now());
  evt.Parsed ??= newMap<string>();
  evt.Enriched ??= newMap<string>();
  evt.Meta ??= newMap<string>();
  evt.Unmarshaled ??= newMap<unknown>();
  // One variables object per event, shared by every expression run on it.
  const vars: ExprVars = { evt };
  for (let si = 0; si < stages.length; si++) {
    const stage = stages[si]!;
    const current = stages.indexOf(evt.Stage);
    if (current > si) continue; // the event starts at a later stage
    if (evt.Stage !== stage) return { kind: "unparsed", stage: evt.Stage };
    let stageOk = false;
    for (const node of tree.nodesByStage.get(stage) ?? []) {
      observer?.beforeNode?.(stage, node, evt);
      const r = processNode(node, evt, vars, rt, stages);
      // As upstream Parse: a node error returns at once, before the collector records the node.
      if (r instanceof HardError) return { kind: "error", stage, node: node.name, message: r.message };
      observer?.afterNode(stage, node, evt, r);
      if (r) stageOk = true;
      if (r && node.onsuccess === "next_stage") break;
      if (evt.Stage !== stage) break;
    }
    if (!stageOk) return { kind: "unparsed", stage };
  }
  evt.Process = true;
  return PARSED;
}

function processNode(node: CompiledNode, evt: Event, vars: ExprVars, rt: ParserRuntime, stages: readonly string[]): boolean | HardError {
  if (node.filter) {
    const ok = node.filter.run(vars);
    if (ok instanceof ExprRuntimeError) {
      rt.warn?.(`filter failed: ${ok.message}`, node);
      return false;
    }
    if (ok !== true) return false;
  }

  const whitelisted = node.whitelist ? checkWhitelist(node.whitelist, evt, vars, rt, node) : false;

  let state = true;
  let grokOk = false;
  if (node.grok) {
    const input = grokInput(node, evt, vars, rt);
    grokOk = input !== undefined && node.grok.pattern.matchInto(input, evt.Parsed!);
    if (grokOk) {
      const e = applyStatics(node.grok.statics, evt, vars, rt, node);
      if (e) return e;
    }
    state = grokOk;
  }

  if (!node.grok || grokOk) runStash(node, vars, rt);

  for (const child of node.children) {
    const r = processNode(child, evt, vars, rt, stages);
    if (r instanceof HardError) return r;
    if (r) {
      state = true;
      if (node.onsuccess === "next_stage") break;
    } else if (!grokOk) {
      state = false;
    }
  }

  if (state && (!node.whitelist || whitelisted)) {
    const e = applyStatics(node.statics, evt, vars, rt, node);
    if (e) return e;
  }
  if (state && node.onsuccess === "next_stage") {
    const i = stages.indexOf(evt.Stage);
    if (i >= 0 && i + 1 < stages.length) evt.Stage = stages[i + 1]!;
  }
  return state;
}

function grokInput(node: CompiledNode, evt: Event, vars: ExprVars, rt: ParserRuntime): string | undefined {
  const g = node.grok!;
  if (g.expression) {
    const v = g.expression.run(vars);
    if (v instanceof ExprRuntimeError) {
      rt.warn?.(`grok expression failed: ${v.message}`, node);
      return undefined;
    }
    const kind = g.expression.resultType.kind;
    if (typeof v === "string" && (kind === "string" || kind === "any")) return v;
    const s = formatStaticValue(v, g.expression.resultType);
    return s.kind === "text" ? s.text : "";
  }
  if (g.applyOn === undefined || g.applyOn === "Line.Raw") return evt.Line.Raw;
  const parsed = evt.Parsed!;
  return Object.prototype.hasOwnProperty.call(parsed, g.applyOn) ? parsed[g.applyOn] : undefined;
}

/** IPs and CIDRs against the event's IP sources, then expressions (PARSERS.md §8). */
function checkWhitelist(w: CompiledWhitelist, evt: Event, vars: ExprVars, rt: ParserRuntime, node: CompiledNode): boolean {
  let matched = false;
  if (w.ips.length > 0 || w.cidrs.length > 0) {
    const sources = ipSources(evt);
    for (let i = 0; i < sources.length && !matched; i++) matched = inWhitelist(w, sources[i]!);
  }
  if (!matched) {
    for (const e of w.expressions) {
      const v = e.run(vars);
      if (v instanceof ExprRuntimeError) {
        rt.warn?.(`whitelist expression failed: ${v.message}`, node);
        return false;
      }
      if (v === true) {
        matched = true;
        break;
      }
    }
  }
  if (matched && !evt.Whitelisted) {
    evt.Whitelisted = true;
    evt.WhitelistReason = w.reason;
    if (evt.Type === 1 && evt.Overflow) evt.Overflow.Whitelisted = true;
  }
  return matched;
}

/** netip.Prefix.Contains: ::ffff:10.1.2.3 is not in 10.0.0.0/8 (net.IPNet would say it is). */
function inWhitelist(w: CompiledWhitelist, ip: GoAddr): boolean {
  for (let i = 0; i < w.ips.length; i++) if (sameAddr(w.ips[i]!, ip)) return true;
  for (let i = 0; i < w.cidrs.length; i++) {
    const c = w.cidrs[i]!;
    if (c.is4 === ip.is4 && goCIDRContains(c.net, ip.bytes)) return true;
  }
  return false;
}

/** netip equality: 1.2.3.4 and ::ffff:1.2.3.4 are different addresses. */
function sameAddr(a: GoAddr, b: GoAddr): boolean {
  if (a.is4 !== b.is4) return false;
  for (let i = 0; i < 16; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

const NO_SOURCES: readonly GoAddr[] = [];
let lastSourceText = "";
let lastSources: readonly GoAddr[] = NO_SOURCES;

/** LOG: Meta.source_ip; OVFLW: every key of Overflow.Sources that is an IP. */
function ipSources(evt: Event): readonly GoAddr[] {
  if (evt.Type !== 1) {
    const text = evt.Meta?.source_ip;
    if (!text) return NO_SOURCES;
    // whitelist nodes of consecutive events ask about the same few sources
    if (text !== lastSourceText) {
      lastSourceText = text;
      const addr = parseGoAddr(text);
      lastSources = addr && addr.zone === "" ? [addr] : NO_SOURCES;
    }
    return lastSources;
  }
  const out: GoAddr[] = [];
  for (const t of Object.keys(evt.Overflow?.Sources ?? {})) {
    const addr = parseGoAddr(t);
    if (addr && addr.zone === "") out.push(addr);
  }
  return out;
}

function runStash(node: CompiledNode, vars: ExprVars, rt: ParserRuntime): void {
  for (const s of node.stash) {
    const key = s.key.run(vars);
    const value = s.value.run(vars);
    if (typeof key !== "string" || typeof value !== "string") {
      rt.warn?.(`stash "${s.name}": key and value must be strings`, node);
      continue;
    }
    rt.stash.set(s.name, key, value, s.ttlMs, s.size);
  }
}

/** Applies statics in order; a value of a type upstream refuses is a hard error (PARSERS.md §5.2). */
function applyStatics(statics: readonly CompiledStatic[], evt: Event, vars: ExprVars, rt: ParserRuntime, node: CompiledNode): HardError | undefined {
  for (const s of statics) {
    let value: string;
    if (s.value !== undefined) value = s.value;
    else if (s.expression) {
      const v = s.expression.run(vars);
      const kind = s.expression.resultType.kind;
      // a string result of a string (or any) expression is written as it is: formatStaticValue's answer, without its object
      if (typeof v === "string" && (kind === "string" || kind === "any")) value = v;
      else {
        if (v instanceof ExprRuntimeError) {
          rt.warn?.(`static expression failed: ${v.message}`, node);
          continue;
        }
        const f = formatStaticValue(v, s.expression.resultType);
        if (f.kind === "error") return new HardError(`static of node "${node.name}": ${f.reason}`);
        if (f.kind === "warning") {
          rt.warn?.(`static of node "${node.name}": ${f.reason}`, node);
          continue;
        }
        value = f.text;
      }
    } else continue;
    if (value === "" && !(s.target.kind === "method" && s.target.method === "ParseDate")) continue;
    writeStatic(s.target, value, evt, rt);
  }
  return undefined;
}

function writeStatic(target: StaticTarget, value: string, evt: Event, rt: ParserRuntime): void {
  switch (target.kind) {
    case "parsed":
      evt.Parsed![target.key] = value;
      return;
    case "meta":
      evt.Meta![target.key] = value;
      return;
    case "enriched":
      evt.Enriched![target.key] = value;
      return;
    case "method": {
      const enricher = rt.enrichers.get(target.method);
      if (!enricher) return;
      const out = enricher(value, evt);
      if (out) for (const k in out) evt.Enriched![k] = out[k]!;
      return;
    }
    case "target":
      if (target.plan) setTarget(evt, target.plan, value);
      return;
    default: {
      const never: never = target;
      throw new Error(`unknown static target ${JSON.stringify(never)}`);
    }
  }
}
