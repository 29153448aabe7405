/**
 * Go's filepath.Match / filepath.Glob semantics for the file source (ACQUISITION.md §4.1): `*`,
 * `?` and `[...]` (`[^...]` negates, ranges, `\` escapes), `*` never crosses `/`, no `**`, no
 * braces, dot files are not special. Patterns are compiled once, at configure time.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const META = /[*?[\\]/;

export function hasGlobMeta(pattern: string): boolean {
  return META.test(pattern);
}

/** A compiled pattern: matches whole paths, or expands to the existing paths it names. */
export interface GlobPattern {
  readonly source: string;
  readonly isGlob: boolean;
  matches(path: string): boolean;
  /** Existing paths matching the pattern, sorted per directory as Go's Glob returns them. */
  expand(): string[];
}

/** Compiles a pattern; undefined when it is malformed (Go's ErrBadPattern). */
export function compileGlob(pattern: string): GlobPattern | undefined {
  const whole = segmentRegExp(pattern);
  if (!whole) return undefined;
  const segments = pattern.split("/");
  const compiled: (RegExp | string)[] = [];
  for (const seg of segments) {
    if (!hasGlobMeta(seg)) compiled.push(seg);
    else {
      const re = segmentRegExp(seg);
      if (!re) return undefined;
      compiled.push(re);
    }
  }
  return {
    source: pattern,
    isGlob: hasGlobMeta(pattern),
    matches: (path) => whole.test(path),
    expand: () => expandSegments(compiled),
  };
}

function expandSegments(segments: readonly (RegExp | string)[]): string[] {
  let current: string[] = [segments[0] === "" ? "/" : ""];
  const first = segments[0] === "" ? 1 : 0;
  for (let i = first; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of current) {
      if (typeof seg === "string") {
        const p = base === "" ? seg : join(base, seg);
        if (last ? exists(p) : seg === "" || isDir(p)) next.push(seg === "" ? base : p);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base === "" ? "." : base).sort();
      } catch {
        continue;
      }
      for (const name of names) {
        if (!seg.test(name)) continue;
        const p = base === "" ? name : join(base, name);
        if (last || isDir(p)) next.push(p);
      }
    }
    current = next;
  }
  return current.filter((p) => p !== "" && p !== "/");
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Translates one Go pattern to an anchored RegExp (load time only). */
function segmentRegExp(pattern: string): RegExp | undefined {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      i++;
      if (i >= pattern.length) return undefined;
      re += escape(pattern[i]!);
    } else if (c === "[") {
      let j = i + 1;
      let cls = "";
      if (pattern[j] === "^") {
        cls += "^";
        j++;
      }
      let closed = false;
      let first = true;
      for (; j < pattern.length; j++) {
        let ch = pattern[j]!;
        if (ch === "]" && !first) {
          closed = true;
          break;
        }
        first = false;
        if (ch === "\\") {
          j++;
          if (j >= pattern.length) return undefined;
          ch = pattern[j]!;
        }
        cls += ch === "-" && pattern[j + 1] !== "]" && !cls.endsWith("^") && cls !== "" ? "-" : escapeClass(ch);
      }
      if (!closed || cls === "" || cls === "^") return undefined;
      // A negated class never matches the separator, as in Go.
      re += cls.startsWith("^") ? `[${cls}/]` : `(?![/])[${cls}]`;
      i = j;
    } else re += escape(c);
  }
  try {
    return new RegExp(re + "$", "s");
  } catch {
    return undefined;
  }
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function escapeClass(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}
