/**
 * Static types of every node, against the typed environment, with expr-lang's checker rules
 * (checker/checker.go): unknown names and struct fields, operator operand types, call arity and
 * argument types, predicates. `any`-typed values pass anything, as upstream's "unknown" nature.
 */
import type { BinaryNode, BuiltinNode, CallNode, MemberNode, Node } from "./ast";
import { BUILTINS, PREDICATE_BUILTINS, type BuiltinDef } from "./builtins";
import { parseGoSignature } from "./signature";
import {
  ANY, arrayOf, assignable, BOOL, DURATION, FLOAT, INT, isInteger, isNumber, isUnknown, mapOf, methodOf, NIL, sameType, STRING, TIME,
  typeName, type EnvSpec, type ExprType, type FuncType, type MethodDef,
} from "./types";

/** A function callable by name: a helper or an extra function, with its parsed overloads. */
export interface FunctionEntry {
  readonly name: string;
  readonly overloads: readonly FuncType[];
}

/** What a call node resolved to. */
export type CallTarget =
  | { readonly kind: "function"; readonly name: string; readonly overload: FuncType }
  | { readonly kind: "method"; readonly method: MethodDef; readonly name: string }
  | { readonly kind: "dynamic-method"; readonly name: string }
  | { readonly kind: "dynamic" };

/** A compiled constant `matches` pattern. */
export interface ConstantRegex {
  test(text: string): boolean;
}

export interface CheckOptions {
  readonly env: EnvSpec;
  readonly functions: ReadonlyMap<string, FunctionEntry>;
  /** Compiles a constant `matches` pattern (Go RE2), or says why it cannot. */
  readonly compileRegex: (pattern: string) => { ok: true; regex: ConstantRegex } | { ok: false; message: string };
}

export interface Checked {
  readonly type: ExprType;
  readonly calls: ReadonlyMap<CallNode, CallTarget>;
  /** Non-predicate builtin calls: definition, argument types, and the overload chosen for signature builtins. */
  readonly builtins: ReadonlyMap<BuiltinNode, BuiltinCall>;
  readonly regexes: ReadonlyMap<BinaryNode, ConstantRegex>;
}

export interface BuiltinCall {
  readonly def: BuiltinDef;
  readonly types: readonly ExprType[];
  readonly overload?: FuncType;
}

export type CheckResult = { ok: true; value: Checked } | { ok: false; error: { message: string; at: number } };

class CheckFailure {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

interface PredicateScope {
  readonly elem: ExprType;
  readonly vars: Readonly<Record<string, ExprType>>;
}

export function check(root: Node, options: CheckOptions): CheckResult {
  const c = new Checker(options);
  try {
    const type = c.visit(root);
    return { ok: true, value: { type, calls: c.calls, builtins: c.builtinCalls, regexes: c.regexes } };
  } catch (e) {
    if (e instanceof CheckFailure) return { ok: false, error: { message: e.message, at: e.at } };
    throw e;
  }
}

const isBool = (t: ExprType) => t.kind === "bool";
const isString = (t: ExprType) => t.kind === "string";
const isTime = (t: ExprType) => t.kind === "time";
const isDuration = (t: ExprType) => t.kind === "duration";

/** Upstream's ComparableTo: what `==` accepts. */
function comparable(l: ExprType, r: ExprType): boolean {
  return isUnknown(l) || isUnknown(r) || l.kind === "nil" || r.kind === "nil" ||
    (isNumber(l) && isNumber(r)) || (isDuration(l) && isDuration(r)) || (isTime(l) && isTime(r)) ||
    (l.kind === "array" && r.kind === "array") || assignable(l, r);
}

/** Upstream's MaybeCompatible: one side unknown and the other passes a check (or both unknown). */
function maybe(l: ExprType, r: ExprType, ...checks: ((t: ExprType) => boolean)[]): boolean {
  const lu = isUnknown(l);
  const ru = isUnknown(r);
  return (lu && ru) || (lu && checks.some((f) => f(r))) || (ru && checks.some((f) => f(l)));
}

/** Name of a type once dereferenced, as upstream prints struct types in field errors. */
function derefName(t: ExprType): string {
  return t.kind === "struct" ? t.name : typeName(t);
}

class Checker {
  readonly calls = new Map<CallNode, CallTarget>();
  readonly builtinCalls = new Map<BuiltinNode, BuiltinCall>();
  readonly regexes = new Map<BinaryNode, ConstantRegex>();
  private readonly lets: { name: string; type: ExprType }[] = [];
  private readonly predicates: PredicateScope[] = [];

