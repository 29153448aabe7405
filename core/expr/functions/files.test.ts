import { describe, expect, test } from "bun:test";
import { FILE_HELPERS } from "./files";
import { helperFn } from "./testing";
import type { DataFileLookup, HelperContext } from "./types";

// A lookup with one file of each type, standing for core/data's registry.
const dataFiles: DataFileLookup = {
  lines: (name) => (name === "words.txt" ? ["Crowdsec", "Crowdsecurity", "CrowdSec"] : undefined),
  anyRegexMatches: (name, text) => (name === "re.txt" ? /Crowd[sS]ec/.test(text) : undefined),
  mapRows: (name) => (name === "map.json" ? [{ pattern: "/tmui/", tag: "F5", type: "contains" }] : undefined),
  lookupMap: (name, text) => (name === "map.json" ? (text.includes("/tmui/") ? "F5" : "") : undefined),
};

function call(name: string, args: unknown[]): { value: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const ctx: HelperContext = { dataFiles, warn: (m) => warnings.push(m) };
  return { value: helperFn(FILE_HELPERS, name, ctx)(...args), warnings };
}

describe("File()", () => {
  // upstream TestFile: the expressions use `x in File(...)`
  const cases = [
    { word: "Crowdsec", want: true },
    { word: "CrowdSecurity", want: false },
    { word: "test", want: false },
  ];
  test.each(cases)("$word in File(words.txt) is $want", ({ word, want }) => {
    expect((call("File", ["words.txt"]).value as string[]).includes(word)).toBe(want);
  });

  test("a file not loaded gives [] and logs as upstream", () => {
    expect(call("File", ["non_existing_data.txt"])).toEqual({ value: [], warnings: ["file 'non_existing_data.txt' (type:string) not found in expr library"] });
  });
});

describe("RegexpInFile()", () => {
  // upstream TestRegexpInFile
  const cases = [
    { text: "crowdsec", want: false, file: "re.txt" },
    { text: "Crowdsec", want: true, file: "re.txt" },
    { text: "test CrowdSec", want: true, file: "re.txt" },
    { text: "nothing", want: false, file: "re.txt" },
    { text: "Crowdsec", want: false, file: "missing.txt" },
  ];
  test.each(cases)("RegexpInFile($text, $file) is $want", ({ text, file, want }) => {
    expect(call("RegexpInFile", [text, file]).value).toBe(want);
  });

  test("a file not loaded logs as upstream", () => {
    expect(call("RegexpInFile", ["x", "missing.txt"]).warnings).toEqual(["file 'missing.txt' (type:regexp) not found in expr library"]);
  });
});

describe("FileMap() and LookupFile()", () => {
  const cases = [
    { name: "FileMap", args: ["map.json"], want: [{ pattern: "/tmui/", tag: "F5", type: "contains" }] },
    { name: "FileMap", args: ["nonexistent.json"], want: [] },
    { name: "LookupFile", args: ["/admin/tmui/login.jsp", "map.json"], want: "F5" },
    { name: "LookupFile", args: ["/normal/page.html", "map.json"], want: "" },
    { name: "LookupFile", args: ["/tmui/", "nonexistent.json"], want: "" },
  ];
  test.each(cases)("$name($args)", ({ name, args, want }) => {
    expect(call(name, args).value).toEqual(want);
  });

  test("without data files every helper answers empty", () => {
    const ctx: HelperContext = {};
    expect([helperFn(FILE_HELPERS, "File", ctx)("a"), helperFn(FILE_HELPERS, "RegexpInFile", ctx)("a", "b"), helperFn(FILE_HELPERS, "LookupFile", ctx)("a", "b")]).toEqual([[], false, ""]);
  });
});
