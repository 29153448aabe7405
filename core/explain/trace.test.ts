import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { listInstalledParsers } from "../parser";
import { buildPipeline } from "../pipeline";
import { TESTDATA } from "../testing";
import { explainLine, type ExplainContext, type LineTrace } from "./trace";

const CONFIG = join(TESTDATA, "explain", "config");
const pipeline = buildPipeline({
  parserFiles: listInstalledParsers(join(CONFIG, "parsers")),
  scenarioFiles: ["http-probing.yaml", "ssh-bf.yaml"].map((f) => join(CONFIG, "scenarios", f)),
  dataDir: CONFIG,
  now: () => Date.UTC(2024, 5, 1),
});

function context(type: string, withChanges: boolean): ExplainContext {
  return { tree: pipeline.parsers.tree, runtime: pipeline.runtime, scenarios: pipeline.scenarios.scenarios, labels: { type }, src: "test", withChanges };
}

/** The trace without per-node changes: stage → "✓ name" / "✗ name". */
function outline(t: LineTrace): unknown {
  return { outcome: t.outcome, reason: t.reason, scenarios: t.scenarios, stages: t.stages.map((s) => [s.stage, s.nodes.map((n) => `${n.success ? "✓" : "✗"} ${n.name}`)]) };
}

describe("explainLine()", () => {
  const cases = [
    {
      name: "a parsed line lists every node tried and the scenarios whose filter accepts the event",
      type: "syslog",
      raw: "2024-02-12T14:10:21+00:00 host-1 sshd[16378]: Invalid user pascal from 203.0.113.9 port 53502",
      want: {
        outcome: "parsed",
        reason: undefined,
        scenarios: ["test/ssh-bf"],
        stages: [["s00-raw", ["✓ test/syslog"]], ["s01-parse", ["✓ test/sshd"]], ["s02-enrich", ["✓ test/dates", "✗ test/http-args", "✓ test/private-ips"]]],
      },
    },
    {
      name: "an unparsed line names the stage where it was dropped",
      type: "syslog",
      raw: "2024-02-12T14:10:31+00:00 host-1 cron[1]: job started",
      want: { outcome: "unparsed", reason: "s01-parse", scenarios: [], stages: [["s00-raw", ["✓ test/syslog"]], ["s01-parse", ["✗ test/sshd", "✗ test/web-access", "✗ test/boom"]]] },
    },
    {
      name: "a whitelisted line gives the reason and no scenario",
      type: "nginx",
      raw: '192.168.1.10 - - [04/Jan/2024:07:25:03 +0100] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0"',
      want: {
        outcome: "whitelisted",
        reason: "private network",
        scenarios: [],
        stages: [["s00-raw", ["✗ test/syslog", "✓ test/not-syslog"]], ["s01-parse", ["✗ test/sshd", "✓ test/web-access"]], ["s02-enrich", ["✓ test/dates", "✗ test/http-args", "✓ test/private-ips"]]],
      },
    },
    {
      name: "a line that ends in a node error shows that node, failed, and the error",
      type: "boom",
      raw: "x",
      want: {
        outcome: "error",
        reason: 'static of node "test/boom": unexpected return type bool',
        scenarios: [],
        stages: [["s00-raw", ["✗ test/syslog", "✓ test/not-syslog"]], ["s01-parse", ["✗ test/sshd", "✗ test/web-access", "✗ test/boom"]]],
      },
    },
  ];
  test.each(cases)("$name", ({ type, raw, want }) => {
    expect(outline(explainLine(raw, 1, context(type, false)))).toEqual(want);
  });

  test("with changes: what each node added and changed, and the final Meta", () => {
    const t = explainLine('203.0.113.7 - - [04/Jan/2024:07:25:02 +0000] "GET /admin.php?id=1 HTTP/1.1" 404 522 "-" "curl/8.0"', 3, context("nginx", true));
    const changes = Object.fromEntries(t.stages.flatMap((s) => s.nodes.map((n) => [n.name, n.changes.map((c) => `${c.field}: ${c.before ?? "∅"} → ${c.after ?? "∅"}`)])));
    expect(changes["test/not-syslog"]).toEqual(['Parsed.message: ∅ → 203.0.113.7 - - [04/Jan/2024:07:25:02 +0000] "GET /admin.php?id=1 HTTP/1.1" 404 522 "-" "curl/8.0"', "Parsed.program: ∅ → nginx"]);
    expect(changes["test/http-args"]).toEqual(["Parsed.request: /admin.php?id=1 → /admin.php", "Parsed.http_args: ∅ → id=1"]);
    expect(changes["test/dates"]).toEqual(["Meta.timestamp: ∅ → 2024-01-04T07:25:02Z", "Enriched.MarshaledTime: ∅ → 2024-01-04T07:25:02Z", "MarshaledTime: ∅ → 2024-01-04T07:25:02Z"]);
    expect(changes["test/syslog"]).toEqual([]);
    expect([t.line, t.meta]).toEqual([
      3,
      { log_type: "http_access-log", service: "http", source_ip: "203.0.113.7", http_status: "404", http_path: "/admin.php?id=1", timestamp: "2024-01-04T07:25:02Z" },
    ]);
  });

  test("without changes: nodes carry none", () => {
    const t = explainLine("2024-02-12T14:10:31+00:00 host-1 cron[1]: job started", 1, context("syslog", false));
    expect(t.stages.flatMap((s) => s.nodes.map((n) => n.changes))).toEqual([[], [], [], []]);
  });
});
