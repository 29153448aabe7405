import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { splitDataLines } from "./lines";
import { compileRegexSet } from "./regex-set";

function setOf(text: string, cacheSize = 0) {
  const r = compileRegexSet(splitDataLines(text).lines, "test.regex", { cacheSize });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const AGENTS = "\\bsqlmap\\b\n^curl/\n(?i)nikto\nGo-http-client/1\\.1$\n[0-9]{3}scanner\n";

describe("compileRegexSet().anyMatches()", () => {
  const cases = [
    { text: "sqlmap/1.5", want: true },
    { text: "xsqlmapx", want: false },
    { text: "curl/8.0", want: true },
    { text: "Mozilla curl/8.0", want: false }, // "^" anchors each pattern, not the alternation
    { text: "Mozilla NIKTO", want: true }, // (?i) stays inside its own pattern
    { text: "Go-http-client/1.1", want: true },
    { text: "Go-http-client/1.1 extra", want: false },
    { text: "123scanner", want: true },
    { text: "SQLMAP", want: false }, // ... and does not leak into the others
    { text: "", want: false },
  ];
  test.each(cases)("on $text is $want", ({ text, want }) => {
    expect(setOf(AGENTS).anyMatches(text)).toBe(want);
  });

  test("the joined regex answers as the per-regex loop on every case", () => {
    const set = setOf(AGENTS) as unknown as { anyMatches(t: string): boolean; loop(t: string): boolean };
    for (const { text } of cases) expect(set.anyMatches(text)).toBe(set.loop(text));
  });

  const quoted = [
    { text: "a.b", want: true },
    { text: "axb", want: false },
    { text: "xxy", want: true },
  ];
  test.each(quoted)("with \\Q…\\E (per-regex loop) on $text is $want", ({ text, want }) => {
    expect(setOf("\\Qa.b\\E\nx+y\n").anyMatches(text)).toBe(want);
  });

  test("repeated group names fall back to the loop and still answer", () => {
    const set = setOf("(?P<n>a)b\n(?P<n>c)d\n");
    expect([set.anyMatches("ab"), set.anyMatches("cd"), set.anyMatches("ad")]).toEqual([true, true, false]);
  });

  test("gives the same answer from its cache", () => {
    const set = setOf(AGENTS, 2);
    expect([set.anyMatches("curl/1"), set.anyMatches("curl/1"), set.anyMatches("x"), set.anyMatches("y"), set.anyMatches("curl/1")]).toEqual([true, true, false, false, true]);
  });

  test("reports the line of a regexp that does not compile", () => {
    const r = compileRegexSet(splitDataLines("# c\nok\nbro(ken\n").lines, "bad.regex");
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("data.bad-regexp");
      expect(r.error.file).toBe("bad.regex");
      expect(r.error.line).toBe(3);
      expect(r.error.message).toStartWith('Cannot compile regexp "bro(ken": ');
    }
  });
});

const HUB_REGEX = fileURLToPath(new URL("../../../shared/hub-data/web/bad_user_agents.regex.txt", import.meta.url));
const hasHubRegex = existsSync(HUB_REGEX);
if (!hasHubRegex) console.warn(`skipping the joined-regex check on hub data: ${HUB_REGEX} is missing`);

describe.skipIf(!hasHubRegex)("compileRegexSet() on bad_user_agents.regex.txt", () => {
  test("the joined regex answers as the per-regex loop on every pattern's own word and on common agents", () => {
    const lines = splitDataLines(readFileSync(HUB_REGEX, "utf8")).lines;
    const set = setOf(readFileSync(HUB_REGEX, "utf8")) as unknown as { anyMatches(t: string): boolean; loop(t: string): boolean };
    const inputs = lines.flatMap((l) => {
      const word = l.text.replace(/\\b/g, "").replace(/\\/g, "");
      return [word, `Mozilla/5.0 ${word}/1.0`, `x${word}x`, word.toLowerCase()];
    });
    inputs.push("Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/121.0", "curl/8.4.0", "");
    let matched = 0;
    for (const text of inputs) {
      const joined = set.anyMatches(text);
      expect(joined).toBe(set.loop(text));
      if (joined) matched++;
    }
    expect(matched).toBeGreaterThan(lines.length / 2);
  });
});
