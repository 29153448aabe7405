// The data files hub items declare under `data:`, each loaded once from the data directory and
// served to File, RegexpInFile, FileMap and LookupFile (upstream FileInit and friends).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DataFileLookup } from "../expr";
import { err, ok, problem, type Problem, type Result } from "../result";
import { splitDataLines } from "./lines";
import { buildMapIndex, parseMapRow, type MapIndex, type MapRow } from "./map-index";
import { compileRegexSet, type RegexSet } from "./regex-set";

/** One `data:` entry; the parser's DataFileSpec has this shape. */
export interface DataEntry {
  readonly sourceUrl?: string;
  /** File name inside the data directory, and the name helpers use. */
  readonly destFile: string;
  /** "string", "regexp" (or "regex"), "map"; "" is ignored as upstream ignores it. */
  readonly type: string;
  /** Regexp result cache (upstream gcache options); only its size matters here. */
  readonly cache?: boolean;
  readonly strategy?: string;
  readonly size?: number;
  readonly ttl?: unknown;
}

export interface DataRegistryOptions {
  /** Where an entry's file is read from; default: dataDir joined with destFile. */
  readonly resolvePath?: (entry: DataEntry) => string;
  /** Non-fatal load notes (a map row regex that does not compile). */
  readonly warn?: (p: Problem) => void;
}

export interface DataRegistry extends DataFileLookup {
  /**
   * Loads an item's data entry, once per file and type. A Problem names the item and the file;
   * a file that fails part-way keeps what upstream keeps (the lines before a too-long line,
   * the map rows before a bad one), so the item still runs as it would upstream.
   */
  load(entry: DataEntry, item: string): Result<void>;
}

const CACHE_STRATEGIES = new Set(["LRU", "LFU", "ARC"]);
const DEFAULT_CACHE_SIZE = 50;

/** The regexp cache size upstream RegexpCacheInit would build, 0 for none, or the reason it refuses. */
function regexCacheSize(e: DataEntry): number | string {
  if (e.cache === false) return 0;
  if (!e.strategy && e.ttl === undefined && e.size === undefined) return 0;
  if (e.strategy && !CACHE_STRATEGIES.has(e.strategy)) return `unknown cache strategy '${e.strategy}'`;
  return e.size ?? DEFAULT_CACHE_SIZE;
}

export function createDataRegistry(dataDir: string, opts: DataRegistryOptions = {}): DataRegistry {
  const strings = new Map<string, readonly string[]>();
  const regexps = new Map<string, RegexSet>();
  const maps = new Map<string, { rows: readonly MapRow[]; index: MapIndex | undefined }>();
  const resolvePath = opts.resolvePath ?? ((e: DataEntry) => join(dataDir, e.destFile));

  function load(entry: DataEntry, item: string): Result<void> {
    const name = entry.destFile;
    const type = entry.type === "regex" ? "regexp" : entry.type;
    const fail = (code: string, detail: string, extra: Partial<Problem> = {}): Result<never> =>
      err(problem(code, `Cannot load data file ${JSON.stringify(name)} for ${JSON.stringify(item)}: ${detail}`, extra));
    switch (type) {
      case "":
        return ok(undefined);
      case "string":
        if (strings.has(name)) return ok(undefined);
        break;
      case "regexp":
        if (regexps.has(name)) return ok(undefined);
        break;
      case "map":
        if (maps.has(name)) return ok(undefined);
        break;
      default:
        return fail("data.unknown-type", `unknown data type ${JSON.stringify(entry.type)}`, {
          hint: type === "bots" ? "type bots (MatchKnownBot) needs forward-confirmed reverse DNS, which picket does not do" : 'use "string", "regexp" or "map"',
        });
    }
    const path = resolvePath(entry);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(readFileSync(path));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === "ENOENT") {
        return fail("data.missing-file", `${JSON.stringify(path)} does not exist`, entry.sourceUrl ? { hint: `download ${entry.sourceUrl}` } : {});
      }
      return fail("data.unreadable", `cannot read ${JSON.stringify(path)}: ${(e as Error).message}`);
    }
    const { lines, tooLongAt } = splitDataLines(text);
    const tooLong = (): Result<void> => fail("data.line-too-long", "token too long", { file: path, line: tooLongAt });

    if (type === "string") {
      strings.set(name, lines.map((l) => l.text));
      return tooLongAt === undefined ? ok(undefined) : tooLong();
    }
    if (type === "regexp") {
      const cacheSize = regexCacheSize(entry);
      const set = compileRegexSet(lines, path, { cacheSize: typeof cacheSize === "number" ? cacheSize : 0 });
      if (!set.ok) return fail(set.error.code, set.error.message, { file: set.error.file, line: set.error.line });
      regexps.set(name, set.value);
      if (tooLongAt !== undefined) return tooLong();
      if (typeof cacheSize === "string") return fail("data.bad-cache", cacheSize);
      return ok(undefined);
    }
    const rows: MapRow[] = [];
    for (const l of lines) {
      const row = parseMapRow(l, path);
      if (!row.ok) {
        maps.set(name, { rows, index: undefined }); // upstream keeps the rows read so far, unindexed
        return fail(row.error.code, row.error.message, { file: path, line: l.line });
      }
      rows.push(row.value);
    }
    if (tooLongAt !== undefined) {
      maps.set(name, { rows, index: undefined });
      return tooLong();
    }
    maps.set(name, { rows, index: buildMapIndex(rows, opts.warn) });
    return ok(undefined);
  }

  return {
    load,
    lines: (name) => strings.get(name),
    anyRegexMatches: (name, text) => regexps.get(name)?.anyMatches(text),
    mapRows: (name) => maps.get(name)?.rows,
    lookupMap: (name, text) => {
      const m = maps.get(name);
      if (!m) return undefined;
      return m.index ? m.index.lookup(text) : "";
    },
  };
}
