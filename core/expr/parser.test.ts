import { describe, expect, test } from "bun:test";
import type { Node } from "./ast";
import { BUILTIN_NAMES } from "./builtins";
import { caretSnippet, positionAt } from "./errors";
import { parse } from "./parser";

/** Fully parenthesised form of a tree, to read precedence off. */
function show(n: Node): string {
  switch (n.kind) {
    case "Nil": return "nil";
    case "Bool": return String(n.value);
    case "Integer": return String(n.value);
    case "Float": return `${n.value}f`;
    case "String": return JSON.stringify(n.value);
    case "Identifier": return n.name;
    case "Unary": return `(${n.op} ${show(n.node)})`;
    case "Binary": return `(${show(n.left)} ${n.op} ${show(n.right)})`;
    case "Chain": return `chain(${show(n.node)})`;
    case "Member": return `${show(n.node)}${n.optional ? "?." : "."}[${show(n.property)}]`;
    case "Slice": return `${show(n.node)}[${n.from ? show(n.from) : ""}:${n.to ? show(n.to) : ""}]`;
    case "Call": return `${show(n.callee)}(${n.args.map(show).join(", ")})`;
    case "Builtin": return `${n.name}!(${n.args.map(show).join(", ")})`;
    case "Predicate": return `{${show(n.node)}}`;
    case "Pointer": return `#${n.name}`;
    case "Let": return `let ${n.name} = ${show(n.value)}; ${show(n.body)}`;
    case "Sequence": return n.nodes.map(show).join("; ");
    case "Conditional": return `(${show(n.cond)} ? ${show(n.then)} : ${show(n.otherwise)})`;
    case "Array": return `[${n.nodes.map(show).join(", ")}]`;
    case "Map": return `{${n.pairs.map(show).join(", ")}}`;
    case "Pair": return `${show(n.key)}: ${show(n.value)}`;
  }
}

const options = { builtins: BUILTIN_NAMES, isOverridden: (name: string) => name === "Upper" };

function parsed(src: string): string {
  const r = parse(src, options);
  if (!r.ok) throw new Error(`${src}: ${r.error.message}`);
  return show(r.node);
}

/** The upstream error text: `message (line:col)` and the caret snippet. */
function parseError(src: string): string {
  const r = parse(src, options);
  if (r.ok) return "<parsed>";
  const { line, column } = positionAt(src, r.error.at);
  return `${r.error.message} (${line}:${column})\n${caretSnippet(src, r.error.at)}`;
}

describe("parse() precedence", () => {
  const cases: [string, string][] = [
    ["a or b and c", "(a or (b and c))"],
    ["a || b && c || d", "((a || (b && c)) || d)"],
    ["not a in b", "((not a) in b)"],
    ["!a == b", "((! a) == b)"],
    ["a not in b", "(not (a in b))"],
    ["a not contains b", "(not (a contains b))"],
    ["a not matches 'x'", '(not (a matches "x"))'],
    ["a not startsWith b and c not endsWith d", "((not (a startsWith b)) and (not (c endsWith d)))"],
    ["a + b * c", "(a + (b * c))"],
    ["a * b + c", "((a * b) + c)"],
    ["a - b - c", "((a - b) - c)"],
    ["a / b % c", "((a / b) % c)"],
    ["-a ** 2", "(- (a ** 2))"],
    ["2 ** 3 ** 2", "(2 ** (3 ** 2))"],
    ["2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"],
    ["-a * b", "((- a) * b)"],
    ["a ?? b", "(a ?? b)"],
    ["a ?? b ?? c", "((a ?? b) ?? c)"],
    ["a == b ?? c", "(a == (b ?? c))"],
    ["a || b ?? c", "(a || (b ?? c))"],
    ["1..3 + 1", "(1 .. (3 + 1))"],
    ["a in 1..5", "(a in (1 .. 5))"],
    ["a < b < c", "((a < b) && (b < c))"],
    ["a <= b > c", "((a <= b) && (b > c))"],
    ["a ? b : c ? d : e", "(a ? b : (c ? d : e))"],
    ["a ? b ? 1 : 2 : 3", "(a ? (b ? 1 : 2) : 3)"],
    ["a ?: b", "(a ? a : b)"],
    ["a == 1 ? 'x' : 'y'", '((a == 1) ? "x" : "y")'],
    ["if a { 1 } else { 2 }", "(a ? 1 : 2)"],
    ["if a { 1 } else if b { 2 } else { 3 }", "(a ? 1 : (b ? 2 : 3))"],
    ["let x = 1; let y = x + 1; y", "let x = 1; let y = (x + 1); y"],
    ["a; b; c", "a; b; c"],
    ["(a; b)", "a; b"],
    ["a.b.c", "a.[\"b\"].[\"c\"]"],
    ["a['b-c'][0]", "a.[\"b-c\"].[0]"],
    ["a?.b.c", "chain(a?.[\"b\"].[\"c\"])"],
    ["a?.[0]", "chain(a?.[0])"],
    ["a.b?.c", "chain(a.[\"b\"]?.[\"c\"])"],
    ["a.M(1, 2)", "a.[\"M\"](1, 2)"],
    ["a?.M()", "chain(a?.[\"M\"]())"],
    ["a[1:2]", "a[1:2]"],
    ["a[:2]", "a[:2]"],
    ["a[1:]", "a[1:]"],
    ["a[:]", "a[:]"],
    ["a[-1]", "a.[(- 1)]"],
    ["[1, 'a', nil, true]", '[1, "a", nil, true]'],
    ["[1, 2,]", "[1, 2]"],
    ["{a: 1, 'b c': 2, 3: x, (k): v}", '{"a": 1, "b c": 2, "3": x, k: v}'],
    ["1_000 + 0x10 + 0b11 + 0o7", "(((1000 + 16) + 3) + 7)"],
    ["1.5 + .5 + 1e3", "((1.5f + 0.5f) + 1000f)"],
    ["x | lower()", "lower!(x)"],
    ["x | split(',') | len()", 'len!(split!(x, ","))'],
    ["x | Upper()", "Upper(x)"],
    ["any(a, # > 1)", "any!(a, {(# > 1)})"],
    ["all(a, {.x == 1})", "all!(a, {#.[\"x\"] == 1})".replace("#.[\"x\"] == 1", "(#.[\"x\"] == 1)")],
    ["filter(a, {#.Meta.x == 'y'})", 'filter!(a, {(#.["Meta"].["x"] == "y")})'],
    ["map(a, {#index})", "map!(a, {#index})"],
    ["count(a)", "count!(a)"],
    ["count(a, # > 1,)", "count!(a, {(# > 1)})"],
    ["reduce(a, #acc + #, 0)", "reduce!(a, {(#acc + #)}, 0)"],
    ["sortBy(a, .x, 'desc')", 'sortBy!(a, {#.["x"]}, "desc")'],
    ["a | filter(# > 1)", "filter!(a, {(# > 1)})"],
    ["any(a, { let y = #; y > 1 })", "any!(a, {let y = #; (y > 1)})"],
    ["len('x') + Upper('y')", 'len!("x") + Upper("y")'.replace('len!("x") + Upper("y")', '(len!("x") + Upper("y"))')],
    ["::lower(x)", "lower!(x)"],
    ["evt.Meta.x not in ['a', 'b']", '(not (evt.["Meta"].["x"] in ["a", "b"]))'],
    ["a.not", 'a.["not"]'],
    ["a\n  &&\n  b", "(a && b)"],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(parsed(src)).toBe(want);
  });
});

