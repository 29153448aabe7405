import { describe, expect, test } from "bun:test";
import type { WireAlert } from "../alerts";
import { decodeAlertsBody, wireToNewAlert } from "./alerts-body";

const now = new Date("2026-11-23T18:00:00Z");

/** What `cscli decisions add --ip 1.2.3.4 --duration 1h --reason test` sends. */
const cscliAlert = () => ({
  capacity: 0, created_at: "2026-11-23T18:14:22Z",
  decisions: [{ duration: "1h", origin: "cscli", scenario: "test", scope: "Ip", type: "ban", value: "1.2.3.4" }],
  events: [], events_count: 1, labels: null, leakspeed: "0", message: "test", scenario: "test", scenario_hash: "", scenario_version: "",
  simulated: false, source: { ip: "1.2.3.4", scope: "Ip", value: "1.2.3.4" }, start_at: "2026-11-23T18:14:22Z", stop_at: "2026-11-23T18:14:22Z",
});

describe("decodeAlertsBody()", () => {
  const rejects = [
    { name: "object instead of list", body: { scenario: 5 }, status: 400, message: "json: cannot unmarshal object into Go value of type models.AddAlertsRequest" },
    { name: "a string", body: "x", status: 400, message: "json: cannot unmarshal string into Go value of type models.AddAlertsRequest" },
    { name: "a number item", body: [5], status: 400, message: "json: cannot unmarshal number into Go value of type models.Alert" },
    { name: "capacity as text", body: [{ ...cscliAlert(), capacity: "5" }], status: 400, message: "json: cannot unmarshal string into Go struct field Alert.capacity of type int32" },
    { name: "fractional capacity", body: [{ ...cscliAlert(), capacity: 5.5 }], status: 400, message: "json: cannot unmarshal number 5.5 into Go struct field Alert.capacity of type int32" },
    {
      name: "decision duration as number", body: [{ ...cscliAlert(), decisions: [{ ...cscliAlert().decisions[0], duration: 3600 }] }], status: 400,
      message: "json: cannot unmarshal number into Go struct field Decision.decisions.duration of type string",
    },
    { name: "source as list", body: [{ ...cscliAlert(), source: [] }], status: 400, message: "json: cannot unmarshal array into Go struct field Alert.source of type models.Source" },
    {
      name: "an empty alert", body: [{}], status: 500,
      message:
        "validation failure list:\n0.capacity in body is required\n0.events in body is required\n0.events_count in body is required\n0.leakspeed in body is required\n" +
        "0.message in body is required\n0.scenario in body is required\n0.scenario_hash in body is required\n0.scenario_version in body is required\n" +
        "0.simulated in body is required\n0.source in body is required\n0.start_at in body is required\n0.stop_at in body is required",
    },
    {
      name: "nested required fields, second alert", body: [cscliAlert(), { ...cscliAlert(), decisions: [{ duration: "1h" }], events: [{}], source: {} }], status: 500,
      message:
        "validation failure list:\n1.decisions.0.origin in body is required\n1.decisions.0.scenario in body is required\n1.decisions.0.scope in body is required\n" +
        "1.decisions.0.type in body is required\n1.decisions.0.value in body is required\n1.events.0.meta in body is required\n1.events.0.timestamp in body is required\n" +
        "1.source.scope in body is required\n1.source.value in body is required",
    },
    { name: "null events", body: [{ ...cscliAlert(), events: null }], status: 500, message: "validation failure list:\n0.events in body is required" },
  ];
  test.each(rejects)("$name → $status", ({ body, status, message }) => {
    expect(decodeAlertsBody(body)).toEqual({ ok: false, status, message } as never);
  });

  test("what cscli and the agent send is accepted", () => {
    const agent = { ...cscliAlert(), decisions: null, remediation: true, events: [{ meta: [{ key: "a", value: "b" }], timestamp: "2026-11-23T18:28:38Z" }] };
    const r = decodeAlertsBody([cscliAlert(), agent]);
    expect(r.ok && r.alerts.length).toBe(2);
  });
});

describe("wireToNewAlert()", () => {
  test("until = stop_at + duration, ranges for Ip, times kept with their precision", () => {
    const a = { ...cscliAlert(), stop_at: "2026-11-23T17:50:00.123456Z", start_at: "2026-11-23T19:50:00+02:00" } as WireAlert;
    const r = wireToNewAlert(a, "m1", now, []);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.startedAt).toBe("2026-11-23T17:50:00Z");
    expect(r.value.stoppedAt).toBe("2026-11-23T17:50:00.123456Z");
    expect(r.value.decisions[0]!.until.toISOString()).toBe("2026-11-23T18:50:00.123Z");
    expect(r.value.decisions[0]!.range?.size).toBe(4);
    expect(r.value.machineId).toBe("m1");
  });

  test("profile decisions get until = stop_at + their duration and the alert's simulated flag", () => {
    const a = { ...cscliAlert(), decisions: null, simulated: true } as unknown as WireAlert;
    const r = wireToNewAlert(a, null, now, [{ type: "ban", scope: "Ip", value: "1.2.3.4", origin: "crowdsec", scenario: "test", simulated: false, durationNs: 4 * 3600e9, duration: "4h" }]);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.decisions.map((d) => [d.origin, d.simulated, d.until.toISOString()])).toEqual([["crowdsec", true, "2026-11-23T22:14:22.000Z"]]);
  });

  test("an unparsable stop_at counts from now", () => {
    const r = wireToNewAlert({ ...cscliAlert(), stop_at: "yesterday" } as WireAlert, null, now, []);
    expect(r.ok && r.value.decisions[0]!.until.toISOString()).toBe("2026-11-23T19:00:00.000Z");
  });

  test.each([
    { name: "1d duration", d: { duration: "1d" }, want: `unable to create alerts: decision duration '1d' : time: unknown unit "d" in duration "1d": unable to parse duration` },
    { name: "bad Ip value", d: { value: "1.2.3" }, want: "unable to create alerts: invalid addr/range 1.2.3 : invalid address: unable to parse duration" },
  ])("$name is refused", ({ d, want }) => {
    const a = { ...cscliAlert(), decisions: [{ ...cscliAlert().decisions[0], ...d }] } as WireAlert;
    expect(wireToNewAlert(a, null, now, [])).toEqual({ ok: false, error: want });
  });

  test("a Country decision has no range", () => {
    const a = { ...cscliAlert(), decisions: [{ ...cscliAlert().decisions[0], scope: "Country", value: "FR" }] } as WireAlert;
    const r = wireToNewAlert(a, null, now, []);
    expect(r.ok && r.value.decisions[0]!.range).toBeNull();
  });
});
