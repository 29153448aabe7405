/**
 * Syntax tree of an expression, as expr-lang's ast package shapes it. `at` is the UTF-16 offset
 * of the token errors point at; `type` is filled in by the checker.
 */
import type { ExprType } from "./types";

interface Base {
  readonly at: number;
  /** Static type, set by the checker. */
  type?: ExprType;
}

export interface NilNode extends Base { readonly kind: "Nil" }
export interface BoolNode extends Base { readonly kind: "Bool"; readonly value: boolean }
export interface IntegerNode extends Base { readonly kind: "Integer"; readonly value: number }
export interface FloatNode extends Base { readonly kind: "Float"; readonly value: number }
export interface StringNode extends Base { readonly kind: "String"; readonly value: string }
export interface IdentifierNode extends Base { readonly kind: "Identifier"; readonly name: string }
export interface UnaryNode extends Base { readonly kind: "Unary"; readonly op: string; readonly node: Node }
export interface BinaryNode extends Base { readonly kind: "Binary"; readonly op: string; readonly left: Node; readonly right: Node }
/** Wraps a member chain containing `?.`: a nil met by an optional step makes the whole chain nil. */
export interface ChainNode extends Base { readonly kind: "Chain"; readonly node: Node }
export interface MemberNode extends Base {
  readonly kind: "Member";
  readonly node: Node;
  readonly property: Node;
  readonly optional: boolean;
  /** True when the member is the callee of a call: `a.M(x)`. */
  method: boolean;
}
export interface SliceNode extends Base { readonly kind: "Slice"; readonly node: Node; readonly from?: Node; readonly to?: Node }
export interface CallNode extends Base { readonly kind: "Call"; readonly callee: Node; readonly args: Node[] }
export interface BuiltinNode extends Base { readonly kind: "Builtin"; readonly name: string; readonly args: Node[] }
/** A `{ … }` closure argument of a predicate builtin; `#` is the current element. */
export interface PredicateNode extends Base { readonly kind: "Predicate"; readonly node: Node }
/** `#` (name ""), `#index`, `#acc`; a leading `.Field` in a predicate is a Pointer followed by a member. */
export interface PointerNode extends Base { readonly kind: "Pointer"; readonly name: string }
export interface LetNode extends Base { readonly kind: "Let"; readonly name: string; readonly value: Node; readonly body: Node }
export interface SequenceNode extends Base { readonly kind: "Sequence"; readonly nodes: Node[] }
export interface ConditionalNode extends Base { readonly kind: "Conditional"; readonly cond: Node; readonly then: Node; readonly otherwise: Node }
export interface ArrayNode extends Base { readonly kind: "Array"; readonly nodes: Node[] }
export interface MapNode extends Base { readonly kind: "Map"; readonly pairs: PairNode[] }
export interface PairNode extends Base { readonly kind: "Pair"; readonly key: Node; readonly value: Node }

export type Node =
  | NilNode | BoolNode | IntegerNode | FloatNode | StringNode | IdentifierNode
  | UnaryNode | BinaryNode | ChainNode | MemberNode | SliceNode | CallNode | BuiltinNode
  | PredicateNode | PointerNode | LetNode | SequenceNode | ConditionalNode
  | ArrayNode | MapNode | PairNode;
