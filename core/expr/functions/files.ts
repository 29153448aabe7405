/**
 * Data file helpers (upstream helpers.go, filemap.go): File, RegexpInFile, FileMap, LookupFile,
 * over the files the items declared (core/data loads them). A file that is not loaded answers
 * as upstream does: empty, false or "", with an error logged.
 */
import { asString } from "./args";
import type { HelperContext, HelperDef } from "./types";

function notLoaded(ctx: HelperContext, name: string, type: string): void {
  ctx.warn?.(`file '${name}' (type:${type}) not found in expr library`);
}

export const FILE_HELPERS: readonly HelperDef[] = [
  {
    name: "File",
    signatures: ["func(string) []string"],
    stable: true,
    make: (ctx) => (file) => {
      const name = asString(file);
      const lines = ctx.dataFiles?.lines(name);
      if (lines === undefined) {
        notLoaded(ctx, name, "string");
        return [];
      }
      return lines;
    },
  },
  {
    name: "RegexpInFile",
    signatures: ["func(string, string) bool"],
    make: (ctx) => (text, file) => {
      const s = asString(text);
      const name = asString(file);
      const found = ctx.dataFiles?.anyRegexMatches(name, s);
      if (found === undefined) {
        notLoaded(ctx, name, "regexp");
        return false;
      }
      return found;
    },
  },
  {
    name: "FileMap",
    signatures: ["func(string) []map[string]string"],
    make: (ctx) => (file) => {
      const name = asString(file);
      const rows = ctx.dataFiles?.mapRows(name);
      if (rows === undefined) {
        notLoaded(ctx, name, "map");
        return [];
      }
      return rows;
    },
  },
  {
    name: "LookupFile",
    signatures: ["func(string, string) string"],
    make: (ctx) => (text, file) => {
      const s = asString(text);
      const name = asString(file);
      const tag = ctx.dataFiles?.lookupMap(name, s);
      if (tag === undefined) {
        notLoaded(ctx, name, "map");
        return "";
      }
      return tag;
    },
  },
];
