import { describe, expect, test } from "bun:test";
import { compileGoLayout } from "./go-parse";
import { formatRfc3339, type GoTimeValue } from "./go-time";

// Expected values were produced by Go's time.Parse + Format(time.RFC3339Nano) under TZ=UTC
// (go1.19 from Debian), on the rows where that release and the current time/format.go agree.
const goCases: readonly { layout: string; value: string; want: string | null; epochSec?: number }[] = [
  { layout: "2006-01-02T15:04:05Z07:00", value: "2021-03-04T05:06:07.123456+02:00", want: "2021-03-04T05:06:07.123456+02:00", epochSec: 1614827167 },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2019-10-12T07:20:50.52Z", want: "2019-10-12T07:20:50.52Z", epochSec: 1570864850 },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05,123Z", want: "2006-01-02T15:04:05.123Z", epochSec: 1136214245 },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05-00:00", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05z", want: null },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T5:04:05Z", want: "2006-01-02T05:04:05Z", epochSec: 1136178245 },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:4:05Z", want: null },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-1-02T15:04:05Z", want: null },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05", want: null },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05.Z", want: null },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "04/Jan/2020:07:25:02 +0000", want: "2020-01-04T07:25:02Z", epochSec: 1578122702 },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36 -0700", want: "2000-10-10T13:55:36-07:00", epochSec: 971211336 },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/oct/2000:13:55:36 +0530", want: "2000-10-10T13:55:36+05:30", epochSec: 971166336 },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36 +05:30", want: null },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/October/2000:13:55:36 +0000", want: null },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36   +0000", want: "2000-10-10T13:55:36Z", epochSec: 971186136 },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36+0000", want: null },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36 +0000 ", want: null },
  { layout: "02/Jan/2006:15:04:05 -0700", value: "10/Oct/2000:13:55:36.250 +0000", want: "2000-10-10T13:55:36.25Z", epochSec: 971186136 },
  { layout: "Jan  2 15:04:05", value: "Feb 12 14:10:21", want: "0000-02-12T14:10:21Z", epochSec: -62163539379 },
  { layout: "Jan  2 15:04:05", value: "Nov 2 01:02:03", want: "0000-11-02T01:02:03Z", epochSec: -62140777077 },
  { layout: "Jan  2 15:04:05", value: "Nov  2 01:02:03", want: "0000-11-02T01:02:03Z", epochSec: -62140777077 },
  { layout: "Jan  2 15:04:05", value: "FEB 12 14:10:21.123", want: "0000-02-12T14:10:21.123Z", epochSec: -62163539379 },
  { layout: "Jan  2 15:04:05", value: "Feb 29 10:00:00", want: "0000-02-29T10:00:00Z", epochSec: -62162085600 },
  { layout: "Jan  2 15:04:05", value: "Feb 30 10:00:00", want: null },
  { layout: "Jan  2 15:04:05", value: "Feb12 14:10:21", want: null },
  { layout: "Jan  2 15:04:05", value: "Feb 12 24:10:21", want: null },
  { layout: "Jan  2 15:04:05", value: "Feb 12 14:60:21", want: null },
  { layout: "Jan  2 15:04:05", value: "Feb 12 14:10:60", want: null },
  { layout: "Mon Jan 2 15:04:05 2006", value: "Thu Feb 12 14:10:21 2026", want: "2026-02-12T14:10:21Z", epochSec: 1770905421 },
  { layout: "Mon Jan 2 15:04:05 2006", value: "Xyz Feb 12 14:10:21 2026", want: null },
  { layout: "Mon Jan 2 15:04:05 2006", value: "thursday Feb 12 14:10:21 2026", want: null },
  { layout: "Mon Jan 02 15:04:05.000000 2006", value: "Mon Jan 02 15:04:05.000000 2006", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "Mon Jan 02 15:04:05.000000 2006", value: "Mon Jan 02 15:04:05.123 2006", want: null },
  { layout: "Mon Jan 02 15:04:05.000000 2006", value: "Mon Jan 02 15:04:05,123456 2006", want: "2006-01-02T15:04:05.123456Z", epochSec: 1136214245 },
  { layout: "Mon Jan 02 15:04:05.000000 2006", value: "Mon Jan 02 15:04:05.+12345 2006", want: "2006-01-02T15:04:05.012345Z", epochSec: 1136214245 },
  { layout: "Mon Jan 02 15:04:05.000000 2006", value: "Mon Jan 02 15:04:05.-12345 2006", want: null },
  { layout: "2006-01-02 15:04:05.999999999 -0700 MST", value: "2022-11-03 10:15:00.5 +0100 CET", want: "2022-11-03T10:15:00.5+01:00", epochSec: 1667466900 },
  { layout: "2006-01-02 15:04:05.999999999 -0700 MST", value: "2022-11-03 10:15:00 +0000 UTC", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05.999999999 -0700 MST", value: "2022-11-03 10:15:00 -0700 MST", want: "2022-11-03T10:15:00-07:00", epochSec: 1667495700 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 CET", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 GMT+3", want: "2022-11-03T13:15:00+03:00", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 GMT-11", want: "2022-11-02T23:15:00-11:00", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 GMT+24", want: null },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 +03", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 ChST", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 WITA", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 ABCDT", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 ABCDE", want: null },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 abc", want: null },
  { layout: "2006-01-02 15:04:05 MST", value: "2022-11-03 10:15:00 UTC", want: "2022-11-03T10:15:00Z", epochSec: 1667470500 },
  { layout: "3:04PM", value: "3:04PM", want: "0000-01-01T15:04:00Z", epochSec: -62167164960 },
  { layout: "3:04PM", value: "12:00AM", want: "0000-01-01T00:00:00Z", epochSec: -62167219200 },
  { layout: "3:04PM", value: "12:00PM", want: "0000-01-01T12:00:00Z", epochSec: -62167176000 },
  { layout: "3:04PM", value: "3:04pm", want: null },
  { layout: "3:04pm", value: "11:59pm", want: "0000-01-01T23:59:00Z", epochSec: -62167132860 },
  { layout: "03:04:05 PM", value: "13:00:00 PM", want: null },
  { layout: "2006 002 15:04", value: "2008 060 15:04", want: "2008-02-29T15:04:00Z", epochSec: 1204297440 },
  { layout: "2006 002 15:04", value: "2008 366 15:04", want: "2008-12-31T15:04:00Z", epochSec: 1230735840 },
  { layout: "2006 002 15:04", value: "2006 366 15:04", want: null },
  { layout: "2006 __2", value: "2006   5", want: "2006-01-05T00:00:00Z", epochSec: 1136419200 },
  { layout: "2006 __2", value: "2006 005", want: "2006-01-05T00:00:00Z", epochSec: 1136419200 },
  { layout: "Jan 2 2006 __2", value: "Mar 1 2006  60", want: "2006-03-01T00:00:00Z", epochSec: 1141171200 },
  { layout: "Jan 2 2006 __2", value: "Mar 2 2006  60", want: null },
  { layout: "_2/01/06", value: " 2/01/06", want: "2006-01-02T00:00:00Z", epochSec: 1136160000 },
  { layout: "_2/01/06", value: "12/01/68", want: "2068-01-12T00:00:00Z", epochSec: 3093552000 },
  { layout: "_2/01/06", value: "12/01/69", want: "1969-01-12T00:00:00Z", epochSec: -30585600 },
  { layout: "1/2/06 3:4:5", value: "1/2/+5 3:4:5", want: "2005-01-02T03:04:05Z", epochSec: 1104635045 },
  { layout: "1/2/06 3:4:5", value: "1/2/-5 3:4:5", want: "1995-01-02T03:04:05Z", epochSec: 789015845 },
  { layout: "2006-01-02", value: "2020-02-29", want: "2020-02-29T00:00:00Z", epochSec: 1582934400 },
  { layout: "2006-01-02", value: "2021-02-29", want: null },
  { layout: "2006-01-02", value: "2021-04-31", want: null },
  { layout: "2006-01-02", value: "2021-13-01", want: null },
  { layout: "2006-01-02", value: "2021-00-01", want: null },
  { layout: "2006-01-02", value: "0000-02-29", want: "0000-02-29T00:00:00Z", epochSec: -62162121600 },
  { layout: "2006-01-02", value: "2006-01-02 ", want: null },
  { layout: "2006-01-02 ", value: "2006-01-02", want: "2006-01-02T00:00:00Z", epochSec: 1136160000 },
  { layout: "2006-01-02", value: " 2006-01-02", want: null },
  { layout: "2006-01-02", value: "+006-01-02", want: null },
  { layout: "2006-01-02T15:04:05Z0700", value: "2006-01-02T15:04:05+0530", want: "2006-01-02T15:04:05+05:30", epochSec: 1136194445 },
  { layout: "2006-01-02T15:04:05Z0700", value: "2006-01-02T15:04:05Z", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "2006-01-02T15:04:05-07", value: "2006-01-02T15:04:05-07", want: "2006-01-02T15:04:05-07:00", epochSec: 1136239445 },
  { layout: "2006-01-02T15:04:05-07:00:00", value: "2006-01-02T15:04:05+07:30:15", want: "2006-01-02T15:04:05+07:30", epochSec: 1136187230 },
  { layout: "2006-01-02T15:04:05-070000", value: "2006-01-02T15:04:05-000001", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "2006-01-02T15:04:05-070000", value: "2006-01-02T15:04:05-000030", want: "2006-01-02T15:04:05+00:00", epochSec: 1136214275 },
  { layout: "2006-01-02 15:04:05,000", value: "2006-01-02 15:04:05.123", want: "2006-01-02T15:04:05.123Z", epochSec: 1136214245 },
  { layout: "2006-01-02 15:04:05.00", value: "2006-01-02 15:04:05.1", want: null },
  { layout: "January 2, 2006", value: "JANUARY 2, 2006", want: "2006-01-02T00:00:00Z", epochSec: 1136160000 },
  { layout: "January 2, 2006", value: "Janua 2, 2006", want: null },
  { layout: "Month 2006", value: "Month 2006", want: "2006-01-01T00:00:00Z", epochSec: 1136073600 },
  { layout: "15:04:05.000000000000", value: "15:04:05.123456789012", want: "0000-01-01T15:04:05.123456789Z", epochSec: -62167164955 },
  { layout: "Monday, 02-Jan-06 15:04:05 MST", value: "Sunday, 02-Jan-06 15:04:05 PST", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "02-Jan-2006 15:04:05 europe/paris", value: "02-Jan-2006 15:04:05 europe/paris", want: "2006-01-02T15:04:05Z", epochSec: 1136214245 },
  { layout: "02-Jan-2006 15:04:05 europe/paris", value: "02-Jan-2006 15:04:05 Europe/Paris", want: null },
  { layout: "01/02/2006 15:04:05", value: "13/02/2006 15:04:05", want: null },
  { layout: "2006-01-02T15:04:05", value: "2024-11-26T20:13:32.123456789", want: "2024-11-26T20:13:32.123456789Z", epochSec: 1732652012 },
];

