import { describe, expect, test } from "bun:test";
import { createEnrichers } from "./enrichers";
import { newLogEvent, type Event } from "../event";

function event(raw = ""): Event {
  return newLogEvent({ raw });
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
    expect(evt.Time.UnixMilli()).toBe(1578122702000);
    expect(evt.Time.toJSON()).toBe("2020-01-04T07:25:02Z");
  });

  test("UnmarshalJSON decodes Line.Raw into Unmarshaled", () => {
    const evt = event('{"a":{"b":1}}');
    enrichers.get("UnmarshalJSON")!("ignored", evt);
    expect({ ...evt.Unmarshaled }).toEqual({ a: { b: 1 } });
  });
});
