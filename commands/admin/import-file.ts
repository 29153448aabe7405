/**
 * The files `decisions import` reads (cscli 1.4.6 and current): CSV with a header naming any of
 * duration, origin, reason, scope, type, value; a JSON list of objects with those keys; or plain
 * values, one per line (`--format values`). Problems name the file and line (CSV, values) or the
 * list item (JSON).
 */
import { err, ok, problem, type Problem, type Result } from "../../core/result";

export type ImportFormat = "csv" | "json" | "values";

/** One decision as the file gives it; missing fields take the command's defaults. */
export interface ImportItem {
  /** Where it came from: `file:line` for CSV and values, `file item N` for JSON. */
  where: string;
  line?: number;
  value: string;
  duration?: string;
  reason?: string;
  scope?: string;
  type?: string;
}

const FIELDS = ["duration", "origin", "reason", "scope", "type", "value"] as const;

/** The format from `--format`, else from the file name (as cscli: `.json`, `.csv`). */
export function importFormat(file: string, format: string | undefined): Result<ImportFormat, Problem> {
  if (format !== undefined) {
    if (format === "csv" || format === "json" || format === "values") return ok(format);
    return err(problem("import.format", `Invalid format "${format}", expected one of "json", "csv", "values"`));
  }
  if (file.endsWith(".json")) return ok("json");
  if (file.endsWith(".csv")) return ok("csv");
  return err(problem("import.format", `Cannot guess the format of "${file}" from its extension`, { hint: "give --format csv, json or values" }));
}

export function parseImport(text: string, format: ImportFormat, file: string): Result<ImportItem[], Problem> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  switch (format) {
    case "csv":
      return parseCsvImport(body, file);
    case "json":
      return parseJsonImport(body, file);
    case "values":
      return parseValuesImport(body, file);
    default: {
      const never: never = format;
      throw new Error(`parseImport: unknown format ${String(never)}`);
    }
  }
}

function parseValuesImport(text: string, file: string): Result<ImportItem[], Problem> {
  const items: ImportItem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const value = lines[i]!.trim();
    // blank lines and # comments: blocklists downloaded from the web carry both
    if (value === "" || value.startsWith("#")) continue;
    items.push({ where: `${file}:${i + 1}`, line: i + 1, value });
  }
  return ok(items);
}

function parseJsonImport(text: string, file: string): Result<ImportItem[], Problem> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err(problem("import.json", `Cannot parse JSON: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  if (!Array.isArray(data)) return err(problem("import.json", "Expected a JSON list of decisions ([{\"value\": \"1.2.3.4\"}, …])", { file }));
  const items: ImportItem[] = [];
  for (let i = 0; i < data.length; i++) {
    const entry: unknown = data[i];
    const field = `[${i}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return err(problem("import.json", "Expected an object", { file, field }));
    const record = entry as Record<string, unknown>;
    const item: ImportItem = { where: `${file} item ${i + 1}`, value: "" };
    for (const key of FIELDS) {
      const v = record[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") return err(problem("import.json", `"${key}" must be a string, not ${JSON.stringify(v)}`, { file, field: `${field}.${key}` }));
      if (key === "origin") continue; // cscli replaces every origin by cscli-import
      item[key] = v;
    }
    items.push(item);
  }
  return ok(items);
}

function parseCsvImport(text: string, file: string): Result<ImportItem[], Problem> {
  const records = readCsv(text);
  if (!records.ok) return err({ ...records.error, file });
  const rows = records.value;
  if (rows.length === 0) return ok([]);
  const [header, ...data] = rows;
  const columns = header!.fields.map((h) => h.trim().toLowerCase());
  if (!columns.includes("value")) {
    return err(problem("import.csv", `The header has no "value" column (found: ${columns.join(", ")})`, { file, line: header!.line, hint: "the first line names the columns, e.g. duration,scope,value" }));
  }
  const items: ImportItem[] = [];
  for (const row of data) {
    if (row.fields.length !== columns.length) {
      return err(problem("import.csv", `Wrong number of fields: ${row.fields.length} where the header has ${columns.length}`, { file, line: row.line }));
    }
    const item: ImportItem = { where: `${file}:${row.line}`, line: row.line, value: "" };
    columns.forEach((col, i) => {
      const v = row.fields[i]!.trim();
      if (v === "") return;
      if (col === "value" || col === "duration" || col === "reason" || col === "scope" || col === "type") item[col] = v;
    });
    items.push(item);
  }
  return ok(items);
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180 records with the line each starts on; empty lines are skipped, as Go's encoding/csv does. */
function readCsv(text: string): Result<CsvRecord[], Problem> {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    if (text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n")) {
      i += text[i] === "\r" ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) return err(problem("import.csv", "Unterminated quoted field", { line: quoteLine }));
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n") line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
          return err(problem("import.csv", `Extraneous text after a closing quote`, { line }));
        }
      } else {
        while (i < n && text[i] !== "," && text[i] !== "\n" && !(text[i] === "\r" && text[i + 1] === "\n")) {
          if (text[i] === '"') return err(problem("import.csv", `Bare " in a field that does not start with a quote`, { line }));
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (i < n && text[i] === ",") {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") {
      i++;
      line++;
    }
    records.push({ line: start, fields });
  }
  return ok(records);
}
