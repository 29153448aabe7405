import { describe, expect, test } from "bun:test";
import { checkParserFormat } from "./format-version";

const cases = [
  { format: "1.0", want: "supported" },
  { format: "1", want: "supported" },
  { format: "2.5", want: "supported" },
  { format: "3.0", want: "supported" },
  { format: "3.0.0", want: "supported" },
  { format: "v2.0", want: "supported" },
  { format: "1.0+build.5", want: "supported" },
  { format: "0.9", want: "unsupported" },
  { format: "3.0.1", want: "unsupported" },
  { format: "4", want: "unsupported" },
  { format: "2.0-beta", want: "unsupported" },
  { format: "2.0rc1", want: "unsupported" },
  { format: "one", want: "invalid" },
  { format: "", want: "invalid" },
  { format: "1.x", want: "invalid" },
  { format: " 1.0", want: "invalid" },
] as const;

describe("checkParserFormat()", () => {
  test.each(cases)("$format is $want", ({ format, want }) => {
    expect(checkParserFormat(format)).toBe(want);
  });
});
