import { describe, expect, test } from "bun:test";
import { encodeUint64, parseIpOrRange, rangeForDecision } from "./ip-range";
import type { IpRange } from "./types";

const MAX = 9223372036854775807n;
const V4_SUFFIX = -9223372036854775807n;
const v4 = (start: bigint, end: bigint): IpRange => ({
  size: 4,
  startIp: start - MAX,
  endIp: end - MAX,
  startSuffix: V4_SUFFIX,
  endSuffix: V4_SUFFIX,
});

describe("encodeUint64()", () => {
  const cases = [
    { u: 0n, want: -9223372036854775807n },
    { u: 16909060n, want: -9223372036837866747n },
    { u: MAX - 1n, want: -1n },
    { u: MAX, want: 0n },
    { u: MAX + 1n, want: 1n },
    { u: (1n << 64n) - 2n, want: MAX },
    { u: (1n << 64n) - 1n, want: MAX },
  ];
  test.each(cases)("$u → $want", ({ u, want }) => expect(encodeUint64(u)).toBe(want));
});

describe("parseIpOrRange()", () => {
  // the first four rows are the values read back from a CrowdSec 1.4.6 database (LAPI.md §10.2)
  const cases: { text: string; want: IpRange }[] = [
    { text: "1.2.3.4", want: { size: 4, startIp: -9223372036837866747n, endIp: -9223372036837866747n, startSuffix: V4_SUFFIX, endSuffix: V4_SUFFIX } },
    { text: "0.0.0.0", want: { size: 4, startIp: -9223372036854775807n, endIp: -9223372036854775807n, startSuffix: V4_SUFFIX, endSuffix: V4_SUFFIX } },
    {
      text: "2001:db8::1",
      want: { size: 16, startIp: -6917232468739227647n, endIp: -6917232468739227647n, startSuffix: -9223372036854775806n, endSuffix: -9223372036854775806n },
    },
    { text: "255.255.255.255", want: v4(0xffffffffn, 0xffffffffn) },
    { text: "10.0.0.0/24", want: v4(0x0a000000n, 0x0a0000ffn) },
    { text: "10.0.0.77/24", want: v4(0x0a000000n, 0x0a0000ffn) },
    { text: "0.0.0.0/0", want: v4(0n, 0xffffffffn) },
    { text: "1.2.3.4/32", want: v4(0x01020304n, 0x01020304n) },
    { text: "::ffff:1.2.3.4", want: v4(0x01020304n, 0x01020304n) },
    { text: "::ffff:10.1.2.3/104", want: v4(0x0a000000n, 0x0affffffn) },
    {
      text: "2001:db8::/32",
      want: { size: 16, startIp: 0x20010db800000000n - MAX, endIp: 0x20010db8ffffffffn - MAX, startSuffix: -MAX, endSuffix: MAX },
    },
    {
      text: "2001:db8:0:0:8000::/65",
      want: { size: 16, startIp: 0x20010db800000000n - MAX, endIp: 0x20010db800000000n - MAX, startSuffix: 0x8000000000000000n - MAX, endSuffix: MAX },
    },
    { text: "::", want: { size: 16, startIp: -MAX, endIp: -MAX, startSuffix: -MAX, endSuffix: -MAX } },
    { text: "::/0", want: { size: 16, startIp: -MAX, endIp: MAX, startSuffix: -MAX, endSuffix: MAX } },
    { text: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", want: { size: 16, startIp: MAX, endIp: MAX, startSuffix: MAX, endSuffix: MAX } },
  ];
  test.each(cases)("$text", ({ text, want }) => expect(parseIpOrRange(text)).toEqual({ ok: true, value: want }));

  const bad = ["", "1.2.3", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/x", "::1/129", "fe80::1%eth0", "example.com", "1.2.3.4/-1"];
  test.each(bad)("refuses %p", (text) => {
    expect(parseIpOrRange(text)).toEqual({ ok: false, error: { code: "invalid", message: `Invalid IP address or range "${text}"` } });
  });

  test("order of encoded IPv4 values follows the addresses", () => {
    const addrs = ["0.0.0.0", "1.2.3.4", "127.0.0.1", "128.0.0.0", "255.255.255.255"];
    const encoded = addrs.map((a) => {
      const r = parseIpOrRange(a);
      if (!r.ok) throw new Error(a);
      return r.value.startIp;
    });
    expect([...encoded].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(encoded);
  });
});

describe("rangeForDecision()", () => {
  const cases: { scope: string; value: string; size: 4 | 16 | null }[] = [
    { scope: "Ip", value: "1.2.3.4", size: 4 },
    { scope: "ip", value: "1.2.3.4", size: 4 },
    { scope: "RANGE", value: "2001:db8::/32", size: 16 },
    { scope: "Country", value: "FR", size: null },
    { scope: "AS", value: "1234", size: null },
    { scope: "Username", value: "1.2.3.4", size: null },
  ];
  test.each(cases)("%p", ({ scope, value, size }) => {
    const r = rangeForDecision(scope, value);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value === null ? null : r.value.size).toBe(size);
  });

  test("an Ip decision with a bad value is invalid", () => {
    expect(rangeForDecision("Ip", "nope").ok).toBe(false);
  });
});
