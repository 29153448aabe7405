/**
 * Checked syntax tree → nested JS closures, built once. Each operator picks its closure from the
 * static types the checker found: typed operands get direct JS operations, `any` operands go
 * through the run-time semantics of runtime.ts. No expression text is ever evaluated as code.
 */
import type { BinaryNode, MemberNode, Node } from "./ast";
import { compileBuiltin, compileCall, foldConstant } from "./compile-calls";
import { fail } from "./errors";
import { CHAIN_NIL, type CompileContext, type Fn } from "./frame";
import {
  addDynamic, asBool, compareDynamic, compareStrings, equal, fetch, goTypeOf, hasOwnKey, inDynamic, indexArray, makeRange,
  modulo, negate, numberOperand, ownValue, sliceValue, subtractDynamic, toInt,
} from "./runtime";
import { compileRe2 } from "../regex";
import type { GoTime } from "./time";
import { ANY, isUnknown, methodOf, typeName, zeroValue, type ExprType, type MethodDef, type StructType } from "./types";

const typeOf = (n: Node): ExprType => n.type ?? ANY;

function isConstant(n: Node): boolean {
  return n.kind === "String" || n.kind === "Integer" || n.kind === "Float" || n.kind === "Bool" || n.kind === "Nil";
}

function constantValue(n: Node): unknown {
  switch (n.kind) {
    case "String": case "Integer": case "Float": case "Bool": return n.value;
    default: return null;
  }
}

/** Compiles one node (dispatch); `inChain` is true on the spine of a `?.` chain. */
export function compileNode(node: Node, ctx: CompileContext, inChain: boolean): Fn {
  switch (node.kind) {
    case "Nil": return () => null;
    case "Bool": case "Integer": case "Float": case "String": {
      const v = node.value;
      return () => v;
    }
    case "Identifier": return compileIdentifier(node.name, typeOf(node), ctx);
    case "Unary": return compileUnary(node.op, ctx.compile(node.node), typeOf(node.node), node.at);
    case "Binary": return compileBinary(node, ctx);
    case "Chain": {
      const inner = ctx.compile(node.node, true);
      return (f) => {
        const v = inner(f);
        return v === CHAIN_NIL ? null : v;
      };
    }
    case "Member": return compileMember(node, ctx, inChain);
    case "Slice": {
      const base = ctx.compile(node.node);
      const from = node.from ? ctx.compile(node.from) : undefined;
      const to = node.to ? ctx.compile(node.to) : undefined;
      const at = node.at;
      return (f) => sliceValue(base(f), from ? toInt(from(f), at) : undefined, to ? toInt(to(f), at) : undefined, at);
    }
    case "Call": return compileCall(node, ctx, inChain);
    case "Builtin": return compileBuiltin(node, ctx);
    case "Predicate": return ctx.compile(node.node);
    case "Pointer": {
      const scope = ctx.predicates[ctx.predicates.length - 1];
      if (!scope) throw new Error("pointer outside predicate passed the checker");
      const slot = node.name === "" ? scope.elem : node.name === "index" ? scope.index : scope.acc;
      return (f) => f.slots[slot];
    }
    case "Let": {
      const value = ctx.compile(node.value);
      const slot = ctx.allocSlot();
      ctx.lets.push({ name: node.name, slot });
      const body = ctx.compile(node.body);
      ctx.lets.pop();
      return (f) => {
        f.slots[slot] = value(f);
        return body(f);
      };
    }
    case "Sequence": {
      const parts = node.nodes.map((n) => ctx.compile(n));
      return (f) => {
        let v: unknown = null;
        for (let i = 0; i < parts.length; i++) v = (parts[i] as Fn)(f);
        return v;
      };
    }
    case "Conditional": {
      const cond = ctx.compile(node.cond);
      const then = ctx.compile(node.then);
      const otherwise = ctx.compile(node.otherwise);
      if (typeOf(node.cond).kind === "bool") return (f) => (cond(f) ? then(f) : otherwise(f));
      const at = node.cond.at;
      return (f) => (asBool(cond(f), at) ? then(f) : otherwise(f));
    }
    case "Array": {
      if (node.nodes.every(isConstant)) {
        const constant = Object.freeze(node.nodes.map(constantValue));
        return () => constant;
      }
      const items = node.nodes.map((n) => ctx.compile(n));
      return (f) => {
        const out = new Array<unknown>(items.length);
        for (let i = 0; i < items.length; i++) out[i] = (items[i] as Fn)(f);
        return out;
      };
    }
    case "Map": {
      const pairs = node.pairs.map((p) => [ctx.compile(p.key), ctx.compile(p.value), p.key.at] as const);
      return (f) => {
        const out = Object.create(null) as Record<string, unknown>;
        for (const [k, v, at] of pairs) {
          const key = k(f);
          if (typeof key !== "string") fail(`interface conversion: interface {} is ${goTypeOf(key)}, not string`, at);
          out[key] = v(f);
        }
        return out;
      };
    }
    case "Pair":
      throw new Error("pair compiled outside a map literal");
  }
}