  constructor(private readonly options: CheckOptions) {}

  private fail(node: Node | number, message: string): never {
    throw new CheckFailure(message, typeof node === "number" ? node : node.at);
  }

  visit(node: Node): ExprType {
    const t = this.visitNode(node);
    node.type = t;
    return t;
  }

  private visitNode(node: Node): ExprType {
    switch (node.kind) {
      case "Nil": return NIL;
      case "Bool": return BOOL;
      case "Integer": return INT;
      case "Float": return FLOAT;
      case "String": return STRING;
      case "Identifier": return this.identifier(node.name, node.at);
      case "Unary": return this.unary(node.op, this.visit(node.node), node);
      case "Binary": return this.binary(node);
      case "Chain": return this.visit(node.node);
      case "Member": return this.member(node);
      case "Slice": return this.slice(node.node, node.from, node.to, node);
      case "Call": return this.call(node);
      case "Builtin": return this.builtin(node);
      case "Predicate": return this.visit(node.node);
      case "Pointer": return this.pointer(node.name, node);
      case "Let": return this.letNode(node.name, node.value, node.body, node);
      case "Sequence": {
        let last: ExprType = NIL;
        for (const n of node.nodes) last = this.visit(n);
        return last;
      }
      case "Conditional": return this.conditional(node.cond, node.then, node.otherwise);
      case "Array": {
        let elem: ExprType | undefined;
        let same = true;
        for (const n of node.nodes) {
          const t = this.visit(n);
          if (elem && !sameType(elem, t)) same = false;
          elem = t;
        }
        return arrayOf(same && elem && elem.kind !== "nil" ? elem : ANY);
      }
      case "Map":
        for (const p of node.pairs) this.visit(p);
        return mapOf(ANY);
      case "Pair":
        this.visit(node.key);
        this.visit(node.value);
        return NIL;
    }
  }

  private identifier(name: string, at: number): ExprType {
    for (let i = this.lets.length - 1; i >= 0; i--) {
      const v = this.lets[i] as { name: string; type: ExprType };
      if (v.name === name) return v.type;
    }
    if (Object.hasOwn(this.options.env, name)) return this.options.env[name] as ExprType;
    const fn = this.options.functions.get(name);
    if (fn) return fn.overloads[0] as FuncType;
    return this.fail(at, `unknown name ${name}`);
  }

  private unary(op: string, t: ExprType, node: Node): ExprType {
    if (op === "!" || op === "not") {
      if (isBool(t) || isUnknown(t)) return BOOL;
    } else if (isNumber(t)) {
      return t;
    } else if (isUnknown(t)) {
      return ANY;
    }
    return this.fail(node, `invalid operation: ${op} (mismatched type ${typeName(t)})`);
  }

