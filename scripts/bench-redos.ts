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

const RUNS = ["a", " ", "1", ".", "/", '"', ":", "-", "x", "\t", "%", "[", "=", "0", "A", "\\", ",", "'", "_", "\u00e9"];
const TOKENS = ["/a", "a ", "1.", "a.", "a:", "a=b ", '"a" ', "1.2.3.4 ", "::", "-a", "ab-", "\\.", "a/", "1:", "a,", "[a] ", "%{", " -", "a\\", "x1", "ab:cd:", "<1>", "1a"];
const LENGTHS = [256, 4096, MAX_LEN].filter((n, i, a) => n <= MAX_LEN && a.indexOf(n) === i);

function fill(unit: string, n: number): string {
  return n <= 0 ? "" : unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

interface Line {
  readonly shape: string;
  readonly text: string;
}

/** Lines every pattern gets: long runs of one character and of short tokens. */
function genericLines(): Line[] {
  const out: Line[] = [];
  for (const n of LENGTHS) {
    for (const r of RUNS) out.push({ shape: `run ${JSON.stringify(r)}`, text: fill(r, n) });
    for (const t of TOKENS) out.push({ shape: `repeat ${JSON.stringify(t)}`, text: fill(t, n) });
  }
  return out;
}

/** Real lines of the hubtest suites: the formats hub patterns are written for. */
function sampleLines(): string[] {
  const out: string[] = ["Feb 12 14:10:21 host sshd[1]: Invalid user admin from 1.2.3.4 port 22"];
  const tests = join(HUB, ".tests");
  if (!existsSync(tests)) return out;
  for (const suite of readdirSync(tests).sort()) {
    let files: string[];
    try {
      files = readdirSync(join(tests, suite)).filter((f) => f.endsWith(".log"));
    } catch {
      continue;
    }
    for (const f of files) {
      const lines = readFileSync(join(tests, suite, f), "utf8").split("\n");
      for (const l of lines.filter((x) => x.length > 10 && x.length < 2000).slice(0, 2)) out.push(l);
    }
  }
  return out;
}

/**
 * Near-misses for one pattern: lines it matches, cut short and continued by a long run, with a
 * run spliced into the middle, or repeated (many plausible starts for an unanchored search).
 */
function nearMisses(grok: GrokPattern, samples: readonly string[]): Line[] {
  const matched = samples.filter((l) => grok.regex.test(l)).slice(0, 4);
  const out: Line[] = [];
  for (const [k, line] of matched.entries()) {
    const cut = (f: number) => line.slice(0, Math.floor(line.length * f));
    for (const n of LENGTHS.filter((x) => x > 256)) {
      out.push({ shape: `sample${k} 30% + run " "`, text: cut(0.3) + fill(" ", n - Math.floor(line.length * 0.3)) });
      out.push({ shape: `sample${k} 70% + run "a"`, text: cut(0.7) + fill("a", n - Math.floor(line.length * 0.7)) });
      out.push({ shape: `sample${k} + run of its last char`, text: line + fill(line.slice(-1), n - line.length) });
      out.push({ shape: `sample${k} with a run in the middle`, text: cut(0.5) + fill("a", n - line.length) + line.slice(Math.floor(line.length * 0.5)) });
      out.push({ shape: `sample${k} repeated`, text: fill(`${line} `, n) });
    }
  }
  return out;
}

// The regex is what can be slow; matchInto adds only the writes of a match (and skips the
// regex entirely for patterns without semantics, which would hide library patterns' cost).
function timeOnce(grok: GrokPattern, text: string): number {
  const t0 = Bun.nanoseconds();
  grok.regex.exec(text);
  return (Bun.nanoseconds() - t0) / 1e6;
}

const targets = collectTargets();
const generic = genericLines();
const samples = sampleLines();
console.log(`${targets.length} distinct patterns; ${generic.length} generic hostile lines and up to 40 near-misses each (up to ${MAX_LEN} chars); budget ${BUDGET_MS} ms`);

interface Worst {
  label: string;
  engine: string;
  ms: number;
  shape: string;
  length: number;
}
const worst: Worst[] = [];
const started = Date.now();
let runs = 0;
for (const t of targets) {
  let w: Worst = { label: t.label, engine: t.grok.regex.engine, ms: 0, shape: "", length: 0 };
  for (const line of [...generic, ...nearMisses(t.grok, samples)]) {
    let ms = timeOnce(t.grok, line.text);
    // A slow first run may be JIT or GC: keep the best of three before calling it slow.
    if (ms > BUDGET_MS / 4) ms = Math.min(ms, timeOnce(t.grok, line.text), timeOnce(t.grok, line.text));
    if (ms > w.ms) w = { ...w, ms, shape: line.shape, length: line.text.length };
    if (ms > 100) console.error(`slow: ${ms.toFixed(0)} ms ${t.grok.regex.engine} ${line.shape} (${line.text.length}) ${t.label.slice(0, 100)}`);
    runs++;
  }
  worst.push(w);
  if (worst.length % 100 === 0) console.error(`… ${worst.length}/${targets.length} patterns, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
worst.sort((a, b) => b.ms - a.ms);
console.log(`\nslowest 30 (worst line per pattern):`);
for (const w of worst.slice(0, 30)) {
  console.log(`${w.ms.toFixed(2).padStart(8)} ms  ${w.engine.padEnd(6)}  ${String(w.length).padStart(6)}  ${w.shape.slice(0, 40).padEnd(40)}  ${w.label.slice(0, 110)}`);
}
const over = worst.filter((w) => w.ms > BUDGET_MS);
const native = worst.filter((w) => w.engine === "native").length;
console.log(`\noverall worst: ${worst[0]?.ms.toFixed(2)} ms (${worst[0]?.label}) on ${worst[0]?.shape}, ${worst[0]?.length} chars`);
console.log(`${native} patterns on the native engine, ${worst.length - native} on the linear engine; ${runs} matches in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (over.length > 0) {
  console.log(`${over.length} pattern(s) over the ${BUDGET_MS} ms budget`);
  process.exit(1);
}
