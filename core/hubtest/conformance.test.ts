/**
 * The conformance ratchet: every hub test listed in testdata/hubtest-passing.txt must still pass.
 * Conformance can only go up: PICKET_UPDATE_GOLDEN=1 rewrites the list with today's passing tests.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discoverTests, readTestConfig, runHubtest } from ".";
import { loadHubIndex } from "../hub";
import { HAS_SHARED, SHARED, TESTDATA } from "../testing";

const LIST = join(TESTDATA, "hubtest-passing.txt");

describe.skipIf(!HAS_SHARED)("hub conformance (../shared/hub/.tests)", () => {
  test("every test that passed before still passes", () => {
    const hubRoot = join(SHARED, "hub");
    const testsDir = join(hubRoot, ".tests");
    const index = loadHubIndex(hubRoot);
    if (!index.ok) throw new Error(index.error.message);
    const env = { hubRoot, index: index.value, dataMirror: join(SHARED, "hub-data"), geoipDir: join(SHARED, "geoip"), nowMs: Date.now() };
    const passing: string[] = [];
    const failing = new Map<string, string>();
    for (const name of discoverTests(testsDir)) {
      const config = readTestConfig(join(testsDir, name), name);
      const r = config.ok ? runHubtest(config.value, env) : undefined;
      if (r?.status === "pass") passing.push(name);
      else failing.set(name, r?.reason ?? (config.ok ? "failed" : config.error.message));
    }
    const expected = existsSync(LIST) ? readFileSync(LIST, "utf8").split("\n").filter(Boolean) : [];
    if (process.env.PICKET_UPDATE_GOLDEN === "1") writeFileSync(LIST, passing.join("\n") + "\n");
    const regressions = expected.filter((n) => !passing.includes(n)).map((n) => `${n}: ${failing.get(n) ?? "missing"}`);
    const gained = passing.filter((n) => !expected.includes(n));
    if (gained.length > 0) console.log(`hub conformance: ${gained.length} tests now pass that are not in ${LIST} (PICKET_UPDATE_GOLDEN=1 adds them)`);
    console.log(`hub conformance: ${passing.length} passed, ${failing.size} failed`);
    expect(regressions).toEqual([]);
  });
});