  private binary(node: BinaryNode): ExprType {
    const l = this.visit(node.left);
    const r = this.visit(node.right);
    const op = node.op;
    switch (op) {
      case "==": case "!=":
        if (comparable(l, r)) return BOOL;
        break;
      case "or": case "||": case "and": case "&&":
        if ((isBool(l) && isBool(r)) || maybe(l, r, isBool)) return BOOL;
        break;
      case "<": case ">": case ">=": case "<=":
        if ((isNumber(l) && isNumber(r)) || (isString(l) && isString(r)) || (isTime(l) && isTime(r)) || (isDuration(l) && isDuration(r))) return BOOL;
        if (maybe(l, r, isNumber, isString, isTime, isDuration)) return BOOL;
        break;
      case "-":
        if (isNumber(l) && isNumber(r)) return l.kind === "float" || r.kind === "float" ? FLOAT : INT;
        if (isTime(l) && isTime(r)) return DURATION;
        if (isTime(l) && isDuration(r)) return TIME;
        if (isDuration(l) && isDuration(r)) return DURATION;
        if (maybe(l, r, isNumber, isTime, isDuration)) return ANY;
        break;
      case "*":
        if (isNumber(l) && isNumber(r)) return l.kind === "float" || r.kind === "float" ? FLOAT : INT;
        if ((isNumber(l) && isDuration(r)) || (isDuration(l) && isNumber(r)) || (isDuration(l) && isDuration(r))) return DURATION;
        if (maybe(l, r, isNumber, isDuration)) return ANY;
        break;
      case "/": case "**": case "^":
        if ((isNumber(l) && isNumber(r)) || maybe(l, r, isNumber)) return FLOAT;
        break;
      case "%":
        if ((isInteger(l) && isInteger(r)) || maybe(l, r, isInteger)) return INT;
        break;
      case "+":
        if (isNumber(l) && isNumber(r)) return l.kind === "float" || r.kind === "float" ? FLOAT : INT;
        if (isString(l) && isString(r)) return STRING;
        if ((isTime(l) && isDuration(r)) || (isDuration(l) && isTime(r))) return TIME;
        if (isDuration(l) && isDuration(r)) return DURATION;
        if (maybe(l, r, isNumber, isString, isTime, isDuration)) return ANY;
        break;
      case "in":
        if ((isString(l) || isUnknown(l)) && r.kind === "struct") return BOOL;
        if (r.kind === "map") {
          if (!isUnknown(l) && !assignable(l, STRING)) this.fail(node, `cannot use ${typeName(l)} as type string in map key`);
          return BOOL;
        }
        if (r.kind === "array") {
          if (!comparable(l, r.elem)) this.fail(node, `cannot use ${typeName(l)} as type ${typeName(r.elem)} in array`);
          return BOOL;
        }
        if (isUnknown(l) && isString(r)) return BOOL;
        if (isUnknown(r)) return BOOL;
        break;
      case "matches":
        if (node.right.kind === "String") {
          const compiled = this.options.compileRegex(node.right.value);
          if (!compiled.ok) this.fail(node, compiled.message);
          this.regexes.set(node, compiled.regex);
        }
        if ((isString(l) && isString(r)) || maybe(l, r, isString)) return BOOL;
        break;
      case "contains": case "startsWith": case "endsWith":
        if ((isString(l) && isString(r)) || maybe(l, r, isString)) return BOOL;
        break;
      case "..":
        if ((isInteger(l) && isInteger(r)) || maybe(l, r, isInteger)) return arrayOf(INT);
        break;
      case "??":
        if (l.kind === "nil") return r;
        if (r.kind === "nil") return l;
        return assignable(r, l) ? l : ANY;
      default:
        return this.fail(node, `unknown operator (${op})`);
    }
    return this.fail(node, `invalid operation: ${op} (mismatched types ${typeName(l)} and ${typeName(r)})`);
  }

  private member(node: MemberNode): ExprType {
    const base = this.visit(node.node);
    const prop = this.visit(node.property);
    if (isUnknown(base)) return ANY;
    const name = node.property.kind === "String" ? node.property.value : undefined;
    if (name !== undefined) {
      if (base.kind === "nil") return this.fail(node, `type nil has no field ${name}`);
      const m = methodOf(base, name);
      if (m) return m.type;
    }
    switch (base.kind) {
      case "map":
        if (!isString(prop) && !isUnknown(prop)) return this.fail(node.property, `cannot use ${typeName(prop)} to get an element from ${typeName(base)}`);
        return base.elem;
      case "array":
        if (!isInteger(prop) && !isUnknown(prop)) return this.fail(node.property, `array elements can only be selected using an integer (got ${typeName(prop)})`);
        return base.elem;
      case "struct":
        if (name !== undefined) {
          if (Object.hasOwn(base.fields, name)) return base.fields[name] as ExprType;
          return this.fail(node, `type ${base.name} has no ${node.method ? "method" : "field"} ${name}`);
        }
        break;
    }
    if (name !== undefined) return this.fail(node, `type ${derefName(base)} has no ${node.method ? "method" : "field"} ${name}`);
    return this.fail(node, `type ${derefName(base)}[${typeName(prop)}] is undefined`);
  }

  private slice(base: Node, from: Node | undefined, to: Node | undefined, node: Node): ExprType {
    const t = this.visit(base);
    if (isUnknown(t)) {
      if (from) this.visit(from);
      if (to) this.visit(to);
      return ANY;
    }
    if (!(t.kind === "string" || t.kind === "array")) return this.fail(node, `cannot slice ${typeName(t)}`);
    for (const bound of [from, to]) {
      if (!bound) continue;
      const b = this.visit(bound);
      if (!isInteger(b) && !isUnknown(b)) this.fail(bound, `non-integer slice index ${typeName(b)}`);
    }
    return t;
  }

