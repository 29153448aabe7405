import { describe, expect, test } from "bun:test";
import { formatDuration, GoTime, parseDuration, parseGoTime } from "./time";

const T = new GoTime(Date.UTC(2021, 2, 6, 10, 30, 5, 123), 0, 456789);

describe("GoTime", () => {
  test("calendar fields in its zone", () => {
    const paris = T.In(3600);
    expect([paris.Year(), paris.Month(), paris.Day(), paris.Hour(), paris.Minute(), paris.Second(), paris.Weekday(), paris.YearDay()]).toEqual([2021, 3, 6, 11, 30, 5, 6, 65]);
    expect(paris.Nanosecond()).toBe(123456789);
  });

  test("arithmetic keeps nanoseconds", () => {
    const later = T.Add(1_500_000);
    expect(later.Sub(T)).toBe(1_500_000);
    expect(later.subMsNanos).toBe(956789);
    expect(T.Add(600_000).Sub(T)).toBe(600_000);
    expect(later.After(T) && T.Before(later) && !T.Equal(later)).toBe(true);
    expect(T.Add(-1e9).Compare(T)).toBe(-1);
  });

  test("the zero time is year 1", () => {
    expect([GoTime.ZERO.Year(), GoTime.ZERO.IsZero(), T.IsZero()]).toEqual([1, true, false]);
    expect(GoTime.ZERO.String()).toBe("0001-01-01 00:00:00 +0000 UTC");
  });

  test.each([
    ["2006-01-02T15:04:05Z07:00", 0, "2021-03-06T10:30:05Z"],
    ["2006-01-02T15:04:05.999999999Z07:00", 0, "2021-03-06T10:30:05.123456789Z"],
    ["2006-01-02T15:04:05.000Z07:00", 7200, "2021-03-06T12:30:05.123+02:00"],
    ["02/Jan/2006:15:04:05 -0700", -18000, "06/Mar/2021:05:30:05 -0500"],
    ["Mon Jan _2 15:04:05 2006", 0, "Sat Mar  6 10:30:05 2021"],
    ["Monday, January 2, 2006 3:04PM", 0, "Saturday, March 6, 2021 10:30AM"],
    ["06 01 02 03 pm MST", 0, "21 03 06 10 am UTC"],
    ["15:04 MST", 7200, "12:30 +0200"],
    ["2006-002", 0, "2021-065"],
  ])("Format(%s) at offset %d", (layout, offset, want) => {
    expect(T.In(offset).Format(layout)).toBe(want);
  });

  test("String() and toJSON() follow Go", () => {
    expect(T.String()).toBe("2021-03-06 10:30:05.123456789 +0000 UTC");
    expect(T.toJSON()).toBe("2021-03-06T10:30:05.123456789Z");
    expect(new GoTime(Date.UTC(2020, 0, 4, 7, 25, 2)).toJSON()).toBe("2020-01-04T07:25:02Z");
  });
});

describe("parseGoTime()", () => {
  test.each([
    ["2006-01-02T15:04:05Z07:00", "2021-03-06T10:30:05+01:00", "2021-03-06T09:30:05Z"],
    ["2006-01-02T15:04:05Z07:00", "2021-03-06T10:30:05.5Z", "2021-03-06T10:30:05.5Z"],
    ["02/Jan/2006:15:04:05 -0700", "04/Jan/2020:07:25:02 +0000", "2020-01-04T07:25:02Z"],
    ["Jan _2 15:04:05", "Feb  2 14:10:21", "0000-02-02T14:10:21Z"],
    ["Jan 2 15:04:05", "Feb 12 14:10:21", "0000-02-12T14:10:21Z"],
    ["2006-01-02 15:04:05.000", "2021-03-06 10:30:05.250", "2021-03-06T10:30:05.25Z"],
    ["01/02/06 3:04PM", "03/06/21 1:05PM", "2021-03-06T13:05:00Z"],
    ["Mon, 02 Jan 2006 15:04:05 MST", "Sat, 06 Mar 2021 10:30:05 GMT", "2021-03-06T10:30:05Z"],
  ])("%s parses %s", (layout, value, want) => {
    const t = parseGoTime(layout, value);
    expect(typeof t === "string" ? t : t.UTC().Format("2006-01-02T15:04:05.999999999Z07:00")).toBe(want);
  });

  test.each([
    ["2006-01-02", "2021-13-01", 'parsing time "2021-13-01" as "2006-01-02": cannot parse "13-01" as "01": month out of range'],
    ["2006-01-02", "2021-02-30", 'parsing time "2021-02-30": day out of range'],
    ["2006-01-02", "2021-03-06x", 'parsing time "2021-03-06x": extra text: "x"'],
    ["15:04", "x", 'parsing time "x" as "15:04": cannot parse "x" as "15"'],
  ])("%s refuses %s", (layout, value, want) => {
    expect(parseGoTime(layout, value)).toBe(want);
  });

  test("an offset in the value is kept for display", () => {
    const t = parseGoTime("2006-01-02T15:04:05Z07:00", "2021-03-06T10:30:05+01:00");
    expect(typeof t === "string" ? t : [t.offsetSeconds, t.Hour()]).toEqual([3600, 10]);
  });
});

describe("durations", () => {
  test.each([
    [0, "0s"],
    [1, "1ns"],
    [1500, "1.5µs"],
    [300e6, "300ms"],
    [1.5e9, "1.5s"],
    [600e9, "10m0s"],
    [3600e9, "1h0m0s"],
    [4210.5e9, "1h10m10.5s"],
    [-90e9, "-1m30s"],
    [72 * 3600e9, "72h0m0s"],
  ])("formatDuration(%p) = %s", (ns, want) => {
    expect(formatDuration(ns)).toBe(want);
  });

  test.each([
    ["10m", 600e9],
    ["1h10m10.5s", 4210.5e9],
    ["-1.5h", -5400e9],
    ["+300ms", 300e6],
    ["2us", 2000],
    ["2µs", 2000],
    ["0", 0],
    [".5s", 0.5e9],
  ])("parseDuration(%s)", (text, ns) => {
    expect(parseDuration(text)).toEqual({ ok: true, ns });
  });

  test.each([
    ["", 'time: invalid duration ""'],
    ["10", 'time: missing unit in duration "10"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
    ["h", 'time: invalid duration "h"'],
    ["-", 'time: invalid duration "-"'],
  ])("parseDuration(%j) fails", (text, message) => {
    expect(parseDuration(text)).toEqual({ ok: false, message });
  });
});
