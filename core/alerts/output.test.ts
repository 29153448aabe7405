import { describe, expect, test } from "bun:test";
import { createBucketEngine, loadScenarios } from "../buckets";
import { newLogEvent, newMap, type Event } from "../event";
import { GoTime } from "../expr";
import { loadParserTree } from "../parser";
import { StashStore } from "../parser";
import type { ParserRuntime } from "../parser";
import { renderProblem } from "../result";
import { alertsBySource, createAlertOutput } from "./output";

const NOW = Date.UTC(2026, 1, 12, 15, 0, 0);

const SCENARIOS = `
type: trigger
name: test/probe
description: "one probe is enough"
filter: "evt.Meta.log_type == 'probe'"
groupby: evt.Meta.source_ip
reprocess: true
labels:
  remediation: true
---
# consumes the overflows of test/probe: two distinct IPs of one range ban the range
type: leaky
name: test/range-ban
description: "several banned IPs of one range"
filter: "evt.GetType() == 'overflow' && evt.Overflow.Alert.Remediation == true"
groupby: evt.Overflow.Alert.Source.Range
distinct: evt.Overflow.Alert.Source.IP
capacity: 1
leakspeed: 1m
scope:
  type: Range
labels:
  remediation: true
`;

const POSTOVERFLOWS = `
name: test/whitelist-one
description: "never alert on 10.0.0.9"
whitelist:
  reason: "our own scanner"
  ip:
    - "10.0.0.9"
`;

function setup() {
  const loaded = loadScenarios([{ path: "scenarios.yaml", text: SCENARIOS }]);
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map(renderProblem).join("\n"));
  const post = loadParserTree([{ path: "whitelist.yaml", stage: "s01-whitelist", text: POSTOVERFLOWS }]);
  if (post.problems.length > 0) throw new Error(post.problems.map(renderProblem).join("\n"));
  const runtime: ParserRuntime = { enrichers: new Map(), stash: new StashStore(() => NOW), now: () => NOW };
  const engine = createBucketEngine(loaded.scenarios, { mode: "timemachine", now: () => NOW });
  const output = createAlertOutput({ postoverflows: { tree: post.tree, runtime }, pour: (e) => engine.pour(e) });
  return { engine, output };
}

function probe(ip: string, range: string, second: number): Event {
  const e = newLogEvent({ raw: "" });
  e.Meta = Object.assign(newMap<string>(), { log_type: "probe", source_ip: ip, SourceRange: range });
  e.MarshaledTime = new Date(Date.UTC(2026, 1, 12, 14, 0, second)).toISOString().replace(".000Z", "Z");
  e.Time = new GoTime(NOW);
  return e;
}

describe("createAlertOutput()", () => {
  test("records whitelisted overflows but neither sends nor reprocesses them", () => {
    const { engine, output } = setup();
    const batch = output.process(engine.pour(probe("10.0.0.9", "10.0.0.0/24", 0)));
    expect(batch.events.map((e) => [e.Overflow.Alert?.Scenario, e.Overflow.Whitelisted, e.WhitelistReason])).toEqual([["test/probe", true, "our own scanner"]]);
    expect(batch.alerts).toEqual([]);
  });

  test("pours reprocessed overflows back: two IPs of a range overflow the range scenario", () => {
    const { engine, output } = setup();
    const first = output.process(engine.pour(probe("192.0.2.1", "192.0.2.0/24", 0)));
    const second = output.process(engine.pour(probe("192.0.2.2", "192.0.2.0/24", 1)));
    expect(first.alerts.map((a) => a.Alert?.Scenario)).toEqual(["test/probe"]);
    expect(second.alerts.map((a) => [a.Alert?.Scenario, a.Alert?.Source?.Scope, a.Alert?.Source?.Value])).toEqual([
      ["test/probe", "Ip", "192.0.2.2"],
      ["test/range-ban", "Range", "192.0.2.0/24"],
    ]);
    // reprocessed overflows are LIVE events: their bucket runs on the wall clock
    expect(second.alerts[1]?.Alert?.StartAt).toBe("2026-02-12T15:00:00Z");
  });

  test("fills the maps and the time of overflow events even without postoverflows", () => {
    const loaded = loadScenarios([{ path: "scenarios.yaml", text: SCENARIOS }]);
    const engine = createBucketEngine(loaded.scenarios);
    const batch = createAlertOutput().process(engine.pour(probe("192.0.2.1", "192.0.2.0/24", 0)));
    const e = batch.events[0]!;
    expect([e.Meta !== null, e.Parsed !== null, e.Time.IsZero(), e.Process, e.MarshaledTime]).toEqual([true, true, false, true, "2026-02-12T14:00:00Z"]);
  });
});

describe("alertsBySource()", () => {
  test("one alert per source, each with its own source", () => {
    const loaded = loadScenarios([
      { path: "multi.yaml", text: 'type: leaky\nname: t/m\ndescription: d\nfilter: "true"\ncapacity: 1\nleakspeed: 1m\nlabels: {}\n' },
    ]);
    const engine = createBucketEngine(loaded.scenarios);
    const overflows = [...engine.pour(probe("1.1.1.1", "", 0)), ...engine.pour(probe("2.2.2.2", "", 0))];
    expect(alertsBySource(overflows[0]!.event.Overflow).map((a) => [a.Source?.Value, a.Scenario])).toEqual([
      ["1.1.1.1", "t/m"],
      ["2.2.2.2", "t/m"],
    ]);
  });
});
