/**
 * etree paths (beevik/etree path.go): "/Event/System/EventID", "//Data[@Name='IpAddress']",
 * "./a/*[2]", "..", filters [@attr], [@attr='v'], [tag], [tag='v'], [n], [fn()], [fn()='v'].
 * Compiled once per path text; the first match is found in etree's traversal order (a queue of
 * (element, remaining segments)), which is not always document order.
 */
import { ExprRuntimeError } from "../errors";
import { elementText, type XmlElement } from "./xml-doc";

type Selector =
  | { kind: "self" }
  | { kind: "root" }
  | { kind: "parent" }
  | { kind: "children" }
  | { kind: "descendants" }
  | { kind: "tag"; space: string; tag: string };

type ElementFn = (e: XmlElement) => string;

type Filter =
  | { kind: "pos"; index: number }
  | { kind: "attr"; space: string; key: string }
  | { kind: "attrVal"; space: string; key: string; value: string }
  | { kind: "fn"; fn: ElementFn }
  | { kind: "fnVal"; fn: ElementFn; value: string }
  | { kind: "child"; space: string; tag: string }
  | { kind: "childText"; space: string; tag: string; text: string };

interface Segment {
  readonly sel: Selector;
  readonly filters: readonly Filter[];
}

export type XmlPath = readonly Segment[];

function spaceDecompose(s: string): { space: string; local: string } {
  const colon = s.indexOf(":");
  return colon < 0 ? { space: "", local: s } : { space: s.slice(0, colon), local: s.slice(colon + 1) };
}

function spaceMatch(want: string, have: string): boolean {
  return want === "" || want === have;
}

function namespacePrefix(e: XmlElement): string {
  return e.space;
}

/** The URI bound to the element's prefix (or the default namespace) by xmlns attributes in scope. */
function namespaceURI(e: XmlElement): string {
  for (let cur: XmlElement | null = e; cur; cur = cur.parent) {
    for (const a of cur.attrs) {
      if (e.space === "" ? a.space === "" && a.key === "xmlns" : a.space === "xmlns" && a.key === e.space) return a.value;
    }
  }
  return "";
}

const FUNCTIONS: ReadonlyMap<string, ElementFn> = new Map<string, ElementFn>([
  ["local-name", (e) => e.tag],
  ["name", (e) => (e.space === "" ? e.tag : e.space + ":" + e.tag)],
  ["namespace-prefix", namespacePrefix],
  ["namespace-uri", namespaceURI],
  ["text", elementText],
]);

const DECIMAL_INT = /^-?\d+$/;

function isInteger(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && !(i === 0 && c === 45)) return false;
  }
  return true;
}

function splitPath(path: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let quote = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote === "") {
      if (c === "'" || c === '"') quote = c;
      else if (c === "/") {
        pieces.push(path.slice(start, i));
        start = i + 1;
      }
    } else if (c === quote) quote = "";
  }
  pieces.push(path.slice(start));
  return pieces;
}

function parseSelector(s: string): Selector {
  switch (s) {
    case ".":
      return { kind: "self" };
    case "..":
      return { kind: "parent" };
    case "*":
      return { kind: "children" };
    case "":
      return { kind: "descendants" };
    default: {
      const { space, local } = spaceDecompose(s);
      return { kind: "tag", space, tag: local };
    }
  }
}

/** A filter, or a string naming why the path is invalid. */
function parseFilter(path: string): Filter | string {
  if (path.length === 0) return "path contains an empty filter expression.";
  const eq = path.indexOf("=");
  if (eq >= 0 && eq + 1 < path.length) {
    const quote = path[eq + 1]!;
    if (quote === "'" || quote === '"') {
      const close = path.indexOf(quote, eq + 2);
      if (close !== path.length - 1) return "path has mismatched filter quotes.";
      const key = path.slice(0, eq);
      const value = path.slice(eq + 2, close);
      // upstream reads key[0] without a length check: a Go panic on "[='v']"
      if (key === "") throw new ExprRuntimeError("runtime error: index out of range [0] with length 0");
      if (key[0] === "@") {
        const { space, local } = spaceDecompose(key.slice(1));
        return { kind: "attrVal", space, key: local, value };
      }
      if (key.endsWith("()")) {
        const fn = FUNCTIONS.get(key.slice(0, -2));
        return fn ? { kind: "fnVal", fn, value } : "path has unknown function " + key.slice(0, -2);
      }
      const { space, local } = spaceDecompose(key);
      return { kind: "childText", space, tag: local, text: value };
    }
  }
  if (path[0] === "@") {
    const { space, local } = spaceDecompose(path.slice(1));
    return { kind: "attr", space, key: local };
  }
  if (path.endsWith("()")) {
    const fn = FUNCTIONS.get(path.slice(0, -2));
    return fn ? { kind: "fn", fn } : "path has unknown function " + path.slice(0, -2);
  }
  if (isInteger(path)) {
    const n = DECIMAL_INT.test(path) ? Number(path) : 0; // Atoi("-") fails: position 0
    return { kind: "pos", index: n > 0 ? n - 1 : n };
  }
  const { space, local } = spaceDecompose(path);
  return { kind: "child", space, tag: local };
}

