import { describe, expect, test } from "bun:test";
import type { AlertRecord, DecisionRecord } from "../db";
import { alertRecordToWire, decisionJson, decisionRecordToWire, goDurationText, goTimeText, parseRfc3339, preciseToRfc3339, rfc3339Seconds } from "./format";

describe("goTimeText()", () => {
  const cases = [
    { in: "2026-11-23T18:00:01.123456Z", want: "2026-11-23 18:00:01.123456 +0000 UTC" },
    { in: "2026-11-23T18:00:01Z", want: "2026-11-23 18:00:01 +0000 UTC" },
    { in: "2026-11-23T18:00:01.100000000Z", want: "2026-11-23 18:00:01.1 +0000 UTC" },
    { in: "2026-11-23T19:00:01.000000001+01:00", want: "2026-11-23 18:00:01.000000001 +0000 UTC" },
    { in: "not a time", want: "not a time" },
  ];
  test.each(cases)("$in", ({ in: text, want }) => expect(goTimeText(text)).toBe(want));
});

describe("parseRfc3339() / preciseToRfc3339()", () => {
  const cases = [
    { in: "2026-11-23T18:14:22Z", want: "2026-11-23T18:14:22Z" },
    { in: "2026-11-23T18:14:22.123456789Z", want: "2026-11-23T18:14:22.123456789Z" },
    { in: "2026-11-23T20:14:22.5+02:00", want: "2026-11-23T18:14:22.5Z" },
  ];
  test.each(cases)("$in", ({ in: text, want }) => expect(preciseToRfc3339(parseRfc3339(text)!)).toBe(want));
  test.each(["2026-11-23", "2026-02-30T00:00:00Z", "2026-11-23T25:00:00Z", "2026-11-23 18:14:22Z"])("%s does not parse", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

test("goDurationText() prints Go durations down to the nanosecond, negative when expired", () => {
  expect([goDurationText(4 * 3600e9), goDurationText(3599_477688115), goDurationText(-56_886383), goDurationText(0)]).toEqual(["4h0m0s", "59m59.477688115s", "-56.886383ms", "0s"]);
});

test("rfc3339Seconds() drops the fraction", () => {
  expect(rfc3339Seconds(new Date("2026-11-23T18:14:23.999Z"))).toBe("2026-11-23T18:14:23Z");
});

const now = new Date("2026-11-23T18:00:00Z");
const decision: DecisionRecord = {
  id: 3, alertId: 1, type: "ban", scope: "Ip", value: "1.2.3.4", origin: "cscli", scenario: "a <b> & c", simulated: false,
  until: new Date(now.getTime() + 5400_000), range: null, uuid: "u", createdAt: now, updatedAt: now,
};

describe("decisions for bouncers", () => {
  test("keys are alphabetical, no simulated, duration counts from now", () => {
    expect(JSON.stringify(decisionRecordToWire(decision, now))).toBe(
      '{"duration":"1h30m0s","id":3,"origin":"cscli","scenario":"a <b> & c","scope":"Ip","type":"ban","value":"1.2.3.4"}',
    );
  });
  test("decisionJson() writes the same object", () => {
    expect(JSON.parse(decisionJson(decision, now))).toEqual(decisionRecordToWire(decision, now));
    expect(decisionJson({ ...decision, until: new Date(now.getTime() - 755) }, now)).toStartWith('{"duration":"-755ms",');
  });
});

describe("alertRecordToWire()", () => {
  const base: AlertRecord = {
    id: 7, machineId: null, scenario: "crowdsecurity/ssh-bf", scenarioHash: "h", scenarioVersion: "0.1", message: "m", eventsCount: 6,
    capacity: 5, leakSpeed: "10s", simulated: true, remediation: true, startedAt: "2026-11-23T17:00:01.123456Z", stoppedAt: "2026-11-23T17:00:03Z",
    source: { scope: "Ip", value: "1.2.3.4", ip: "1.2.3.4", range: "", asNumber: "", asName: "", country: "FR", latitude: 0, longitude: 2.5 },
    labels: null, events: [], meta: [], decisions: [], uuid: "x", kind: "", createdAt: new Date("2026-11-23T17:00:04.5Z"), updatedAt: now,
  };
  test("an alert without decisions or events: nulls, N/A owner, Go times, alphabetical keys", () => {
    expect(JSON.stringify(alertRecordToWire(base, now))).toBe(
      '{"capacity":5,"created_at":"2026-11-23T17:00:04Z","decisions":null,"events":null,"events_count":6,"id":7,"labels":null,"leakspeed":"10s",' +
        '"machine_id":"N/A","message":"m","scenario":"crowdsecurity/ssh-bf","scenario_hash":"h","scenario_version":"0.1","simulated":true,' +
        '"source":{"cn":"FR","ip":"1.2.3.4","longitude":2.5,"scope":"Ip","value":"1.2.3.4"},' +
        '"start_at":"2026-11-23 17:00:01.123456 +0000 UTC","stop_at":"2026-11-23 17:00:03 +0000 UTC"}',
    );
  });
  test("events, meta and decisions (simulated from the alert, expired ones negative)", () => {
    const wire = alertRecordToWire(
      {
        ...base,
        machineId: "m1",
        events: [{ timestamp: "2026-11-23T17:00:01Z", meta: [{ key: "source_ip", value: "1.2.3.4" }] }],
        meta: [{ key: "k", value: "v" }],
        decisions: [{ ...decision, until: new Date(now.getTime() - 1000) }],
      },
      now,
    );
    expect(wire.machine_id).toBe("m1");
    expect(wire.events).toEqual([{ meta: [{ key: "source_ip", value: "1.2.3.4" }], timestamp: "2026-11-23 17:00:01 +0000 UTC" }]);
    expect(wire.meta).toEqual([{ key: "k", value: "v" }]);
    expect(JSON.stringify(wire.decisions)).toBe('[{"duration":"-1s","id":3,"origin":"cscli","scenario":"a <b> & c","scope":"Ip","simulated":true,"type":"ban","value":"1.2.3.4"}]');
  });
});

test("decisionJson() escapes <, > and & as Go's encoder does", () => {
  expect(decisionJson(decision, now)).toContain('"scenario":"a \\u003cb\\u003e \\u0026 c"');
});