function compileIdentifier(name: string, type: ExprType, ctx: CompileContext): Fn {
  for (let i = ctx.lets.length - 1; i >= 0; i--) {
    const v = ctx.lets[i] as { name: string; slot: number };
    if (v.name === name) {
      const slot = v.slot;
      return (f) => f.slots[slot];
    }
  }
  if (type.kind === "func") {
    const impl = ctx.functionImpl(name);
    return () => impl;
  }
  const zero = zeroValue(type);
  return (f) => {
    const v = f.vars[name];
    return v === undefined || v === null ? zero : v;
  };
}

function compileUnary(op: string, operand: Fn, type: ExprType, at: number): Fn {
  if (op === "!" || op === "not") {
    if (type.kind === "bool") return (f) => !operand(f);
    return (f) => !asBool(operand(f), at);
  }
  if (op === "-") {
    if (type.kind === "int" || type.kind === "float") return (f) => -(operand(f) as number);
    return (f) => negate(operand(f), at);
  }
  return operand;
}

function stringOperands(a: unknown, b: unknown, at: number): void {
  if (typeof a !== "string") fail(`interface conversion: interface {} is ${a === null || a === undefined ? "nil" : goTypeOf(a)}, not string`, at);
  if (typeof b !== "string") fail(`interface conversion: interface {} is ${b === null || b === undefined ? "nil" : goTypeOf(b)}, not string`, at);
}

function compileBinary(node: BinaryNode, ctx: CompileContext): Fn {
  const op = node.op;
  const at = node.at;
  const lt = typeOf(node.left);
  const rt = typeOf(node.right);
  const l = ctx.compile(node.left);
  const r = ctx.compile(node.right);
  const both = (kind: ExprType["kind"]) => lt.kind === kind && rt.kind === kind;
  const numeric = (lt.kind === "int" || lt.kind === "float" || lt.kind === "duration") && (rt.kind === "int" || rt.kind === "float" || rt.kind === "duration");

  switch (op) {
    case "==": case "!=": {
      const eq = compileEquality(l, r, lt, rt, node);
      if (op === "==") return eq;
      return (f) => !eq(f);
    }
    case "and": case "&&":
      if (both("bool")) return (f) => (l(f) as boolean) && (r(f) as boolean);
      return (f) => (asBool(l(f), at) ? asBool(r(f), at) : false);
    case "or": case "||":
      if (both("bool")) return (f) => (l(f) as boolean) || (r(f) as boolean);
      return (f) => (asBool(l(f), at) ? true : asBool(r(f), at));
    case "<": case ">": case "<=": case ">=":
      return compileOrdering(op, l, r, lt, rt, at, numeric);
    case "+":
      if (numeric || both("string")) return (f) => (l(f) as number) + (r(f) as number);
      if (lt.kind === "time" && rt.kind === "duration") return (f) => (l(f) as GoTime).Add(r(f) as number);
      if (lt.kind === "duration" && rt.kind === "time") return (f) => (r(f) as GoTime).Add(l(f) as number);
      return (f) => addDynamic(l(f), r(f), at);
    case "-":
      if (numeric) return (f) => (l(f) as number) - (r(f) as number);
      if (both("time")) return (f) => (l(f) as GoTime).Sub(r(f) as GoTime);
      if (lt.kind === "time" && rt.kind === "duration") return (f) => (l(f) as GoTime).Add(-(r(f) as number));
      return (f) => subtractDynamic(l(f), r(f), at);
    case "*": case "/": case "**": case "^": {
      const apply = op === "*" ? (a: number, b: number) => a * b : op === "/" ? (a: number, b: number) => a / b : Math.pow;
      if (numeric) return (f) => apply(l(f) as number, r(f) as number);
      return (f) => {
        const a = l(f);
        const b = r(f);
        numberOperand(a, b, op, at);
        return apply(a as number, b as number);
      };
    }
    case "%":
      return (f) => modulo(l(f), r(f), at);
    case "..":
      return (f) => makeRange(toInt(l(f), at), toInt(r(f), at));
    case "??":
      return (f) => {
        const v = l(f);
        return v === null || v === undefined ? r(f) : v;
      };
    case "in":
      return compileIn(node, l, r, lt, rt);
    case "matches":
      return compileMatches(node, l, r, lt, rt, ctx);
    case "contains": case "startsWith": case "endsWith": {
      const test = op === "contains" ? (s: string, x: string) => s.includes(x) : op === "startsWith" ? (s: string, x: string) => s.startsWith(x) : (s: string, x: string) => s.endsWith(x);
      if (both("string")) return (f) => test(l(f) as string, r(f) as string);
      return (f) => {
        const a = l(f);
        const b = r(f);
        if (a === null || a === undefined || b === null || b === undefined) return false;
        stringOperands(a, b, at);
        return test(a as string, b as string);
      };
    }
    default:
      throw new Error(`operator "${op}" passed the checker without a compiler`);
  }
}

