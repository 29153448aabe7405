/**
 * Which fields of the events a bucket holds an expression reads: `queue.Queue` (also through
 * `leaky.Queue`), its elements by index, slice, first/last, and `#` in the predicates that walk
 * it (filter, map, any, count, …), followed through `let`. Every hub condition reads only
 * `#.Meta`, `#.Time` and `#.Enriched`; a replay may then drop the rest of a held event.
 *
 * The answer is "any" as soon as an event or the list is used in a way not followed here (given
 * to a function, compared, returned, kept in a map…): the caller then keeps events whole.
 */
import type { Node } from "./ast";

export type QueueReads = ReadonlySet<string> | "any";

type Kind = "other" | "queue" | "leaky" | "list" | "event";

/** Methods of an event, and the field each reads. */
const EVENT_METHODS: Readonly<Record<string, string>> = { GetMeta: "Meta", GetType: "Type", ParseIPSources: "Meta" };

/** Predicate builtins and what they give back when walking a list of events. */
const LIST_PREDICATES: Readonly<Record<string, Kind | "fail">> = {
  filter: "list", sortBy: "list", find: "event", findLast: "event",
  all: "other", none: "other", any: "other", one: "other", count: "other", sum: "other", findIndex: "other", findLastIndex: "other",
  map: "other", groupBy: "fail", reduce: "fail",
};

class Fail extends Error {}

class Walker {
  readonly reads = new Set<string>();
  private readonly lets: { name: string; kind: Kind }[] = [];
  /** Kinds of `#` in the open predicate scopes (innermost last). */
  private readonly elements: Kind[] = [];

  /** The kind of a node's value; anything that would hand an event or the list elsewhere fails. */
  kind(n: Node): Kind {
    switch (n.kind) {
      case "Nil": case "Bool": case "Integer": case "Float": case "String": return "other";
      case "Identifier": {
        for (let i = this.lets.length - 1; i >= 0; i--) if (this.lets[i]!.name === n.name) return this.lets[i]!.kind;
        return n.name === "queue" ? "queue" : n.name === "leaky" ? "leaky" : "other";
      }
      case "Pointer": return n.name === "" ? (this.elements[this.elements.length - 1] ?? "other") : "other";
      case "Member": return this.member(n.node, n.property);
      case "Chain": return this.kind(n.node);
      case "Slice": {
        const base = this.kind(n.node);
        if (n.from) this.value(n.from);
        if (n.to) this.value(n.to);
        if (base === "list") return "list";
        return this.plain(base);
      }
      case "Let": {
        const kind = this.kind(n.value);
        this.lets.push({ name: n.name, kind });
        const body = this.kind(n.body);
        this.lets.pop();
        return body;
      }
      case "Call": return this.call(n);
      case "Builtin": return this.builtin(n.name, n.args);
      case "Predicate": return this.kind(n.node);
      default:
        // operators, conditionals, literals of arrays and maps: their operands must be plain values
        for (const child of children(n)) this.value(child);
        return "other";
    }
  }

  /** A node whose value must not be an event, the list, or what holds it. */
  value(n: Node): void {
    this.plain(this.kind(n));
  }

  private plain(k: Kind): "other" {
    if (k !== "other") throw new Fail();
    return "other";
  }

  private member(base: Node, property: Node): Kind {
    const b = this.kind(base);
    const name = property.kind === "String" ? property.value : undefined;
    switch (b) {
      case "queue":
        return name === "Queue" ? "list" : name !== undefined ? "other" : this.plain("queue");
      case "leaky":
        return name === "Queue" ? "queue" : name !== undefined ? "other" : this.plain("leaky");
      case "list":
        this.value(property); // an index
        return "event";
      case "event":
        if (name === undefined) throw new Fail();
        this.reads.add(name);
        return "other";
      default:
        if (property.kind !== "String") this.value(property);
        return "other";
    }
  }

  private call(n: Node & { kind: "Call" }): Kind {
    const callee = n.callee;
    if (callee.kind === "Member" && callee.property.kind === "String") {
      const receiver = this.kind(callee.node);
      if (receiver === "event") {
        const field = EVENT_METHODS[callee.property.value];
        if (field === undefined) throw new Fail();
        this.reads.add(field);
        for (const a of n.args) this.value(a);
        return "other";
      }
      this.plain(receiver);
    } else {
      this.value(callee);
    }
    for (const a of n.args) this.value(a);
    return "other";
  }

  private builtin(name: string, args: readonly Node[]): Kind {
    const first = args[0];
    const firstKind = first ? this.kind(first) : "other";
    if (firstKind !== "list") {
      this.plain(firstKind);
      this.scoped("other", args.slice(1));
      return "other";
    }
    switch (name) {
      case "len":
        return "other";
      case "first": case "last":
        return "event";
      case "take": case "reverse":
        for (const a of args.slice(1)) this.value(a);
        return "list";
    }
    const gives = LIST_PREDICATES[name];
    if (gives === undefined || gives === "fail") throw new Fail();
    const pred = args[1];
    if (pred) {
      this.elements.push("event");
      const body = this.kind(pred);
      this.elements.pop();
      // map(list, {#}) would hand events on
      if (name === "map" || name === "sum") this.plain(body);
    }
    for (const a of args.slice(2)) this.value(a);
    return gives;
  }

  private scoped(element: Kind, args: readonly Node[]): void {
    this.elements.push(element);
    try {
      for (const a of args) this.value(a);
    } finally {
      this.elements.pop();
    }
  }
}

function children(n: Node): Node[] {
  switch (n.kind) {
    case "Unary": return [n.node];
    case "Binary": return [n.left, n.right];
    case "Conditional": return [n.cond, n.then, n.otherwise];
    case "Sequence": return n.nodes;
    case "Array": return n.nodes;
    case "Map": return n.pairs.flatMap((p) => [p.key, p.value]);
    case "Pair": return [n.key, n.value];
    default: return [];
  }
}

/** The fields a program reads on held events (empty: none), or "any". */
export function queueReads(root: Node): QueueReads {
  const w = new Walker();
  try {
    w.value(root);
  } catch (e) {
    if (e instanceof Fail) return "any";
    throw e;
  }
  return w.reads;
}
