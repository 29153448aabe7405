/**
 * Tokens → syntax tree with expr-lang's grammar and precedence (parser/parser.go,
 * parser/operator/operator.go): unary `not` binds tighter than comparisons, `??` tightest,
 * comparisons chain (`a < b < c` is `a < b && b < c`), predicates take `{ … }` or a bare expression.
 */
import type { BuiltinNode, MemberNode, Node, PairNode } from "./ast";
import { lex, tokenText, type Token } from "./lexer";

interface Operator {
  readonly precedence: number;
  readonly rightAssoc: boolean;
}

const UNARY: Readonly<Record<string, Operator>> = {
  not: { precedence: 50, rightAssoc: false },
  "!": { precedence: 50, rightAssoc: false },
  "-": { precedence: 90, rightAssoc: false },
  "+": { precedence: 90, rightAssoc: false },
};

const BINARY: Readonly<Record<string, Operator>> = {
  "|": { precedence: 0, rightAssoc: false },
  or: { precedence: 10, rightAssoc: false },
  "||": { precedence: 10, rightAssoc: false },
  and: { precedence: 15, rightAssoc: false },
  "&&": { precedence: 15, rightAssoc: false },
  "==": { precedence: 20, rightAssoc: false },
  "!=": { precedence: 20, rightAssoc: false },
  "<": { precedence: 20, rightAssoc: false },
  ">": { precedence: 20, rightAssoc: false },
  ">=": { precedence: 20, rightAssoc: false },
  "<=": { precedence: 20, rightAssoc: false },
  in: { precedence: 20, rightAssoc: false },
  matches: { precedence: 20, rightAssoc: false },
  contains: { precedence: 20, rightAssoc: false },
  startsWith: { precedence: 20, rightAssoc: false },
  endsWith: { precedence: 20, rightAssoc: false },
  "..": { precedence: 25, rightAssoc: false },
  "+": { precedence: 30, rightAssoc: false },
  "-": { precedence: 30, rightAssoc: false },
  "*": { precedence: 60, rightAssoc: false },
  "/": { precedence: 60, rightAssoc: false },
  "%": { precedence: 60, rightAssoc: false },
  "**": { precedence: 100, rightAssoc: true },
  "^": { precedence: 100, rightAssoc: true },
  "??": { precedence: 500, rightAssoc: false },
};

const NEGATABLE = new Set(["contains", "matches", "startsWith", "endsWith", "in"]);
const COMPARISONS = new Set(["<", ">", ">=", "<="]);

const EXPR = 1;
const PREDICATE = 2;
const OPTIONAL = 4;

/** Builtins whose arguments include a predicate, with their argument shapes (upstream parser.go). */
const PREDICATE_BUILTINS: Readonly<Record<string, readonly number[]>> = {
  all: [EXPR, PREDICATE],
  none: [EXPR, PREDICATE],
  any: [EXPR, PREDICATE],
  one: [EXPR, PREDICATE],
  filter: [EXPR, PREDICATE],
  map: [EXPR, PREDICATE],
  count: [EXPR, PREDICATE | OPTIONAL],
  sum: [EXPR, PREDICATE | OPTIONAL],
  find: [EXPR, PREDICATE],
  findIndex: [EXPR, PREDICATE],
  findLast: [EXPR, PREDICATE],
  findLastIndex: [EXPR, PREDICATE],
  groupBy: [EXPR, PREDICATE],
  sortBy: [EXPR, PREDICATE, EXPR | OPTIONAL],
  reduce: [EXPR, PREDICATE, EXPR | OPTIONAL],
};

export function isPredicateBuiltin(name: string): boolean {
  return Object.hasOwn(PREDICATE_BUILTINS, name);
}

const MAX_NODES = 10_000;

export interface ParseOptions {
  /** Names that parse as builtin calls (lower-case expr builtins). */
  readonly builtins: ReadonlySet<string>;
  /** Functions that override a builtin of the same name (upstream `IsOverridden`). */
  readonly isOverridden?: (name: string) => boolean;
}

