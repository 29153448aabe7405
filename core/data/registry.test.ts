import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { renderProblem } from "../result";
import { createDataRegistry, resolveMirrorPath, type DataEntry } from "./index";

const DATA = fileURLToPath(new URL("../../testdata/data", import.meta.url));
const ITEM = "crowdsecurity/test-item";

function registry() {
  return createDataRegistry(DATA);
}

function loaded(destFile: string, type: string, extra: Partial<DataEntry> = {}) {
  const r = registry();
  const res = r.load({ destFile, type, ...extra }, ITEM);
  if (!res.ok) throw new Error(renderProblem(res.error));
  return r;
}

describe("createDataRegistry(): type string", () => {
  test("File lines are the kept lines of the file", () => {
    expect(loaded("words.txt", "string").lines("words.txt")).toEqual(["Crowdsec", "Crowdsecurity", " #not a comment", "trailing space ", "last line without newline"]);
  });

  test("a file not loaded has no lines", () => {
    expect(registry().lines("words.txt")).toBeUndefined();
  });
});

describe("createDataRegistry(): type regexp", () => {
  const cases = [
    { text: "sqlmap/1.0", want: true },
    { text: "curl/8", want: true },
    { text: "a NIKTO scan", want: true },
    { text: "Mozilla/5.0", want: false },
  ];
  test.each(cases)("anyRegexMatches($text) is $want", ({ text, want }) => {
    expect(loaded("agents.regex.txt", "regexp").anyRegexMatches("agents.regex.txt", text)).toBe(want);
  });

  test('"regex" is the same type as "regexp"', () => {
    expect(loaded("agents.regex.txt", "regex").anyRegexMatches("agents.regex.txt", "curl/8")).toBe(true);
  });

  test("a cache configuration does not change the answers", () => {
    const r = loaded("agents.regex.txt", "regexp", { strategy: "LRU", size: 1, ttl: "10s" });
    expect(cases.map((c) => r.anyRegexMatches("agents.regex.txt", c.text))).toEqual(cases.map((c) => c.want));
  });

  test("reports a bad regexp with its file and line", () => {
    const r = registry().load({ destFile: "bad.regex.txt", type: "regexp" }, ITEM);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("data.bad-regexp");
      expect(r.error.file).toBe(join(DATA, "bad.regex.txt"));
      expect(r.error.line).toBe(3);
      expect(r.error.message).toStartWith(`Cannot load data file "bad.regex.txt" for "${ITEM}": Cannot compile regexp "bro(ken"`);
    }
  });

  test("reports an unknown cache strategy but keeps the file", () => {
    const reg = registry();
    const r = reg.load({ destFile: "agents.regex.txt", type: "regexp", strategy: "MRU" }, ITEM);
    expect(r.ok ? "" : r.error.message).toBe(`Cannot load data file "agents.regex.txt" for "${ITEM}": unknown cache strategy 'MRU'`);
    expect(reg.anyRegexMatches("agents.regex.txt", "curl/8")).toBe(true);
  });
});

describe("createDataRegistry(): type map", () => {
  const cases = [
    { text: "/a/tmui/x", want: "F5" },
    { text: "/specific/endpoint.php", want: "SpecificApp2" }, // the later equals row
    { text: "/x/admin/wp-admin/", want: "Admin" },
    { text: "/wp-content/plugins/akismet/readme.txt", want: "WordPress-Plugin" },
    { text: "/nothing", want: "" },
  ];
  test.each(cases)("lookupMap($text) is $want", ({ text, want }) => {
    expect(loaded("tech.json", "map").lookupMap("tech.json", text)).toBe(want);
  });

  test("mapRows gives every row, comments and empty lines dropped", () => {
    const rows = loaded("tech.json", "map").mapRows("tech.json")!;
    expect(rows).toHaveLength(10);
    expect({ ...rows[0] }).toEqual({ pattern: "/tmui/", tag: "F5", type: "contains" });
  });

  test("a bad row fails the load, and keeps the rows before it without an index, as upstream", () => {
    const reg = registry();
    const r = reg.load({ destFile: "bad-map.json", type: "map" }, ITEM);
    expect(r.ok ? "" : `${r.error.code} ${r.error.line} ${r.error.message}`).toBe(
      `data.bad-map-row 2 Cannot load data file "bad-map.json" for "${ITEM}": Missing mandatory 'tag' field`,
    );
    expect(reg.mapRows("bad-map.json")!.map((row) => row.tag)).toEqual(["A"]);
    expect(reg.lookupMap("bad-map.json", "/a")).toBe("");
  });
});