  /** Argument check of one overload; returns the error (message and place) or undefined. */
  private argumentsError(name: string, fn: FuncType, args: readonly Node[], types: readonly ExprType[], at: number): CheckFailure | undefined {
    if (fn.noResult) return new CheckFailure(`func ${name} doesn't return value`, at);
    const n = fn.params.length;
    if (fn.variadic) {
      if (args.length < n - 1) return new CheckFailure(`not enough arguments to call ${name}`, at);
    } else {
      if (args.length > n) return new CheckFailure(`too many arguments to call ${name}`, at);
      if (args.length < n) return new CheckFailure(`not enough arguments to call ${name}`, at);
    }
    for (let i = 0; i < args.length; i++) {
      const t = types[i] as ExprType;
      const want = (fn.variadic && i >= n - 1 ? fn.params[n - 1] : fn.params[i]) as ExprType;
      if (want.kind === "float" && isInteger(t)) continue;
      if (t.kind === "nil") {
        if (want.kind === "any" || (want.kind === "struct" && want.pointer)) continue;
        return new CheckFailure(`cannot use nil as argument (type ${typeName(want)}) to call ${name}`, (args[i] as Node).at);
      }
      if (!assignable(t, want) && !isUnknown(t)) return new CheckFailure(`cannot use ${typeName(t)} as argument (type ${typeName(want)}) to call ${name}`, (args[i] as Node).at);
    }
    return undefined;
  }

  /** Picks the first overload the arguments fit; fails with the last mismatch. */
  private overload(name: string, overloads: readonly FuncType[], args: readonly Node[], at: number): FuncType {
    const types = args.map((a) => this.visit(a));
    let last: CheckFailure | undefined;
    for (const fn of overloads) {
      last = this.argumentsError(name, fn, args, types, at);
      if (!last) return fn;
    }
    if (last) throw last;
    return this.fail(at, `no matching overload for ${name}`);
  }

  private call(node: CallNode): ExprType {
    const callee = node.callee;
    if (callee.kind === "Identifier") {
      const isVariable = this.lets.some((v) => v.name === callee.name) || Object.hasOwn(this.options.env, callee.name);
      const fn = isVariable ? undefined : this.options.functions.get(callee.name);
      if (fn) {
        const overload = this.overload(fn.name, fn.overloads, node.args, node.at);
        callee.type = overload;
        this.calls.set(node, { kind: "function", name: fn.name, overload });
        return overload.result;
      }
    }
    if (callee.kind === "Member" && callee.method && callee.property.kind === "String") {
      const name = callee.property.value;
      const base = this.visit(callee.node);
      if (isUnknown(base)) {
        for (const a of node.args) this.visit(a);
        callee.type = ANY;
        this.calls.set(node, { kind: "dynamic-method", name });
        return ANY;
      }
      const m = base.kind === "nil" ? undefined : methodOf(base, name);
      if (!m) {
        if (base.kind === "nil") return this.fail(callee, `type nil has no field ${name}`);
        return this.fail(callee, `type ${derefName(base)} has no method ${name}`);
      }
      callee.type = m.type;
      const overload = this.overload(name, [m.type], node.args, node.at);
      this.calls.set(node, { kind: "method", method: m, name });
      return overload.result;
    }
    const t = this.visit(callee);
    if (isUnknown(t)) {
      for (const a of node.args) this.visit(a);
      this.calls.set(node, { kind: "dynamic" });
      return ANY;
    }
    const name = callee.kind === "Identifier" ? callee.name : callee.kind === "Member" && callee.property.kind === "String" ? callee.property.value : "function";
    if (t.kind === "nil") return this.fail(node, `${name} is nil; cannot call nil as function`);
    if (t.kind !== "func") return this.fail(node, `${typeName(t)} is not callable`);
    const overload = this.overload(name, [t], node.args, node.at);
    this.calls.set(node, { kind: "dynamic" });
    return overload.result;
  }

  private collection(node: BuiltinNode): ExprType {
    const arg = node.args[0] as Node;
    const t = this.visit(arg);
    if (t.kind !== "array" && !isUnknown(t)) this.fail(arg, `builtin ${node.name} takes only array (got ${typeName(t)})`);
    return t;
  }

