/**
 * YAML documents with their source positions, so that every problem in a hub item can name its
 * file, line, column and field. CrowdSec decodes items strictly (unknown keys are errors); the
 * reader below gives the same strictness with better messages.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import { problem, type Problem } from "../result";

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface SourceDoc {
  readonly file: string;
  /** 0-based index of the document in its stream (`---` separated). */
  readonly index: number;
  /** The document as plain data (maps are plain objects, sequences arrays). */
  readonly value: unknown;
  /** Position of the value at `path` (or of the key itself with `key: true`). */
  locate(path: YamlPath, opts?: { key?: boolean }): Position | undefined;
  /**
   * File position of a 1-based (line, column) inside the string scalar at `path`: maps an
   * expression's own error position back into the YAML file, block scalars included.
   */
  locateInScalar(path: YamlPath, line: number, column: number): Position | undefined;
}

export interface ParseYamlOptions {
  /**
   * Strict: always use the position-tracking parser, which also refuses duplicate keys (lint).
   * Otherwise Bun's native parser reads the values (about 20x faster) and the position-tracking
   * parser only runs when a problem needs a location.
   */
  readonly strict?: boolean;
}

/** Parses every document of a YAML stream; syntax errors become problems with their position. */
export function parseYamlStream(text: string, file: string, opts: ParseYamlOptions = {}): { docs: SourceDoc[]; problems: Problem[] } {
  if (!opts.strict) {
    const values = fastParse(text);
    if (values) {
      let positioned: SourceDoc[] | undefined;
      const slow = () => (positioned ??= parseWithPositions(text, file).docs);
      const docs = values.map<SourceDoc>((value, index) => ({
        file,
        index,
        value,
        locate: (path, o) => slow()[index]?.locate(path, o),
        locateInScalar: (path, line, column) => slow()[index]?.locateInScalar(path, line, column),
      }));
      return { docs, problems: [] };
    }
  }
  return parseWithPositions(text, file);
}

/**
 * Document values through Bun's native parser, or undefined when its answer is ambiguous (a list
 * can be one document holding a list, or several documents) or it refuses the text.
 */
function fastParse(text: string): unknown[] | undefined {
  let value: unknown;
  try {
    value = Bun.YAML.parse(text);
  } catch {
    return undefined; // the slow path reports the error with its position
  }
  if (!Array.isArray(value)) return value === null ? [] : [value];
  const markers = text.match(/^---/gm)?.length ?? 0;
  const allDocs = value.every((v) => v === null || (typeof v === "object" && !Array.isArray(v)));
  if (!allDocs || markers < value.length - 1) return undefined;
  return value.filter((v, i) => v !== null || i < value.length - 1);
}

function parseWithPositions(text: string, file: string): { docs: SourceDoc[]; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const docs: SourceDoc[] = [];
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
  parsed.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(yamlProblem(file, e.message, e.linePos?.[0] ?? lineCounter.linePos(e.pos[0])));
      return;
    }
    const contents = doc.contents as Node | null;
    const toPos = (offset: number): Position => {
      const p = lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    };
    docs.push({
      file,
      index,
      value: doc.toJS({ maxAliasCount: 1000 }) as unknown,
      locate: (path, opts) => locateNode(contents, path, opts?.key ?? false, toPos),
      locateInScalar: (path, line, column) => locateInScalar(text, contents, path, line, column, toPos),
    });
  });
  return { docs, problems };
}

function yamlProblem(file: string, message: string, pos: { line: number; col: number } | undefined): Problem {
  const first = message.split("\n")[0] ?? message;
  return problem("yaml.syntax", `Cannot parse YAML: ${first.replace(/ at line \d+, column \d+:?$/, "")}`, {
    file,
    line: pos?.line,
    column: pos?.col,
  });
}

