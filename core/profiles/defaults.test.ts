import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { DecisionTimes } from "../db/types";
import { renderProblem, unwrap } from "../result";
import { HAS_SHARED, SHARED } from "../testing";
import { DEFAULT_PROFILES_YAML, defaultProfiles } from "./defaults";
import { loadProfiles } from "./profiles";
import { expectProfilesGolden, PROFILES_TESTDATA, testAlert, TEST_NOW_MS, type AlertInit } from "./testing";

const DEBIAN_PROFILES = "/etc/crowdsec/profiles.yaml";

describe("defaultProfiles()", () => {
  const cases = [
    { what: "remediation Ip alert → ban 4h", alert: {}, want: [["ban", "Ip", "1.2.3.4", "4h", "crowdsec"]] },
    { what: "no remediation → no decision", alert: { remediation: false }, want: [] },
    { what: "Range alert → no decision (1.4.6 default has no Range profile)", alert: { source: { scope: "Range", value: "1.2.3.0/24" } }, want: [] },
  ] as const;

  test.each(cases)("$what", ({ alert, want }) => {
    const out = unwrap(defaultProfiles().evaluate(testAlert(alert as AlertInit), undefined, TEST_NOW_MS));
    expect(out.decisions.map((d) => [d.type, d.scope, d.value, d.duration, d.origin])).toEqual(want.map((w) => [...w]));
  });

  test("is CrowdSec's default_ip_remediation profile", () => {
    const p = defaultProfiles();
    expect([p.names, p.usesHistory, p.warnings]).toEqual([["default_ip_remediation"], false, []]);
    expect(DEFAULT_PROFILES_YAML).toContain('Alert.Remediation == true && Alert.GetScope() == "Ip"');
  });
});

describe("profiles files in the wild", () => {
  test.skipIf(!existsSync(DEBIAN_PROFILES))(`the Debian package's ${DEBIAN_PROFILES} loads and bans like the default`, () => {
    const p = unwrap(loadProfiles(DEBIAN_PROFILES));
    const out = unwrap(p.evaluate(testAlert(), undefined, TEST_NOW_MS));
    const def = unwrap(defaultProfiles().evaluate(testAlert(), undefined, TEST_NOW_MS));
    expect(out).toEqual(def);
  });

  // profile examples the hub documents (```yaml blocks with `filters:`) and hubtest's template
  const hubExamples = (): { name: string; text: string }[] => {
    const hub = join(SHARED, "hub");
    const out: { name: string; text: string }[] = [];
    for (const dir of ["collections", "scenarios"]) {
      const walk = (d: string): void => {
        for (const e of readdirSync(d)) {
          const f = join(d, e);
          if (statSync(f).isDirectory()) walk(f);
          else if (f.endsWith(".md")) {
            const md = readFileSync(f, "utf8");
            let i = 0;
            for (const m of md.matchAll(/```yaml\n([\s\S]*?)```/g)) {
              const block = m[1] ?? "";
              if (/^filters:/m.test(block) && /^name:/m.test(block)) out.push({ name: `${relative(hub, f)}#${i++}`, text: block });
            }
          }
        }
      };
      walk(join(hub, dir));
    }
    for (const f of [".tests/template_profiles.yaml", ".appsec-tests/template_profiles.yaml"]) {
      if (existsSync(join(hub, f))) out.push({ name: f, text: readFileSync(join(hub, f), "utf8") });
    }
    return out;
  };

  test.skipIf(!HAS_SHARED)("every profile example of the shared hub loads (skipped without ../shared)", () => {
    const examples = hubExamples();
    expect(examples.length).toBeGreaterThan(3);
    const failures = examples.flatMap((e) => {
      const r = loadProfiles({ path: e.name, text: e.text });
      return r.ok ? [] : [renderProblem(r.error)];
    });
    expect(failures).toEqual([]);
  });
});

describe("testdata/profiles golden", () => {
  const history = (n: number): DecisionTimes[] =>
    Array.from({ length: n }, (_, i) => ({ createdAt: new Date(TEST_NOW_MS - (i + 1) * 86_400_000), until: new Date(TEST_NOW_MS - i * 86_400_000) }));

  const alerts: { name: string; alert: AlertInit; past?: number }[] = [
    { name: "ssh-bf, first offence", alert: {} },
    { name: "ssh-bf, third offence", alert: {}, past: 2 },
    { name: "http-probing", alert: { scenario: "crowdsecurity/http-probing" } },
    { name: "http-crawl-non_statics (simulated trial first)", alert: { scenario: "crowdsecurity/http-crawl-non_statics" } },
    { name: "simulated scenario", alert: { scenario: "crowdsecurity/http-bad-user-agent", simulated: true } },
    { name: "no remediation", alert: { remediation: false, scenario: "crowdsecurity/k8s-audit-pod-exec" } },
    { name: "Range source", alert: { scenario: "crowdsecurity/ban-defcon-drop_range", source: { scope: "Range", value: "1.2.3.0/24", ip: "" } } },
    { name: "username scope", alert: { scenario: "crowdsecurity/impossible-travel-user", source: { scope: "username", value: "alice", ip: "" } } },
    { name: "custom scope nobody handles", alert: { source: { scope: "pid", value: "4242", ip: "" } } },
    { name: "cscli decision: routing only", alert: { remediation: false, decisions: [{ duration: "24h", origin: "cscli", scenario: "manual 'ban' from 'host'", scope: "Ip", type: "ban", value: "1.2.3.4" }] } },
  ];

  test("profiles.yaml with its .local, on a set of alerts", () => {
    const p = unwrap(loadProfiles(join(PROFILES_TESTDATA, "profiles.yaml")));
    const lines: string[] = [`# profiles: ${p.names.join(", ")}`, `# uses history: ${p.usesHistory}`];
    for (const a of alerts) {
      const past = history(a.past ?? 0);
      const out = unwrap(p.evaluate(testAlert(a.alert), (v) => (v === "1.2.3.4" ? past : []), TEST_NOW_MS));
      lines.push(`\n## ${a.name}`, JSON.stringify(out, null, 2));
    }
    expectProfilesGolden("profiles.golden.txt", `${lines.join("\n")}\n`);
  });
});