/** etree CompilePath: the segments, or a message when the path is invalid. */
export function compileXmlPath(text: string): XmlPath | string {
  let path = text;
  if (path.endsWith("//")) path += "*";
  const segments: Segment[] = [];
  if (path.startsWith("/")) {
    segments.push({ sel: { kind: "root" }, filters: [] });
    path = path.slice(1);
  }
  for (const s of splitPath(path)) {
    const pieces = s.split("[");
    const filters: Filter[] = [];
    for (let i = 1; i < pieces.length; i++) {
      const f = pieces[i]!;
      if (f.length === 0 || f[f.length - 1] !== "]") return "path has invalid filter [brackets].";
      const filter = parseFilter(f.slice(0, -1));
      if (typeof filter === "string") return filter;
      filters.push(filter);
    }
    segments.push({ sel: parseSelector(pieces[0]!), filters });
  }
  return segments;
}

function select(sel: Selector, e: XmlElement, out: XmlElement[]): void {
  switch (sel.kind) {
    case "self":
      out.push(e);
      return;
    case "root": {
      let root = e;
      while (root.parent) root = root.parent;
      out.push(root);
      return;
    }
    case "parent":
      if (e.parent) out.push(e.parent);
      return;
    case "children":
      for (const c of e.children) if (c.kind === "element") out.push(c);
      return;
    case "descendants": {
      const queue: XmlElement[] = [e];
      for (let i = 0; i < queue.length; i++) {
        const cur = queue[i]!;
        out.push(cur);
        for (const c of cur.children) if (c.kind === "element") queue.push(c);
      }
      return;
    }
    case "tag":
      for (const c of e.children) if (c.kind === "element" && spaceMatch(sel.space, c.space) && sel.tag === c.tag) out.push(c);
      return;
    default: {
      const never: never = sel;
      throw new Error(`unknown selector ${String(never)}`);
    }
  }
}

function keep(f: Filter, c: XmlElement): number {
  switch (f.kind) {
    case "attr":
      return c.attrs.some((a) => spaceMatch(f.space, a.space) && f.key === a.key) ? 1 : 0;
    case "attrVal":
      return c.attrs.some((a) => spaceMatch(f.space, a.space) && f.key === a.key && f.value === a.value) ? 1 : 0;
    case "fn":
      return f.fn(c) !== "" ? 1 : 0;
    case "fnVal":
      return f.fn(c) === f.value ? 1 : 0;
    case "child": {
      // as upstream, an element is kept once per matching child
      let n = 0;
      for (const cc of c.children) if (cc.kind === "element" && spaceMatch(f.space, cc.space) && f.tag === cc.tag) n++;
      return n;
    }
    case "childText": {
      let n = 0;
      for (const cc of c.children) {
        if (cc.kind === "element" && spaceMatch(f.space, cc.space) && f.tag === cc.tag && f.text === elementText(cc)) n++;
      }
      return n;
    }
    case "pos":
      return 1;
    default: {
      const never: never = f;
      throw new Error(`unknown filter ${String(never)}`);
    }
  }
}

function applyFilter(f: Filter, candidates: XmlElement[]): XmlElement[] {
  if (f.kind === "pos") {
    const i = f.index >= 0 ? f.index : candidates.length + f.index;
    return i >= 0 && i < candidates.length ? [candidates[i]!] : [];
  }
  const out: XmlElement[] = [];
  for (const c of candidates) for (let n = keep(f, c); n > 0; n--) out.push(c);
  return out;
}

/** The first element etree's FindElementPath would return from `from`, or undefined. */
export function findFirst(path: XmlPath, from: XmlElement): XmlElement | undefined {
  if (path.length === 0) return undefined;
  const queue: { e: XmlElement; seg: number }[] = [{ e: from, seg: 0 }];
  for (let qi = 0; qi < queue.length; qi++) {
    const { e, seg } = queue[qi]!;
    const segment = path[seg]!;
    let candidates: XmlElement[] = [];
    select(segment.sel, e, candidates);
    for (const f of segment.filters) candidates = applyFilter(f, candidates);
    if (seg + 1 === path.length) {
      if (candidates.length > 0) return candidates[0];
    } else {
      for (const c of candidates) queue.push({ e: c, seg: seg + 1 });
    }
  }
  return undefined;
}
