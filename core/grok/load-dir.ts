// A CrowdSec pattern directory (/etc/crowdsec/patterns): every regular file whose name has no
// dot, in name order; each line `NAME<spaces>PATTERN` defines NAME, other lines are ignored.
// Definitions compile as they are added (define before use), and redefining a name is fatal,
// as in crowdsec pkg/parser/unix_parser.go and grokky's AddFromFile.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Result, err, ok, problem } from "../result";
import type { PatternLibrary } from "./library";

// grokky's lineRegexp `^(\w+)\s+(.+)$` with Go's ASCII \w and \s; `.` takes the rest of the line.
const LINE = /^(\w+)[\t\n\f\r ]+([^\n]+)$/;

/** Adds every pattern of `dir` to `lib`; stops at the first problem, which names file and line. */
export function loadPatternDirectory(lib: PatternLibrary, dir: string): Result<void> {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    return err(problem("grok.pattern-dir", `Cannot read pattern directory "${dir}": ${errorText(e)}`, { file: dir }));
  }
  for (const entry of entries) {
    if (entry.includes(".")) continue;
    const file = join(dir, entry);
    let text: string;
    try {
      if (statSync(file).isDirectory()) continue;
      text = readFileSync(file, "utf8");
    } catch (e) {
      return err(problem("grok.pattern-dir", `Cannot read pattern file "${entry}": ${errorText(e)}`, { file }));
    }
    const r = loadPatternText(lib, text, file);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

/** Adds the definitions of one pattern file's text; `file` is used in problems. */
export function loadPatternText(lib: PatternLibrary, text: string, file: string): Result<void> {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    // Go's line scanner drops the \r of CRLF endings.
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    const m = LINE.exec(line);
    if (m === null) continue;
    const [, name, pattern] = m;
    const at = { file, line: i + 1 };
    if (lib.has(name)) {
      return err(problem("grok.duplicate-pattern", `Cannot load pattern "${name}": the name is already defined`, { ...at, column: 1 }));
    }
    const added = lib.add(name, pattern);
    if (!added.ok) {
      const column = added.error.column === undefined ? undefined : added.error.column + (line.length - pattern.length);
      return err({ ...added.error, ...at, ...(column === undefined ? {} : { column }) });
    }
  }
  return ok(undefined);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
