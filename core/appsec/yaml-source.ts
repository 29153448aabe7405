/**
 * YAML read with every scalar kept as its source text (failsafe schema): appsec-rule values are
 * the scalar as written (`value: off` is "off", `value: 1.0` is "1.0", pitfall P11), and the
 * reader below turns typed fields (bools, ints) into values with a Problem naming the field.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { problem, type Problem } from "../result";

export type Path = readonly (string | number)[];

export function formatField(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/** One parsed file: the value (strings, arrays, objects) and where each path sits. */
export class SourceYaml {
  private constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly root: Node | null,
    private readonly lines: LineCounter,
  ) {}

  static parse(text: string, file: string): { yaml?: SourceYaml; problem?: Problem } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { schema: "failsafe", lineCounter: lines, uniqueKeys: false });
    const e = doc.errors[0];
    if (e) {
      const pos = e.linePos?.[0];
      return { problem: problem("yaml.syntax", `Cannot parse YAML: ${e.message.split("\n")[0]}`, { file, line: pos?.line, column: pos?.col }) };
    }
    return { yaml: new SourceYaml(file, doc.toJS() as unknown, doc.contents as Node | null, lines) };
  }

  /** A problem located at `path` (its line and column when the node is found). */
  problem(code: string, message: string, path: Path, extra: Partial<Problem> = {}): Problem {
    let node: unknown = this.root;
    for (const p of path) {
      if (isMap(node)) node = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === p)?.value;
      else if (isSeq(node) && typeof p === "number") node = node.items[p];
      else {
        node = undefined;
        break;
      }
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const pos = range ? this.lines.linePos(range[0]) : undefined;
    return problem(code, message, { file: this.file, line: pos?.line, column: pos?.col, field: path.length > 0 ? formatField(path) : undefined, ...extra });
  }
}

/** Typed access with problems collected, for strictly decoded items. */
export class Fields {
  constructor(
    readonly src: SourceYaml,
    readonly problems: Problem[],
  ) {}

  map(v: unknown, path: Path, what: string): Record<string, unknown> | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    this.problems.push(this.src.problem("yaml.type", `Expected ${what} to be a map`, path));
    return undefined;
  }

  keys(obj: Record<string, unknown>, allowed: ReadonlySet<string>, path: Path, what: string): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.has(k)) this.problems.push(this.src.problem("yaml.unknown-key", `Unknown key "${k}" in ${what}`, [...path, k]));
    }
  }

  list(v: unknown, path: Path): unknown[] | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (Array.isArray(v)) return v;
    this.problems.push(this.src.problem("yaml.type", "Expected a list", path));
    return undefined;
  }

  string(v: unknown, path: Path): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    this.problems.push(this.src.problem("yaml.type", "Expected a string", path));
    return undefined;
  }

  strings(v: unknown, path: Path): string[] | undefined {
    const l = this.list(v, path);
    if (!l) return undefined;
    const out: string[] = [];
    l.forEach((x, i) => {
      const s = this.string(x, [...path, i]);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** yaml.v2 booleans: true/false/yes/no/on/off in any usual case. */
  bool(v: unknown, path: Path): boolean | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "string") {
      if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$/.test(v)) return true;
      if (/^(false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$/.test(v)) return false;
    }
    this.problems.push(this.src.problem("yaml.type", "Expected true or false", path));
    return undefined;
  }

  int(v: unknown, path: Path): number | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "string" && /^[+-]?[0-9]+$/.test(v)) return Number(v);
    this.problems.push(this.src.problem("yaml.type", "Expected an integer", path));
    return undefined;
  }
}