function compileEquality(l: Fn, r: Fn, lt: ExprType, rt: ExprType, node: BinaryNode): Fn {
  const simple = (t: ExprType) => t.kind === "string" || t.kind === "bool" || t.kind === "int" || t.kind === "float" || t.kind === "duration";
  if (simple(lt) && simple(rt)) {
    if (isConstant(node.right)) {
      const c = constantValue(node.right);
      return (f) => l(f) === c;
    }
    if (isConstant(node.left)) {
      const c = constantValue(node.left);
      return (f) => r(f) === c;
    }
    return (f) => l(f) === r(f);
  }
  if (lt.kind === "time" && rt.kind === "time") return (f) => (l(f) as GoTime).Equal(r(f) as GoTime);
  if (node.right.kind === "Nil") return (f) => { const v = l(f); return v === null || v === undefined; };
  return (f) => equal(l(f), r(f));
}

function compileOrdering(op: string, l: Fn, r: Fn, lt: ExprType, rt: ExprType, at: number, numeric: boolean): Fn {
  if (numeric) {
    switch (op) {
      case "<": return (f) => (l(f) as number) < (r(f) as number);
      case ">": return (f) => (l(f) as number) > (r(f) as number);
      case "<=": return (f) => (l(f) as number) <= (r(f) as number);
      default: return (f) => (l(f) as number) >= (r(f) as number);
    }
  }
  let cmp: (f: Parameters<Fn>[0]) => number;
  if (lt.kind === "string" && rt.kind === "string") cmp = (f) => compareStrings(l(f) as string, r(f) as string);
  else if (lt.kind === "time" && rt.kind === "time") cmp = (f) => (l(f) as GoTime).Compare(r(f) as GoTime);
  else cmp = (f) => compareDynamic(l(f), r(f), op, at);
  switch (op) {
    case "<": return (f) => cmp(f) < 0;
    case ">": return (f) => cmp(f) > 0;
    case "<=": return (f) => cmp(f) <= 0;
    default: return (f) => cmp(f) >= 0;
  }
}

