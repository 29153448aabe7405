/**
 * What compiled closures run against: one Frame per program, reused by every run, holding the
 * variables of the run and the slots of `let` bindings and predicate elements.
 */
import type { Node } from "./ast";
import type { BuiltinContext } from "./builtins";
import type { Checked } from "./checker";
import type { HelperDef } from "./functions/types";

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
  /** The definition behind a function name (its purity flags), undefined for unknown names. */
  readonly functionDef: (name: string) => HelperDef | undefined;
  /** Compiles a child node; `inChain` marks the spine of a `?.` chain. */
  readonly compile: (node: Node, inChain?: boolean) => Fn;
  /** Reserves a frame slot (let bindings, predicate element/index/accumulator). */
  readonly allocSlot: () => number;
  /** Compile `any`/`none` over a data file to an index lookup (indexed-predicate.ts); off only to test against the loop. */
  readonly indexPredicates: boolean;
  readonly lets: { name: string; slot: number }[];
  /** Open predicate scopes; `stable`: the collection is a stable helper's result (File), whose elements repeat run after run. */
  readonly predicates: { elem: number; index: number; acc: number; stable?: boolean }[];
}