describe("parse() errors", () => {
  const cases: [string, string][] = [
    ["foo.", "unexpected end of expression (1:4)\n| foo.\n| ...^"],
    ["a+", "unexpected token EOF (1:2)\n| a+\n| .^"],
    ["a ? (1+2) c", 'unexpected token Identifier("c") (1:11)\n| a ? (1+2) c\n| ..........^'],
    ["[a b]", 'unexpected token Identifier("b") (1:4)\n| [a b]\n| ...^'],
    ["foo.bar(a b)", 'unexpected token Identifier("b") (1:11)\n| foo.bar(a b)\n| ..........^'],
    ["{-}", 'a map key must be a quoted string, a number, a identifier, or an expression enclosed in parentheses (unexpected token Operator("-")) (1:2)\n| {-}\n| .^'],
    ["[1, 2, 3,,]", 'unexpected token Operator(",") (1:10)\n| [1, 2, 3,,]\n| .........^'],
    ["{foo:1, bar:2, ,}", 'unexpected token Operator(",") (1:16)\n| {foo:1, bar:2, ,}\n| ...............^'],
    ["foo ?? bar || baz", "Operator (||) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. (1:12)\n| foo ?? bar || baz\n| ...........^"],
    ["a ?? b == c", "Operator (==) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. (1:8)\n| a ?? b == c\n| .......^"],
    ["0b15", 'bad number syntax: "0b15" (1:4)\n| 0b15\n| ...^'],
    ["1E", 'invalid float literal: strconv.ParseFloat: parsing "1E": invalid syntax (1:2)\n| 1E\n| .^'],
    ["1 not == [1, 2, 5]", 'unexpected token Operator("==") (1:7)\n| 1 not == [1, 2, 5]\n| ......^'],
    ["foo(1; 2; 3)", 'unexpected token Operator(";") (1:6)\n| foo(1; 2; 3)\n| .....^'],
    ["map(ls, 1; 2; 3)", "wrap predicate with brackets { and } (1:10)\n| map(ls, 1; 2; 3)\n| .........^"],
    ["1 + if true { 2 } else { 3 }", 'unexpected token Operator("if") (1:5)\n| 1 + if true { 2 } else { 3 }\n| ....^'],
    ["if a { 1 } else b", 'unexpected token Identifier("b") (1:17)\n| if a { 1 } else b\n| ................^'],
    ["list | all(#,,)", 'unexpected token Operator(",") (1:14)\n| list | all(#,,)\n| .............^'],
    ["any(a)", "expected at least 2 arguments (1:6)\n| any(a)\n| .....^"],
    ["a.1", 'unexpected token Number(".1") (1:2)\n| a.1\n| .^'],
    ["a.(b)", "expected name (1:4)\n| a.(b)\n| ...^"],
    ["f(x)(y)", 'unexpected token Bracket("(") (1:5)\n| f(x)(y)\n| ....^'],
    ["a\n+ @", "unrecognized character: U+0040 '@' (2:3)\n| + @\n| ..^"],
    ["evt.Meta.x == 'a", "literal not terminated (1:17)\n| evt.Meta.x == 'a\n| ................^"],
  ];
  test.each(cases)("%s", (src, want) => {
    expect(parseError(src)).toBe(want);
  });

  test("a tree past the node limit is refused", () => {
    const src = Array.from({ length: 6000 }, (_, i) => `a${i}`).join(" + ");
    expect(parseError(src)).toStartWith("compilation failed: expression exceeds maximum allowed nodes");
  });
});