function compileIn(node: BinaryNode, l: Fn, r: Fn, lt: ExprType, rt: ExprType): Fn {
  const at = node.at;
  const prim = (t: ExprType) => t.kind === "string" || t.kind === "int" || t.kind === "float" || t.kind === "bool";
  if (rt.kind === "array") {
    // a constant list of literals: one Set lookup per run
    if (node.right.kind === "Array" && node.right.nodes.every(isConstant) && prim(lt)) {
      const set = new Set(node.right.nodes.map(constantValue));
      return (f) => set.has(l(f));
    }
    if (prim(lt) && prim(rt.elem)) {
      return (f) => {
        const needle = l(f);
        const arr = r(f) as readonly unknown[] | null;
        return arr ? arr.includes(needle) : false;
      };
    }
    return (f) => {
      const needle = l(f);
      const arr = r(f) as readonly unknown[] | null;
      if (!arr) return false;
      for (let i = 0; i < arr.length; i++) if (equal(arr[i], needle)) return true;
      return false;
    };
  }
  if (rt.kind === "map" && lt.kind === "string") {
    return (f) => {
      const key = l(f) as string;
      const m = r(f) as Record<string, unknown> | null;
      return m ? hasOwnKey(m, key) : false;
    };
  }
  if (rt.kind === "struct" && lt.kind === "string") {
    const fields = rt.fields;
    return (f) => {
      const key = l(f) as string;
      r(f);
      return Object.hasOwn(fields, key);
    };
  }
  return (f) => inDynamic(l(f), r(f), at);
}

function compileMatches(node: BinaryNode, l: Fn, r: Fn, lt: ExprType, rt: ExprType, ctx: CompileContext): Fn {
  const at = node.at;
  const constant = ctx.checked.regexes.get(node);
  if (constant) {
    if (lt.kind === "string") return (f) => constant.test(l(f) as string);
    return (f) => {
      const s = l(f);
      if (s === null || s === undefined) return false;
      if (typeof s !== "string") return fail(`interface conversion: interface {} is ${goTypeOf(s)}, not string`, at);
      return constant.test(s);
    };
  }
  // a pattern computed from constants (`Upper('/admin/.*')`) is compiled once, here
  const folded = foldConstant(node.right, ctx);
  if (folded && typeof folded.value === "string") {
    const re = compileRe2(folded.value);
    if (re.ok) {
      const regex = re.value;
      const p = folded.value;
      return (f) => {
        const s = l(f);
        if (s === null || s === undefined) return false;
        stringOperands(s, p, at);
        return regex.test(s as string);
      };
    }
  }
  return (f) => {
    const s = l(f);
    const p = r(f);
    if (s === null || s === undefined || p === null || p === undefined) return false;
    stringOperands(s, p, at);
    // compileRe2 caches by pattern, so a pattern seen before is not compiled again
    const re = compileRe2(p as string);
    if (!re.ok) return fail(re.error.message, at);
    return re.value.test(s as string);
  };
}

function compileMember(node: MemberNode, ctx: CompileContext, inChain: boolean): Fn {
  const baseType = typeOf(node.node);
  const base = ctx.compile(node.node, inChain);
  const at = node.at;
  const optional = node.optional;
  const name = node.property.kind === "String" ? propertyKey(node.property.value) : undefined;

  // Optional and chained steps: nil stops the chain; CHAIN_NIL passes through.
  const guard = (access: (v: unknown, f: Parameters<Fn>[0]) => unknown): Fn => {
    if (!inChain && !optional) return (f) => access(base(f), f);
    return (f) => {
      const v = base(f);
      if (v === CHAIN_NIL) return CHAIN_NIL;
      if (optional && (v === null || v === undefined)) return CHAIN_NIL;
      return access(v, f);
    };
  };

  if (!isUnknown(baseType) && name !== undefined) {
    const m = baseType.kind === "nil" ? undefined : methodOf(baseType, name);
    if (m) return guard((v) => methodValue(m, v));
  }

  switch (baseType.kind) {
    case "struct":
      if (name !== undefined) return guard(structField(baseType, name, at));
      break;
    case "map": {
      const zero = zeroValue(baseType.elem);
      if (name !== undefined && name !== "__proto__") {
        const fused = !inChain && !optional ? fusedMapRead(node, ctx, base, name, zero) : undefined;
        if (fused) return fused;
        return guard((m) => {
          if (m === null || m === undefined) return zero;
          const v = (m as Record<string, unknown>)[name];
          if (v === undefined || v === null) return zero;
          if (typeof v === "function") return ownValue(m as Record<string, unknown>, name) ?? zero;
          return v;
        });
      }
      const key = ctx.compile(node.property);
      return guard((m, f) => {
        let k = key(f);
        if (k === null || k === undefined) k = "";
        if (typeof k !== "string") return fail(`reflect.Value.MapIndex: value of type ${goTypeOf(k)} is not assignable to type string`, at);
        if (m === null || m === undefined) return zero;
        const v = ownValue(m as Record<string, unknown>, k);
        return v === undefined || v === null ? zero : v;
      });
    }
    case "array": {
      if (node.property.kind === "Integer") {
        const i = node.property.value;
        return guard((a) => indexArray(a as readonly unknown[] | null, i, at));
      }
      const index = ctx.compile(node.property);
      return guard((a, f) => indexArray(a as readonly unknown[] | null, toInt(index(f), at), at));
    }
  }
  const key = ctx.compile(node.property);
  return guard((v, f) => fetch(v, key(f), at));
}

