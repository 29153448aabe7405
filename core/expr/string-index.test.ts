import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { goCIDRContains, parseGoCIDR, parseGoIP } from "../net";
import { buildStringIndex, type IndexedOp } from "./string-index";

const OPS: readonly IndexedOp[] = ["==", "contains", "startsWith", "endsWith"];

const ranges = new Map<string, ReturnType<typeof parseGoCIDR>>();
/** parseGoCIDR, remembered (the loop below would parse each line for every input). */
function parsedRange(p: string): ReturnType<typeof parseGoCIDR> {
  if (!ranges.has(p)) ranges.set(p, parseGoCIDR(p));
  return ranges.get(p);
}

/** What the loop over the set answers (the semantics the index must keep); inRange as IpInRange. */
function naive(op: IndexedOp, patterns: readonly string[], text: string): boolean {
  for (const p of patterns) {
    let ok: boolean;
    if (op === "inRange") {
      const addr = parseGoIP(text);
      const net = parsedRange(p);
      ok = addr !== undefined && net !== undefined && goCIDRContains(net, addr);
    } else ok = op === "==" ? text === p : op === "contains" ? text.includes(p) : op === "startsWith" ? text.startsWith(p) : text.endsWith(p);
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

describe("buildStringIndex inRange", () => {
  const nets = ["10.0.0.0/8", "192.168.1.0/24", "1.2.3.4/32", "2001:db8::/32", "::ffff:5.6.7.0/120", "0.0.0.0/0", "bad", "1.2.3.4", "fe80::/10", "172.16.0.0/12"];
  const addrs = ["10.1.2.3", "11.0.0.1", "192.168.1.255", "192.168.2.1", "1.2.3.4", "1.2.3.5", "2001:db8::1", "2001:db9::1", "::ffff:5.6.7.8", "5.6.7.8", "::ffff:10.0.0.1", "fe80::1%eth0", "fe80::1", "172.31.255.255", "172.32.0.0", "nope", "", "01.2.3.4"];
  test("answers as IpInRange over every range, with and without the catch-all", () => {
    for (const set of [nets, nets.filter((r) => r !== "0.0.0.0/0"), [], ["bad"]]) {
      const index = buildStringIndex("inRange", set);
      for (const a of addrs) expect([set.length, a, index.test(a)]).toEqual([set.length, a, naive("inRange", set, a)]);
    }
  });
});

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

  test("inRange on the hub's IP range files: the index answers as IpInRange over each line", () => {
    const files = textFiles(HUB_DATA).filter((f) => /ip|cidr|range/i.test(f.slice(f.lastIndexOf("/"))));
    expect(files.length).toBeGreaterThan(3);
    let mismatches = 0;
    let hits = 0;
    for (const f of files) {
      const lines = readFileSync(f, "utf8").split("\n");
      // each network's address, its neighbours, and every 7th line's address bumped in its last part
      const inputs = new Set<string>(["", "x", "127.0.0.1", "::1"]);
      for (const l of lines) {
        const a = l.split("/")[0]!;
        inputs.add(a);
        const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
        if (v4) for (const d of [1, 255, 256]) inputs.add(`${v4[1]}.${v4[2]}.${v4[3]}.${(Number(v4[4]) + d) % 256}`), inputs.add(`::ffff:${a}`);
        else if (a.includes(":")) inputs.add(a.replace(/::$/, "::1")), inputs.add(a.replace(/^([0-9a-f]+):/, "ffff:"));
      }
      const index = buildStringIndex("inRange", lines);
      for (const t of inputs) {
        const want = naive("inRange", lines, t);
        if (index.test(t) !== want) mismatches++;
        if (want) hits++;
      }
    }
    expect(mismatches).toBe(0);
    expect(hits).toBeGreaterThan(500);
  });
});