function locateNode(
  root: Node | null,
  path: YamlPath,
  wantKey: boolean,
  toPos: (offset: number) => Position,
): Position | undefined {
  let node: unknown = root;
  let keyNode: unknown;
  for (const seg of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return rangeStart(node, toPos);
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) return rangeStart(node, toPos);
      node = item;
    } else {
      return rangeStart(node, toPos);
    }
  }
  if (wantKey && keyNode) return rangeStart(keyNode, toPos);
  return rangeStart(node, toPos) ?? rangeStart(keyNode, toPos);
}

function locateInScalar(
  text: string,
  root: Node | null,
  path: YamlPath,
  line: number,
  column: number,
  toPos: (offset: number) => Position,
): Position | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (isMap(node)) {
      node = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else return undefined;
  }
  if (!isScalar(node) || !node.range) return undefined;
  const start = toPos(node.range[0]);
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    // Content starts on the line after the `|`/`>` header, at the block's indentation.
    const lines = text.split("\n");
    const first = lines[start.line] ?? "";
    const indent = first.length - first.trimStart().length;
    return { line: start.line + line, column: indent + column };
  }
  const quote = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
  return line === 1 ? { line: start.line, column: start.column + quote + column - 1 } : { line: start.line + line - 1, column };
}

function rangeStart(node: unknown, toPos: (offset: number) => Position): Position | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? toPos(range[0]) : undefined;
}

/** `nodes[2].grok.pattern` */
export function formatPath(path: YamlPath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

/**
 * Strict, position-aware field access for one document. Each accessor checks the type, records a
 * problem naming the field on mismatch, and returns undefined so loading can go on.
 */
export class DocReader {
  constructor(
    readonly doc: SourceDoc,
    readonly problems: Problem[],
  ) {}

  /** Records a problem located at `path`. */
  report(path: YamlPath, code: string, message: string, extra: Partial<Problem> = {}): void {
    const pos = this.doc.locate(path);
    this.problems.push(
      problem(code, message, {
        file: this.doc.file,
        line: pos?.line,
        column: pos?.column,
        field: path.length > 0 ? formatPath(path) : undefined,
        ...extra,
      }),
    );
  }

  /** Reports every key of `obj` that is not in `allowed` (CrowdSec decodes items strictly). */
  checkKeys(obj: Record<string, unknown>, allowed: ReadonlySet<string>, path: YamlPath, what: string): void {
    for (const key of Object.keys(obj)) {
      if (allowed.has(key)) continue;
      const pos = this.doc.locate([...path, key], { key: true });
      this.problems.push(
        problem("yaml.unknown-key", `Unknown key "${key}" in ${what}`, {
          file: this.doc.file,
          line: pos?.line,
          column: pos?.column,
          field: formatPath([...path, key]),
          hint: nearest(key, allowed),
        }),
      );
    }
  }

  map(value: unknown, path: YamlPath, what: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    this.report(path, "yaml.type", `Expected ${what} to be a map, got ${describe(value)}`);
    return undefined;
  }

  list(value: unknown, path: YamlPath): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.report(path, "yaml.type", `Expected a list, got ${describe(value)}`);
    return undefined;
  }

  /** A string field; YAML scalars that Go would decode into a string (numbers, booleans) are accepted as text. */
  string(value: unknown, path: YamlPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    this.report(path, "yaml.type", `Expected a string, got ${describe(value)}`);
    return undefined;
  }

  stringList(value: unknown, path: YamlPath): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return [value];
    const list = this.list(value, path);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((item, i) => {
      const s = this.string(item, [...path, i]);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  bool(value: unknown, path: YamlPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    this.report(path, "yaml.type", `Expected true or false, got ${describe(value)}`);
    return undefined;
  }

  int(value: unknown, path: YamlPath): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    this.report(path, "yaml.type", `Expected an integer, got ${describe(value)}`);
    return undefined;
  }
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  return String(value);
}

/** `did you mean "filter"?` for a near-miss key, by edit distance. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(1, Math.floor(word.length / 3)) ? `did you mean "${best}"?` : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
