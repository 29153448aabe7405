import { describe, expect, test } from "bun:test";
import { newLogEvent, newMap } from "../event";
import { GoTime } from "../expr";
import { createBucketEngine, loadScenarios } from ".";
import { decodeEvent, encodeEvent } from "./snapshot";

const SCENARIOS = `
type: trigger
name: test/probe
description: "one probe"
filter: "evt.Meta.log_type == 'probe'"
groupby: evt.Meta.source_ip
reprocess: true
labels:
  remediation: true
---
type: leaky
name: test/consumer
description: "counts overflows"
filter: "evt.GetType() == 'overflow'"
groupby: evt.Overflow.Alert.Source.Range
capacity: 3
leakspeed: 1m
scope:
  type: Range
labels:
  remediation: true
`;

function probe(ip: string): ReturnType<typeof newLogEvent> {
  const e = newLogEvent({ raw: `probe from ${ip}`, labels: { type: "test" } });
  e.Meta = Object.assign(newMap<string>(), { log_type: "probe", source_ip: ip, SourceRange: "192.0.2.0/24" });
  e.Parsed = Object.assign(newMap<string>(), { verb: "GET" });
  e.Unmarshaled = Object.assign(newMap<unknown>(), { nested: { list: [1, "two", true] } });
  e.MarshaledTime = "2026-02-12T14:00:00+01:00";
  e.Time = new GoTime(Date.UTC(2026, 1, 12, 13, 0, 0), 3600);
  return e;
}

describe("snapshot() / restore()", () => {
  test("round-trips buckets holding overflow events (reprocess), through JSON", () => {
    const { scenarios } = loadScenarios([{ path: "s.yaml", text: SCENARIOS }]);
    const now = () => Date.UTC(2026, 1, 12, 15, 0, 0);
    const a = createBucketEngine(scenarios, { now });
    const b = createBucketEngine(scenarios, { now });
    const ovf = a.pour(probe("192.0.2.1"))[0]!.event;
    a.pour(ovf);
    b.pour(ovf);
    const restored = createBucketEngine(scenarios, { now });
    expect(restored.restore(JSON.parse(JSON.stringify(a.snapshot())))).toEqual([]);
    expect(JSON.parse(JSON.stringify(restored.snapshot()))).toEqual(JSON.parse(JSON.stringify(a.snapshot())));
    // both go on identically: three more overflows of the range overflow the consumer (capacity 3)
    const more = ["192.0.2.2", "192.0.2.3", "192.0.2.4"].map((ip) => a.pour(probe(ip))[0]!.event);
    const fromRestored = more.flatMap((e) => restored.pour(e)).map((o) => o.event.Overflow.Alert?.Message);
    const fromOriginal = more.flatMap((e) => b.pour(e)).map((o) => o.event.Overflow.Alert?.Message);
    expect(fromRestored).toEqual(fromOriginal);
    expect(fromRestored).toEqual(["Range 192.0.2.0/24 performed 'test/consumer' (4 events over 0s) at 2026-02-12 15:00:00 +0000 UTC"]);
  });

  test("reports the buckets of scenarios that are no longer loaded", () => {
    const { scenarios } = loadScenarios([{ path: "s.yaml", text: SCENARIOS }]);
    const a = createBucketEngine(scenarios);
    a.pour(probe("192.0.2.1"));
    const snap = { ...a.snapshot(), scenarios: ["test/gone", "test/consumer"] };
    expect(createBucketEngine(scenarios).restore(snap).map((p) => p.message)).toEqual(['Cannot restore the buckets of scenario "test/gone": it is not loaded']);
  });
});

describe("encodeEvent() / decodeEvent()", () => {
  test("keep every field a bucket or an alert reads", () => {
    const e = probe("192.0.2.9");
    e.Whitelisted = true;
    e.WhitelistReason = "why";
    e.Appsec.HasInBandMatches = true;
    e.Appsec.MatchedRules = [{ id: 1, name: "r" }];
    const back = decodeEvent(JSON.parse(JSON.stringify(encodeEvent(e))));
    expect(back).toEqual(e);
    expect(back.Time.String()).toBe("2026-02-12 14:00:00 +0100 +0100");
  });
});
