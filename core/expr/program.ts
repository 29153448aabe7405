/**
 * compileExpr: source → parse → check → closures, once; ExprProgram.run per event.
 */
import { err, ok, problem, type Result } from "../result";
import { compileRe2 } from "../regex";
import type { Node } from "./ast";
import { BUILTIN_NAMES } from "./builtins";
import { check, type FunctionEntry } from "./checker";
import { compileNode } from "./compiler";
import { ExprRuntimeError, sourceProblem, toRuntimeError } from "./errors";
import { Frame, type BoundFunction, type CompileContext, type Fn } from "./frame";
import { HELPERS } from "./functions";
import type { HelperContext, HelperDef } from "./functions/types";
import { parse } from "./parser";
import { leadingGuards, type FieldGuard } from "./guards";
import { queueReads, type QueueReads } from "./queue-reads";

const NO_READS: QueueReads = new Set<string>();
import { goTypeOf } from "./runtime";
import { parseGoSignature } from "./signature";
import { typeName, type EnvSpec, type ExprType } from "./types";

export interface CompileOptions {
  /** Variables the expression may read, with their static types (PARSER_ENV, SCENARIO_ENV …). */
  readonly env: EnvSpec;
  /** Services helpers reach (data files, stash, clock); bound once per program. */
  readonly helpers?: HelperContext;
  /** "bool": a result statically known not to be bool is a compile error, and a non-bool result at run time is an ExprRuntimeError. */
  readonly expect?: "bool" | "any";
  /** Functions added to the CrowdSec helper set (hubtest's `basename`); a name already taken replaces the helper. */
  readonly functions?: readonly HelperDef[];
  /**
   * `any`/`none` over a data file with an indexable predicate run as one index lookup
   * (indexed-predicate.ts) instead of a loop; default true. false gives the plain loop, which
   * the tests compare it with.
   */
  readonly indexPredicates?: boolean;
}

/** A compiled expression: immutable, reusable for every event. */
export interface ExprProgram {
  readonly source: string;
  /** Static type of the result; `int` vs `float` tells how to format numbers. */
  readonly resultType: ExprType;
  /** Evaluates against the variables; never throws for expression errors, returns an ExprRuntimeError instead. */
  run(vars: Readonly<Record<string, unknown>>): unknown;
  /**
   * Leading field tests (`evt.Meta.log_type in [...] && …`, guards.ts): when guardsHold says
   * no, run would answer false without side effects, so a caller may skip it.
   */
  readonly guards: readonly FieldGuard[];
  /** Fields read on the events a bucket holds (`queue.Queue`, queue-reads.ts): none, some, or "any". */
  readonly queueReads: QueueReads;
}

const entryCache = new WeakMap<HelperDef, FunctionEntry>();

function entryOf(def: HelperDef): FunctionEntry {
  let e = entryCache.get(def);
  if (!e) {
    e = { name: def.name, overloads: def.signatures.map((s) => parseGoSignature(s)) };
    entryCache.set(def, e);
  }
  return e;
}

interface FunctionSet {
  readonly entries: ReadonlyMap<string, FunctionEntry>;
  readonly defs: ReadonlyMap<string, HelperDef>;
}

let defaultSet: FunctionSet | undefined;
const extraSets = new WeakMap<readonly HelperDef[], FunctionSet>();

function functionSet(extra: readonly HelperDef[] | undefined): FunctionSet {
  if (!extra && defaultSet) return defaultSet;
  if (extra) {
    const hit = extraSets.get(extra);
    if (hit) return hit;
  }
  const defs = new Map<string, HelperDef>();
  for (const d of HELPERS) defs.set(d.name, d);
  for (const d of extra ?? []) defs.set(d.name, d);
  const entries = new Map<string, FunctionEntry>();
  for (const [name, d] of defs) entries.set(name, entryOf(d));
  const set = { entries, defs };
  if (extra) extraSets.set(extra, set);
  else defaultSet = set;
  return set;
}

/** Compiles an expression against a typed environment; syntax and type errors are Problems with line, column and a caret snippet. */
export function compileExpr(source: string, options: CompileOptions): Result<ExprProgram> {
  const functions = functionSet(options.functions);
  const parsed = parse(source, {
    builtins: BUILTIN_NAMES,
    isOverridden: (name) => functions.entries.has(name),
  });
  if (!parsed.ok) return err(sourceProblem("expr.syntax", parsed.error.message, source, parsed.error.at));

  const checked = check(parsed.node, {
    env: options.env,
    functions: functions.entries,
    compileRegex: (pattern) => {
      const r = compileRe2(pattern);
      return r.ok ? { ok: true, regex: r.value } : { ok: false, message: r.error.message };
    },
  });
  if (!checked.ok) return err(sourceProblem("expr.compile", checked.error.message, source, checked.error.at));

  const resultType = checked.value.type;
  const expectBool = options.expect === "bool";
  if (expectBool && resultType.kind !== "bool" && resultType.kind !== "any") {
    return err(problem("expr.compile", `expected bool, but got ${typeName(resultType)}`));
  }

  const helperContext: HelperContext = options.helpers ?? {};
  const impls = new Map<string, BoundFunction>();
  let slots = 0;
  const ctx: CompileContext = {
    source,
    checked: checked.value,
    builtinContext: { now: helperContext.now ?? Date.now },
    functionImpl: (name) => {
      let impl = impls.get(name);
      if (!impl) {
        const def = functions.defs.get(name);
        if (!def) throw new Error(`function "${name}" passed the checker but is not defined`);
        impl = def.make(helperContext);
        impls.set(name, impl);
      }
      return impl;
    },
    functionDef: (name) => functions.defs.get(name),
    compile: (node: Node, inChain?: boolean) => compileNode(node, ctx, inChain ?? false),
    allocSlot: () => slots++,
    indexPredicates: options.indexPredicates ?? true,
    lets: [],
    predicates: [],
  };
  const root = ctx.compile(parsed.node);
  const reads: QueueReads = "queue" in options.env || "leaky" in options.env ? queueReads(parsed.node) : NO_READS;
  return ok(new Program(source, resultType, root, slots, expectBool, leadingGuards(parsed.node), reads));
}

class Program implements ExprProgram {
  private readonly frame: Frame;
  private depth = 0;

  constructor(
    readonly source: string,
    readonly resultType: ExprType,
    private readonly root: Fn,
    private readonly slotCount: number,
    private readonly expectBool: boolean,
    readonly guards: readonly FieldGuard[],
    readonly queueReads: QueueReads,
  ) {
    this.frame = new Frame(slotCount);
  }

  run(vars: Readonly<Record<string, unknown>>): unknown {
    // a helper re-entering the same program gets its own frame
    const frame = this.depth === 0 ? this.frame : new Frame(this.slotCount);
    frame.vars = vars;
    this.depth++;
    let v: unknown;
    try {
      v = this.root(frame);
    } catch (e) {
      return toRuntimeError(e, this.source);
    } finally {
      this.depth--;
    }
    if (v === undefined) v = null;
    if (this.expectBool && typeof v !== "boolean") {
      const e = new ExprRuntimeError(`expected bool, but got ${goTypeOf(v)}`);
      e.source = this.source;
      return e;
    }
    return v;
  }
}