/** Struct fields read by a property access of their own (one shape seen per site), not a keyed one shared by every field. */
const FIELD_GETTERS: Readonly<Record<string, (o: Record<string, unknown>) => unknown>> = Object.assign(Object.create(null) as Record<string, (o: Record<string, unknown>) => unknown>, {
  Meta: (o: Record<string, unknown>) => o.Meta,
  Parsed: (o: Record<string, unknown>) => o.Parsed,
  Enriched: (o: Record<string, unknown>) => o.Enriched,
  Unmarshaled: (o: Record<string, unknown>) => o.Unmarshaled,
  Labels: (o: Record<string, unknown>) => o.Labels,
});

/**
 * `evt.Meta.key` in one closure: variable, struct field, map entry, with the results of the
 * three steps compiled apart (`base` is the `evt.Meta` part, used when the variable is nil so
 * that its error is the same). Only for a plain variable holding a struct, a field that is not
 * a method, and no `?.`.
 */
function fusedMapRead(node: MemberNode, ctx: CompileContext, base: Fn, key: string, zero: unknown): Fn | undefined {
  const inner = node.node;
  if (inner.kind !== "Member" || inner.optional || inner.property.kind !== "String") return undefined;
  const root = inner.node;
  if (root.kind !== "Identifier" || ctx.lets.some((l) => l.name === root.name)) return undefined;
  const structT = typeOf(root);
  if (structT.kind !== "struct") return undefined;
  const field = inner.property.value;
  if (methodOf(structT, field) || !Object.hasOwn(structT.fields, field)) return undefined;
  const rootName = root.name;
  const read = FIELD_GETTERS[field] ?? ((o: Record<string, unknown>) => o[field]);
  return (f) => {
    const o = f.vars[rootName];
    let m: unknown;
    if (o === null || o === undefined) m = base(f);
    else m = read(o as Record<string, unknown>);
    if (m === null || m === undefined) return zero;
    const v = (m as Record<string, unknown>)[key];
    if (v === undefined || v === null) return zero;
    if (typeof v === "function") return ownValue(m as Record<string, unknown>, key) ?? zero;
    return v;
  };
}

/**
 * The engine's own copy of a property name (an interned string): a lookup by it skips
 * interning the name again on every access, which costs as much as the lookup itself.
 */
function propertyKey(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

function structField(t: StructType, name: string, at: number): (o: unknown) => unknown {
  const fieldType = t.fields[name] as ExprType;
  const zero = zeroValue(fieldType);
  const pointer = t.pointer;
  const owner = typeName(t);
  return (o) => {
    if (o === null || o === undefined) {
      if (pointer) return fail(`cannot get ${name} from ${owner}: nil pointer`, at);
      return zero;
    }
    const v = (o as Record<string, unknown>)[name];
    return v === undefined || v === null ? zero : v;
  };
}

/** A method taken as a value (`t.Hour` without a call): a function bound to the receiver. */
function methodValue(m: MethodDef, receiver: unknown): unknown {
  const impl = m.impl as (self: unknown, ...args: unknown[]) => unknown;
  return (...args: unknown[]) => impl(receiver, ...args);
}

