import { afterAll, describe, expect, test } from "bun:test";
import { KeyCache, lapiKeyCheck } from "./auth";

/** A fake Local API answer per call: true/false, or "down" (the check throws). */
function checker(answers: (boolean | "down")[]) {
  const calls: string[] = [];
  const check = async (key: string) => {
    calls.push(key);
    const a = answers.shift();
    if (a === undefined) throw new Error("unexpected check");
    if (a === "down") throw new Error("connection refused");
    return a;
  };
  return { calls, check };
}

describe("KeyCache", () => {
  const cases: { name: string; answers: (boolean | "down")[]; steps: [number, boolean][]; checks: number }[] = [
    { name: "a valid key is asked once within the cache duration", answers: [true], steps: [[0, true], [500, true], [1000, true]], checks: 1 },
    { name: "an invalid key is refused and asked again next time", answers: [false, false], steps: [[0, false], [10, false]], checks: 2 },
    { name: "an expired key is asked again", answers: [true, true], steps: [[0, true], [1001, true], [1500, true]], checks: 2 },
    { name: "an expired key the Local API now refuses is dropped", answers: [true, false, true], steps: [[0, true], [1001, false], [1002, true]], checks: 3 },
    { name: "an expired key is kept when the Local API is down", answers: [true, "down"], steps: [[0, true], [1001, true], [1500, true]], checks: 2 },
    { name: "a never-seen key is refused when the Local API is down", answers: ["down", true], steps: [[0, false], [1, true]], checks: 2 },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      let now = 0;
      const { calls, check } = checker([...c.answers]);
      const cache = new KeyCache(check, 1000, () => now);
      const got: boolean[] = [];
      for (const [t] of c.steps) {
        now = t;
        got.push(await cache.allowed("k"));
      }
      expect(got).toEqual(c.steps.map(([, want]) => want));
      expect(calls.length).toBe(c.checks);
    });
  }

  test("an empty key is refused without asking; concurrent first requests share one check", async () => {
    const { calls, check } = checker([true]);
    const cache = new KeyCache(check, 1000, () => 0);
    expect(cache.allowed("")).toBe(false);
    expect(await Promise.all([cache.allowed("k"), cache.allowed("k"), cache.allowed("k")])).toEqual([true, true, true]);
    expect(calls).toEqual(["k"]);
  });
});

describe("lapiKeyCheck()", () => {
  const seen: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1", port: 0,
    fetch(req) {
      seen.push(`${req.method} ${new URL(req.url).pathname} ${req.headers.get("x-api-key")}`);
      return new Response(null, { status: req.headers.get("x-api-key") === "good" ? 200 : 403 });
    },
  });
  afterAll(() => void server.stop(true));

  test("HEAD /v1/decisions/stream with X-Api-Key: 200 is valid, anything else is not", async () => {
    const check = lapiKeyCheck(`http://127.0.0.1:${server.port}/`);
    expect([await check("good"), await check("bad")]).toEqual([true, false]);
    expect(await lapiKeyCheck(`http://127.0.0.1:${server.port}`)("good")).toBe(true);
    expect(seen).toEqual(["HEAD /v1/decisions/stream good", "HEAD /v1/decisions/stream bad", "HEAD /v1/decisions/stream good"]);
  });

  test("an unreachable Local API rejects (the cache decides)", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const port = closed.port;
    closed.stop(true);
    await expect(lapiKeyCheck(`http://127.0.0.1:${port}/`)("good")).rejects.toThrow();
  });
});
