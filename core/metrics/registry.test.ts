import { describe, expect, test } from "bun:test";
import { CounterFamily, GaugeFamily, HistogramFamily, MetricsRegistry } from "./registry";

describe("CounterFamily", () => {
  test("labels() returns the same handle for the same values, so hot paths keep it", () => {
    const c = new CounterFamily({ name: "hits_total", help: "h", labels: ["source", "type"] as const });
    const a = c.labels("/var/log/auth.log", "file");
    expect(c.labels("/var/log/auth.log", "file")).toBe(a);
    expect(c.withLabels({ type: "file", source: "/var/log/auth.log" })).toBe(a);
    expect(c.labels("/var/log/syslog", "file")).not.toBe(a);
  });

  test("inc() adds one or the given amount and refuses to go down", () => {
    const c = new CounterFamily({ name: "c_total", help: "h" }).labels();
    c.inc();
    c.inc(2.5);
    expect(c.value).toBe(3.5);
    expect(() => c.inc(-1)).toThrow("counter increment must be a non-negative number, got -1");
  });

  test("labels() with the wrong number of values is a bug", () => {
    const c = new CounterFamily({ name: "c_total", help: "h", labels: ["a", "b"] as const });
    // @ts-expect-error: two values are required
    expect(() => c.labels("x")).toThrow('metric "c_total" takes 2 label values (a, b), got 1');
  });

  test.each([
    { name: "9bad", labels: [], want: 'invalid metric name "9bad"' },
    { name: "ok", labels: ["bad-label"], want: 'invalid label name "bad-label" in metric "ok"' },
    { name: "ok", labels: ["__reserved"], want: 'invalid label name "__reserved" in metric "ok"' },
    { name: "ok", labels: ["a", "a"], want: 'duplicate label name "a" in metric "ok"' },
  ])("refuses $name with labels $labels", ({ name, labels, want }) => {
    expect(() => new CounterFamily({ name, help: "", labels })).toThrow(want);
  });

  test("collect() sorts label names and children by label values, as the Go client", () => {
    const c = new CounterFamily({ name: "d", help: "h", labels: ["reason", "origin", "action"] as const });
    c.labels("ssh-bf", "crowdsec", "ban").inc();
    c.labels("http-probing", "crowdsec", "ban").inc(2);
    c.labels("http-probing", "cscli", "ban").inc(3);
    expect(c.collect().samples).toEqual([
      { name: "d", labels: { action: "ban", origin: "crowdsec", reason: "http-probing" }, value: 2 },
      { name: "d", labels: { action: "ban", origin: "crowdsec", reason: "ssh-bf" }, value: 1 },
      { name: "d", labels: { action: "ban", origin: "cscli", reason: "http-probing" }, value: 3 },
    ]);
    expect(Object.keys(c.collect().samples[0]!.labels)).toEqual(["action", "origin", "reason"]);
  });
});

describe("GaugeFamily", () => {
  test("set, inc, dec, and reset() forgets children", () => {
    const g = new GaugeFamily({ name: "buckets", help: "h", labels: ["name"] as const });
    const b = g.labels("ssh-bf");
    b.set(5);
    b.inc();
    b.dec(3);
    expect(b.value).toBe(3);
    g.reset();
    expect(g.collect().samples).toEqual([]);
  });

  test("a family without labels shows its value even untouched; const labels are merged in order", () => {
    const g = new GaugeFamily({ name: "cs_info", help: "h", constLabels: { version: "v1" } });
    expect(g.collect().samples).toEqual([{ name: "cs_info", labels: { version: "v1" }, value: 0 }]);
  });

  test("remove() forgets one child", () => {
    const g = new GaugeFamily({ name: "g", help: "h", labels: ["k"] as const });
    g.labels("a").set(1);
    g.labels("b").set(2);
    expect(g.remove("a")).toBe(true);
    expect(g.remove("a")).toBe(false);
    expect(g.collect().samples.map((s) => s.labels.k)).toEqual(["b"]);
  });
});

describe("HistogramFamily", () => {
  test("observations land in the first bucket whose bound is >= the value; samples are cumulative", () => {
    const h = new HistogramFamily({ name: "t_seconds", help: "h", labels: ["m"] as const, buckets: [0.01, 0.1, 1] });
    const child = h.labels("GET");
    for (const v of [0.005, 0.01, 0.05, 0.5, 7]) child.observe(v);
    const samples = h.collect().samples;
    expect(samples.map((s) => [s.name, s.labels.le ?? "", s.name.endsWith("_sum") ? Number(s.value.toFixed(9)) : s.value])).toEqual([
      ["t_seconds_bucket", "0.01", 2],
      ["t_seconds_bucket", "0.1", 3],
      ["t_seconds_bucket", "1", 4],
      ["t_seconds_bucket", "+Inf", 5],
      ["t_seconds_sum", "", 7.565],
      ["t_seconds_count", "", 5],
    ]);
    expect(Object.keys(samples[0]!.labels)).toEqual(["m", "le"]);
  });

  test("an explicit +Inf bound is dropped (it is implicit)", () => {
    const h = new HistogramFamily({ name: "t", help: "h", buckets: [1, Infinity] });
    expect(h.bounds).toEqual([1]);
  });

  test.each([
    { buckets: [1, 1], labels: [] as string[], want: 'histogram "t": buckets must be strictly increasing numbers' },
    { buckets: [2, 1], labels: [] as string[], want: 'histogram "t": buckets must be strictly increasing numbers' },
    { buckets: [NaN], labels: [] as string[], want: 'histogram "t": buckets must be strictly increasing numbers' },
    { buckets: [1], labels: ["le"], want: 'histogram "t": "le" is a reserved label name' },
  ])("refuses buckets $buckets labels $labels", ({ buckets, labels, want }) => {
    expect(() => new HistogramFamily({ name: "t", help: "h", labels, buckets })).toThrow(want);
  });
});

describe("MetricsRegistry", () => {
  test("collect() sorts families by name and leaves out labelled families without children", () => {
    const r = new MetricsRegistry();
    r.counter({ name: "zz_total", help: "h" });
    r.counter({ name: "unused_total", help: "h", labels: ["x"] as const });
    r.gauge({ name: "aa", help: "h", labels: ["x"] as const }).labels("1").set(1);
    expect(r.collect().map((f) => f.name)).toEqual(["aa", "zz_total"]);
  });

  test("a second family with the same name is a bug", () => {
    const r = new MetricsRegistry();
    r.counter({ name: "x_total", help: "h" });
    expect(() => r.gauge({ name: "x_total", help: "h" })).toThrow('metric "x_total" is already registered');
  });
});
