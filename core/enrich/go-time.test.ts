import { describe, expect, test } from "bun:test";
import { compileGoLayout } from "./go-parse";
import {
  addGoYears,
  formatRfc3339,
  goTimeFromEpochMs,
  goTimeToEpochMs,
  isZeroGoTime,
  marshalGoTime,
  parseGoTime,
  toGoTime,
  type GoTimeValue,
} from "./go-time";

function show(t: GoTimeValue | null): string | null {
  return t === null ? null : formatRfc3339(t);
}

describe("parseGoTime()", () => {
  const in2026 = () => Date.UTC(2026, 5, 1, 12);
  const in2028 = () => Date.UTC(2028, 0, 1);
  const cases = [
    { layout: "Jan  2 15:04:05", value: "Feb 12 14:10:21", now: in2026, want: "2026-02-12T14:10:21Z" },
    { layout: "Jan  2 15:04:05", value: "Feb 29 10:00:00", now: in2026, want: "2026-03-01T10:00:00Z" },
    { layout: "Jan  2 15:04:05", value: "Feb 29 10:00:00", now: in2028, want: "2028-02-29T10:00:00Z" },
    { layout: "Jan  2 15:04:05 -0700", value: "Dec 31 23:30:00 -0100", now: in2026, want: "2026-12-31T23:30:00-01:00" },
    { layout: "2006-01-02", value: "2019-05-06", now: in2026, want: "2019-05-06T00:00:00Z" },
    { layout: "2006-01-02", value: "0000-05-06", now: in2026, want: "2026-05-06T00:00:00Z" },
  ] as const;

  test.each(cases)("$layout on $value with a clock gives $want", ({ layout, value, now, want }) => {
    expect(show(parseGoTime(layout, value, { now }))).toBe(want);
  });

  test("leaves year 0 alone without a clock, as Go does", () => {
    expect(show(parseGoTime("Jan  2 15:04:05", "Feb 12 14:10:21"))).toBe("0000-02-12T14:10:21Z");
  });

  test("returns null where Go returns an error", () => {
    expect(parseGoTime("2006-01-02", "2006-01-02T")).toBeNull();
  });
});

describe("formatRfc3339() and marshalGoTime()", () => {
  // checked against Go's Format(RFC3339Nano), Format(RFC3339) and MarshalText
  const cases: readonly { t: GoTimeValue; nano: string; plain: string; marshal: string | null }[] = [
    { t: { epochSec: 0, nsec: 0, offsetSec: 0 }, nano: "1970-01-01T00:00:00Z", plain: "1970-01-01T00:00:00Z", marshal: "1970-01-01T00:00:00Z" },
    {
      t: { epochSec: 1614827167, nsec: 123456000, offsetSec: 7200 },
      nano: "2021-03-04T05:06:07.123456+02:00",
      plain: "2021-03-04T05:06:07+02:00",
      marshal: "2021-03-04T05:06:07.123456+02:00",
    },
    { t: { epochSec: 1, nsec: 1, offsetSec: -34200 }, nano: "1969-12-31T14:30:01.000000001-09:30", plain: "1969-12-31T14:30:01-09:30", marshal: "1969-12-31T14:30:01.000000001-09:30" },
    { t: { epochSec: 0, nsec: 500000000, offsetSec: -59 }, nano: "1969-12-31T23:59:01.5+00:00", plain: "1969-12-31T23:59:01+00:00", marshal: "1969-12-31T23:59:01.5+00:00" },
    { t: { epochSec: 253402300800, nsec: 0, offsetSec: 0 }, nano: "10000-01-01T00:00:00Z", plain: "10000-01-01T00:00:00Z", marshal: null },
    { t: { epochSec: -62167219200, nsec: 0, offsetSec: 0 }, nano: "0000-01-01T00:00:00Z", plain: "0000-01-01T00:00:00Z", marshal: "0000-01-01T00:00:00Z" },
    { t: { epochSec: -62167219201, nsec: 0, offsetSec: 0 }, nano: "-0001-12-31T23:59:59Z", plain: "-0001-12-31T23:59:59Z", marshal: null },
    // current Go's appendStrictRFC3339 refuses a 24h offset in MarshalText (go1.19 did not)
    { t: { epochSec: 0, nsec: 0, offsetSec: 86400 }, nano: "1970-01-02T00:00:00+24:00", plain: "1970-01-02T00:00:00+24:00", marshal: null },
  ];

  test.each(cases)("$nano", ({ t, nano, plain, marshal }) => {
    expect(formatRfc3339(t)).toBe(nano);
    expect(formatRfc3339(t, false)).toBe(plain);
    expect(marshalGoTime(t)).toBe(marshal);
  });
});

describe("GoTimeValue helpers", () => {
  test("goTimeFromEpochMs() and goTimeToEpochMs() round-trip milliseconds", () => {
    for (const ms of [0, 1, 999, 1_700_000_000_123, -1, -1001]) expect(goTimeToEpochMs(goTimeFromEpochMs(ms))).toBe(ms);
    expect(formatRfc3339(goTimeFromEpochMs(1_700_000_000_120))).toBe("2023-11-14T22:13:20.12Z");
  });

  test("isZeroGoTime() is true only for 0001-01-01T00:00:00Z, whatever the zone", () => {
    expect(isZeroGoTime({ epochSec: -62135596800, nsec: 0, offsetSec: 3600 })).toBe(true);
    expect(isZeroGoTime({ epochSec: -62135596800, nsec: 1, offsetSec: 0 })).toBe(false);
    expect(isZeroGoTime(compileGoLayout("2006-01-02T15:04:05Z07:00").parse("0001-01-01T01:00:00+01:00")!)).toBe(true);
  });

  test("addGoYears() normalises Feb 29 like Go's AddDate", () => {
    const feb29 = compileGoLayout("2006-01-02 -0700").parse("2024-02-29 +0200")!;
    expect(formatRfc3339(addGoYears(feb29, 1))).toBe("2025-03-01T00:00:00+02:00");
    expect(formatRfc3339(addGoYears(feb29, 4))).toBe("2028-02-29T00:00:00+02:00");
  });
});

describe("toGoTime()", () => {
  const cases: readonly GoTimeValue[] = [
    { epochSec: 1614827167, nsec: 123456789, offsetSec: 3600, zoneName: "CET" },
    { epochSec: 0, nsec: 0, offsetSec: 0 },
    { epochSec: -1, nsec: 999999999, offsetSec: -25200 },
    { epochSec: -62167219200, nsec: 5000, offsetSec: 0 },
  ];
  test.each(cases.map((t) => [formatRfc3339(t), t] as const))("keeps the instant, nanoseconds and zone of %s", (_name, t) => {
    const g = toGoTime(t);
    expect([g.Unix(), g.Nanosecond(), g.offsetSeconds, g.toJSON()]).toEqual([t.epochSec, t.nsec, t.offsetSec, formatRfc3339(t)]);
    expect(g.zoneName).toBe(t.zoneName ?? (t.offsetSec === 0 ? "UTC" : ""));
  });
});
