/** Test helpers for the profiles suites: alerts as the agent pushes them, a fixed clock, golden files. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "bun:test";
import type { WireAlert, WireSource } from "../alerts";
import { TESTDATA } from "../testing";

export const PROFILES_TESTDATA = join(TESTDATA, "profiles");

/** 2026-02-12T14:00:05Z: the clock of every profiles test. */
export const TEST_NOW_MS = Date.UTC(2026, 1, 12, 14, 0, 5);

export interface AlertInit extends Partial<Omit<WireAlert, "source">> {
  source?: Partial<WireSource>;
}

/** An agent alert for crowdsecurity/ssh-bf on 1.2.3.4 (remediation true, no decisions), with overrides. */
export function testAlert(init: AlertInit = {}): WireAlert {
  const { source, ...rest } = init;
  return {
    capacity: 5,
    events: [{ meta: [{ key: "source_ip", value: "1.2.3.4" }, { key: "user", value: "root" }], timestamp: "2026-02-12T14:00:00Z" }],
    events_count: 6,
    leakspeed: "10s",
    message: "Ip 1.2.3.4 performed 'crowdsecurity/ssh-bf' (6 events over 5s)",
    scenario: "crowdsecurity/ssh-bf",
    scenario_hash: "abc",
    scenario_version: "0.1",
    simulated: false,
    remediation: true,
    start_at: "2026-02-12T14:00:00Z",
    stop_at: "2026-02-12T14:00:05Z",
    ...rest,
    source: { scope: "Ip", value: "1.2.3.4", ip: "1.2.3.4", cn: "FR", as_number: "3215", as_name: "Orange", ...source },
  };
}

/** Compares `actual` with testdata/profiles/NAME; PICKET_UPDATE_GOLDEN=1 (or a missing file) rewrites it. */
export function expectProfilesGolden(name: string, actual: string): void {
  const file = join(PROFILES_TESTDATA, name);
  if (process.env.PICKET_UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}
