/**
 * Reads the Prometheus text exposition format 0.0.4 (what `/metrics` of CrowdSec or picket
 * answers) into families of samples. Every malformed line is a problem with its line and column.
 */
import { err, ok, problem, type Result } from "../result";
import type { FamilyType, MetricFamilySnapshot, MetricSample } from "./snapshot";

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const TYPES: ReadonlySet<string> = new Set<FamilyType>(["counter", "gauge", "histogram", "summary", "untyped"]);

interface MutableFamily {
  name: string;
  help: string;
  type: FamilyType;
  samples: MetricSample[];
}

export interface ParseExpositionOptions {
  /** Where the text came from (a URL or a path), put on problems. */
  readonly file?: string;
}

/** Families in order of first appearance; samples without `# TYPE` form `untyped` families. */
export function parseExposition(text: string, options: ParseExpositionOptions = {}): Result<MetricFamilySnapshot[]> {
  const families = new Map<string, MutableFamily>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/[ \t\r]+$/, "");
    if (line.trim() === "") continue;
    const fail = (column: number, message: string): Result<never> =>
      err(problem("metrics.syntax", message, { file: options.file, line: i + 1, column: column + 1 }));
    const parsed = line.trimStart().startsWith("#") ? readComment(line, families) : readSample(line, families);
    if (parsed) return fail(parsed.column, parsed.message);
  }
  return ok([...families.values()]);
}

type LineError = { column: number; message: string } | undefined;

function familyOf(families: Map<string, MutableFamily>, name: string): MutableFamily {
  let family = families.get(name);
  if (!family) {
    family = { name, help: "", type: "untyped", samples: [] };
    families.set(name, family);
  }
  return family;
}

function readComment(line: string, families: Map<string, MutableFamily>): LineError {
  const m = /^\s*#\s*(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
  if (!m) return undefined; // any other comment is free text
  const [, keyword, name, rest = ""] = m;
  const nameStart = line.indexOf(name!, line.indexOf(keyword!) + keyword!.length);
  if (!isWholeMatch(METRIC_NAME, name!)) return { column: nameStart, message: `Invalid metric name "${name}"` };
  const family = familyOf(families, name!);
  if (keyword === "HELP") {
    const help = unescapeHelp(rest.trimStart());
    if (help === undefined) return { column: nameStart + name!.length, message: `Invalid escape sequence in the help of "${name}"` };
    family.help = help;
    return undefined;
  }
  const type = rest.trim();
  if (!TYPES.has(type)) return { column: nameStart + name!.length + 1, message: `Unknown metric type "${type}" for "${name}"` };
  if (family.samples.length > 0) return { column: 0, message: `TYPE line for "${name}" after its samples` };
  family.type = type as FamilyType;
  return undefined;
}

function isWholeMatch(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text) && re.lastIndex === text.length;
}

function unescapeHelp(text: string): string | undefined {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === "\\") out += "\\";
    else if (next === "n") out += "\n";
    else return undefined;
  }
  return out;
}

function skipBlanks(line: string, at: number): number {
  while (at < line.length && (line[at] === " " || line[at] === "\t")) at++;
  return at;
}

function readSample(line: string, families: Map<string, MutableFamily>): LineError {
  let at = skipBlanks(line, 0);
  METRIC_NAME.lastIndex = at;
  const nameMatch = METRIC_NAME.exec(line);
  if (!nameMatch) return { column: at, message: "Expected a metric name" };
  const name = nameMatch[0];
  at = skipBlanks(line, at + name.length);
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at = skipBlanks(line, at + 1);
    while (line[at] !== "}") {
      LABEL_NAME.lastIndex = at;
      const labelMatch = LABEL_NAME.exec(line);
      if (!labelMatch) return { column: at, message: at >= line.length ? "Unclosed label set" : "Expected a label name" };
      const label = labelMatch[0];
      if (Object.hasOwn(labels, label)) return { column: at, message: `Duplicate label "${label}"` };
      at = skipBlanks(line, at + label.length);
      if (line[at] !== "=") return { column: at, message: `Expected "=" after label "${label}"` };
      at = skipBlanks(line, at + 1);
      if (line[at] !== '"') return { column: at, message: `Expected a quoted value for label "${label}"` };
      const value = readQuoted(line, at + 1);
      if ("message" in value) return value;
      Object.defineProperty(labels, label, { value: value.text, enumerable: true, writable: true, configurable: true });
      at = skipBlanks(line, value.end);
      if (line[at] === ",") at = skipBlanks(line, at + 1);
      else if (line[at] !== "}") return { column: at, message: at >= line.length ? "Unclosed label set" : 'Expected "," or "}"' };
    }
    at = skipBlanks(line, at + 1);
  }
  const tokens = line.slice(at).split(/[ \t]+/);
  const [valueText = "", timestampText, extra] = tokens;
  if (valueText === "") return { column: at, message: `Expected a value for "${name}"` };
  const value = parseValue(valueText);
  if (value === undefined) return { column: at, message: `Invalid value "${valueText}"` };
  if (extra !== undefined) return { column: line.lastIndexOf(extra), message: "Unexpected text after the timestamp" };
  if (timestampText !== undefined && !INTEGER.test(timestampText)) return { column: line.lastIndexOf(timestampText), message: `Invalid timestamp "${timestampText}"` };
  const sample: MetricSample = timestampText === undefined ? { name, labels, value } : { name, labels, value, timestampMs: Number(timestampText) };
  familyOfSample(families, name).samples.push(sample);
  return undefined;
}

/** A histogram's `_bucket`, `_sum` and `_count` lines (and a summary's) belong to the family they were declared under. */
function familyOfSample(families: Map<string, MutableFamily>, name: string): MutableFamily {
  const own = families.get(name);
  if (own) return own;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === "histogram" || (base.type === "summary" && suffix !== "_bucket"))) return base;
  }
  return familyOf(families, name);
}

function readQuoted(line: string, from: number): { text: string; end: number } | { column: number; message: string } {
  let text = "";
  for (let i = from; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') return { text, end: i + 1 };
    if (c !== "\\") {
      text += c;
      continue;
    }
    const next = line[++i];
    if (next === "\\") text += "\\";
    else if (next === '"') text += '"';
    else if (next === "n") text += "\n";
    else return { column: i - 1, message: "Invalid escape sequence in a label value" };
  }
  return { column: line.length, message: "Unterminated label value" };
}

function parseValue(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  if (lower === "nan") return NaN;
  return FLOAT.test(text) ? Number(text) : undefined;
}