describe("createDataRegistry().load()", () => {
  test("loads a file once per type: a second load does not read it again", () => {
    let reads = 0;
    const reg = createDataRegistry(DATA, {
      resolvePath: (e) => {
        reads++;
        return join(DATA, e.destFile);
      },
    });
    for (let i = 0; i < 3; i++) expect(reg.load({ destFile: "words.txt", type: "string" }, ITEM).ok).toBe(true);
    expect(reg.load({ destFile: "words.txt", type: "regexp" }, ITEM).ok).toBe(true);
    expect(reads).toBe(2);
  });

  test("ignores an entry without a type, as upstream", () => {
    const reg = registry();
    expect(reg.load({ destFile: "nope.txt", type: "" }, ITEM).ok).toBe(true);
    expect(reg.lines("nope.txt")).toBeUndefined();
  });

  const problems = [
    {
      entry: { destFile: "missing.txt", type: "string", sourceUrl: "https://hub-data.crowdsec.net/web/missing.txt" },
      want: `Cannot load data file "missing.txt" for "${ITEM}": "${join(DATA, "missing.txt")}" does not exist\n  hint: download https://hub-data.crowdsec.net/web/missing.txt`,
    },
    { entry: { destFile: "words.txt", type: "csv" }, want: `Cannot load data file "words.txt" for "${ITEM}": unknown data type "csv"\n  hint: use "string", "regexp" or "map"` },
    {
      entry: { destFile: "words.txt", type: "bots" },
      want: `Cannot load data file "words.txt" for "${ITEM}": unknown data type "bots"\n  hint: type bots (MatchKnownBot) needs forward-confirmed reverse DNS, which picket does not do`,
    },
  ];
  test.each(problems)("reports $entry.destFile as $entry.type", ({ entry, want }) => {
    const r = registry().load(entry, ITEM);
    expect(r.ok ? "" : renderProblem(r.error)).toBe(want);
  });

  test("a missing file is the data.missing-file problem", () => {
    const r = registry().load({ destFile: "missing.txt", type: "map" }, ITEM);
    expect(r.ok ? "" : r.error.code).toBe("data.missing-file");
  });
});

// The real hub data files, through the mirror laid out by URL path.
const HUB_DATA = fileURLToPath(new URL("../../../shared/hub-data", import.meta.url));
const hasHubData = existsSync(HUB_DATA);
if (!hasHubData) console.warn(`skipping hub-data tests: ${HUB_DATA} is missing`);

describe.skipIf(!hasHubData)("createDataRegistry() on ../shared/hub-data", () => {
  const reg = createDataRegistry(HUB_DATA, {
    resolvePath: (e) => {
      const r = resolveMirrorPath(HUB_DATA, e.sourceUrl ?? "");
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    },
  });
  const entries: DataEntry[] = [
    { sourceUrl: "https://hub-data.crowdsec.net/web/bad_user_agents.regex.txt", destFile: "bad_user_agents.regex.txt", type: "regexp" },
    { sourceUrl: "https://hub-data.crowdsec.net/web/technology_probing.json", destFile: "technology_probing.json", type: "map" },
    { sourceUrl: "https://hub-data.crowdsec.net/web/backdoors.txt", destFile: "backdoors.txt", type: "string" },
    { sourceUrl: "https://hub-data.crowdsec.net/whitelists/benign_bots/search_engine_crawlers/rnds_seo_bots.regex", destFile: "rdns_seo_bots.regex", type: "regexp" },
  ];
  test.each(entries)("loads $destFile", (entry) => {
    const r = reg.load(entry, "hub");
    expect(r.ok ? "" : renderProblem(r.error)).toBe("");
  });

  const agents = [
    { ua: "Sqlmap/1.7.2", want: true },
    { ua: "sqlmap/1.7.2#stable (https://sqlmap.org)", want: false }, // the patterns are case-sensitive
    { ua: "Mozilla/5.0 (compatible; Nimbostratus-Bot/v1.3.2; http://cloudsystemnetworks.com)", want: true },
    { ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", want: false },
  ];
  test.each(agents)("bad_user_agents.regex.txt on $ua is $want", ({ ua, want }) => {
    reg.load(entries[0]!, "hub");
    expect(reg.anyRegexMatches("bad_user_agents.regex.txt", ua)).toBe(want);
  });
});
