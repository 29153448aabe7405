import { describe, expect, test } from "bun:test";
import { parseDurationWithDays } from "./duration";

const H = 3600e9;
const M = 60e9;

const good = [
  { input: "4h", ns: 4 * H },
  { input: "30m", ns: 30 * M },
  { input: "1h30m10s", ns: H + 30 * M + 10e9 },
  { input: "1.5h", ns: 1.5 * H },
  { input: "300ms", ns: 300e6 },
  { input: "0", ns: 0 },
  { input: "1d", ns: 24 * H },
  { input: "2d", ns: 48 * H },
  { input: "1d12h", ns: 36 * H },
  { input: "-2d", ns: -48 * H },
  { input: "-1d2h", ns: -26 * H },
  { input: " 4h ", ns: 4 * H },
] as const;

const bad = [
  { input: "", message: "empty duration string" },
  { input: "4", message: 'time: missing unit in duration "4"' },
  { input: "2x", message: 'time: unknown unit "x" in duration "2x"' },
  { input: "2d3x", message: 'time: unknown unit "x" in duration "3x"' },
  { input: "1d-2h", message: 'misplaced negative sign in duration "1d-2h"' },
  { input: "1.5d", message: 'invalid day value in duration "1.5d"' },
  { input: "1d2d", message: `invalid duration "1d2d": 'd' can appear only as the first unit` },
  { input: "garbage", message: 'time: invalid duration "garbage"' },
  { input: "bad", message: 'invalid day value in duration "bad"' },
  { input: "4h0m0x", message: 'time: unknown unit "x" in duration "4h0m0x"' },
] as const;

describe("parseDurationWithDays()", () => {
  test.each(good)("$input is $ns ns", ({ input, ns }) => {
    expect(parseDurationWithDays(input)).toEqual({ ok: true, ns });
  });

  test.each(bad)("$input is refused", ({ input, message }) => {
    expect(parseDurationWithDays(input)).toEqual({ ok: false, message });
  });
});
