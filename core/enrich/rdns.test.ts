import { describe, expect, test } from "bun:test";
import { createReverseDns, createWorkerResolver, type ReverseResolver } from "./rdns";

/** A resolver from a table, recording its calls. */
function fakeResolver(answers: Record<string, readonly string[] | null>) {
  const calls: { ip: string; timeoutMs: number }[] = [];
  const resolver: ReverseResolver = (ip, timeoutMs) => {
    calls.push({ ip, timeoutMs });
    return answers[ip] ?? null;
  };
  return { resolver, calls };
}

describe("reverse_dns", () => {
  const answers = {
    "1.2.3.4": ["crawl-1-2-3-4.googlebot.com.", "other.example."],
    "::1": ["localhost."],
    "5.6.7.8": [],
  };
  const cases = [
    { value: "1.2.3.4", want: { reverse_dns: "crawl-1-2-3-4.googlebot.com." }, asked: ["1.2.3.4"] },
    { value: "::0001", want: { reverse_dns: "localhost." }, asked: ["::1"] },
    { value: "5.6.7.8", want: null, asked: ["5.6.7.8"] },
    { value: "9.9.9.9", want: null, asked: ["9.9.9.9"] },
    { value: "", want: null, asked: [] },
    { value: "01.2.3.4", want: null, asked: [] },
    { value: "example.com", want: null, asked: [] },
  ] as const;

  test.each(cases)("$value", ({ value, want, asked }) => {
    const { resolver, calls } = fakeResolver(answers);
    const rdns = createReverseDns({ resolver, timeoutMs: 1234 });
    expect(rdns(value)).toEqual(want);
    expect(calls).toEqual(asked.map((ip) => ({ ip, timeoutMs: 1234 })));
  });

  test("answers from the cache until the TTL runs out, failures for a shorter time", () => {
    let nowMs = 0;
    const { resolver, calls } = fakeResolver(answers);
    const rdns = createReverseDns({ resolver, now: () => nowMs, positiveTtlMs: 1000, negativeTtlMs: 100 });
    const asked = () => calls.map((c) => c.ip);

    rdns("1.2.3.4");
    rdns("9.9.9.9");
    nowMs = 99;
    rdns("1.2.3.4");
    rdns("9.9.9.9");
    expect(asked()).toEqual(["1.2.3.4", "9.9.9.9"]);
    nowMs = 100;
    rdns("9.9.9.9");
    expect(asked()).toEqual(["1.2.3.4", "9.9.9.9", "9.9.9.9"]);
    nowMs = 1000;
    expect(rdns("1.2.3.4")).toEqual({ reverse_dns: "crawl-1-2-3-4.googlebot.com." });
    expect(asked()).toEqual(["1.2.3.4", "9.9.9.9", "9.9.9.9", "1.2.3.4"]);
  });

  test("keeps at most cacheSize addresses, dropping the least recently used", () => {
    const { resolver, calls } = fakeResolver(answers);
    const rdns = createReverseDns({ resolver, cacheSize: 2, now: () => 0 });
    for (const ip of ["1.1.1.1", "2.2.2.2", "1.1.1.1", "3.3.3.3", "1.1.1.1", "2.2.2.2"]) rdns(ip);
    expect(calls.map((c) => c.ip)).toEqual(["1.1.1.1", "2.2.2.2", "3.3.3.3", "2.2.2.2"]);
  });
});

describe("createWorkerResolver()", () => {
  test("gives up after the timeout instead of blocking", () => {
    // 0 ms: the worker cannot have answered yet, so this is the timeout path, without the network
    const resolve = createWorkerResolver();
    expect(resolve("192.0.2.1", 0)).toBeNull();
  });
});