// Rows where go1.19 differs from the current time/format.go, which CrowdSec is built with: the
// expectation follows the current source (cited per row).
const currentGoCases: readonly { layout: string; value: string; want: string | null; why: string }[] = [
  { layout: "2006-01-02T15:04:05Z070000", value: "2006-01-02T15:04:05Z", want: "2006-01-02T15:04:05Z", why: "every Z-form zone takes Z" },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05+23:61", want: null, why: "offset minute > 60 is out of range" },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05+25:00", want: null, why: "offset hour > 24 is out of range" },
  { layout: "2006-01-02T15:04:05Z07:00", value: "2006-01-02T15:04:05+24:00", want: "2006-01-02T15:04:05+24:00", why: "24 is accepted (> not >=)" },
  {
    layout: "2006-01-02T15:04:05.999999999Z07:00",
    value: "2006-01-02T15:04:05.1234567891234Z",
    want: "2006-01-02T15:04:05.123456789Z",
    why: "a .999 fraction takes any number of digits, truncated to ns",
  },
  { layout: "02-Jan-2006 15:04:05 x", value: "29-Nov-2015 18:23:,25 x", want: null, why: "a bad seconds field is an error even if a fraction follows" },
];

function show(t: GoTimeValue | null): string | null {
  return t === null ? null : formatRfc3339(t);
}

describe("compileGoLayout().parse()", () => {
  test.each(goCases)("$layout on $value", ({ layout, value, want, epochSec }) => {
    const t = compileGoLayout(layout).parse(value);
    expect(show(t)).toBe(want);
    if (t !== null) expect(t.epochSec).toBe(epochSec!);
  });

  test.each(currentGoCases)("$layout on $value: $why", ({ layout, value, want }) => {
    expect(show(compileGoLayout(layout).parse(value))).toBe(want);
  });

  test("keeps a numeric offset as the zone instead of converting to UTC", () => {
    const t = compileGoLayout("02/Jan/2006:15:04:05 -0700").parse("10/Oct/2000:13:55:36 -0700");
    expect(t).toEqual({ epochSec: 971211336, nsec: 0, offsetSec: -25200 });
  });

  test("parses many texts with one compiled layout", () => {
    const layout = compileGoLayout("Jan _2 15:04:05");
    expect([" Jan  2 15:04:05", "Jan  2 15:04:05", "Dec 31 23:59:59", "Dec 31 23:59"].map((v) => show(layout.parse(v)))).toEqual([
      null,
      "0000-01-02T15:04:05Z",
      "0000-12-31T23:59:59Z",
      null,
    ]);
  });
});
