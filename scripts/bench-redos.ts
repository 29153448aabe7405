/**
 * Worst-case grok cost on hostile lines. Compiles every grok pattern of the hub (inline
 * grok.pattern, grok.name references, every pattern_syntax entry, loaded into the library in
 * CrowdSec's order) and every library pattern, runs each on generated adversarial lines of up to
 * 64 KiB, prints the 30 slowest patterns with their worst line, and exits 1 if any single match
 * took more than the budget.
 *
 *   bun run scripts/bench-redos.ts [--budget-ms 10] [--max-len 65536] [--filter TEXT]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type GrokPattern, compileGrok, createPatternLibrary } from "../core/grok";
import { addHubSyntax, collectHubGroks } from "../core/grok/hub-groks";

const HUB = join(import.meta.dir, "..", "..", "shared", "hub");
const args = process.argv.slice(2);
const flag = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const BUDGET_MS = Number(flag("--budget-ms", "10"));
const MAX_LEN = Number(flag("--max-len", "65536"));
const FILTER = flag("--filter", "");

interface Target {
  readonly label: string;
  readonly grok: GrokPattern;
}

function collectTargets(): Target[] {
  const targets: Target[] = [];
  const seen = new Set<string>();
  const push = (label: string, grok: GrokPattern) => {
    const key = `${grok.regex.source}\u0000${grok.semantics.join(",")}`;
    if (seen.has(key) || (FILTER && !label.includes(FILTER))) return;
    seen.add(key);
    targets.push({ label, grok });
  };
  if (existsSync(join(HUB, "parsers"))) {
    for (const tree of ["parsers", "postoverflows"] as const) {
      const groks = collectHubGroks(HUB, tree);
      const lib = createPatternLibrary();
      for (const failure of addHubSyntax(lib, groks)) console.error(`pattern_syntax not added: ${failure}`);
      for (const g of groks) {
        const where = g.file.split("/").slice(-2).join("/");
        const r = g.kind === "pattern" ? compileGrok(g.text, lib) : lib.compileNamed(g.name ?? g.text);
        if (!r.ok) {
          console.error(`${where}: ${r.error.message}`);
          continue;
        }
        push(`${where} ${g.kind === "pattern" ? g.text : `%{${g.name}}`}`, r.value);
      }
    }
  } else {
    console.error(`no hub at ${HUB}: library patterns only`);
  }
  const lib = createPatternLibrary();
  for (const name of lib.names()) {
    const r = lib.compileNamed(name);
    if (r.ok) push(`library %{${name}}`, r.value);
  }
  return targets;
}

/** Lines a backtracking engine hates: long runs, repeated tokens, valid prefixes cut short. */
function hostileLines(maxLen: number): { shape: string; text: string }[] {
  const lengths = [256, 4096, maxLen].filter((n, i, a) => n <= maxLen && a.indexOf(n) === i);
  const runs = ["a", " ", "1", ".", "/", '"', ":", "-", "x", "\t", "%", "[", "=", "0", "A", "\\", ",", "'", "_", "é"];
  const tokens = ["/a", "a ", "1.", "a.", "a:", "a=b ", '"a" ', "1.2.3.4 ", "::", "-a", "ab-", "\\.", "a/", "1:", "a,", "[a] ", "%{", " -", "a\\", "x1", "ab:cd:", "<1>", "1a"];
  const prefixes = samplePrefixes();
  const out: { shape: string; text: string }[] = [];
  const fill = (unit: string, n: number) => (n <= 0 ? "" : unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
  for (const n of lengths) {
    for (const r of runs) out.push({ shape: `run ${JSON.stringify(r)}`, text: fill(r, n) });
    for (const t of tokens) out.push({ shape: `repeat ${JSON.stringify(t)}`, text: fill(t, n) });
    for (const [name, p] of prefixes) {
      for (const r of [" ", "a", "1", "/", '"', ".", "a "]) out.push({ shape: `${name} prefix + run ${JSON.stringify(r)}`, text: p + fill(r, n - p.length) });
      // The whole valid line, then the rest of the budget as a near-miss tail, and the line
      // repeated (many plausible starts for unanchored patterns).
      out.push({ shape: `${name} line repeated`, text: fill(`${p} `, n) });
    }
  }
  return out;
}

/** Real lines from the hubtest suites, cut at several points: valid prefixes of many formats. */
function samplePrefixes(): [string, string][] {
  const out: [string, string][] = [];
  const tests = join(HUB, ".tests");
  if (!existsSync(tests)) return [["syslog", "Feb 12 14:10:21 host sshd[1]: Invalid user "]];
  for (const suite of readdirSync(tests).sort()) {
    const dir = join(tests, suite);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith(".log"));
    } catch {
      continue;
    }
    for (const f of files.slice(0, 1)) {
      const line = readFileSync(join(dir, f), "utf8").split("\n").find((l) => l.length > 20);
      if (!line || line.length > 2000) continue;
      for (const cut of [0.3, 0.7]) out.push([`${suite}@${cut}`, line.slice(0, Math.floor(line.length * cut))]);
    }
  }
  return out;
}

function timeOnce(grok: GrokPattern, text: string, target: Record<string, string>): number {
  const t0 = Bun.nanoseconds();
  grok.matchInto(text, target);
  return (Bun.nanoseconds() - t0) / 1e6;
}

const targets = collectTargets();
const lines = hostileLines(MAX_LEN);
console.log(`${targets.length} distinct patterns × ${lines.length} hostile lines (up to ${MAX_LEN} chars), budget ${BUDGET_MS} ms`);

interface Worst {
  label: string;
  engine: string;
  ms: number;
  shape: string;
  length: number;
}
const worst: Worst[] = [];
const started = Date.now();
const target: Record<string, string> = {};
for (const t of targets) {
  let w: Worst = { label: t.label, engine: t.grok.regex.engine, ms: 0, shape: "", length: 0 };
  for (const line of lines) {
    let ms = timeOnce(t.grok, line.text, target);
    // A slow first run may be JIT or GC: keep the best of three before calling it slow.
    if (ms > BUDGET_MS / 4) ms = Math.min(ms, timeOnce(t.grok, line.text, target), timeOnce(t.grok, line.text, target));
    if (ms > w.ms) w = { ...w, ms, shape: line.shape, length: line.text.length };
  }
  worst.push(w);
}
worst.sort((a, b) => b.ms - a.ms);
console.log(`\nslowest 30 (worst line per pattern):`);
for (const w of worst.slice(0, 30)) {
  console.log(`${w.ms.toFixed(2).padStart(8)} ms  ${w.engine.padEnd(6)}  ${String(w.length).padStart(6)}  ${w.shape.slice(0, 40).padEnd(40)}  ${w.label.slice(0, 110)}`);
}
const over = worst.filter((w) => w.ms > BUDGET_MS);
const native = worst.filter((w) => w.engine === "native").length;
console.log(`\noverall worst: ${worst[0]?.ms.toFixed(2)} ms (${worst[0]?.label}) on ${worst[0]?.shape}, ${worst[0]?.length} chars`);
console.log(`${native} patterns on the native engine, ${worst.length - native} on the linear engine; ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (over.length > 0) {
  console.log(`${over.length} pattern(s) over the ${BUDGET_MS} ms budget`);
  process.exit(1);
}
