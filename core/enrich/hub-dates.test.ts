/**
 * ParseDate against the hub's own expectations: every hubtest whose parser.assert states the
 * MarshaledTime (or Meta.timestamp) of a dateparse-enrich result, with the StrTime rebuilt from
 * the Parsed values asserted for the same result and the hub parsers' `target: evt.StrTime`
 * statics. Skipped when ../shared/hub is missing.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { parseStrTime } from "./date";

const HUB = fileURLToPath(new URL("../../../shared/hub", import.meta.url));
const hasHub = existsSync(join(HUB, ".tests"));

/** One `target: evt.StrTime` / `evt.StrTimeFormat` static, and whether it sits in a grok child. */
interface TimeStatic {
  readonly field: "StrTime" | "StrTimeFormat";
  readonly value?: string;
  readonly expression?: string;
  readonly conditional: boolean;
}

interface ParserTimeStatics {
  readonly stage: string;
  readonly statics: readonly TimeStatic[];
}

function collectTimeStatics(node: unknown, conditional: boolean, out: TimeStatic[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectTimeStatics(n, conditional, out);
    return;
  }
  if (node === null || typeof node !== "object") return;
  const obj = node as Record<string, unknown>;
  const target = typeof obj.target === "string" ? obj.target.replace(/^evt\./, "") : "";
  if (target === "StrTime" || target === "StrTimeFormat") {
    out.push({
      field: target,
      value: typeof obj.value === "string" ? obj.value : undefined,
      expression: typeof obj.expression === "string" ? obj.expression : undefined,
      conditional,
    });
  }
  for (const [k, v] of Object.entries(obj)) {
    // statics of a child node run only when that child matched
    collectTimeStatics(v, conditional || k === "nodes", out);
  }
}

function loadParser(path: string): ParserTimeStatics {
  const stage = /\/(s\d\d-[a-z]+)\//.exec(path)?.[1] ?? "";
  const statics: TimeStatic[] = [];
  for (const doc of parseAllDocuments(readFileSync(path, "utf8"))) collectTimeStatics(doc.toJS(), false, statics);
  return { stage, statics };
}

function hubParserPaths(): Map<string, string> {
  const byName = new Map<string, string>();
  const root = join(HUB, "parsers");
  for (const stage of readdirSync(root)) {
    for (const author of readdirSync(join(root, stage))) {
      const dir = join(root, stage, author);
      for (const file of readdirSync(dir)) {
        if (file.endsWith(".yaml")) byName.set(`${author}/${file.slice(0, -5)}`, join(dir, file));
      }
    }
  }
  return byName;
}

/** The static's value from the asserted Parsed map; undefined when it cannot be evaluated here. */
function evaluate(s: TimeStatic, parsed: ReadonlyMap<string, string>): string | undefined {
  if (s.value !== undefined) return s.value;
  if (s.expression === undefined) return undefined;
  const terms = s.expression.split("+").map((t) => t.trim().replace(/^"(evt\..*)"$/, "$1"));
  let out = "";
  for (const term of terms) {
    const field = /^evt\.Parsed(?:\.(\w+)|\["(\w+)"\])$/.exec(term);
    const literal = /^'([^']*)'$|^"([^"]*)"$/.exec(term);
    if (field) {
      const v = parsed.get(field[1] ?? field[2]!);
      // an unasserted key is empty for a lone field (the static is skipped), unknown in a concatenation
      if (v === undefined && terms.length > 1) return undefined;
      out += v ?? "";
    } else if (literal) out += literal[1] ?? literal[2]!;
    else return undefined;
  }
  return out;
}

/** The assert files quote like Go but leave tabs raw; undefined for what JSON cannot read. */
function unquote(body: string): string | undefined {
  const escaped = body.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch {
    return undefined;
  }
}

interface DateCase {
  readonly test: string;
  readonly index: number;
  readonly strTime: string;
  /** Candidate StrTimeFormat values: one when the parsers decide it, several when a grok child does. */
  readonly formats: readonly string[];
  readonly want: string;
}

