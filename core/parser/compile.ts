/**
 * Parser node configs → compiled nodes: every expression, grok pattern, whitelist IP and data file
 * is compiled here, once, at load time. The per-event runtime (runtime.ts) only runs what this builds.
 */
import { formatPath, type SourceDoc, type YamlPath } from "../config";
import { compileExpr, parseDuration, typeName, type ExprProgram } from "../expr";
import type { HelperContext } from "../expr/functions/types";
import { PARSER_ENV } from "../event";
import { compileGrok, type GrokPattern, type PatternLibrary } from "../grok";
import { parseGoAddr, parseGoCIDR, type GoAddr, type GoIPNet } from "../net";
import { problem, type Problem, type Result } from "../result";
import type { GrokConfig, NodeConfig, OnSuccess, StaticConfig, StashConfig, WhitelistConfig } from "./node-config";
import { resolveTarget, type TargetPlan } from "./target";

/** Where a static writes: a map key of the event, a dotted field path, or an enricher call. */
export type StaticTarget =
  | { readonly kind: "parsed" | "meta" | "enriched"; readonly key: string }
  /** `plan` is undefined when the path names nothing upstream can write: the static does nothing. */
  | { readonly kind: "target"; readonly text: string; readonly plan: TargetPlan | undefined }
  | { readonly kind: "method"; readonly method: string };

export interface CompiledStatic {
  readonly target: StaticTarget;
  /** A literal `value:` wins over `expression:` (as upstream). */
  readonly value?: string;
  readonly expression?: ExprProgram;
  readonly at: YamlPath;
}

export interface CompiledGrok {
  readonly pattern: GrokPattern;
  /** `Line.Raw`, or the name of an `evt.Parsed` key. */
  readonly applyOn?: string;
  readonly expression?: ExprProgram;
  readonly statics: readonly CompiledStatic[];
}

export interface CompiledWhitelist {
  readonly reason: string;
  readonly ips: readonly GoAddr[];
  /** `is4`: the prefix was written as IPv4; netip never matches across families (4in6 included). */
  readonly cidrs: readonly { readonly net: GoIPNet; readonly is4: boolean }[];
  readonly expressions: readonly ExprProgram[];
}

export interface CompiledStash {
  readonly name: string;
  readonly key: ExprProgram;
  readonly value: ExprProgram;
  readonly ttlMs: number;
  readonly size: number;
  readonly strategy: string;
}

export interface CompiledNode {
  /** Name shown in dumps and traces; unnamed children get "child-<parent>". */
  readonly name: string;
  /** True for nodes with a `name:` of their own (only those are recorded in dumps). */
  readonly named: boolean;
  readonly stage: string;
  readonly filter?: ExprProgram;
  readonly onsuccess: OnSuccess;
  readonly grok?: CompiledGrok;
  readonly stash: readonly CompiledStash[];
  readonly children: readonly CompiledNode[];
  readonly whitelist?: CompiledWhitelist;
  readonly statics: readonly CompiledStatic[];
  readonly debug: boolean;
  readonly file: string;
}

export interface CompileNodeContext {
  /** Shared by every parser file of one tree: `pattern_syntax` entries are added to it in load order. */
  readonly patterns: PatternLibrary;
  readonly helpers?: HelperContext;
  /** Enricher method names; an unknown `method:` is reported as a warning-level problem. */
  readonly knownMethods?: ReadonlySet<string>;
  /** Problems that do not stop the node from loading (e.g. duplicate pattern_syntax). */
  readonly warnings?: Problem[];
}

/** Compiles one top-level node (and its children) for `stage`; problems carry file, line and field. */
export function compileNode(
  config: NodeConfig,
  stage: string,
  ctx: CompileNodeContext,
  problems: Problem[],
): CompiledNode | undefined {
  const before = problems.length;
  const node = compileOne(config, stage, ctx, problems, undefined, false);
  return problems.length === before ? node : undefined;
}

