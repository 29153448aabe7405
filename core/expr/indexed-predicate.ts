/**
 * `any`/`none` over a data file, compiled to one index lookup per run instead of a loop:
 *
 *   any(File("backdoors.txt"), { evt.Parsed.file_name == # })                 → Set
 *   any(File("sensitive_data.txt"), { evt.Parsed.request endsWith # })        → suffix trie
 *   any(File("sqli.txt"), { Upper(evt.Parsed.http_args) contains Upper(#) })  → Aho-Corasick
 *   any(File("seo.txt"), { len(#) > 0 && evt.Enriched.reverse_dns endsWith # })
 *   any(File("cloudflare_ips.txt"), { IpInRange(evt.Overflow.Alert.Source.IP, #) })           → networks by mask
 *
 * The shape: a collection from a `stable` helper on constant arguments (File), and a predicate
 * `H op E(#)` (optionally `G(#) && …`) where H does not read `#` and every call in H, E and G is
 * `pure`. E and G are then run once per line when the index is built (the line's value of E is
 * the pattern), H once per run, and the answer is the loop's: H's value is the same at every
 * step, and E(line) is what the loop would compute. Anything else — E failing or not giving a
 * string on some line, H not giving a string — falls back to the loop itself.
 */
import type { BinaryNode, BuiltinNode, CallNode, Node } from "./ast";
import type { CompileContext, Fn, Frame } from "./frame";
import { buildStringIndex, type IndexedOp, type StringIndex } from "./string-index";
import { ANY, type ExprType } from "./types";

export interface IndexedShape {
  readonly op: IndexedOp;
  /** The side that does not read `#`: run once per run. */
  readonly hoisted: Node;
  /** The side that reads `#`: run once per line to make the patterns. */
  readonly element: Node;
  /** `G(#) && …`: lines where G is false are not patterns. */
  readonly guard: Node | undefined;
  /** Names op, guard and element, so programs with the same shape share the index of a file. */
  readonly key: string;
}

const typeOf = (n: Node): ExprType => n.type ?? ANY;

const INDEXED_OPS: ReadonlySet<string> = new Set(["==", "contains", "startsWith", "endsWith"]);
const ELEMENT_BINARY_OPS: ReadonlySet<string> = new Set(["==", "!=", "<", "<=", ">", ">=", "&&", "and", "||", "or", "+"]);

function isPureFunctionCall(n: Node, ctx: CompileContext): boolean {
  if (n.kind !== "Call") return false;
  const target = ctx.checked.calls.get(n);
  return target?.kind === "function" && ctx.functionDef(target.name)?.pure === true;
}

/** A text naming an expression over `#` and constants only, with pure calls; undefined otherwise. */
export function elementKey(n: Node, ctx: CompileContext): string | undefined {
  switch (n.kind) {
    case "Pointer": return n.name === "" ? "#" : undefined;
    case "String": return JSON.stringify(n.value);
    case "Integer": case "Float": case "Bool": return `${n.kind}:${String(n.value)}`;
    case "Call": {
      if (!isPureFunctionCall(n, ctx) || n.callee.kind !== "Identifier") return undefined;
      const args = n.args.map((a) => elementKey(a, ctx));
      return args.every((a) => a !== undefined) ? `${n.callee.name}(${args.join(",")})` : undefined;
    }
    case "Builtin": {
      if (n.name !== "len" || n.args.length !== 1 || !ctx.checked.builtins.has(n)) return undefined;
      const arg = elementKey(n.args[0]!, ctx);
      return arg === undefined ? undefined : `len(${arg})`;
    }
    case "Binary": {
      if (!ELEMENT_BINARY_OPS.has(n.op)) return undefined;
      const l = elementKey(n.left, ctx);
      const r = elementKey(n.right, ctx);
      return l === undefined || r === undefined ? undefined : `(${l} ${n.op} ${r})`;
    }
    case "Unary": {
      const v = elementKey(n.node, ctx);
      return v === undefined ? undefined : `${n.op}(${v})`;
    }
    default: return undefined;
  }
}

/** No `#`, no let, no method or impure call: the same value at every step of the loop. */
function isHoistable(n: Node, ctx: CompileContext): boolean {
  switch (n.kind) {
    case "Nil": case "Bool": case "Integer": case "Float": case "String": case "Identifier": return true;
    case "Member": return isHoistable(n.node, ctx) && isHoistable(n.property, ctx);
    case "Chain": return isHoistable(n.node, ctx);
    case "Unary": return isHoistable(n.node, ctx);
    case "Binary": return isHoistable(n.left, ctx) && isHoistable(n.right, ctx);
    case "Conditional": return isHoistable(n.cond, ctx) && isHoistable(n.then, ctx) && isHoistable(n.otherwise, ctx);
    case "Call": return isPureFunctionCall(n, ctx) && n.args.every((a) => isHoistable(a, ctx));
    default: return false;
  }
}

function isConstant(n: Node): boolean {
  return n.kind === "String" || n.kind === "Integer" || n.kind === "Float" || n.kind === "Bool" || n.kind === "Nil";
}

/** A call of a `stable` helper on constant arguments (File("x")): the same array, run after run. */
export function isStableCollection(coll: Node, ctx: CompileContext): boolean {
  if (coll.kind !== "Call" || !coll.args.every(isConstant)) return false;
  const target = ctx.checked.calls.get(coll);
  return target?.kind === "function" && ctx.functionDef(target.name)?.stable === true;
}

