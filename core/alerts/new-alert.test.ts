import { describe, expect, test } from "bun:test";
import { newLogEvent, newMap, type Event } from "../event";
import { GoTime } from "../expr";
import { alertEvents, newRuntimeAlert, type AlertBucket, type AlertScenario } from "./new-alert";

const SCENARIO: AlertScenario = {
  name: "test/x",
  hash: "abc",
  version: "0.1",
  capacity: 5,
  leakspeed: "10s",
  simulated: false,
  remediation: true,
  reprocess: false,
  scope: { type: "Ip" },
};

const T0 = Date.UTC(2026, 1, 12, 14, 0, 0);

function bucket(firstS: number, lastS: number, ovflwS: number, count: number): AlertBucket {
  return { Mapkey: "k", First_ts: new GoTime(T0 + firstS * 1000), Last_ts: new GoTime(T0 + lastS * 1000), Ovflw_ts: new GoTime(T0 + ovflwS * 1000), Total_count: count };
}

function evt(meta: Record<string, string> | null, marshaled = "", timeMs?: number): Event {
  const e = newLogEvent({ raw: "" });
  e.Meta = meta && Object.assign(newMap<string>(), meta);
  e.MarshaledTime = marshaled;
  if (timeMs !== undefined) e.Time = new GoTime(timeMs);
  return e;
}

describe("newRuntimeAlert()", () => {
  test("builds one API alert per source, with upstream's fields and message", () => {
    const r = newRuntimeAlert(SCENARIO, bucket(0, 5, 5, 6), [evt({ source_ip: "1.1.1.1" }, "2026-02-12T14:00:00Z")]);
    const a = r.alert.Alert!;
    expect(r.error).toBeUndefined();
    expect(r.alert.Mapkey).toBe("k");
    expect(r.alert.APIAlerts?.length).toBe(1);
    expect({
      Scenario: a.Scenario, ScenarioHash: a.ScenarioHash, ScenarioVersion: a.ScenarioVersion, Capacity: a.Capacity, EventsCount: a.EventsCount,
      Leakspeed: a.Leakspeed, StartAt: a.StartAt, StopAt: a.StopAt, Simulated: a.Simulated, Remediation: a.Remediation, Kind: a.Kind, Message: a.Message,
    }).toEqual({
      Scenario: "test/x", ScenarioHash: "abc", ScenarioVersion: "0.1", Capacity: 5, EventsCount: 6, Leakspeed: "10s",
      StartAt: "2026-02-12T14:00:00Z", StopAt: "2026-02-12T14:00:05Z", Simulated: false, Remediation: true, Kind: "crowdsec",
      Message: "Ip 1.1.1.1 performed 'test/x' (6 events over 5s) at 2026-02-12 14:00:05 +0000 UTC",
    });
  });

  test("says '<n> sources' and makes one API alert each", () => {
    const r = newRuntimeAlert(SCENARIO, bucket(0, 2, 2, 3), [evt({ source_ip: "1.1.1.1" }, "t"), evt({ source_ip: "2.2.2.2" }, "t"), evt({ source_ip: "3.3.3.3" }, "t")]);
    expect(r.alert.Alert?.Message).toBe("Ip 3 sources performed 'test/x' (3 events over 2s) at 2026-02-12 14:00:02 +0000 UTC");
    expect(r.alert.APIAlerts?.map((a) => a.Source?.Value)).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
  });

  test("gives no alert, only the key, when a queued event has no source", () => {
    const r = newRuntimeAlert(SCENARIO, bucket(0, 1, 1, 2), [evt({ source_ip: "1.1.1.1" }, "t"), evt({}, "t")]);
    expect(r.alert.Alert).toBeNull();
    expect(r.alert.Mapkey).toBe("k");
    expect(r.error).toContain("Meta[source_ip] doesn't exist");
  });

  test("gives no alert when an event has no time at all (upstream's alert validation)", () => {
    const r = newRuntimeAlert(SCENARIO, bucket(0, 0, 0, 1), [evt({ source_ip: "1.1.1.1" })]);
    expect(r.alert.Alert).toBeNull();
  });
});

describe("alertEvents()", () => {
  test("sorts meta by key, skips nil Meta, stamps MarshaledTime else Time", () => {
    const events = alertEvents([evt({ b: "2", a: "1" }, "2026-02-12T14:00:00Z"), evt(null, "x"), evt({}, "", T0 + 1500)]);
    expect(events.map((e) => ({ meta: e.Meta?.map((m) => [m.Key, m.Value]), ts: e.Timestamp }))).toEqual([
      { meta: [["a", "1"], ["b", "2"]], ts: "2026-02-12T14:00:00Z" },
      { meta: [], ts: "2026-02-12T14:00:01.5Z" },
    ]);
  });
});
