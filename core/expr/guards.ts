/**
 * The leading tests of a filter that a caller may check before running it:
 *
 *   evt.Meta.log_type in ['http_access-log', 'http_error-log'] && evt.Meta.http_status == '404' && …
 *
 * gives two guards. When one of them fails the program answers false, with no side effect and no
 * error (the tests before it cannot fail or write anything), so a caller running many filters
 * on one event (the bucket engine: every scenario) may skip the program instead.
 */
import type { Node } from "./ast";
import { ANY, methodOf, type ExprType } from "./types";

export interface FieldGuard {
  /** `evt`: the variable read. */
  readonly variable: string;
  /** `Meta`: a field of the variable's struct, a map of strings. */
  readonly field: string;
  /** `log_type`: the map key. */
  readonly key: string;
  /** The program answers false unless the entry (missing: "") is one of these. */
  readonly values: ReadonlySet<string>;
  /** The entry as the program reads it; undefined when it cannot be read that way (no variable, not a string). */
  readonly read: (vars: Readonly<Record<string, unknown>>) => string | undefined;
}

type Getter = (o: Record<string, unknown>) => unknown;

// Reads by a property access of their own (one shape per site), not a keyed one shared by all.
const VARIABLES: Readonly<Record<string, Getter>> = Object.assign(Object.create(null) as Record<string, Getter>, {
  evt: (o: Record<string, unknown>) => o.evt,
});
const FIELDS: Readonly<Record<string, Getter>> = Object.assign(Object.create(null) as Record<string, Getter>, {
  Meta: (o: Record<string, unknown>) => o.Meta,
  Parsed: (o: Record<string, unknown>) => o.Parsed,
  Enriched: (o: Record<string, unknown>) => o.Enriched,
});

/** The engine's own copy of a property name: keyed reads by it skip interning the name each time. */
function propertyKey(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

function reader(variable: string, field: string, key: string): FieldGuard["read"] {
  const v = propertyKey(variable);
  const f = propertyKey(field);
  const k = propertyKey(key);
  const getVar = VARIABLES[v] ?? ((o: Record<string, unknown>) => o[v]);
  const getField = FIELDS[f] ?? ((o: Record<string, unknown>) => o[f]);
  return (vars) => {
    const o = getVar(vars as Record<string, unknown>);
    if (o === null || o === undefined) return undefined;
    const m = getField(o as Record<string, unknown>);
    if (m === null || m === undefined) return "";
    const x = (m as Record<string, unknown>)[k];
    if (x === undefined || x === null) return "";
    return typeof x === "string" ? x : undefined;
  };
}

const typeOf = (n: Node): ExprType => n.type ?? ANY;

/** `variable.field.key` where field is a map of strings, as the compiler reads it in one step. */
function fieldRead(n: Node): Omit<FieldGuard, "values"> | undefined {
  const at = fieldPath(n);
  return at && { ...at, read: reader(at.variable, at.field, at.key) };
}

function fieldPath(n: Node): { variable: string; field: string; key: string } | undefined {
  if (n.kind !== "Member" || n.optional || n.property.kind !== "String" || n.property.value === "__proto__") return undefined;
  const inner = n.node;
  if (inner.kind !== "Member" || inner.optional || inner.property.kind !== "String") return undefined;
  const root = inner.node;
  if (root.kind !== "Identifier") return undefined;
  const structT = typeOf(root);
  if (structT.kind !== "struct") return undefined;
  const field = inner.property.value;
  const mapT = structT.fields[field];
  if (!mapT || mapT.kind !== "map" || mapT.elem.kind !== "string" || methodOf(structT, field)) return undefined;
  if (methodOf(mapT, n.property.value)) return undefined;
  return { variable: root.name, field, key: n.property.value };
}

function guardOf(n: Node): FieldGuard | undefined {
  if (n.kind !== "Binary") return undefined;
  if (n.op === "==") {
    const left = fieldRead(n.left);
    if (left && n.right.kind === "String") return { ...left, values: new Set([n.right.value]) };
    const right = fieldRead(n.right);
    if (right && n.left.kind === "String") return { ...right, values: new Set([n.left.value]) };
    return undefined;
  }
  if (n.op === "in") {
    const left = fieldRead(n.left);
    if (!left || n.right.kind !== "Array" || n.right.nodes.length === 0) return undefined;
    const values: string[] = [];
    for (const item of n.right.nodes) {
      if (item.kind !== "String") return undefined;
      values.push(item.value);
    }
    return { ...left, values: new Set(values) };
  }
  return undefined;
}

/** `a && b && c` (bool operands all the way) as [a, b, c], in evaluation order. */
function conjuncts(n: Node, out: Node[]): void {
  if (n.kind === "Binary" && (n.op === "&&" || n.op === "and") && typeOf(n.left).kind === "bool" && typeOf(n.right).kind === "bool") {
    conjuncts(n.left, out);
    conjuncts(n.right, out);
    return;
  }
  out.push(n);
}

/** The guards of a checked program root: its leading conjuncts that are field tests. */
export function leadingGuards(root: Node): readonly FieldGuard[] {
  const parts: Node[] = [];
  conjuncts(root, parts);
  const guards: FieldGuard[] = [];
  for (const p of parts) {
    const g = guardOf(p);
    if (!g) break;
    guards.push(g);
  }
  return guards;
}

/**
 * Whether the guards let the program through for these variables: false only when a guard
 * reads a string that is not among its values. A value it cannot read the way the program
 * would (no variable, not a string) lets it through: the program decides.
 */
export function guardsHold(guards: readonly FieldGuard[], vars: Readonly<Record<string, unknown>>): boolean {
  for (let i = 0; i < guards.length; i++) {
    const g = guards[i]!;
    const v = g.read(vars);
    if (v === undefined) return true;
    if (!g.values.has(v)) return false;
  }
  return true;
}
