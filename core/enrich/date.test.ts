import { describe, expect, test } from "bun:test";
import { LIVE, newLogEvent, TIMEMACHINE, type Event } from "../event";
import { createParseDate, parseStrTime } from "./date";

const NOW_MS = Date.UTC(2026, 5, 1, 8, 15, 17, 899);
const now = () => NOW_MS;
const NOW_TEXT = "2026-06-01T08:15:17.899Z";

describe("parseStrTime()", () => {
  // PARSERS.md §7.1 examples, upstream's TestDateParse, and the order/fallback rules
  const cases = [
    { text: "Feb 12 14:10:21", format: "", want: "2026-02-12T14:10:21Z", why: "syslog, current year" },
    { text: "04/Jan/2020:07:25:02 +0000", format: "", want: "2020-01-04T07:25:02Z", why: "nginx, offset 0 prints Z" },
    { text: "10/Oct/2000:13:55:36 -0700", format: "", want: "2000-10-10T13:55:36-07:00", why: "offset kept" },
    { text: "2021-03-04T05:06:07.123456+02:00", format: "", want: "2021-03-04T05:06:07.123456+02:00", why: "RFC3339 with µs" },
    { text: "2022-11-03 10:15:00", format: "", want: "2022-11-03T10:15:00Z", why: "no zone is UTC" },
    { text: "1672531200.532", format: "", want: "2023-01-01T00:00:00Z", why: "unix seconds, fraction dropped" },
    { text: "garbage", format: "", want: NOW_TEXT, why: "nothing parses: now" },
    { text: "", format: "", want: NOW_TEXT, why: "empty input: now" },
    { text: "2019-10-12T07:20:50.52Z", format: "", want: "2019-10-12T07:20:50.52Z", why: "upstream RFC3339 case" },
    { text: "02/Jan/2006:15:04:05 -0700", format: "", want: "2006-01-02T15:04:05-07:00", why: "upstream nginx case" },
    { text: "2011 X 17 zz 08X17X43 oneone Dec", format: "2006 X 2 zz 15X04X05 oneone Jan", want: "2011-12-17T08:17:43Z", why: "StrTimeFormat" },
    { text: "2024-11-26T20:13:32", format: "", want: "2024-11-26T20:13:32Z", why: "ISO 8601 without zone" },
    { text: "2024-11-26T20:13:32.123", format: "", want: "2024-11-26T20:13:32.123Z", why: "… with ms" },
    { text: "2024-11-26T20:13:32.123456789", format: "", want: "2024-11-26T20:13:32.123456789Z", why: "… with ns" },
    { text: "2022-11-03 10:15:00", format: "02/01/2006", want: "2022-11-03T10:15:00Z", why: "a failing StrTimeFormat falls back to the list" },
    { text: "03/04/2021 05:06:07", format: "", want: "2021-03-04T05:06:07Z", why: "US month/day" },
    { text: "13/04/2021 05:06:07", format: "", want: NOW_TEXT, why: "no day/month layout" },
    { text: "Thu Feb 12 14:10:21 2026", format: "", want: "2026-02-12T14:10:21Z", why: "ANSI C with a single-digit-capable day" },
    { text: "Mon Jan 02 15:04:05.123456 2006", format: "", want: "2006-01-02T15:04:05.123456Z", why: "µs ANSI C" },
    { text: "02-Jan-2006 15:04:05 europe/paris", format: "", want: "2006-01-02T15:04:05Z", why: "the zone name is literal text" },
    { text: "02-Jan-2006 15:04:05 Europe/Paris", format: "", want: NOW_TEXT, why: "… matched case-sensitively" },
    { text: "2022-11-03 10:15:00.5 +0100 CET", format: "", want: "2022-11-03T10:15:00.5+01:00", why: "Go String() form" },
    { text: "2006/01/02", format: "", want: "2006-01-02T00:00:00Z", why: "date only, slashes" },
    { text: "2006/01/02 15:04", format: "", want: "2006-01-02T15:04:00Z", why: "no seconds" },
    { text: "2006-01-02 15:04", format: "", want: "2006-01-02T15:04:00Z", why: "no seconds, dashes" },
    { text: "Feb 29 10:00:00", format: "", want: "2026-03-01T10:00:00Z", why: "year 0 is leap, 2026 is not: AddDate rolls over" },
    { text: "0001-01-01 00:00:00", format: "", want: NOW_TEXT, why: "the zero time counts as not parsed" },
    { text: "2006-01-02T15:04:05+24:00", format: "", want: NOW_TEXT, why: "parses, but MarshalText refuses it" },
    { text: "0000-03-04 05:06:07", format: "", want: "2026-03-04T05:06:07Z", why: "year 0 written out also gets the current year" },
    { text: "1672531200", format: "", want: "2023-01-01T00:00:00Z", why: "unix seconds" },
    { text: "+1672531200", format: "", want: "2023-01-01T00:00:00Z", why: "ParseInt takes a sign" },
    { text: "2024", format: "", want: "1970-01-01T00:33:44Z", why: "a bare number is a timestamp" },
    { text: "253402300800", format: "", want: "10000-01-01T00:00:00Z", why: "timestamps skip the range check" },
    { text: "0", format: "", want: NOW_TEXT, why: "timestamp must be > 0" },
    { text: "-5", format: "", want: NOW_TEXT, why: "negative timestamp" },
    { text: "9223372036854775808", format: "", want: NOW_TEXT, why: "past int64" },
    { text: "12ab", format: "", want: NOW_TEXT, why: "not an integer" },
    { text: ".5", format: "", want: NOW_TEXT, why: "nothing before the dot" },
  ] as const;

  test.each(cases)("$text ($why)", ({ text, format, want }) => {
    expect(parseStrTime(text, format, now).marshaled).toBe(want);
  });

  test("gives no time when it falls back to now", () => {
    expect(parseStrTime("garbage", "", now).time).toBeNull();
    expect(parseStrTime("1672531200", "", now).time).toEqual({ epochSec: 1672531200, nsec: 0, offsetSec: 0 });
  });
});

