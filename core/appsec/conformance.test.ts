/**
 * The AppSec conformance ratchet: every `.appsec-tests` test listed in
 * testdata/appsec-passing.txt must still pass. PICKET_UPDATE_GOLDEN=1 rewrites the list.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadHubIndex } from "../hub";
import { HAS_SHARED, SHARED, TESTDATA } from "../testing";
import { runAppsecTest } from "./hubtest";

const LIST = join(TESTDATA, "appsec-passing.txt");
const TESTS = join(SHARED, "hub", ".appsec-tests");

describe.skipIf(!HAS_SHARED || !existsSync(TESTS))("appsec conformance (../shared/hub/.appsec-tests)", () => {
  test("every test that passed before still passes", () => {
    const hubRoot = join(SHARED, "hub");
    const index = loadHubIndex(hubRoot);
    const passing: string[] = [];
    const failing = new Map<string, string>();
    for (const name of readdirSync(TESTS).sort()) {
      const file = join(TESTS, name, "config.yaml");
      if (!existsSync(file)) continue;
      const cfg = parse(readFileSync(file, "utf8")) as { "appsec-rules"?: string[]; nuclei_template?: string; expect_failure?: boolean };
      const r = runAppsecTest(
        { name, dir: join(TESTS, name), appsecRules: cfg["appsec-rules"] ?? [], nucleiTemplate: cfg.nuclei_template, expectFailure: cfg.expect_failure === true },
        { hubRoot, index: index.ok ? index.value : undefined, nowMs: 0 },
      );
      if (r.status === "pass") passing.push(name);
      else failing.set(name, r.reason ?? r.status);
    }
    const expected = existsSync(LIST) ? readFileSync(LIST, "utf8").split("\n").filter(Boolean) : [];
    if (process.env.PICKET_UPDATE_GOLDEN === "1") writeFileSync(LIST, passing.join("\n") + "\n");
    const regressions = expected.filter((n) => !passing.includes(n)).map((n) => `${n}: ${failing.get(n) ?? "missing"}`);
    const gained = passing.filter((n) => !expected.includes(n));
    if (gained.length > 0) console.log(`appsec conformance: ${gained.length} tests now pass that are not in ${LIST} (PICKET_UPDATE_GOLDEN=1 adds them)`);
    console.log(`appsec conformance: ${passing.length} passed, ${failing.size} failed`);
    expect(regressions).toEqual([]);
  });
});
