import { describe, expect, test } from "bun:test";
import { NET_HELPERS } from "./net";
import { helperFn, runtimeError } from "./testing";

const fn = (name: string) => helperFn(NET_HELPERS, name);

describe("IpInRange()", () => {
  // upstream TestIpInRange, then net.ParseIP / ParseCIDR / Contains rules
  const cases = [
    { ip: "192.168.0.1", range: "192.168.0.0/24", want: true },
    { ip: "192.168.0", range: "192.168.0.0/24", want: false },
    { ip: "192.168.0.0/255", range: "192.168.0.0/24", want: false },
    { ip: "192.168.1.1", range: "192.168.0.0/24", want: false },
    { ip: "10.1.2.3", range: "10.0.0.0/8", want: true },
    { ip: "1.2.3.4", range: "0.0.0.0/0", want: true },
    { ip: "::ffff:192.168.0.1", range: "192.168.0.0/24", want: true }, // v4-mapped counts as v4
    { ip: "192.168.0.1", range: "::ffff:192.168.0.0/120", want: true },
    { ip: "1.2.3.4", range: "::ffff:0:0/96", want: true },
    { ip: "1.2.3.4", range: "::/0", want: false }, // an IPv6 network never holds an IPv4 address
    { ip: "2001:db8::1", range: "2001:db8::/32", want: true },
    { ip: "2001:db9::1", range: "2001:db8::/32", want: false },
    { ip: "192.168.0.1", range: "192.168.0.1", want: false }, // no mask
    { ip: "192.168.0.1", range: "192.168.0.0/33", want: false },
    { ip: "192.168.0.1", range: "192.168.0.0/024", want: true }, // net.ParseCIDR accepts leading zeros in the mask
    { ip: "01.2.3.4", range: "0.0.0.0/0", want: false }, // leading zero in an octet
    { ip: "fe80::1%eth0", range: "fe80::/10", want: false }, // zones are refused
    { ip: "1.2.3", range: "1.2.0.0/16", want: false },
  ];
  test.each(cases)("IpInRange($ip, $range) is $want", ({ ip, range, want }) => {
    expect(fn("IpInRange")(ip, range)).toBe(want);
  });
});

describe("IsIP(), IsIPV4(), IsIPV6()", () => {
  // upstream TestIsIp, then the v4-mapped and syntax corner cases
  const cases = [
    { name: "IsIPV4", value: "1.2.3.4", want: true },
    { name: "IsIPV6", value: "1.2.3.4", want: false },
    { name: "IsIPV6", value: "2001:0db8:85a3:0000:0000:8a2e:0370:7334", want: true },
    { name: "IsIPV4", value: "2001:0db8:85a3:0000:0000:8a2e:0370:7334", want: false },
    { name: "IsIP", value: "foo.bar", want: false },
    { name: "IsIP", value: "1.2.3.4", want: true },
    { name: "IsIP", value: "2001:0db8:85a3:0000:0000:8a2e:0370:7334", want: true },
    { name: "IsIPV4", value: "foo.bar", want: false },
    { name: "IsIPV6", value: "foo.bar", want: false },
    { name: "IsIPV6", value: "::ffff:1.2.3.4", want: false },
    { name: "IsIPV4", value: "::ffff:1.2.3.4", want: true },
    { name: "IsIPV6", value: "::1.2.3.4", want: true },
    { name: "IsIPV6", value: "::", want: true },
    { name: "IsIP", value: "1::2::3", want: false },
    { name: "IsIP", value: "1:2:3:4:5:6:7:8:9", want: false },
    { name: "IsIP", value: "1:2:3:4:5:6:7::", want: true },
    { name: "IsIP", value: "12345::1", want: false },
    { name: "IsIP", value: "256.1.1.1", want: false },
    { name: "IsIP", value: "1.2.3.4 ", want: false },
    { name: "IsIP", value: "0x7f.0.0.1", want: false },
    { name: "IsIP", value: "fe80::1%eth0", want: false },
    { name: "IsIP", value: "", want: false },
  ];
  test.each(cases)("$name($value) is $want", ({ name, value, want }) => {
    expect(fn(name)(value)).toBe(want);
  });
});

describe("IpToRange()", () => {
  // upstream TestIpToRange, then netip.Prefix printing
  const cases = [
    { ip: "192.168.1.1", mask: "16", want: "192.168.0.0/16" },
    { ip: "2001:db8::1", mask: "/64", want: "2001:db8::/64" },
    { ip: "192.168.0.1", mask: "test", want: "" },
    { ip: "a.b.c.d", mask: "24", want: "" },
    { ip: "192.168.1.1", mask: "35", want: "" },
    { ip: "192.168.1.1", mask: "+24", want: "192.168.1.0/24" },
    { ip: "192.168.1.1", mask: "-1", want: "" },
    { ip: "10.1.2.3", mask: "0", want: "0.0.0.0/0" },
    { ip: "2001:db8:0:0:1:0:0:1", mask: "128", want: "2001:db8::1:0:0:1/128" },
    { ip: "::ffff:1.2.3.4", mask: "120", want: "::ffff:1.2.3.0/120" },
    { ip: "fe80::1%eth0", mask: "64", want: "fe80::/64" }, // the zone is dropped
  ];
  test.each(cases)("IpToRange($ip, $mask) is $want", ({ ip, mask, want }) => {
    expect(fn("IpToRange")(ip, mask)).toBe(want);
  });

  test("logs why a prefix cannot be built", () => {
    const warnings: string[] = [];
    helperFn(NET_HELPERS, "IpToRange", { warn: (m) => warnings.push(m) })("192.168.1.1", "35");
    expect(warnings).toEqual(["can't create prefix from IP address '192.168.1.1' and mask '35': prefix length 35 too large for IPv4"]);
  });
});

describe("LookupHost()", () => {
  const cases = [
    { host: "1.2.3.4", ctx: {}, want: ["1.2.3.4"] },
    { host: "::1", ctx: {}, want: ["::1"] },
    { host: "example.com", ctx: {}, want: [] },
    { host: "example.com", ctx: { lookupHost: (h: string) => (h === "example.com" ? ["93.184.216.34"] : undefined) }, want: ["93.184.216.34"] },
  ];
  test.each(cases)("LookupHost($host)", ({ host, ctx, want }) => {
    expect(helperFn(NET_HELPERS, "LookupHost", ctx)(host)).toEqual(want);
  });
});

describe("Distance()", () => {
  // upstream TestDistanceHelper
  const cases = [
    { args: ["51.45", "1.15", "41.54", "12.27"], want: 1389.1793118293067 },
    { args: ["0.0", "0.0", "12.1", "12.1"], want: 0 },
    { args: ["12.1", "12.1", "0", "0"], want: 0 },
    { args: ["10", "10", "10", "10"], want: 0 },
  ];
  test.each(cases)("Distance($args) is $want", ({ args, want }) => {
    expect(fn("Distance")(...args)).toBeCloseTo(want, 6);
  });

  const errors = [
    { args: ["lol", "1.15", "41.54", "12.27"], want: 'lat1 is not a float : strconv.ParseFloat: parsing "lol": invalid syntax' },
    { args: ["1", "1", "1", ""], want: 'long2 is not a float : strconv.ParseFloat: parsing "": invalid syntax' },
  ];
  test.each(errors)("Distance($args) fails: $want", ({ args, want }) => {
    expect(runtimeError(() => fn("Distance")(...args))).toBe(want);
  });
});
