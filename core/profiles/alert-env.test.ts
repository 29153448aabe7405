import { describe, expect, test } from "bun:test";
import { alertToWire, type WireAlert } from "../alerts";
import { compileExpr, ExprRuntimeError } from "../expr";
import { unwrap } from "../result";
import { alertFromWire, PROFILE_ENV } from "./alert-env";
import { testAlert } from "./testing";

const full: WireAlert = testAlert({
  created_at: "2026-02-12T14:00:06Z",
  id: 7,
  kind: "crowdsec",
  labels: ["remediation"],
  machine_id: "m1",
  meta: [{ key: "target_fqdn", value: "example.org" }],
  uuid: "u-1",
  decisions: [{ duration: "4h", id: 3, origin: "cscli", scenario: "manual", scope: "Ip", simulated: false, type: "ban", until: "2026-02-12T18:00:05Z", uuid: "d-1", value: "1.2.3.4" }],
  source: { latitude: 48.85, longitude: 2.35, range: "1.2.3.0/24" },
});

describe("alertFromWire()", () => {
  test("is the inverse of alertToWire", () => {
    expect(alertToWire(alertFromWire(full))).toEqual(full);
  });

  const exprs = [
    { expr: "Alert.GetScope() + '/' + Alert.GetValue()", want: "Ip/1.2.3.4" },
    { expr: "Alert.Source.Range", want: "1.2.3.0/24" },
    { expr: "Alert.Source.Latitude", want: 48.85 },
    { expr: "Alert.GetMeta('target_fqdn')", want: "example.org" },
    { expr: "Alert.GetMeta('missing')", want: "" },
    { expr: "Alert.Events[0].GetMeta('source_ip')", want: "1.2.3.4" },
    { expr: "Alert.Decisions[0].Origin", want: "cscli" },
    { expr: "Alert.GetEventsCount() * 2", want: 12 },
    { expr: "Alert.Leakspeed", want: "10s" },
    { expr: "Alert.MachineID", want: "m1" },
    { expr: "Alert.Kind", want: "crowdsec" },
  ] as const;

  test.each(exprs)("$expr", ({ expr, want }) => {
    const program = unwrap(compileExpr(expr, { env: PROFILE_ENV }));
    const v = program.run({ Alert: alertFromWire(full) });
    expect(v instanceof ExprRuntimeError ? v.message : v).toEqual(want);
  });

  test("optional wire fields read as Go zero values", () => {
    const a = alertFromWire(testAlert({ remediation: undefined, labels: undefined }));
    expect([a.Remediation, a.Labels, a.Decisions, a.Meta, a.UUID, a.ID]).toEqual([false, null, null, null, "", 0]);
  });
});
