/**
 * ParseKV and ParseKVLax (upstream helpers.go): key=value pairs into target[prefix], a map of
 * strings. Their Go error returns become run-time errors in expr, so failures throw.
 */
import { eventWrites } from "../writes";
import { ExprRuntimeError } from "../errors";
import { asMap, asString, hasOwn, isMap, newMap } from "./args";
import { goTrimSpace } from "./go-text";
import type { HelperDef } from "./types";

// Upstream's pattern, with Go's ASCII \s spelled out and "." as "not a newline":
// (?P<key>[^=\s]+)=(?:"(?P<quoted_value>[^"\\]*(?:\\.[^"\\]*)*)"|(?P<value>[^=\s]+)|\s*)
const KEY_VALUE = /([^=\t\n\f\r ]+)=(?:"([^"\\]*(?:\\[^\n][^"\\]*)*)"|([^=\t\n\f\r ]+)|[\t\n\f\r ]*)/g;
const LAX_KEY = /([a-zA-Z_][a-zA-Z0-9_.-]*)=/g;

/** target[prefix] as a string map, created when absent; upstream refuses any other value there. */
function stringMapAt(target: Record<string, unknown>, prefix: string, helper: string): Record<string, string> {
  // the caller fills the map it gets: data of the event changes
  eventWrites.count++;
  if (!hasOwn(target, prefix)) {
    const m = newMap<string>();
    target[prefix] = m;
    return m;
  }
  const existing = target[prefix];
  if (isMap(existing) && Object.values(existing).every((v) => typeof v === "string")) return existing as Record<string, string>;
  throw new ExprRuntimeError(`${helper}: target is not a map[string]string`);
}

/** Upstream ParseKV: quoted values keep their backslash escapes as written. */
export function parseKV(blob: string, target: Record<string, unknown>, prefix: string): void {
  KEY_VALUE.lastIndex = 0;
  let m = KEY_VALUE.exec(blob);
  if (!m) throw new ExprRuntimeError("invalid input format");
  const out = stringMapAt(target, prefix, "ParseKV");
  for (; m; m = KEY_VALUE.exec(blob)) out[m[1]!] = m[2] || m[3] || "";
}

/** Whether the quote count before and at `pos` (ignoring backslash-escaped quotes) is odd. */
function isInsideQuotedValue(s: string, pos: number): boolean {
  let inQuote = false;
  for (let i = 0; i <= pos && i < s.length; i++) {
    if (s.charCodeAt(i) !== 34) continue;
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && s.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) inQuote = !inQuote;
  }
  return inQuote;
}

function laxValue(raw: string): string {
  if (raw === "" || raw[0] !== '"') return raw;
  if (raw.length >= 2 && raw[raw.length - 1] === '"') return raw.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
  return raw.slice(1);
}

/** Upstream ParseKVLax: a value runs until the next `key=` outside quotes, spaces included. */
export function parseKVLax(blob: string, target: Record<string, unknown>, prefix: string): void {
  const out = stringMapAt(target, prefix, "ParseKVLax");
  const starts: { from: number; valueStart: number; key: string }[] = [];
  LAX_KEY.lastIndex = 0;
  for (let m = LAX_KEY.exec(blob); m; m = LAX_KEY.exec(blob)) {
    if (!isInsideQuotedValue(blob, m.index)) starts.push({ from: m.index, valueStart: m.index + m[0].length, key: m[1]! });
  }
  if (starts.length === 0) throw new ExprRuntimeError("invalid input format");
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]!.from : blob.length;
    out[s.key] = laxValue(goTrimSpace(blob.slice(s.valueStart, end)));
  }
}

export const KV_HELPERS: readonly HelperDef[] = [
  {
    name: "ParseKV",
    signatures: ["func(string, map[string]any, string) error"],
    make: () => (blob, target, prefix) => {
      parseKV(asString(blob), asMap(target), asString(prefix));
      return null;
    },
  },
  {
    name: "ParseKVLax",
    signatures: ["func(string, map[string]any, string) error"],
    make: () => (blob, target, prefix) => {
      parseKVLax(asString(blob), asMap(target), asString(prefix));
      return null;
    },
  },
];
