import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PARSERS, DEFAULT_SCENARIOS } from "../defaults";
import { Event, newLogEvent, newMap } from "../event";
import { GoTime } from "../expr";
import { parseEvent } from "../parser";
import { buildPipeline } from "../pipeline";
import { TESTDATA } from "../testing";
import { encodeEvents, EventBatchReader } from "./transfer";

const NOW = Date.UTC(2026, 11, 1);

/** Every field of an event as plain data (prototypes included for maps). */
function snapshot(e: Event): unknown {
  const map = (m: Record<string, unknown> | null) => (m === null ? null : { proto: Object.getPrototypeOf(m), entries: Object.entries(m) });
  const time = (t: GoTime) => [t.unixMs, t.offsetSeconds, t.subMsNanos, t.zoneName];
  return {
    scalars: [e.Type, e.ExpectMode, e.Whitelisted, e.WhitelistReason, e.Stage, e.StrTime, e.StrTimeFormat, e.MarshaledTime, e.Process],
    line: [e.Line.Raw, e.Line.Src, e.Line.Module, e.Line.Process, time(e.Line.Time), map(e.Line.Labels)],
    time: time(e.Time),
    maps: [map(e.Parsed), map(e.Enriched), map(e.Meta)],
    unmarshaled: JSON.stringify(e.Unmarshaled),
    unmarshaledProto: e.Unmarshaled === null ? "nil" : Object.getPrototypeOf(e.Unmarshaled),
    overflow: [e.Overflow.Mapkey, e.Overflow.BucketId, e.Overflow.Sources, e.Overflow.Alert, e.Overflow.APIAlerts, e.Overflow.Whitelisted, e.Overflow.Reprocess],
    appsec: [e.Appsec.MatchedRules, e.Appsec.Vars, e.Appsec.HookVars],
  };
}

function roundTrip(events: readonly Event[]): Event[] {
  // through a structured clone, as postMessage carries it
  const data = structuredClone(encodeEvents(events));
  const reader = new EventBatchReader(data);
  const out: Event[] = [];
  for (let e = reader.next(); e !== undefined; e = reader.next()) out.push(e);
  return out;
}

describe("event transfer", () => {
  test("events parsed by the built-in collection come back field for field", () => {
    const p = buildPipeline({ parserFiles: DEFAULT_PARSERS, scenarioFiles: DEFAULT_SCENARIOS, dataDir: TESTDATA, now: () => NOW });
    const events: Event[] = [];
    for (const [file, type] of [["auth.log", "syslog"], ["access.log", "nginx"]] as const) {
      const labels = Object.assign(newMap<string>(), { type });
      for (const raw of readFileSync(join(TESTDATA, "samples", "logs", file), "utf8").split("\n")) {
        if (raw === "") continue;
        const evt = newLogEvent({ raw, src: file, sharedLabels: labels, time: new GoTime(NOW) });
        parseEvent(p.parsers.tree, evt, p.runtime);
        events.push(evt);
      }
    }
    expect(events.length).toBeGreaterThan(200);
    expect(roundTrip(events).map(snapshot)).toEqual(events.map(snapshot));
  });

  test("null maps, zero times, nested Unmarshaled data, -0 and the overflow strings a target may write", () => {
    const a = newLogEvent({ raw: "a", labels: { type: "x" } });
    a.Unmarshaled = Object.assign(newMap<unknown>(), { n: -0, list: [1, "two", Object.assign(newMap<unknown>(), { deep: true })], obj: Object.assign(newMap<unknown>(), { k: null }) });
    a.Overflow.Mapkey = "mk";
    a.Overflow.BucketId = "id";
    a.Time = new GoTime(1_700_000_000_123, 3600, 456, "CET");
    const b = newLogEvent({ raw: "b" });
    b.Unmarshaled = null;
    b.Line.Labels = null;
    const c = new Event();
    const back = roundTrip([a, b, c]);
    expect(back.map(snapshot)).toEqual([a, b, c].map(snapshot));
    const u = back[0]!.Unmarshaled!;
    expect(Object.is(u.n, -0)).toBe(true);
    expect(Object.getPrototypeOf((u.list as unknown[])[2])).toBe(null);
    expect(back[2]!.Time).toBe(GoTime.ZERO);
  });

  test("refuses an event whose overflow part was filled (it cannot be carried)", () => {
    const e = newLogEvent({ raw: "x" });
    e.Overflow.Reprocess = true;
    expect(() => encodeEvents([e])).toThrow(/overflow or appsec/);
  });
});
