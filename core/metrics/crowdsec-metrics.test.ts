import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unwrap } from "../result";
import { TESTDATA } from "../testing";
import { createCrowdsecMetrics, recordSourceCounts, setStoreGauges, type CrowdsecMetrics } from "./crowdsec-metrics";
import { writeExposition } from "./exposition";
import { parseExposition } from "./parse";
import { MetricFamily, type AnyFamily } from "./registry";

const CROWDSEC = readFileSync(join(TESTDATA, "metrics", "crowdsec-1.4.6.txt"), "utf8");

/** Every family of the set, whether its level exposes it or not. */
function allFamilies(m: CrowdsecMetrics): AnyFamily[] {
  const out: AnyFamily[] = [];
  for (const value of Object.values(m)) {
    if (value instanceof MetricFamily) out.push(value as AnyFamily);
    else if (value && typeof value === "object" && !("collect" in value)) {
      for (const inner of Object.values(value)) if (inner instanceof MetricFamily) out.push(inner as AnyFamily);
    }
  }
  return out;
}

/** Gives every family one child, so each shows up in a scrape. */
function touchAll(m: CrowdsecMetrics): void {
  for (const f of allFamilies(m)) f.labels(...f.labelNames.map((n) => `${n}-value`));
}

describe("createCrowdsecMetrics()", () => {
  test("declares CrowdSec 1.4.6's cs_* families with the same type, help text and label names", () => {
    const ours = new Map(allFamilies(createCrowdsecMetrics({ version: "v" })).map((f) => [f.name, f]));
    const theirs = unwrap(parseExposition(CROWDSEC)).filter((f) => f.name.startsWith("cs_"));
    expect(theirs.length).toBeGreaterThan(20);
    for (const family of theirs) {
      const mine = ours.get(family.name);
      expect(mine ? { type: mine.type, help: mine.help } : `missing ${family.name}`).toEqual({ type: family.type as "counter", help: family.help });
      const labels = new Set(family.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== "le"));
      expect([...labels].sort()).toEqual([...mine!.labelNames, ...Object.keys(mine!.constLabels)].sort());
    }
  });

  test.each([
    { level: "full" as const, has: ["cs_node_hits_total", "cs_bucket_poured_total", "cs_lapi_bouncer_requests_total", "cs_active_decisions", "cs_parser_hits_total", "cs_filesource_hits_total"], hasNot: [] },
    {
      level: "aggregated" as const,
      has: ["cs_parser_hits_total", "cs_buckets", "cs_lapi_route_requests_total", "cs_info", "cs_filesource_hits_total", "cs_cache_size"],
      hasNot: ["cs_node_hits_total", "cs_bucket_poured_total", "cs_lapi_bouncer_requests_total", "cs_lapi_machine_requests_total", "cs_active_decisions", "cs_alerts", "cs_lapi_request_duration_seconds"],
    },
  ])("level $level exposes its families only", ({ level, has, hasNot }) => {
    const m = createCrowdsecMetrics({ level, version: "v" });
    touchAll(m);
    const names = m.registry.collect().map((f) => f.name);
    for (const n of has) expect(names).toContain(n);
    for (const n of hasNot) expect(names).not.toContain(n);
  });

  test('level "none" exposes nothing, and counting still works', () => {
    const m = createCrowdsecMetrics({ level: "none", version: "v" });
    touchAll(m);
    m.parserHits.labels("s", "file").inc();
    expect(m.registry.collect()).toEqual([]);
    expect(m.parserHits.labels("s", "file").value).toBe(1);
  });

  test("cs_info carries the version and stays 0, as upstream", () => {
    const m = createCrowdsecMetrics({ version: "v1.4.6-picket" });
    expect(writeExposition(m.registry.collect())).toBe('# HELP cs_info Information about Crowdsec.\n# TYPE cs_info gauge\ncs_info{version="v1.4.6-picket"} 0\n');
  });
});

describe("recordSourceCounts()", () => {
  test("turns replay's per-source counts into the lines CrowdSec writes for the same logs", () => {
    const m = createCrowdsecMetrics({ version: "v" });
    recordSourceCounts(
      m,
      new Map([
        ["/var/log/auth.log", { read: 13, parsed: 11, unparsed: 2, whitelisted: 0 }],
        ["/var/log/access.log", { read: 14, parsed: 14, unparsed: 0 }],
      ]),
    );
    const names = ["cs_filesource_hits_total", "cs_parser_hits_ok_total", "cs_parser_hits_total"];
    const pick = (text: string) => text.split("\n").filter((l) => names.some((n) => l.startsWith(`${n}{`)));
    expect(pick(writeExposition(m.registry.collect()))).toEqual(pick(CROWDSEC));
    // CrowdSec has no line for a zero count it never incremented; picket writes the 0
    expect(writeExposition(m.registry.collect())).toContain('cs_parser_hits_ko_total{source="/var/log/auth.log",type="file"} 2\n');
  });
});

describe("setStoreGauges()", () => {
  test("replaces the decision and alert gauges by the store's counts", () => {
    const m = createCrowdsecMetrics({ version: "v" });
    setStoreGauges(m, [{ scenario: "crowdsecurity/ssh-bf", origin: "crowdsec", action: "ban", count: 3 }], [["crowdsecurity/ssh-bf", 1]]);
    setStoreGauges(m, [{ scenario: "crowdsecurity/http-probing", origin: "crowdsec", action: "ban", count: 1 }], [["crowdsecurity/http-probing", 2]]);
    const text = writeExposition(m.registry.collect());
    expect(text).toContain('cs_active_decisions{action="ban",origin="crowdsec",reason="crowdsecurity/http-probing"} 1\n');
    expect(text).toContain('cs_alerts{reason="crowdsecurity/http-probing"} 2\n');
    expect(text).not.toContain("ssh-bf");
  });
});
