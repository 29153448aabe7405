import { describe, expect, test } from "bun:test";
import { createEnrichers } from "./enrichers";
import type { EnrichTarget } from "./target";

function event(raw = ""): EnrichTarget {
  return { ExpectMode: 1, StrTimeFormat: "", Time: "acquisition time", Line: { Raw: raw }, Unmarshaled: {} };
}

describe("createEnrichers()", () => {
  const { enrichers, problems } = createEnrichers({
    now: () => Date.UTC(2026, 1, 20),
    reverseDns: { resolver: (ip) => (ip === "1.2.3.4" ? ["host.example."] : null) },
  });

  test("registers exactly the methods upstream's enrich.go registers", () => {
    expect([...enrichers.keys()]).toEqual(["GeoIpCity", "GeoIpASN", "IpToRange", "reverse_dns", "ParseDate", "UnmarshalJSON"]);
    expect(problems).toEqual([]);
  });

  const cases = [
    { method: "ParseDate", value: "Feb 12 14:10:21", raw: "", want: { MarshaledTime: "2026-02-12T14:10:21Z" } },
    { method: "reverse_dns", value: "1.2.3.4", raw: "", want: { reverse_dns: "host.example." } },
    { method: "reverse_dns", value: "4.3.2.1", raw: "", want: null },
    { method: "UnmarshalJSON", value: "", raw: '{"a":"b"}', want: null },
    { method: "GeoIpCity", value: "1.2.3.4", raw: "", want: null },
  ] as const;

  test.each(cases)("$method('$value')", ({ method, value, raw, want }) => {
    expect(enrichers.get(method)!(value, event(raw))).toEqual(want);
  });

  test("ParseDate moves evt.Time to the log date in time-machine mode", () => {
    const evt = event();
    enrichers.get("ParseDate")!("04/Jan/2020:07:25:02 +0000", evt);
    expect(evt.Time).toEqual({ epochSec: 1578122702, nsec: 0, offsetSec: 0 });
  });

  test("UnmarshalJSON decodes Line.Raw into Unmarshaled", () => {
    const evt = event('{"a":{"b":1}}');
    enrichers.get("UnmarshalJSON")!("ignored", evt);
    expect(evt.Unmarshaled).toEqual({ a: { b: 1 } });
  });
});
