import { describe, expect, test } from "bun:test";
import { parseMarshaledTime } from "./event-time";

describe("parseMarshaledTime()", () => {
  const cases = [
    { text: "2026-02-12T14:00:05Z", json: "2026-02-12T14:00:05Z", string: "2026-02-12 14:00:05 +0000 UTC" },
    { text: "2024-01-18T15:31:16+01:00", json: "2024-01-18T15:31:16+01:00", string: "2024-01-18 15:31:16 +0100 +0100" },
    { text: "2021-03-01T10:00:00.123+01:00", json: "2021-03-01T10:00:00.123+01:00", string: "2021-03-01 10:00:00.123 +0100 +0100" },
    { text: "2026-11-23T18:16:20.123456789Z", json: "2026-11-23T18:16:20.123456789Z", string: "2026-11-23 18:16:20.123456789 +0000 UTC" },
    { text: "2009-03-01T10:00:20.5-05:30", json: "2009-03-01T10:00:20.5-05:30", string: "2009-03-01 10:00:20.5 -0530 -0530" },
    { text: "2024-02-29T00:00:00Z", json: "2024-02-29T00:00:00Z", string: "2024-02-29 00:00:00 +0000 UTC" },
  ];
  test.each(cases)("$text", ({ text, json, string }) => {
    const t = parseMarshaledTime(text);
    expect(t?.toJSON()).toBe(json);
    expect(t?.String()).toBe(string);
  });

  test.each(["", "2026-02-12 14:00:05Z", "2026-02-12t14:00:05Z", "2026-02-12T14:00:05", "2025-02-29T00:00:00Z", "2026-02-12T24:00:00Z", "2026-02-12T14:00:05+25:00", "12/Feb/2026:14:00:05 +0000"])(
    "refuses %p",
    (text) => {
      expect(parseMarshaledTime(text)).toBeUndefined();
    },
  );
});