  private predicate(node: BuiltinNode, collection: ExprType, vars: Record<string, ExprType> = {}): ExprType {
    this.predicates.push({ elem: collection.kind === "array" ? collection.elem : ANY, vars });
    const out = this.visit(node.args[1] as Node);
    this.predicates.pop();
    return out;
  }

  private boolPredicate(node: BuiltinNode, out: ExprType): void {
    if (!isBool(out) && !isUnknown(out)) this.fail(node.args[1] as Node, `predicate should return boolean (got ${typeName(out)})`);
  }

  private builtin(node: BuiltinNode): ExprType {
    const name = node.name;
    if (PREDICATE_BUILTINS.has(name)) {
      const coll = this.collection(node);
      const elem = coll.kind === "array" ? coll.elem : ANY;
      switch (name) {
        case "all": case "none": case "any": case "one":
          this.boolPredicate(node, this.predicate(node, coll));
          return BOOL;
        case "filter":
          this.boolPredicate(node, this.predicate(node, coll));
          return arrayOf(elem);
        case "map": {
          const out = this.predicate(node, coll, { index: INT });
          return arrayOf(out.kind === "nil" ? ANY : out);
        }
        case "count":
          if (node.args.length === 1) return INT;
          this.boolPredicate(node, this.predicate(node, coll));
          return INT;
        case "sum":
          if (node.args.length === 2) return this.predicate(node, coll);
          return elem;
        case "find": case "findLast":
          this.boolPredicate(node, this.predicate(node, coll));
          return elem;
        case "findIndex": case "findLastIndex":
          this.boolPredicate(node, this.predicate(node, coll));
          return INT;
        case "groupBy":
          this.predicate(node, coll);
          return mapOf(arrayOf(elem));
        case "sortBy": {
          this.predicate(node, coll);
          const order = node.args[2];
          if (order) {
            const t = this.visit(order);
            if (!isString(t) && !isUnknown(t)) this.fail(order, `sortBy order argument must be a string (got ${typeName(t)})`);
          }
          return coll;
        }
        case "reduce": {
          const out = this.predicate(node, coll, { index: INT, acc: ANY });
          const init = node.args[2];
          if (init) this.visit(init);
          return out;
        }
      }
    }
    const def = BUILTINS.get(name);
    if (!def) return this.fail(node, `unknown builtin ${name}`);
    if (def.validate) {
      const types = node.args.map((a) => this.visit(a));
      const r = def.validate(types);
      if (typeof r === "string") return this.fail(node, r);
      this.builtinCalls.set(node, { def, types });
      return r;
    }
    const overloads = (def.signatures ?? []).map((s) => parseGoSignature(s));
    const fn = this.overload(name, overloads, node.args, node.at);
    this.builtinCalls.set(node, { def, types: node.args.map((a) => a.type ?? ANY), overload: fn });
    return fn.result;
  }

  private pointer(name: string, node: Node): ExprType {
    const scope = this.predicates[this.predicates.length - 1];
    if (!scope) return this.fail(node, "cannot use pointer accessor outside predicate");
    if (name === "") return scope.elem;
    if (Object.hasOwn(scope.vars, name)) return scope.vars[name] as ExprType;
    return this.fail(node, `unknown pointer #${name}`);
  }

  private letNode(name: string, value: Node, body: Node, node: Node): ExprType {
    if (Object.hasOwn(this.options.env, name)) return this.fail(node, `cannot redeclare ${name}`);
    if (this.options.functions.has(name)) return this.fail(node, `cannot redeclare function ${name}`);
    if (BUILTINS.has(name) || PREDICATE_BUILTINS.has(name)) return this.fail(node, `cannot redeclare builtin ${name}`);
    if (this.lets.some((v) => v.name === name)) return this.fail(node, `cannot redeclare variable ${name}`);
    const type = this.visit(value);
    this.lets.push({ name, type });
    const out = this.visit(body);
    this.lets.pop();
    return out;
  }

  private conditional(cond: Node, then: Node, otherwise: Node): ExprType {
    const c = this.visit(cond);
    if (!isBool(c) && !isUnknown(c)) this.fail(cond, `non-bool expression (type ${typeName(c)}) used as condition`);
    const t1 = this.visit(then);
    const t2 = this.visit(otherwise);
    if (t1.kind === "nil") return t2;
    if (t2.kind === "nil") return t1;
    if (assignable(t1, t2)) return t1;
    return ANY;
  }
}
