import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeMmdb } from "../../testdata/enrich/mmdb-writer";
import { createEnrichers } from "./enrichers";
import { formatGoFloat } from "./geoip";
import { newLogEvent } from "../event";

// Look-alikes of the databases hubtest's geoip-enrich test downloads (1.2.3.4 → FR, AS 4242
// "Crowdsec", 1.2.3.0/24), plus a few records for the fallbacks, built fresh for each run.
const dir = mkdtempSync(join(tmpdir(), "picket-geoip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, "GeoLite2-City.mmdb"),
  writeMmdb({
    databaseType: "GeoLite2-City",
    networks: [
      { cidr: "1.2.3.0/24", data: { country: { iso_code: "FR", is_in_european_union: true }, location: { latitude: 48.8582, longitude: 2.3387 } } },
      { cidr: "5.6.7.0/24", data: { registered_country: { iso_code: "US" }, location: { latitude: 37.751, longitude: -97.822 } } },
      { cidr: "9.9.9.0/24", data: { represented_country: { iso_code: "GB", is_in_european_union: false } } },
      { cidr: "8.8.8.0/24", data: { location: { latitude: 0.0078125, longitude: { double: -1 } } } },
      { cidr: "2001:db8::/32", data: { country: { iso_code: "DE", is_in_european_union: true } } },
    ],
  }),
);
writeFileSync(
  join(dir, "GeoLite2-ASN.mmdb"),
  writeMmdb({
    databaseType: "GeoLite2-ASN",
    networks: [
      { cidr: "1.2.3.0/24", data: { autonomous_system_number: 4242, autonomous_system_organization: "Crowdsec" } },
      { cidr: "5.6.0.0/16", data: { autonomous_system_number: 64500 } },
      { cidr: "2001:db8:1::/48", data: { autonomous_system_number: 64512, autonomous_system_organization: "Example v6" } },
    ],
  }),
);

const evt = newLogEvent({ raw: "" });
const errors: string[] = [];
const { enrichers, problems } = createEnrichers({ dataDir: dir, onError: (method, message) => errors.push(`${method}: ${message}`) });
const run = (method: string, value: string) => enrichers.get(method)!(value, evt);

describe("GeoIP enrichers with fixture databases", () => {
  test("load without problems", () => {
    expect(problems).toEqual([]);
  });

  const cases = [
    {
      ip: "1.2.3.4",
      city: { IsoCode: "FR", IsInEU: "true", Latitude: "48.858200", Longitude: "2.338700" },
      asn: { ASNNumber: "4242", ASNumber: "4242", ASNOrg: "Crowdsec" },
      range: { SourceRange: "1.2.3.0/24" },
    },
    {
      ip: "::ffff:1.2.3.4",
      city: { IsoCode: "FR", IsInEU: "true", Latitude: "48.858200", Longitude: "2.338700" },
      asn: { ASNNumber: "4242", ASNumber: "4242", ASNOrg: "Crowdsec" },
      range: { SourceRange: "1.2.3.0/24" },
    },
    {
      ip: "5.6.7.8",
      city: { IsoCode: "US", IsInEU: "false", Latitude: "37.751000", Longitude: "-97.822000" },
      asn: { ASNNumber: "64500", ASNumber: "64500", ASNOrg: "" },
      range: { SourceRange: "5.6.0.0/16" },
    },
    {
      ip: "9.9.9.9",
      city: { IsoCode: "GB", IsInEU: "false", Latitude: "0.000000", Longitude: "0.000000" },
      asn: { ASNNumber: "0", ASNumber: "0", ASNOrg: "" },
      range: null,
    },
    {
      ip: "8.8.8.8",
      city: { IsoCode: "", IsInEU: "false", Latitude: "0.007812", Longitude: "-1.000000" },
      asn: { ASNNumber: "0", ASNumber: "0", ASNOrg: "" },
      range: null,
    },
    {
      // not in either database: geoip2's zero records, but no network
      ip: "10.0.0.1",
      city: { IsoCode: "", IsInEU: "false", Latitude: "0.000000", Longitude: "0.000000" },
      asn: { ASNNumber: "0", ASNumber: "0", ASNOrg: "" },
      range: null,
    },
    {
      ip: "2001:db8:1::5",
      city: { IsoCode: "DE", IsInEU: "true", Latitude: "0.000000", Longitude: "0.000000" },
      asn: { ASNNumber: "64512", ASNumber: "64512", ASNOrg: "Example v6" },
      range: { SourceRange: "2001:db8:1::/48" },
    },
    { ip: "", city: null, asn: null, range: null },
    { ip: "01.2.3.4", city: null, asn: null, range: null },
    { ip: "fe80::1%eth0", city: null, asn: null, range: null },
    { ip: "not an ip", city: null, asn: null, range: null },
  ] as const;

  test.each(cases)("$ip", ({ ip, city, asn, range }) => {
    expect(run("GeoIpCity", ip)).toEqual(city);
    expect(run("GeoIpASN", ip)).toEqual(asn);
    expect(run("IpToRange", ip)).toEqual(range);
  });

  test("IpToRange logs an invalid address at error level, as upstream", () => {
    errors.length = 0;
    run("IpToRange", "999.1.1.1");
    expect(errors).toEqual(["IpToRange: Unable to enrich ip '999.1.1.1'"]);
  });
});

describe("createEnrichers() without usable databases", () => {
  test("reports each missing database once and keeps the enrichers silent", () => {
    const missing = join(dir, "nowhere");
    const r = createEnrichers({ dataDir: missing });
    expect(r.problems.map((p) => [p.code, p.message])).toEqual([
      [
        "enrich.geoip-missing",
        `Cannot open GeoIP database "${join(missing, "GeoLite2-City.mmdb")}": file not found; GeoIpCity write nothing`,
      ],
      [
        "enrich.geoip-missing",
        `Cannot open GeoIP database "${join(missing, "GeoLite2-ASN.mmdb")}": file not found; GeoIpASN and IpToRange write nothing`,
      ],
    ]);
    for (const m of ["GeoIpCity", "GeoIpASN", "IpToRange"]) expect(r.enrichers.get(m)!("1.2.3.4", evt)).toBeNull();
  });

  test("reports a file that is not a MaxMind database", () => {
    const garbage = join(dir, "garbage.mmdb");
    writeFileSync(garbage, "not a database");
    const r = createEnrichers({ geoipFiles: { city: garbage } });
    expect(r.problems.map((p) => p.code)).toEqual(["enrich.geoip-invalid"]);
  });

  test("refuses a database of the wrong type, as geoip2 does", () => {
    const r = createEnrichers({ geoipFiles: { asn: join(dir, "GeoLite2-City.mmdb") } });
    expect(r.problems.map((p) => p.message)).toEqual([
      `Cannot use GeoIP database "${join(dir, "GeoLite2-City.mmdb")}": type "GeoLite2-City" is not supported here; GeoIpASN and IpToRange write nothing`,
    ]);
  });

  test("without a data dir or files, GeoIP is off and nothing is reported", () => {
    const r = createEnrichers({});
    expect(r.problems).toEqual([]);
    expect(r.enrichers.get("GeoIpCity")!("1.2.3.4", evt)).toBeNull();
  });
});

// MaxMind's own test databases (shared/geoip), whose file names differ from upstream's.
const GEOIP = fileURLToPath(new URL("../../../shared/geoip", import.meta.url));
const hasMaxMindTestDbs = existsSync(join(GEOIP, "GeoLite2-City-Test.mmdb")) && existsSync(join(GEOIP, "GeoLite2-ASN-Test.mmdb"));

describe.skipIf(!hasMaxMindTestDbs)("GeoIP enrichers with MaxMind's test databases (shared/geoip)", () => {
  const real = hasMaxMindTestDbs
    ? createEnrichers({ geoipFiles: { city: join(GEOIP, "GeoLite2-City-Test.mmdb"), asn: join(GEOIP, "GeoLite2-ASN-Test.mmdb") } })
    : null;
  const cases = [
    {
      ip: "89.160.20.112",
      city: { IsoCode: "SE", IsInEU: "true", Latitude: "58.416700", Longitude: "15.616700" },
      asn: { ASNNumber: "29518", ASNumber: "29518", ASNOrg: "Bredband2 AB" },
      range: { SourceRange: "89.160.0.0/17" },
    },
    {
      ip: "81.2.69.142",
      city: { IsoCode: "GB", IsInEU: "false", Latitude: "51.514200", Longitude: "-0.093100" },
      asn: { ASNNumber: "0", ASNumber: "0", ASNOrg: "" },
      range: null,
    },
    {
      ip: "2001:218::1",
      city: { IsoCode: "JP", IsInEU: "false", Latitude: "35.685360", Longitude: "139.753090" },
      asn: { ASNNumber: "0", ASNumber: "0", ASNOrg: "" },
      range: null,
    },
    {
      ip: "1.128.0.1",
      city: { IsoCode: "", IsInEU: "false", Latitude: "0.000000", Longitude: "0.000000" },
      asn: { ASNNumber: "1221", ASNumber: "1221", ASNOrg: "Telstra Pty Ltd" },
      range: { SourceRange: "1.128.0.0/11" },
    },
  ] as const;

  test("load without problems", () => {
    expect(real!.problems).toEqual([]);
  });

  test.each(cases)("$ip", ({ ip, city, asn, range }) => {
    const get = (m: string) => real!.enrichers.get(m)!(ip, evt);
    expect(get("GeoIpCity")).toEqual(city);
    expect(get("GeoIpASN")).toEqual(asn);
    expect(get("IpToRange")).toEqual(range);
  });
});

if (!hasMaxMindTestDbs) test.skip("GeoIP with MaxMind's test databases: ../shared/geoip is missing", () => {});

describe("formatGoFloat()", () => {
  // checked against Go's fmt.Sprintf("%f", x)
  const cases = [
    { x: 48.8582, want: "48.858200" },
    { x: -0.0931, want: "-0.093100" },
    { x: 0.0078125, want: "0.007812" },
    { x: 0.0234375, want: "0.023438" },
    { x: -0.0078125, want: "-0.007812" },
    { x: -0, want: "-0.000000" },
    { x: -1e-7, want: "-0.000000" },
    { x: 0.0000015, want: "0.000002" },
    { x: 123456.1234565, want: "123456.123457" },
  ] as const;
  test.each(cases)("$x gives $want", ({ x, want }) => {
    expect(formatGoFloat(x)).toBe(want);
  });
});