function compileOne(
  c: NodeConfig,
  stage: string,
  ctx: CompileNodeContext,
  problems: Problem[],
  parentName: string | undefined,
  parentDebug: boolean,
): CompiledNode {
  const doc = c.doc;
  for (const [name, pattern] of c.patternSyntax) {
    const added = ctx.patterns.add(name, pattern);
    if (!added.ok) problems.push(locate(doc, [...c.at, "pattern_syntax", name], added.error));
    else if (added.value === "ignored-duplicate") {
      ctx.warnings?.push(
        problem("grok.duplicate-pattern", `Pattern "${name}" is already defined: this definition is ignored`, {
          ...position(doc, [...c.at, "pattern_syntax", name]),
        }),
      );
    }
  }
  // As upstream: an unnamed child is "child-<parent>"; an unnamed top-level node (kept because it
  // has a description or an author) keeps the empty name, which is its key in dumps.
  const name = c.name ?? (parentName === undefined ? "" : `child-${parentName}`);
  const debug = c.debug || parentDebug; // debug propagates to children

  return {
    name,
    named: c.name !== undefined,
    stage,
    filter: c.filter === undefined ? undefined : compileCondition(c.filter, doc, [...c.at, "filter"], ctx, problems),
    onsuccess: c.onsuccess,
    grok: c.grok && compileGrokBlock(c.grok, ctx, problems, doc),
    stash: c.stash.map((s) => compileStash(s, ctx, problems, doc)).filter((s): s is CompiledStash => s !== undefined),
    children: c.nodes.map((child) => compileOne(child, stage, ctx, problems, name, debug)),
    whitelist: c.whitelist && compileWhitelist(c.whitelist, ctx, problems, doc),
    statics: compileStatics(c.statics, ctx, problems, doc),
    debug,
    file: doc.file,
  };
}

function compileGrokBlock(g: GrokConfig, ctx: CompileNodeContext, problems: Problem[], doc: SourceDoc): CompiledGrok | undefined {
  // `name` wins over `pattern` when both are set (pkg/parser/node.go).
  const compiled: Result<GrokPattern> | undefined =
    g.name !== undefined ? ctx.patterns.compileNamed(g.name) : g.pattern !== undefined ? compileGrok(g.pattern, ctx.patterns) : undefined;
  const field = g.name !== undefined ? "name" : "pattern";
  const statics = compileStatics(g.statics, ctx, problems, doc);
  const expression = g.expression === undefined ? undefined : compileExprAt(g.expression, doc, [...g.at, "expression"], "any", ctx.helpers, problems);
  if (!compiled) return undefined;
  if (!compiled.ok) {
    problems.push(locatePattern(doc, [...g.at, field], compiled.error, g.name === undefined));
    return undefined;
  }
  // apply_on wins over expression when both are set (processGrok looks at TargetField first).
  return { pattern: compiled.value, applyOn: g.applyOn, expression: g.applyOn === undefined ? expression : undefined, statics };
}

function compileStatics(list: readonly StaticConfig[], ctx: CompileNodeContext, problems: Problem[], doc: SourceDoc): CompiledStatic[] {
  const out: CompiledStatic[] = [];
  for (const s of list) {
    // First target wins in upstream's order: method, parsed, meta, enriched, target.
    let target: StaticTarget | undefined;
    if (s.method !== undefined) {
      target = { kind: "method", method: s.method };
      if (ctx.knownMethods && !ctx.knownMethods.has(s.method)) {
        ctx.warnings?.push(
          problem("parser.unknown-method", `Unknown enricher method "${s.method}": this static does nothing`, {
            ...position(doc, [...s.at, "method"]),
          }),
        );
      }
    } else if (s.parsed !== undefined) target = { kind: "parsed", key: s.parsed };
    else if (s.meta !== undefined) target = { kind: "meta", key: s.meta };
    else if (s.enriched !== undefined) target = { kind: "enriched", key: s.enriched };
    else if (s.target !== undefined) {
      target = { kind: "target", text: s.target, plan: resolveTarget(s.target) };
      if (!target.plan) {
        ctx.warnings?.push(
          problem("parser.unknown-target", `Target "${s.target}" is not a string field of the event: this static does nothing`, {
            ...position(doc, [...s.at, "target"]),
          }),
        );
      }
    }
    if (!target) continue;
    const expression =
      s.value === undefined && s.expression !== undefined
        ? compileExprAt(s.expression, doc, [...s.at, "expression"], "any", ctx.helpers, problems)
        : undefined;
    out.push({ target, value: s.value, expression, at: s.at });
  }
  return out;
}

