/**
 * Closures for calls: helper functions, methods, builtins and the predicate builtins
 * (any, all, filter, map, count, …) that iterate with `#` held in a frame slot.
 */
import type { BuiltinNode, CallNode, Node } from "./ast";
import { sortOrder } from "./builtins";
import { ExprRuntimeError, fail } from "./errors";
import { formatGoValue } from "./format";
import { CHAIN_NIL, Frame, type CompileContext, type Fn } from "./frame";
import type { HelperDef } from "./functions/types";
import { elementKey, indexedPredicate, indexedShape, isStableCollection } from "./indexed-predicate";
import { addDynamic, asBool, assertType, compareDynamic, dynamicMethod, goTypeOf } from "./runtime";
import { ANY, assignable, conforms, isUnknown, zeroValue, type ExprType, type FuncType, type MethodDef } from "./types";

type Invocable = (...args: unknown[]) => unknown;

const EMPTY: readonly unknown[] = Object.freeze([]);

const typeOf = (n: Node): ExprType => n.type ?? ANY;

/** Gives a run-time error the place of the call that raised it. */
function locate(e: unknown, at: number): ExprRuntimeError {
  if (e instanceof ExprRuntimeError) {
    if (e.at === undefined) e.at = at;
    return e;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new ExprRuntimeError("maximum recursion depth exceeded", at, e);
  return new ExprRuntimeError(e instanceof Error ? e.message : String(e), at, e);
}

/**
 * An argument as the callee receives it: statically fitting arguments pass as they are; an
 * any-typed argument is checked at run time against the parameter type, failing as Go's
 * `params[i].(string)` does.
 */
function typedArg(arg: Fn, argType: ExprType, want: ExprType, at: number): Fn {
  if (want.kind === "any" || !isUnknown(argType)) return arg;
  if (assignable(argType, want)) return arg;
  return (f) => {
    const v = arg(f);
    if (!conforms(v, want)) assertType(v, want, at);
    return v;
  };
}

function paramAt(fn: FuncType, i: number): ExprType {
  const n = fn.params.length;
  return (fn.variadic && i >= n - 1 ? fn.params[n - 1] : fn.params[i]) ?? ANY;
}

function compileArgs(args: readonly Node[], fn: FuncType | undefined, ctx: CompileContext): Fn[] {
  return args.map((a, i) => {
    const c = ctx.compile(a);
    return fn ? typedArg(c, typeOf(a), paramAt(fn, i), a.at) : c;
  });
}

/** Calls `fn` with the evaluated arguments, positionally (no array per call up to three arguments). */
function invoke(fn: Invocable, args: readonly Fn[]): Fn {
  const [a, b, c] = args as [Fn, Fn, Fn];
  switch (args.length) {
    case 0: return () => fn();
    case 1: return (f) => fn(a(f));
    case 2: return (f) => fn(a(f), b(f));
    case 3: return (f) => fn(a(f), b(f), c(f));
    default: return (f) => fn(...args.map((x) => x(f)));
  }
}

/** A call closure that normalises the result and locates errors at the call. */
export function callClosure(fn: Invocable, args: readonly Fn[], at: number, result: ExprType): Fn {
  const call = invoke(fn, args);
  const zero = zeroValue(result);
  return (f) => {
    let v: unknown;
    try {
      v = call(f);
    } catch (e) {
      throw locate(e, at);
    }
    return v === undefined ? zero : v;
  };
}

function methodCall(impl: Invocable, receiver: Fn, args: readonly Fn[], at: number, result: ExprType, propagate: boolean, optional: boolean): Fn {
  const [a, b, c] = args as [Fn, Fn, Fn];
  const zero = zeroValue(result);
  let call: (r: unknown, f: Frame) => unknown;
  switch (args.length) {
    case 0: call = (r) => impl(r); break;
    case 1: call = (r, f) => impl(r, a(f)); break;
    case 2: call = (r, f) => impl(r, a(f), b(f)); break;
    case 3: call = (r, f) => impl(r, a(f), b(f), c(f)); break;
    default: call = (r, f) => impl(r, ...args.map((x) => x(f)));
  }
  return (f) => {
    const r = receiver(f);
    if (propagate) {
      if (r === CHAIN_NIL) return CHAIN_NIL;
      if (optional && (r === null || r === undefined)) return CHAIN_NIL;
    }
    let v: unknown;
    try {
      v = call(r, f);
    } catch (e) {
      throw locate(e, at);
    }
    return v === undefined ? zero : v;
  };
}

export function compileCall(node: CallNode, ctx: CompileContext, inChain: boolean): Fn {
  const target = ctx.checked.calls.get(node);
  const callee = node.callee;
  const at = node.at;
  if (!target) throw new Error("call node without a checked target");
  switch (target.kind) {
    case "function": {
      const folded = foldConstant(node, ctx);
      if (folded) {
        const v = folded.value;
        return () => v;
      }
      let impl = ctx.functionImpl(target.name);
      const def = ctx.functionDef(target.name);
      if (def?.pure === true && node.args.length === 1) impl = memoized(def, impl);
      const call = callClosure(impl, compileArgs(node.args, target.overload, ctx), at, target.overload.result);
      // a pure call on a data file's line (`JsonExtract(#, "uri")`): once per distinct line
      const scope = ctx.predicates[ctx.predicates.length - 1];
      if (scope?.stable === true && def?.pure === true && elementKey(node, ctx)?.includes("#")) return perElement(call, scope.elem);
      return call;
    }
    case "method": {
      if (callee.kind !== "Member") throw new Error("method call without a member callee");
      const receiver = ctx.compile(callee.node, inChain);
      const m: MethodDef = target.method;
      return methodCall(m.impl as Invocable, receiver, compileArgs(node.args, m.type, ctx), at, m.type.result, inChain || callee.optional, callee.optional);
    }
    case "dynamic-method": {
      if (callee.kind !== "Member") throw new Error("method call without a member callee");
      const receiver = ctx.compile(callee.node, inChain);
      const args = node.args.map((a) => ctx.compile(a));
      const name = target.name;
      const propagate = inChain || callee.optional;
      return (f) => {
        const r = receiver(f);
        if (propagate) {
          if (r === CHAIN_NIL) return CHAIN_NIL;
          if (callee.optional && (r === null || r === undefined)) return CHAIN_NIL;
        }
        const m = dynamicMethod(r, name);
        if (!m) return fail(`cannot fetch ${name} from ${goTypeOf(r)}`, callee.at);
        const values = args.map((x) => x(f));
        checkDynamicArgs(m.type, values, name, at);
        try {
          const v = (m.impl as Invocable)(r, ...values);
          return v === undefined ? zeroValue(m.type.result) : v;
        } catch (e) {
          throw locate(e, at);
        }
      };
    }
    case "dynamic": {
      const fnValue = ctx.compile(callee, inChain);
      const args = node.args.map((a) => ctx.compile(a));
      return (f) => {
        const fn = fnValue(f);
        if (fn === CHAIN_NIL) return CHAIN_NIL;
        if (fn === null || fn === undefined) return fail("invalid operation: cannot call nil", at);
        if (typeof fn !== "function") return fail(`invalid operation: cannot call non-function of type ${goTypeOf(fn)}`, at);
        try {
          const v: unknown = (fn as Invocable)(...args.map((x) => x(f)));
          return v === undefined ? null : v;
        } catch (e) {
          throw locate(e, at);
        }
      };
    }
  }
}

function isLiteral(n: Node): boolean {
  return n.kind === "String" || n.kind === "Integer" || n.kind === "Float" || n.kind === "Bool" || n.kind === "Nil";
}

const NO_SLOTS = new Frame(0);

/**
 * The value of a literal, or of a pure helper called on such values (`Upper('/admin')`),
 * computed once at compile time; undefined when it is neither, or when the call fails (it then
 * fails at run time, as written).
 */
export function foldConstant(n: Node, ctx: CompileContext): { readonly value: unknown } | undefined {
  if (isLiteral(n)) return { value: n.kind === "Nil" ? null : (n as { value: unknown }).value };
  if (n.kind !== "Call") return undefined;
  // each node is folded once: the compiler may ask again for the same node (`matches` does)
  let hit = folded.get(n);
  if (hit === undefined) folded.set(n, (hit = foldCall(n, ctx) ?? null));
  return hit ?? undefined;
}

const folded = new WeakMap<Node, { readonly value: unknown } | null>();

function foldCall(n: CallNode, ctx: CompileContext): { readonly value: unknown } | undefined {
  const target = ctx.checked.calls.get(n);
  if (target?.kind !== "function" || ctx.functionDef(target.name)?.pure !== true) return undefined;
  if (!n.args.every((a) => foldConstant(a, ctx) !== undefined)) return undefined;
  const call = callClosure(ctx.functionImpl(target.name), compileArgs(n.args, target.overload, ctx), n.at, target.overload.result);
  try {
    return { value: call(NO_SLOTS) };
  } catch {
    return undefined;
  }
}

/**
 * One-argument pure helpers remember their last few answers, shared by every program: the
 * scenarios of a collection ask `Upper(evt.Meta.http_path)` of the same event one after another.
 */
const MEMO_SIZE = 4;

class Memo {
  readonly keys: unknown[] = new Array<unknown>(MEMO_SIZE).fill(undefined);
  readonly values: unknown[] = new Array<unknown>(MEMO_SIZE).fill(undefined);
  next = 0;
}

const memos = new WeakMap<HelperDef, Memo>();

function memoized(def: HelperDef, impl: Invocable): Invocable {
  let memo = memos.get(def);
  if (!memo) memos.set(def, (memo = new Memo()));
  const m = memo;
  const keys = m.keys;
  const values = m.values;
  return (a) => {
    if (typeof a !== "string") return impl(a);
    for (let i = 0; i < MEMO_SIZE; i++) if (keys[i] === a) return values[i];
    const v = impl(a);
    const slot = m.next;
    keys[slot] = a;
    values[slot] = v;
    m.next = (slot + 1) % MEMO_SIZE;
    return v;
  };
}

/** Most distinct elements remembered by one per-element call. */
const PER_ELEMENT_MAX = 65536;

/** `call` depends only on the element in `slot` (a string): its value per element, computed once. */
function perElement(call: Fn, slot: number): Fn {
  const seen = new Map<string, unknown>();
  return (f) => {
    const e = f.slots[slot];
    if (typeof e !== "string") return call(f);
    const hit = seen.get(e);
    if (hit !== undefined || seen.has(e)) return hit;
    const v = call(f);
    if (seen.size < PER_ELEMENT_MAX) seen.set(e, v);
    return v;
  };
}

function checkDynamicArgs(fn: FuncType, values: readonly unknown[], name: string, at: number): void {
  const n = fn.params.length;
  if (fn.variadic ? values.length < n - 1 : values.length !== n) {
    fail(`invalid number of arguments to call ${name}: expected ${fn.variadic ? `at least ${n - 1}` : n}, got ${values.length}`, at);
  }
  for (let i = 0; i < values.length; i++) {
    const want = paramAt(fn, i);
    if (!conforms(values[i], want)) assertType(values[i], want, at);
  }
}

/** Builtins whose answer depends on their arguments only and which return a fresh scalar: run once when the arguments are literals. */
const FOLDABLE_BUILTINS: ReadonlySet<string> = new Set(["duration", "len", "abs", "int", "float", "trim", "trimPrefix", "trimSuffix", "repeat"]);

export function compileBuiltin(node: BuiltinNode, ctx: CompileContext): Fn {
  const call = ctx.checked.builtins.get(node);
  if (!call) return compilePredicate(node, ctx);
  const impl = call.def.make(call.types, ctx.builtinContext) as unknown as Invocable;
  const args = compileArgs(node.args, call.overload, ctx);
  const fn = callClosure(impl, args, node.at, node.type ?? ANY);
  if (FOLDABLE_BUILTINS.has(node.name) && node.args.every(isLiteral)) {
    // `duration("10m")` in a condition run at every pour: computed here, once; a failure stays a run-time one
    try {
      const v = fn(NO_SLOTS);
      if (v === null || typeof v !== "object") return () => v;
    } catch {
      // as written
    }
  }
  return fn;
}

/** The elements a predicate builtin iterates: a typed nil slice is empty, an untyped nil fails as upstream. */
function iterable(coll: Fn, typed: boolean, at: number): (f: Frame) => readonly unknown[] {
  return (f) => {
    const v = coll(f);
    if (Array.isArray(v)) return v;
    if (v === null || v === undefined) return typed ? EMPTY : fail("reflect: call of reflect.Value.Len on zero Value", at);
    return fail(`cannot iterate over ${goTypeOf(v)}`, at);
  };
}

function compilePredicate(node: BuiltinNode, ctx: CompileContext): Fn {
  const loop = compilePredicateLoop(node, ctx);
  const shape = ctx.indexPredicates ? indexedShape(node, ctx) : undefined;
  if (!shape) return loop.fn;
  ctx.predicates.push(loop.scope);
  const element = ctx.compile(shape.element);
  const guard = shape.guard ? ctx.compile(shape.guard) : undefined;
  ctx.predicates.pop();
  return indexedPredicate({
    shape,
    items: loop.items,
    hoisted: ctx.compile(shape.hoisted),
    element,
    guard,
    elemSlot: loop.scope.elem,
    indexSlot: loop.scope.index,
    loop: loop.fn,
    any: node.name === "any",
  });
}

interface PredicateScope {
  readonly elem: number;
  readonly index: number;
  readonly acc: number;
}

/** The builtin as a loop over its collection, with `#` and `#index` in frame slots. */
function compilePredicateLoop(node: BuiltinNode, ctx: CompileContext): { fn: Fn; scope: PredicateScope; items: (f: Frame) => readonly unknown[] } {
  const name = node.name;
  const collNode = node.args[0] as Node;
  const items = iterable(ctx.compile(collNode), typeOf(collNode).kind === "array", collNode.at);
  const scope = { elem: ctx.allocSlot(), index: ctx.allocSlot(), acc: name === "reduce" ? ctx.allocSlot() : -1, stable: isStableCollection(collNode, ctx) };
  const predNode = node.args[1];
  ctx.predicates.push(scope);
  const pred = predNode ? ctx.compile(predNode) : undefined;
  ctx.predicates.pop();
  const third = node.args[2] ? ctx.compile(node.args[2]) : undefined;
  const { elem: E, index: I, acc: A } = scope;
  const at = node.at;

  // `count(list)` without predicate counts the true elements
  const value: Fn = pred ?? ((f) => f.slots[E]);
  const predAt = predNode ? predNode.at : collNode.at;
  const test: (f: Frame) => boolean = predNode && typeOf(predNode).kind === "bool" ? (value as (f: Frame) => boolean) : (f) => asBool(value(f), predAt);

  const step = (f: Frame, arr: readonly unknown[], i: number) => {
    f.slots[E] = arr[i] ?? null;
    f.slots[I] = i;
  };
  return { fn: loopOf(), scope, items };

  function loopOf(): Fn {
    switch (name) {
      case "all":
        return (f) => {
          const arr = items(f);
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (!test(f)) return false;
          }
          return true;
        };
      case "none":
        return (f) => {
          const arr = items(f);
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) return false;
          }
          return true;
        };
      case "any":
        return (f) => {
          const arr = items(f);
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) return true;
          }
          return false;
        };
      case "one":
        return (f) => {
          const arr = items(f);
          let n = 0;
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) n++;
          }
          return n === 1;
        };
      case "count":
        return (f) => {
          const arr = items(f);
          let n = 0;
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) n++;
          }
          return n;
        };
      case "filter":
        return (f) => {
          const arr = items(f);
          const out: unknown[] = [];
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) out.push(arr[i] ?? null);
          }
          return out;
        };
      case "map":
        return (f) => {
          const arr = items(f);
          const out = new Array<unknown>(arr.length);
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            out[i] = value(f);
          }
          return out;
        };
      case "sum": {
        const typed = (t: ExprType) => t.kind === "int" || t.kind === "float" || t.kind === "duration";
        const fast = predNode ? typed(typeOf(predNode)) : typeOf(collNode).kind === "array" && typed((typeOf(collNode) as { elem: ExprType }).elem);
        return (f) => {
          const arr = items(f);
          let acc: unknown = 0;
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            const v = value(f);
            acc = fast ? (acc as number) + (v as number) : addDynamic(acc, v, at);
          }
          return acc;
        };
      }
      case "find": case "findIndex":
        return (f) => {
          const arr = items(f);
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            if (test(f)) return name === "find" ? (arr[i] ?? null) : i;
          }
          return null;
        };
      case "findLast": case "findLastIndex":
        return (f) => {
          const arr = items(f);
          for (let i = arr.length - 1; i >= 0; i--) {
            step(f, arr, i);
            if (test(f)) return name === "findLast" ? (arr[i] ?? null) : i;
          }
          return null;
        };
      case "groupBy":
        return (f) => {
          const arr = items(f);
          const out = Object.create(null) as Record<string, unknown[]>;
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            const k = value(f);
            const key = typeof k === "string" ? k : formatGoValue(k);
            (out[key] ??= []).push(arr[i] ?? null);
          }
          return out;
        };
      case "sortBy":
        return (f) => {
          const arr = items(f);
          const desc = third ? sortOrder(third(f)) : false;
          const keyed: { key: unknown; item: unknown }[] = [];
          for (let i = 0; i < arr.length; i++) {
            step(f, arr, i);
            keyed.push({ key: value(f), item: arr[i] ?? null });
          }
          keyed.sort((x, y) => (desc ? -1 : 1) * compareDynamic(x.key, y.key, "<", at));
          return keyed.map((k) => k.item);
        };
      case "reduce":
        return (f) => {
          const arr = items(f);
          let start = 0;
          if (third) {
            f.slots[A] = third(f);
          } else {
            if (arr.length === 0) return fail("reduce of empty array with no initial value", at);
            f.slots[A] = arr[0] ?? null;
            start = 1;
          }
          for (let i = start; i < arr.length; i++) {
            step(f, arr, i);
            f.slots[A] = value(f);
          }
          return f.slots[A];
        };
      default:
        throw new Error(`predicate builtin "${name}" has no compiler`);
    }
  }
}

