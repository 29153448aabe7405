import { describe, expect, test } from "bun:test";
import { SQLI_TABLE_SIZES, isSqliFingerprint, lookupSqlWord } from "./sqli-table";
import { WordTable } from "./word-table";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("WordTable", () => {
  const table = new WordTable([["SELECT", 1], ["UNION ALL", 2], ["A", 3]]);

  test.each([
    { word: "SELECT", want: 1 }, { word: "UNION ALL", want: 2 }, { word: "A", want: 3 },
    { word: "select", want: 0 }, { word: "SELEC", want: 0 }, { word: "", want: 0 },
  ])("lookup($word) is $want", ({ word, want }) => {
    const b = bytes(word);
    expect(table.lookup(b, 0, b.length)).toBe(want);
  });

  test("lookupUpper folds ASCII letters", () => {
    expect(table.lookupUpper(bytes("xxUnion allxx"), 2, 11)).toBe(2);
  });

  test("rejects repeated keys", () => {
    expect(() => new WordTable([["A", 1], ["A", 2]])).toThrow('WordTable key "A" is repeated');
  });
});

describe("libinjection SQL data", () => {
  test("holds every word and fingerprint of libinjection's table", () => {
    expect(SQLI_TABLE_SIZES).toEqual({ words: 985, fingerprints: 8367 });
  });

  test.each([
    { word: "select", want: "E" }, { word: "UNION", want: "U" }, { word: "or", want: "&" },
    { word: "sleep", want: "f" }, { word: "ſleep", want: "f" }, { word: "NOT IN", want: "k" },
    { word: "varchar", want: "t" }, { word: "hello", want: "" }, { word: "séléct", want: "" },
  ])("types $word as '$want'", ({ word, want }) => {
    const b = bytes(word);
    const type = lookupSqlWord(b, 0, b.length);
    expect(type === 0 ? "" : String.fromCharCode(type)).toBe(want);
  });

  test.each([
    { fingerprint: "s&sos", want: true }, { fingerprint: "1UE", want: true }, { fingerprint: "X", want: true },
    { fingerprint: "nn", want: false }, { fingerprint: "s", want: false },
  ])("fingerprint $fingerprint is SQLi: $want", ({ fingerprint, want }) => {
    expect(isSqliFingerprint(bytes(fingerprint), fingerprint.length)).toBe(want);
  });
});