/** Undefined when there is nothing to check: upstream then treats the node as having no whitelist. */
function compileWhitelist(w: WhitelistConfig, ctx: CompileNodeContext, problems: Problem[], doc: SourceDoc): CompiledWhitelist | undefined {
  const ips: GoAddr[] = [];
  w.ip.forEach((text, i) => {
    const addr = parseGoAddr(text);
    if (addr && addr.zone === "") ips.push(addr);
    else problems.push(problem("parser.whitelist-ip", `Whitelist IP "${text}" is not an IP address`, position(doc, [...w.at, "ip", i])));
  });
  const cidrs: { net: GoIPNet; is4: boolean }[] = [];
  w.cidr.forEach((text, i) => {
    const net = parseGoCIDR(text);
    const is4 = parseGoAddr(text.slice(0, text.indexOf("/")))?.is4 ?? false;
    if (net) cidrs.push({ net, is4 });
    else problems.push(problem("parser.whitelist-cidr", `Whitelist CIDR "${text}" is not a network`, position(doc, [...w.at, "cidr", i])));
  });
  const expressions: ExprProgram[] = [];
  w.expression.forEach((source, i) => {
    const p = compileCondition(source, doc, [...w.at, "expression", i], ctx, problems);
    if (p) expressions.push(p);
  });
  if (w.ip.length + w.cidr.length + w.expression.length === 0) return undefined;
  return { reason: w.reason, ips, cidrs, expressions };
}

function compileStash(s: StashConfig, ctx: CompileNodeContext, problems: Problem[], doc: SourceDoc): CompiledStash | undefined {
  const ttl = parseDuration(s.ttl);
  const ttlNs = ttl.ok ? ttl.ns : undefined;
  if (ttlNs === undefined) {
    problems.push(problem("parser.stash-ttl", `Stash ttl "${s.ttl}" is not a duration`, position(doc, [...s.at, "ttl"])));
  }
  const key = compileExprAt(s.key, doc, [...s.at, "key"], "any", ctx.helpers, problems);
  const value = compileExprAt(s.value, doc, [...s.at, "value"], "any", ctx.helpers, problems);
  if (!key || !value || ttlNs === undefined) return undefined;
  return { name: s.name, key, value, ttlMs: ttlNs / 1e6, size: s.size ?? 100, strategy: s.strategy ?? "LRU" };
}

/**
 * A filter or whitelist expression. Upstream compiles these without asking for a bool, so one
 * that returns something else loads and simply never passes (pkg/parser/node.go processFilter,
 * whitelist.go CheckExprWL): a warning here, not a load error.
 */
function compileCondition(source: string, doc: SourceDoc, at: YamlPath, ctx: CompileNodeContext, problems: Problem[]): ExprProgram | undefined {
  const program = compileExprAt(source, doc, at, "any", ctx.helpers, problems);
  const kind = program?.resultType.kind;
  if (program && kind !== "bool" && kind !== "any") {
    ctx.warnings?.push(
      problem("parser.non-bool-condition", `Expression returns ${typeName(program.resultType)}, not bool: it never passes`, position(doc, at)),
    );
  }
  return program;
}

/** Compiles an expression found at `at` in `doc`, mapping its error position into the file. */
export function compileExprAt(
  source: string,
  doc: SourceDoc,
  at: YamlPath,
  expect: "bool" | "any",
  helpers: HelperContext | undefined,
  problems: Problem[],
  env: Parameters<typeof compileExpr>[1]["env"] = PARSER_ENV,
): ExprProgram | undefined {
  const r = compileExpr(source, { env, helpers, expect });
  if (r.ok) return r.value;
  problems.push(locateExpr(doc, at, r.error));
  return undefined;
}

function locateExpr(doc: SourceDoc, at: YamlPath, p: Problem): Problem {
  const pos =
    p.line !== undefined && p.column !== undefined ? doc.locateInScalar(at, p.line, p.column) : doc.locate(at);
  return { ...p, file: doc.file, line: pos?.line ?? doc.locate(at)?.line, column: pos?.column, field: formatPath(at) };
}

function locatePattern(doc: SourceDoc, at: YamlPath, p: Problem, inline: boolean): Problem {
  return inline ? locateExpr(doc, at, p) : locate(doc, at, p);
}

function locate(doc: SourceDoc, at: YamlPath, p: Problem): Problem {
  return { ...p, ...position(doc, at) };
}

export function position(doc: SourceDoc, at: YamlPath): Partial<Problem> {
  const pos = doc.locate(at);
  return { file: doc.file, line: pos?.line, column: pos?.column, field: formatPath(at) };
}