const RESULT = /^results\["s02-enrich"\]\["crowdsecurity\/dateparse-enrich"\]\[(\d+)\]\.Evt\.(Parsed|Enriched|Meta)\["([^"]+)"\] == "((?:[^"\\]|\\.)*)"$/;

function collectCases(): { cases: DateCase[]; skipped: Map<string, number> } {
  const cases: DateCase[] = [];
  const skipped = new Map<string, number>();
  const skip = (why: string) => skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const paths = hubParserPaths();
  const parserCache = new Map<string, ParserTimeStatics>();
  const testsDir = join(HUB, ".tests");
  for (const test of readdirSync(testsDir).sort()) {
    const assertPath = join(testsDir, test, "parser.assert");
    const configPath = join(testsDir, test, "config.yaml");
    if (!existsSync(assertPath) || !existsSync(configPath)) continue;
    const entries = new Map<number, { parsed: Map<string, string>; want?: string }>();
    for (const line of readFileSync(assertPath, "utf8").split("\n")) {
      const m = RESULT.exec(line.trim());
      if (!m) continue;
      const index = Number(m[1]);
      const value = unquote(m[4]!);
      if (value === undefined) continue;
      const entry = entries.get(index) ?? { parsed: new Map<string, string>() };
      entries.set(index, entry);
      if (m[2] === "Parsed") entry.parsed.set(m[3]!, value);
      else if ((m[2] === "Enriched" && m[3] === "MarshaledTime") || (m[2] === "Meta" && m[3] === "timestamp")) entry.want = value;
    }
    if (entries.size === 0) continue;

    const config = parseAllDocuments(readFileSync(configPath, "utf8"))[0]?.toJS() as { parsers?: unknown; override_statics?: unknown };
    const parsers: ParserTimeStatics[] = [];
    const overrides: TimeStatic[] = [];
    collectTimeStatics(config.override_statics ?? [], false, overrides);
    parsers.push({ stage: "s00-raw", statics: overrides });
    let unknownParser = false;
    for (const name of Array.isArray(config.parsers) ? config.parsers : []) {
      if (typeof name !== "string" || name === "") continue;
      const path = name.startsWith("./") ? join(HUB, name) : paths.get(name);
      if (path === undefined || !existsSync(path)) {
        unknownParser = true;
        continue;
      }
      let p = parserCache.get(path);
      if (p === undefined) {
        p = loadParser(path);
        parserCache.set(path, p);
      }
      parsers.push(p);
    }
    if (unknownParser) {
      skip("a parser of the test is not in the hub snapshot");
      continue;
    }
    const statics = parsers
      .filter((p) => p.stage < "s02")
      .sort((a, b) => (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0))
      .flatMap((p) => p.statics.map((s) => ({ ...s, stage: p.stage })));

    for (const [index, entry] of [...entries].sort((a, b) => a[0] - b[0])) {
      if (entry.want === undefined) continue;
      // The last stage that wrote a non-empty StrTime decides it; within a stage the values
      // found must agree, since we cannot tell which of several grok children ran.
      let strTime: string | undefined;
      let ambiguous = false;
      let opaque = false;
      for (const stage of ["s01-parse", "s00-raw"]) {
        const values = new Set<string>();
        for (const s of statics) {
          if (s.stage !== stage || s.field !== "StrTime") continue;
          const v = evaluate(s, entry.parsed);
          if (v === undefined) opaque = true;
          else if (v !== "") values.add(v);
        }
        if (values.size > 1) ambiguous = true;
        if (values.size > 0) {
          strTime = [...values][0];
          break;
        }
      }
      if (opaque) {
        skip("StrTime comes from an expression other than Parsed fields");
        continue;
      }
      if (ambiguous || strTime === undefined) {
        skip(ambiguous ? "several StrTime candidates" : "no StrTime source in the asserted Parsed values");
        continue;
      }
      const always = statics.filter((s) => s.field === "StrTimeFormat" && !s.conditional).map((s) => s.value ?? "");
      const maybe = statics.filter((s) => s.field === "StrTimeFormat" && s.conditional).map((s) => s.value ?? "");
      const base = always.at(-1) ?? "";
      const formats = maybe.length === 0 ? [base] : [...new Set([base, ...maybe])];
      cases.push({ test, index, strTime, formats, want: entry.want });
    }
  }
  return { cases, skipped };
}

// The snapshot's assertions were generated in 2026: yearless dates (syslog) carry that year.
const generatedIn2026 = () => Date.UTC(2026, 5, 1);

describe.skipIf(!hasHub)("ParseDate on the hub's asserted dates", () => {
  const { cases, skipped } = hasHub ? collectCases() : { cases: [], skipped: new Map<string, number>() };

  test("finds enough asserted dates to mean something", () => {
    if (skipped.size > 0) console.info("hub-dates: entries skipped:", Object.fromEntries(skipped));
    expect(cases.length).toBeGreaterThan(100);
  });

  test.each(cases.map((c) => [`${c.test}[${c.index}] ${c.strTime}`, c] as const))("%s", (_name, c) => {
    const got = c.formats.map((f) => parseStrTime(c.strTime, f, generatedIn2026).marshaled);
    // With one format the answer must match; when a grok child picks the format, one must.
    if (got.length === 1) expect(got[0]).toBe(c.want);
    else expect(got).toContain(c.want);
  });
});

if (!hasHub) {
  test.skip("ParseDate on the hub's asserted dates: ../shared/hub is missing", () => {});
}