/** A syntax error: message and UTF-16 offset. */
export interface SyntaxError {
  readonly message: string;
  readonly at: number;
}

export type ParseResult = { ok: true; node: Node } | { ok: false; error: SyntaxError };

class Failure {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

const IDENTIFIER_RE = /^[\p{L}_$][\p{L}\p{Nd}_$]*$/u;
const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]+$/ };
const FLOAT_RE = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parse(source: string, options: ParseOptions): ParseResult {
  const p = new Parser(lex(source), options);
  try {
    p.advance(0);
    const node = p.parseSequence();
    if (p.current.kind !== "EOF") p.fail(`unexpected token ${tokenText(p.current)}`);
    return { ok: true, node };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: { message: e.message, at: e.at } };
    throw e;
  }
}

class Parser {
  current!: Token;
  private index = -1;
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly options: ParseOptions,
  ) {}

  advance(to = this.index + 1): void {
    const t = this.tokens[to];
    if (!t) throw new Failure("unexpected end of expression", this.current ? this.current.from : 0);
    this.index = to;
    this.current = t;
    if (t.kind === "Error") throw new Failure(t.value, t.from);
  }

  fail(message: string, at: Token = this.current): never {
    throw new Failure(message, at.from);
  }

  private is(t: Token, kind: Token["kind"], value?: string): boolean {
    return t.kind === kind && (value === undefined || t.value === value);
  }

  private expect(kind: Token["kind"], value?: string): void {
    if (this.is(this.current, kind, value)) this.advance();
    else this.fail(`unexpected token ${tokenText(this.current)}`);
  }

  private count<T extends Node>(node: T): T {
    if (++this.nodes > MAX_NODES) this.fail("compilation failed: expression exceeds maximum allowed nodes");
    return node;
  }

  parseSequence(): Node {
    const nodes = [this.parseExpression(0)];
    while (this.is(this.current, "Operator", ";")) {
      this.advance();
      if (this.current.kind === "EOF") break;
      nodes.push(this.parseExpression(0));
    }
    if (nodes.length === 1) return nodes[0] as Node;
    return this.count({ kind: "Sequence", nodes, at: (nodes[0] as Node).at });
  }

  private parseExpression(precedence: number): Node {
    if (precedence === 0 && this.is(this.current, "Operator", "let")) return this.parseLet();
    if (precedence === 0 && this.is(this.current, "Operator", "if")) return this.parseIf();

    let left = this.parsePrimary();
    let previous = "";
    let opToken = this.current;
    while (opToken.kind === "Operator") {
      const negate = opToken.value === "not";
      let notToken: Token | undefined;
      if (negate) {
        const backup = this.index;
        this.advance();
        if (!NEGATABLE.has(this.current.value)) this.fail(`unexpected token ${tokenText(this.current)}`);
        const op = BINARY[this.current.value] as Operator;
        if (op.precedence < precedence) {
          this.advance(backup);
          break;
        }
        notToken = this.current;
        opToken = this.current;
      }
      const op = Object.hasOwn(BINARY, opToken.value) ? BINARY[opToken.value] : undefined;
      if (!op || op.precedence < precedence) break;
      this.advance();

      if (opToken.value === "|") {
        const ident = this.current;
        this.expect("Identifier");
        left = this.parseCall(ident, [left], true);
      } else {
        if (previous === "??" && opToken.value !== "??") {
          this.fail(`Operator (${opToken.value}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.`, opToken);
        }
        if (COMPARISONS.has(opToken.value)) {
          left = this.parseComparison(left, opToken, op.precedence);
        } else {
          const right = this.parseExpression(op.rightAssoc ? op.precedence : op.precedence + 1);
          left = this.count({ kind: "Binary", op: opToken.value, left, right, at: opToken.from });
          if (negate && notToken) left = this.count({ kind: "Unary", op: "not", node: left, at: notToken.from });
        }
      }
      previous = opToken.value;
      opToken = this.current;
    }
    if (precedence === 0) left = this.parseConditional(left);
    return left;
  }

  /** `a < b < c` is `a < b && b < c` (the middle operand is shared, as upstream). */
  private parseComparison(left: Node, token: Token, precedence: number): Node {
    let root: Node | undefined;
    for (;;) {
      const comparator = this.parseExpression(precedence + 1);
      const cmp: Node = this.count({ kind: "Binary", op: token.value, left, right: comparator, at: token.from });
      root = root ? this.count({ kind: "Binary", op: "&&", left: root, right: cmp, at: token.from }) : cmp;
      left = comparator;
      token = this.current;
      if (!(token.kind === "Operator" && COMPARISONS.has(token.value))) break;
      this.advance();
    }
    return root;
  }

  private parseLet(): Node {
    this.expect("Operator", "let");
    const name = this.current;
    this.expect("Identifier");
    this.expect("Operator", "=");
    const value = this.parseExpression(0);
    this.expect("Operator", ";");
    const body = this.parseSequence();
    return this.count({ kind: "Let", name: name.value, value, body, at: name.from });
  }

  private parseIf(): Node {
    const ifToken = this.current;
    this.advance();
    const cond = this.parseExpression(0);
    this.expect("Bracket", "{");
    const then = this.parseSequence();
    this.expect("Bracket", "}");
    this.expect("Operator", "else");
    let otherwise: Node;
    if (this.is(this.current, "Operator", "if")) {
      otherwise = this.parseIf();
    } else {
      this.expect("Bracket", "{");
      otherwise = this.parseSequence();
      this.expect("Bracket", "}");
    }
    return this.count({ kind: "Conditional", cond, then, otherwise, at: ifToken.from });
  }

  private parseConditional(node: Node): Node {
    while (this.is(this.current, "Operator", "?")) {
      this.advance();
      let then: Node;
      let otherwise: Node;
      if (!this.is(this.current, "Operator", ":")) {
        then = this.parseExpression(0);
        this.expect("Operator", ":");
        otherwise = this.parseExpression(0);
      } else {
        this.advance();
        then = node;
        otherwise = this.parseExpression(0);
      }
      node = this.count({ kind: "Conditional", cond: node, then, otherwise, at: this.current.from });
    }
    return node;
  }

  private parsePrimary(): Node {
    const token = this.current;
    if (token.kind === "Operator" && Object.hasOwn(UNARY, token.value)) {
      const op = UNARY[token.value] as Operator;
      this.advance();
      const operand = this.parseExpression(op.precedence);
      return this.parsePostfix(this.count({ kind: "Unary", op: token.value, node: operand, at: token.from }));
    }
    if (this.is(token, "Bracket", "(")) {
      this.advance();
      const inner = this.parseSequence();
      this.expect("Bracket", ")");
      return this.parsePostfix(inner);
    }
    if (this.depth > 0 && (this.is(token, "Operator", "#") || this.is(token, "Operator", "."))) {
      let name = "";
      if (token.value === "#") {
        this.advance();
        if (this.current.kind === "Identifier") {
          name = this.current.value;
          this.advance();
        }
      }
      return this.parsePostfix(this.count({ kind: "Pointer", name, at: token.from }));
    }
    if (this.is(token, "Operator", "::")) {
      this.advance();
      const ident = this.current;
      this.expect("Identifier");
      return this.parsePostfix(this.parseCall(ident, [], false));
    }
    return this.parseSecondary();
  }

  private parseSecondary(): Node {
    const token = this.current;
    let node: Node;
    switch (token.kind) {
      case "Identifier":
        this.advance();
        if (token.value === "true" || token.value === "false") return this.count({ kind: "Bool", value: token.value === "true", at: token.from });
        if (token.value === "nil") return this.count({ kind: "Nil", at: token.from });
        node = this.is(this.current, "Bracket", "(") ? this.parseCall(token, [], true) : this.count({ kind: "Identifier", name: token.value, at: token.from });
        break;
      case "Number":
        this.advance();
        return this.count(this.parseNumber(token));
      case "String":
        this.advance();
        node = this.count({ kind: "String", value: token.value, at: token.from });
        break;
      default:
        if (this.is(token, "Bracket", "[")) node = this.parseArray(token);
        else if (this.is(token, "Bracket", "{")) node = this.parseMap(token);
        else this.fail(`unexpected token ${tokenText(token)}`);
    }
    return this.parsePostfix(node);
  }

  private parseNumber(token: Token): Node {
    const text = token.value.replace(/_/g, "");
    const lower = text.toLowerCase();
    const at = token.from;
    const intNode = (value: number, what: string, digits: string, radix: number): Node => {
      if (!(DIGITS[radix] as RegExp).test(digits)) {
        this.fail(`invalid ${what} literal: strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
      }
      if (!Number.isSafeInteger(value) && value > 9223372036854775807) {
        this.fail(`invalid ${what} literal: strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
      }
      return { kind: "Integer", value, at };
    };
    if (lower.startsWith("0x")) return intNode(parseInt(lower.slice(2), 16), "hex", lower.slice(2), 16);
    if (lower.includes(".") || lower.includes("e")) {
      const value = Number(text);
      if (!FLOAT_RE.test(text) || Number.isNaN(value)) this.fail(`invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
      if (!Number.isFinite(value)) this.fail(`invalid float literal: strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range`);
      return { kind: "Float", value, at };
    }
    if (lower.startsWith("0b")) return intNode(parseInt(lower.slice(2), 2), "binary", lower.slice(2), 2);
    if (lower.startsWith("0o")) return intNode(parseInt(lower.slice(2), 8), "octal", lower.slice(2), 8);
    return intNode(Number(text), "integer", text, 10);
  }

  private parseCall(token: Token, args: Node[], checkOverrides: boolean): Node {
    const name = token.value;
    const overridden = checkOverrides && (this.options.isOverridden?.(name) ?? false);
    const shape = Object.hasOwn(PREDICATE_BUILTINS, name) ? PREDICATE_BUILTINS[name] : undefined;
    if (shape && !overridden) {
      this.expect("Bracket", "(");
      const rest = shape.slice(args.length);
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i] as number;
        if (arg & OPTIONAL) {
          if (this.is(this.current, "Bracket", ")")) break;
        } else if (this.is(this.current, "Bracket", ")")) {
          this.fail(`expected at least ${rest.length} arguments`);
        }
        if (i > 0) this.expect("Operator", ",");
        args.push(arg & PREDICATE ? this.parsePredicate() : this.parseExpression(0));
      }
      if (this.is(this.current, "Operator", ",")) this.advance();
      this.expect("Bracket", ")");
      return this.count<BuiltinNode>({ kind: "Builtin", name, args, at: token.from });
    }
    if (this.options.builtins.has(name) && !overridden) {
      return this.count({ kind: "Builtin", name, args: this.parseArguments(args), at: token.from });
    }
    const callee = this.count<Node>({ kind: "Identifier", name, at: token.from });
    return this.count({ kind: "Call", callee, args: this.parseArguments(args), at: token.from });
  }

  private parseArguments(args: Node[]): Node[] {
    const offset = args.length;
    this.expect("Bracket", "(");
    while (!this.is(this.current, "Bracket", ")")) {
      if (args.length > offset) this.expect("Operator", ",");
      if (this.is(this.current, "Bracket", ")")) break;
      args.push(this.parseExpression(0));
    }
    this.expect("Bracket", ")");
    return args;
  }

  private parsePredicate(): Node {
    const start = this.current;
    const braced = this.is(start, "Bracket", "{");
    if (braced) this.advance();
    this.depth++;
    let node: Node;
    if (braced) {
      node = this.parseSequence();
    } else {
      node = this.parseExpression(0);
      if (this.is(this.current, "Operator", ";")) this.fail("wrap predicate with brackets { and }");
    }
    this.depth--;
    if (braced) this.expect("Bracket", "}");
    return this.count({ kind: "Predicate", node, at: start.from });
  }

  private parseArray(token: Token): Node {
    const nodes: Node[] = [];
    this.expect("Bracket", "[");
    while (!this.is(this.current, "Bracket", "]")) {
      if (nodes.length > 0) {
        this.expect("Operator", ",");
        if (this.is(this.current, "Bracket", "]")) break;
      }
      nodes.push(this.parseExpression(0));
    }
    this.expect("Bracket", "]");
    return this.count({ kind: "Array", nodes, at: token.from });
  }

  private parseMap(token: Token): Node {
    this.expect("Bracket", "{");
    const pairs: PairNode[] = [];
    while (!this.is(this.current, "Bracket", "}")) {
      if (pairs.length > 0) {
        this.expect("Operator", ",");
        if (this.is(this.current, "Bracket", "}")) break;
        if (this.is(this.current, "Operator", ",")) this.fail(`unexpected token ${tokenText(this.current)}`);
      }
      let key: Node;
      const c = this.current;
      if (c.kind === "Number" || c.kind === "String" || c.kind === "Identifier") {
        key = this.count({ kind: "String", value: c.value, at: c.from });
        this.advance();
      } else if (this.is(c, "Bracket", "(")) {
        key = this.parseExpression(0);
      } else {
        this.fail(`a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token ${tokenText(c)})`);
      }
      this.expect("Operator", ":");
      const value = this.parseExpression(0);
      pairs.push(this.count({ kind: "Pair", key, value, at: token.from }));
    }
    this.expect("Bracket", "}");
    return this.count({ kind: "Map", pairs, at: token.from });
  }

  private parsePostfix(node: Node): Node {
    let postfix = this.current;
    while (postfix.kind === "Operator" || postfix.kind === "Bracket") {
      const optional = postfix.value === "?.";
      if (postfix.value === "." || postfix.value === "?.") {
        this.advance();
        const property = this.current;
        if (optional && this.is(property, "Bracket", "[")) {
          node = this.parseIndex(node, property, true);
          postfix = this.current;
          continue;
        }
        this.advance();
        if (property.kind !== "Identifier" && !(property.kind === "Operator" && IDENTIFIER_RE.test(property.value))) {
          this.fail("expected name");
        }
        const isChain = node.kind === "Chain";
        const base = node.kind === "Chain" ? node.node : node;
        const member = this.count<MemberNode>({
          kind: "Member",
          node: base,
          property: this.count({ kind: "String", value: property.value, at: property.from }),
          optional,
          method: false,
          at: property.from,
        });
        if (this.is(this.current, "Bracket", "(")) {
          member.method = true;
          node = this.count({ kind: "Call", callee: member, args: this.parseArguments([]), at: property.from });
        } else {
          node = member;
        }
        if (isChain || optional) node = this.count({ kind: "Chain", node, at: property.from });
      } else if (postfix.value === "[") {
        node = this.parseIndex(node, postfix, false);
      } else {
        break;
      }
      postfix = this.current;
    }
    return node;
  }

  /** `[i]`, `[a:b]`, `[:b]`, `[a:]`, `[:]`; the current token is the opening bracket. */
  private parseIndex(node: Node, open: Token, optional: boolean): Node {
    this.advance();
    if (this.is(this.current, "Operator", ":")) {
      this.advance();
      const to = this.is(this.current, "Bracket", "]") ? undefined : this.parseExpression(0);
      const slice = this.count<Node>(to ? { kind: "Slice", node, to, at: open.from } : { kind: "Slice", node, at: open.from });
      this.expect("Bracket", "]");
      return slice;
    }
    const from = this.parseExpression(0);
    if (this.is(this.current, "Operator", ":")) {
      this.advance();
      const to = this.is(this.current, "Bracket", "]") ? undefined : this.parseExpression(0);
      const slice = this.count<Node>(to ? { kind: "Slice", node, from, to, at: open.from } : { kind: "Slice", node, from, at: open.from });
      this.expect("Bracket", "]");
      return slice;
    }
    let member: Node = this.count<MemberNode>({ kind: "Member", node, property: from, optional, method: false, at: open.from });
    if (optional) member = this.count({ kind: "Chain", node: member, at: open.from });
    this.expect("Bracket", "]");
    return member;
  }
}
