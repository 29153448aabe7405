import { describe, expect, test } from "bun:test";
import { expectGolden } from "../testing";
import { escapeHelp, escapeLabelValue, writeExposition } from "./exposition";
import { MetricsRegistry } from "./registry";

/** A registry with one family of each kind, label values that need escaping, and big counts. */
function sampleRegistry(): MetricsRegistry {
  const r = new MetricsRegistry();
  const lines = r.counter({ name: "cs_filesource_hits_total", help: "Total lines that were read.", labels: ["source"] as const });
  lines.labels("/var/log/auth.log").inc(13);
  lines.labels('C:\\logs\\"odd"\nname.log').inc(1);
  lines.labels("/var/log/big.log").inc(1234567);
  r.gauge({ name: "cs_info", help: "Information about Crowdsec.", constLabels: { version: "v1.4.6" } });
  r.gauge({ name: "cs_buckets", help: "Number of buckets\nthat currently exist (a \\ b).", labels: ["name"] as const }).labels("crowdsecurity/ssh-bf").set(2);
  const latency = r.histogram({ name: "cs_lapi_request_duration_seconds", help: "Response time of LAPI", labels: ["endpoint", "method"] as const, buckets: [0.005, 0.01, 0.25, 1] });
  const login = latency.labels("/v1/watchers/login", "POST");
  for (const v of [0.004, 0.2, 0.125, 3]) login.observe(v);
  return r;
}

describe("writeExposition()", () => {
  test("writes HELP, TYPE and samples in the text format 0.0.4", () => {
    expectGolden("../metrics/exposition.golden.txt", writeExposition(sampleRegistry().collect()));
  });

  test("bucket counts stay integers where other values switch to exponent form", () => {
    const r = new MetricsRegistry();
    r.counter({ name: "c_total", help: "h" }).labels().inc(2_000_000);
    const h = r.histogram({ name: "h", help: "h", buckets: [1] }).labels();
    h.count = 1_000_000;
    h.counts[1] = 1_000_000;
    const text = writeExposition(r.collect());
    expect(text).toContain("c_total 2e+06\n");
    expect(text).toContain('h_bucket{le="+Inf"} 1000000\n');
    expect(text).toContain("h_count 1000000\n");
  });

  test("skips families without samples and writes timestamps when present", () => {
    const text = writeExposition([
      { name: "empty", help: "", type: "counter", samples: [] },
      { name: "u", help: "", type: "untyped", samples: [{ name: "u", labels: {}, value: 1, timestampMs: 1700000000000 }] },
    ]);
    expect(text).toBe("# HELP u \n# TYPE u untyped\nu 1 1700000000000\n");
  });
});

describe("escaping", () => {
  test.each([
    { raw: "plain", label: "plain", help: "plain" },
    { raw: 'say "hi"', label: 'say \\"hi\\"', help: 'say "hi"' },
    { raw: "a\\b", label: "a\\\\b", help: "a\\\\b" },
    { raw: "two\nlines", label: "two\\nlines", help: "two\\nlines" },
  ])("$raw", ({ raw, label, help }) => {
    expect(escapeLabelValue(raw)).toBe(label);
    expect(escapeHelp(raw)).toBe(help);
  });
});
