import { existsSync } from "node:fs";
import { join } from "node:path";

/** Finds the City and ASN databases in a directory, production names first, then MaxMind's test names. */
export function findGeoipFiles(dir: string | undefined): { city?: string; asn?: string } {
  if (!dir) return {};
  const pick = (...names: string[]) => names.map((n) => join(dir, n)).find((p) => existsSync(p));
  return {
    city: pick("GeoLite2-City.mmdb", "GeoLite2-City-Test.mmdb", "GeoIP2-City-Test.mmdb"),
    asn: pick("GeoLite2-ASN.mmdb", "GeoLite2-ASN-Test.mmdb"),
  };
}
