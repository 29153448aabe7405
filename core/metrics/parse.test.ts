import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderProblem } from "../result";
import { TESTDATA } from "../testing";
import { writeExposition } from "./exposition";
import { parseExposition } from "./parse";
import type { MetricSample } from "./snapshot";
import { MetricsRegistry } from "./registry";

/** /metrics of CrowdSec 1.4.6 (Debian) after reading an sshd and an nginx log (see testdata/metrics/README.md). */
const CROWDSEC = readFileSync(join(TESTDATA, "metrics", "crowdsec-1.4.6.txt"), "utf8");

function unwrapParse(text: string) {
  const r = parseExposition(text);
  if (!r.ok) throw new Error(renderProblem(r.error));
  return r.value;
}

describe("parseExposition()", () => {
  test("reads CrowdSec 1.4.6's /metrics and writes it back byte for byte", () => {
    const families = unwrapParse(CROWDSEC);
    expect(writeExposition(families)).toBe(CROWDSEC);
    const poured = families.find((f) => f.name === "cs_bucket_poured_total")!;
    expect(poured.type).toBe("counter");
    expect(poured.help).toBe("Total events were poured in bucket.");
    expect(poured.samples[0]).toEqual({
      name: "cs_bucket_poured_total",
      labels: { name: "crowdsecurity/http-crawl-non_statics", source: "/var/log/access.log", type: "file" },
      value: 13,
    });
  });

  test("groups a histogram's _bucket, _sum and _count lines and a summary's quantiles under their family", () => {
    const families = unwrapParse(CROWDSEC);
    const lapi = families.find((f) => f.name === "cs_lapi_request_duration_seconds")!;
    expect(lapi.type).toBe("histogram");
    expect(new Set(lapi.samples.map((s) => s.name))).toEqual(
      new Set(["cs_lapi_request_duration_seconds_bucket", "cs_lapi_request_duration_seconds_sum", "cs_lapi_request_duration_seconds_count"]),
    );
    const gc = families.find((f) => f.name === "go_gc_duration_seconds")!;
    expect(gc.type).toBe("summary");
    expect(gc.samples.map((s) => s.labels.quantile ?? s.name)).toEqual(["0", "0.25", "0.5", "0.75", "1", "go_gc_duration_seconds_sum", "go_gc_duration_seconds_count"]);
    expect(families.some((f) => f.name.endsWith("_bucket") || f.name.endsWith("_count"))).toBe(false);
  });

  test("round-trips what the registry writes, histograms and escaped labels included", () => {
    const r = new MetricsRegistry();
    r.counter({ name: "c_total", help: 'back\\slash and\nnewline "quoted"', labels: ["v"] as const }).labels('a"b\\c\nd,e}f=g').inc(3);
    const h = r.histogram({ name: "h_seconds", help: "h", labels: ["route"] as const, buckets: [0.0005, 0.25, 10] });
    h.labels("/v1/alerts").observe(0.1);
    h.labels("/v1/alerts").observe(42);
    r.gauge({ name: "g", help: "" }).labels().set(-0.5);
    const collected = r.collect();
    expect(unwrapParse(writeExposition(collected))).toEqual(collected);
  });

  test.each<{ line: string; want: MetricSample }>([
    { line: "x 1", want: { name: "x", labels: {}, value: 1 } },
    { line: "x{} +Inf", want: { name: "x", labels: {}, value: Infinity } },
    { line: "x -Inf", want: { name: "x", labels: {}, value: -Infinity } },
    { line: 'x{a="1",} 1.5e3 1700000000000', want: { name: "x", labels: { a: "1" }, value: 1500, timestampMs: 1700000000000 } },
    { line: '  x { a = "1" , b="" }   2  ', want: { name: "x", labels: { a: "1", b: "" }, value: 2 } },
    { line: 'x{__proto__="p"} 1', want: { name: "x", labels: JSON.parse('{"__proto__":"p"}') as Record<string, string>, value: 1 } },
  ])("reads the sample $line as an untyped family", ({ line, want }) => {
    const [family] = unwrapParse(`# a free comment\n\n${line}\n`);
    expect(family!.type).toBe("untyped");
    expect(family!.samples).toEqual([want]);
  });

  test("reads NaN", () => {
    expect(unwrapParse("x NaN")[0]!.samples[0]!.value).toBeNaN();
  });

  test.each([
    { text: "9x 1", want: "m:1:1: Expected a metric name" },
    { text: "x", want: 'm:1:2: Expected a value for "x"' },
    { text: "x one", want: 'm:1:3: Invalid value "one"' },
    { text: "x 1 2 3", want: "m:1:7: Unexpected text after the timestamp" },
    { text: "x 1 1.5", want: 'm:1:5: Invalid timestamp "1.5"' },
    { text: 'x{a="1" 1', want: 'm:1:9: Expected "," or "}"' },
    { text: 'x{a="1"', want: "m:1:8: Unclosed label set" },
    { text: 'x{a="1} 1', want: "m:1:10: Unterminated label value" },
    { text: 'x{a="\\t"} 1', want: "m:1:6: Invalid escape sequence in a label value" },
    { text: 'x{a="1",a="2"} 1', want: 'm:1:9: Duplicate label "a"' },
    { text: "x{a=1} 1", want: 'm:1:5: Expected a quoted value for label "a"' },
    { text: 'x{a "1"} 1', want: 'm:1:5: Expected "=" after label "a"' },
    { text: 'x{"a"="1"} 1', want: "m:1:3: Expected a label name" },
    { text: "ok 1\n# TYPE x countr", want: 'm:2:10: Unknown metric type "countr" for "x"' },
    { text: "x 1\n# TYPE x counter", want: 'm:2:1: TYPE line for "x" after its samples' },
    { text: "# HELP x bad \\t escape", want: 'm:1:9: Invalid escape sequence in the help of "x"' },
    { text: "# HELP 1x help", want: 'm:1:8: Invalid metric name "1x"' },
  ])("reports $text", ({ text, want }) => {
    const r = parseExposition(text, { file: "m" });
    expect(r.ok ? "parsed" : renderProblem(r.error)).toBe(want);
  });
});