/** The indexed form of an `any`/`none` builtin, when it has one. */
export function indexedShape(node: BuiltinNode, ctx: CompileContext): IndexedShape | undefined {
  if ((node.name !== "any" && node.name !== "none") || node.args.length !== 2) return undefined;
  const coll = node.args[0]!;
  const pred = node.args[1]!;
  if (pred.kind !== "Predicate" || !isStableCollection(coll, ctx)) return undefined;

  let body = pred.node;
  let guard: Node | undefined;
  let guardKey = "";
  if (body.kind === "Binary" && (body.op === "&&" || body.op === "and") && typeOf(body.left).kind === "bool" && typeOf(body.right).kind === "bool") {
    const g = elementKey(body.left, ctx);
    if (g === undefined) return undefined;
    guard = body.left;
    guardKey = g;
    body = body.right;
  }
  if (body.kind === "Call") return rangeShape(body, guard, guardKey, ctx);
  if (body.kind !== "Binary" || !INDEXED_OPS.has(body.op)) return undefined;
  const sides = splitSides(body, ctx);
  if (!sides) return undefined;
  if (typeOf(sides.hoisted).kind !== "string" || typeOf(sides.element).kind !== "string") return undefined;
  return { op: body.op as IndexedOp, hoisted: sides.hoisted, element: sides.element, guard, key: `${body.op}\u0000${guardKey}\u0000${sides.key}` };
}

/** `IpInRange(H, E(#))`: the lines (through E) are networks, H the address. */
function rangeShape(call: CallNode, guard: Node | undefined, guardKey: string, ctx: CompileContext): IndexedShape | undefined {
  const target = ctx.checked.calls.get(call);
  if (target?.kind !== "function" || ctx.functionDef(target.name)?.rangeMembership !== true || call.args.length !== 2) return undefined;
  const [hoisted, element] = call.args as [Node, Node];
  const key = elementKey(element, ctx);
  if (key === undefined || !key.includes("#") || !isHoistable(hoisted, ctx)) return undefined;
  if (typeOf(hoisted).kind !== "string" || typeOf(element).kind !== "string") return undefined;
  return { op: "inRange", hoisted, element, guard, key: `inRange\u0000${guardKey}\u0000${key}` };
}

function splitSides(b: BinaryNode, ctx: CompileContext): { hoisted: Node; element: Node; key: string } | undefined {
  const rightKey = elementKey(b.right, ctx);
  if (rightKey !== undefined && rightKey.includes("#") && isHoistable(b.left, ctx)) return { hoisted: b.left, element: b.right, key: rightKey };
  // `#` on the left only for the symmetric operator
  if (b.op === "==") {
    const leftKey = elementKey(b.left, ctx);
    if (leftKey !== undefined && leftKey.includes("#") && isHoistable(b.right, ctx)) return { hoisted: b.right, element: b.left, key: leftKey };
  }
  return undefined;
}

/** Answers remembered per indexed predicate. */
const MEMO_SIZE = 1024;

/** Indexes by collection object, then by shape key; null: this collection cannot be indexed. */
const indexCache = new WeakMap<readonly unknown[], Map<string, StringIndex | null>>();

interface IndexedParts {
  readonly shape: IndexedShape;
  readonly items: (f: Frame) => readonly unknown[];
  readonly hoisted: Fn;
  readonly element: Fn;
  readonly guard: Fn | undefined;
  readonly elemSlot: number;
  readonly indexSlot: number;
  /** The builtin as a loop, for collections that cannot be indexed. */
  readonly loop: Fn;
  /** true for `any`, false for `none`. */
  readonly any: boolean;
}

/** The run-time closure of an indexed `any`/`none`. */
export function indexedPredicate(p: IndexedParts): Fn {
  const { shape, items, hoisted, element, guard, elemSlot, indexSlot, loop, any } = p;
  let lastArr: readonly unknown[] | null = null;
  let lastIndex: StringIndex | null = null;
  /** Answers of lastIndex by text. */
  const memo = new Map<string, boolean>();
  return (f) => {
    const arr = items(f);
    if (arr.length === 0) return !any;
    if (arr !== lastArr) {
      lastIndex = indexFor(arr, f);
      lastArr = arr;
      memo.clear();
    }
    if (lastIndex === null) return loop(f);
    const h = hoisted(f);
    if (typeof h !== "string") return loop(f);
    // the same user agents and paths come back line after line
    let found = memo.get(h);
    if (found === undefined) {
      found = lastIndex.test(h);
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(h, found);
    }
    return found === any;
  };

  function indexFor(arr: readonly unknown[], f: Frame): StringIndex | null {
    let byKey = indexCache.get(arr);
    if (!byKey) indexCache.set(arr, (byKey = new Map()));
    const hit = byKey.get(shape.key);
    if (hit !== undefined) return hit;
    const built = build(arr, f);
    byKey.set(shape.key, built);
    return built;
  }

  function build(arr: readonly unknown[], f: Frame): StringIndex | null {
    const patterns: string[] = [];
    try {
      for (let i = 0; i < arr.length; i++) {
        f.slots[elemSlot] = arr[i] ?? null;
        f.slots[indexSlot] = i;
        if (guard) {
          const g = guard(f);
          if (g === false) continue;
          if (g !== true) return null;
        }
        const v = element(f);
        if (typeof v !== "string") return null;
        patterns.push(v);
      }
    } catch {
      // once per data file: a line the element expression fails on leaves it to the loop,
      // which fails (or not) on that line exactly as it would have
      return null;
    }
    return buildStringIndex(shape.op, patterns);
  }
}
