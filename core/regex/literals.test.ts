import { describe, expect, test } from "bun:test";
import { requiredLiterals } from "./literals";
import { parseRe2 } from "./syntax";

function literalsOf(pattern: string): string[] {
  const r = parseRe2(pattern);
  if (!r.ok) throw new Error(r.error.reason);
  return requiredLiterals(r.value.root);
}

describe("requiredLiterals()", () => {
  const cases: { pattern: string; want: string[] }[] = [
    { pattern: "Failed password for (\\S+) from", want: ["Failed password for ", " from"] },
    { pattern: "^(?:ab|cd)x", want: [] }, // alternatives: nothing is certain
    { pattern: "a(bc)d", want: ["abcd"] },
    { pattern: "a(?:bc)?d", want: [] }, // single characters are not worth a search
    { pattern: "(?:xy){2}z", want: ["xyxyz"] },
    { pattern: "(?:xy)+z", want: ["xy"] },
    { pattern: "(?i)get /", want: [" /"] }, // folded letters are classes, not literals
    { pattern: "\\bword\\b", want: ["word"] },
  ];
  test.each(cases)("$pattern", ({ pattern, want }) => {
    expect(literalsOf(pattern)).toEqual(want);
  });
});
