/**
 * What compiled closures run against: one Frame per program, reused by every run, holding the
 * variables of the run and the slots of `let` bindings and predicate elements.
 */
import type { Node } from "./ast";
import type { BuiltinContext } from "./builtins";
import type { Checked } from "./checker";

/** A compiled expression node. */
export type Fn = (f: Frame) => unknown;

const NO_VARS: Readonly<Record<string, unknown>> = Object.freeze({});

export class Frame {
  vars: Readonly<Record<string, unknown>> = NO_VARS;
  readonly slots: unknown[];

  constructor(slotCount: number) {
    this.slots = new Array<unknown>(slotCount).fill(null);
  }
}

/** Returned inside a `?.` chain when an optional step met nil; the chain turns it into nil. */
export const CHAIN_NIL: unique symbol = Symbol("chain-nil");

/** A bound function callable from expressions. */
export type BoundFunction = (...args: unknown[]) => unknown;

export interface CompileContext {
  readonly source: string;
  readonly checked: Checked;
  readonly builtinContext: BuiltinContext;
  /** The implementation of a named function (helper), made once per program. */
  readonly functionImpl: (name: string) => BoundFunction;
  /** Compiles a child node; `inChain` marks the spine of a `?.` chain. */
  readonly compile: (node: Node, inChain?: boolean) => Fn;
  /** Reserves a frame slot (let bindings, predicate element/index/accumulator). */
  readonly allocSlot: () => number;
  readonly lets: { name: string; slot: number }[];
  readonly predicates: { elem: number; index: number; acc: number }[];
}