function event(mode: number, format = ""): Event {
  const evt = newLogEvent({ raw: "", timeMachine: mode === TIMEMACHINE });
  evt.StrTimeFormat = format;
  return evt;
}

describe("ParseDate enricher", () => {
  const ParseDate = createParseDate(now);

  // time: evt.Time afterwards as RFC 3339, zone name; null when it keeps the zero time it had
  const cases = [
    { mode: TIMEMACHINE, text: "04/Jan/2020:07:25:02.123456789 +0100", want: "2020-01-04T07:25:02.123456789+01:00", time: ["2020-01-04T07:25:02.123456789+01:00", ""] },
    { mode: LIVE, text: "04/Jan/2020:07:25:02 +0100", want: "2020-01-04T07:25:02+01:00", time: null },
    { mode: TIMEMACHINE, text: "2022-11-03 10:15:00.5 +0100 CET", want: "2022-11-03T10:15:00.5+01:00", time: ["2022-11-03T10:15:00.5+01:00", "CET"] },
    { mode: TIMEMACHINE, text: "Feb 12 14:10:21", want: "2026-02-12T14:10:21Z", time: ["2026-02-12T14:10:21Z", "UTC"] },
    { mode: TIMEMACHINE, text: "1672531200", want: "2023-01-01T00:00:00Z", time: ["2023-01-01T00:00:00Z", "UTC"] },
    { mode: TIMEMACHINE, text: "garbage", want: NOW_TEXT, time: null },
    { mode: TIMEMACHINE, text: "", want: NOW_TEXT, time: null },
  ] as const;

  test.each(cases)("mode $mode on '$text' writes MarshaledTime $want", ({ mode, text, want, time }) => {
    const evt = event(mode);
    expect(ParseDate(text, evt)).toEqual({ MarshaledTime: want });
    expect(evt.Time.IsZero() ? null : [evt.Time.toJSON(), evt.Time.zoneName]).toEqual(time === null ? null : [...time]);
  });

  test("reads the layout from evt.StrTimeFormat", () => {
    expect(ParseDate("221128 14:49:17", event(TIMEMACHINE, "060102 15:04:05"))).toEqual({ MarshaledTime: "2022-11-28T14:49:17Z" });
  });
});
