// `type: map` data files: JSON lines {"pattern", "tag", "type": equals|contains|regex} and the
// LookupFile index over them (upstream pkg/exprhelpers/filemap.go).

import { compileRe2, type Re2Regex } from "../regex";
import { err, ok, problem, type Problem, type Result } from "../result";
import type { DataLine } from "./lines";

export type MapRow = Readonly<Record<string, string>>;

const ROW_TYPES = new Set(["equals", "contains", "regex"]);

/** One JSON line as encoding/json reads it into map[string]string: string (or null → "") values only. */
export function parseMapRow(l: DataLine, file: string): Result<MapRow> {
  const fail = (message: string): Result<never> => err(problem("data.bad-map-row", message, { file, line: l.line }));
  let value: unknown;
  try {
    value = JSON.parse(l.text);
  } catch (e) {
    return fail(`Cannot parse JSON line: ${(e as Error).message}`);
  }
  const row: Record<string, string> = Object.create(null) as Record<string, string>;
  if (value !== null) {
    if (typeof value !== "object" || Array.isArray(value)) return fail("Cannot parse JSON line: not an object of strings");
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && typeof v !== "string") return fail(`Cannot parse JSON line: "${k}" is not a string`);
      row[k] = v ?? "";
    }
  }
  for (const field of ["pattern", "tag", "type"]) {
    if (!row[field]) return fail(`Missing mandatory '${field}' field`);
  }
  if (!ROW_TYPES.has(row.type!)) return fail(`Unknown entry type '${row.type}' (supported: equals, contains, regex)`);
  return ok(row);
}

export interface MapIndex {
  /** The tag of the first matching row: equals first, then contains, then regex; "" if none. */
  lookup(text: string): string;
}

/**
 * Builds the index as upstream buildIndex does: a later "equals" row with the same pattern
 * wins; "contains" rows answer leftmost-first (the match starting first in the text, the
 * earlier row on a tie, as its Aho-Corasick automaton does); a "regex" row whose pattern does
 * not compile is skipped with a warning.
 */
export function buildMapIndex(rows: readonly MapRow[], warn?: (p: Problem) => void): MapIndex {
  const equals = new Map<string, string>();
  const contains: { pattern: string; tag: string }[] = [];
  const regexes: { re: Re2Regex; tag: string }[] = [];
  for (const row of rows) {
    const pattern = row.pattern!;
    const tag = row.tag!;
    switch (row.type) {
      case "equals":
        equals.set(pattern, tag);
        break;
      case "contains":
        contains.push({ pattern, tag });
        break;
      case "regex": {
        const re = compileRe2(pattern);
        if (re.ok) regexes.push({ re: re.value, tag });
        else warn?.(problem("data.bad-map-regexp", `Invalid regex pattern ${JSON.stringify(pattern)}: ${re.error.message}`));
        break;
      }
      default:
        break;
    }
  }
  // answers by text, bounded: the same paths come back line after line
  const memo = new Map<string, string>();
  const find = (text: string): string => {
    const eq = equals.get(text);
    if (eq !== undefined) return eq;
    let best = -1;
    let bestTag = "";
    for (const c of contains) {
      const at = text.indexOf(c.pattern);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        bestTag = c.tag;
        if (at === 0) break; // nothing starts earlier, and earlier rows already lost
      }
    }
    if (best >= 0) return bestTag;
    for (const r of regexes) if (r.re.test(text)) return r.tag;
    return "";
  };
  return {
    lookup(text: string): string {
      const hit = memo.get(text);
      if (hit !== undefined) return hit;
      const tag = find(text);
      if (memo.size >= LOOKUP_MEMO_SIZE) memo.delete(memo.keys().next().value!);
      memo.set(text, tag);
      return tag;
    },
  };
}

const LOOKUP_MEMO_SIZE = 1024;
