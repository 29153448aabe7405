import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildStringIndex, type IndexedOp } from "./string-index";

const OPS: readonly IndexedOp[] = ["==", "contains", "startsWith", "endsWith"];

/** What the loop over the set answers (the semantics the index must keep). */
function naive(op: IndexedOp, patterns: readonly string[], text: string): boolean {
  for (const p of patterns) {
    const ok = op === "==" ? text === p : op === "contains" ? text.includes(p) : op === "startsWith" ? text.startsWith(p) : text.endsWith(p);
    if (ok) return true;
  }
  return false;
}

describe("buildStringIndex", () => {
  const cases: { name: string; patterns: string[]; texts: string[] }[] = [
    { name: "no pattern", patterns: [], texts: ["", "a"] },
    { name: "empty pattern", patterns: ["", "zz"], texts: ["", "a", "zz"] },
    { name: "overlapping suffixes (failure links)", patterns: ["he", "she", "his", "hers"], texts: ["ushers", "h", "sh", "hi", "ahis", "xhex", "s", "hershe"] },
    { name: "a pattern inside another", patterns: ["abcd", "bc"], texts: ["abce", "xbcx", "abcd", "abc", "bd"] },
    { name: "failure chain through a long partial match", patterns: ["aaab", "aab", "b"], texts: ["aaaa", "aaaab", "caab", "c"] },
    { name: "prefix and suffix sets", patterns: ["/admin", "/wp-", ".php", ".env"], texts: ["/admin/x", "/x.php", "/.env", "/wp-login.php", "/adm", "php", ""] },
    { name: "non-ASCII and surrogates", patterns: ["é", "日本", "😀x", "\ud83d"], texts: ["café", "日本語", "a😀x", "😀", "\ud83dz", "x"] },
    { name: "case matters", patterns: ["SELECT"], texts: ["select", "xSELECTx", "SeLeCt"] },
    { name: "duplicates", patterns: ["a", "a", "ab"], texts: ["a", "b", "ab", "xa"] },
  ];
  for (const c of cases) {
    for (const op of OPS) {
      test(`${op}: ${c.name}`, () => {
        const index = buildStringIndex(op, c.patterns);
        for (const t of c.texts) expect([t, index.test(t)]).toEqual([t, naive(op, c.patterns, t)]);
      });
    }
  }

  test("random alphabets: the index answers as the loop", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (alphabet: string, max: number) => {
      let s = "";
      for (let n = rand(max + 1); n > 0; n--) s += alphabet[rand(alphabet.length)];
      return s;
    };
    let checked = 0;
    for (let round = 0; round < 300; round++) {
      const alphabet = round % 3 === 0 ? "ab" : round % 3 === 1 ? "abc/." : "aé😀\ud83d";
      const patterns = Array.from({ length: 1 + rand(8) }, () => word(alphabet, 4));
      for (const op of OPS) {
        const index = buildStringIndex(op, patterns);
        for (let k = 0; k < 40; k++) {
          const t = word(alphabet, 12);
          expect([op, patterns, t, index.test(t)]).toEqual([op, patterns, t, naive(op, patterns, t)]);
          checked++;
        }
      }
    }
    expect(checked).toBe(300 * 4 * 40);
  });
});

const HUB_DATA = new URL("../../../shared/hub-data", import.meta.url).pathname;
const hasData = existsSync(HUB_DATA);

function textFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) textFiles(p, out);
    else if (name.endsWith(".txt")) out.push(p);
  }
  return out;
}

describe.skipIf(!hasData)("buildStringIndex on the hub's data files", () => {
  if (!hasData) console.warn(`skipping data file index tests: ${HUB_DATA} is missing`);

  test("every .txt data file, every operator: the index answers as the loop on lines, their variants and other files' lines", () => {
    const files = textFiles(HUB_DATA);
    expect(files.length).toBeGreaterThan(10);
    const all = files.map((f) => readFileSync(f, "utf8").split("\n"));
    // inputs: each line as is, cut, wrapped and case-changed, and a sample of the other files' lines
    const variants = (lines: readonly string[]) =>
      lines.flatMap((l) => [l, l.slice(1), l.slice(0, -1), `/prefix/${l}`, `${l}?q=1`, `a${l}b`, l.toUpperCase(), l.toLowerCase()]);
    const others = all.flatMap((lines) => lines.filter((_, i) => i % 16 === 0));
    let mismatches = 0;
    let hits = 0;
    for (const lines of all) {
      const inputs = [...new Set(["", "/", "x", ...variants(lines), ...others])];
      for (const op of OPS) {
        const index = buildStringIndex(op, lines);
        for (const t of inputs) {
          const want = naive(op, lines, t);
          if (index.test(t) !== want) mismatches++;
          if (want) hits++;
        }
      }
    }
    expect(mismatches).toBe(0);
    expect(hits).toBeGreaterThan(1000); // the corpus does exercise matches, not only misses
  });
});
