import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { APPSEC, LOG } from "../event";
import { renderProblem, unwrap } from "../result";
import { TESTDATA } from "../testing";
import { emptyAppsecConfig, mergeAppsecConfig } from "./config";
import { evaluateRequest } from "./evaluate";
import { parseAppsecRequest, type AppsecRequestInit } from "./request";
import { loadAppsecRuntime } from "./runtime";

const RULES = ["admin.yaml", "evil-arg.yaml"].map((f) => join(TESTDATA, "appsec", "rules", f));
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function runtime(configYaml: string) {
  const c = emptyAppsecConfig();
  const m = mergeAppsecConfig(c, configYaml, "config.yaml");
  if (!m.ok) throw new Error(m.error.map(renderProblem).join("\n"));
  const r = loadAppsecRuntime({ hubRoot: TESTDATA, config: c, ruleFiles: RULES });
  if (!r.runtime) throw new Error(r.problems.map(renderProblem).join("\n"));
  return r.runtime;
}

function evaluate(configYaml: string, req: Partial<AppsecRequestInit>) {
  const request = unwrap(parseAppsecRequest({ clientIp: "1.2.3.4", method: "GET", uri: "/", host: "example.com", uuid: "u-1", remoteAddr: "10.0.0.9", ...req }));
  return evaluateRequest(runtime(configYaml), request, { nowMs: NOW });
}

const INBAND = "inband_rules: [test/admin]\noutofband_rules: [test/evil-arg]\n";

describe("evaluateRequest()", () => {
  test("no match: the pass action, nothing emitted", () => {
    const r = evaluate(INBAND, { uri: "/home" });
    expect(r.inband).toEqual({ action: "allow", httpStatus: 200, bouncerStatus: 200, interrupted: false });
    expect([r.events.length, r.alerts.length]).toEqual([0, 0]);
  });

  test("in-band match: ban 403, one LOG event and one alert", () => {
    const r = evaluate(INBAND, { uri: "/Admin/x?a=1" });
    expect(r.inband).toEqual({ action: "ban", httpStatus: 403, bouncerStatus: 403, interrupted: true });
    const e = r.events[0]!;
    expect(e.Type).toBe(LOG);
    expect(e.Stage).toBe("s00-raw");
    expect(e.Line.Module).toBe("appsec");
    expect(e.Line.Raw).toBe("dummy-appsec-data");
    expect({ ...e.Parsed }).toEqual({
      source_ip: "1.2.3.4", target_host: "example.com", target_uri: "/Admin/x?a=1", method: "GET", req_uuid: "u-1", source: "crowdsec-appsec",
      remediation_cmpt_ip: "10.0.0.9", inband_interrupted: "true", inband_action: "deny",
    });
    expect({ ...e.Meta }).toEqual({ appsec_interrupted: "true", appsec_action: "deny" });
    expect(e.Appsec.HasInBandMatches).toBe(true);
    const rule = e.Appsec.MatchedRules![0]!;
    expect([rule.name, rule.msg, rule.rule_type, rule.severity, rule.matched_zones, rule.tags]).toEqual([
      "test/admin", "Admin access", "inband", "emergency", ["REQUEST_FILENAME"], ["crowdsec-test/admin", "cs-custom-rule"],
    ]);
    const a = r.alerts[0]!;
    expect(a.Type).toBe(APPSEC);
    const alert = a.Overflow.APIAlerts![0]!;
    expect([alert.Scenario, alert.Message, alert.Kind, alert.EventsCount, alert.StartAt]).toEqual([
      "test/admin", "WAF block: test/admin from 1.2.3.4 (10.0.0.9)", "waf", 1, "2026-01-02T03:04:05Z",
    ]);
    expect(alert.Events![0]!.Meta!.map((m) => `${m.Key}=${m.Value}`)).toEqual([
      "rule_name=test/admin", "message=Admin access", "uri=/Admin/x?a=1", "matched_zones=REQUEST_FILENAME", "data=", "target_fqdn=example.com",
    ]);
  });

  test("out-of-band match: the verdict stays allow, an event but no alert", () => {
    const r = evaluate(INBAND, { uri: "/?q=evil" });
    expect(r.inband.action).toBe("allow");
    expect(r.events).toHaveLength(1);
    expect(r.alerts).toHaveLength(0);
    expect(r.events[0]!.Parsed!.outofband_interrupted).toBe("true");
    expect(r.events[0]!.Appsec.HasOutBandMatches).toBe(true);
  });

  const hooks = [
    {
      name: "on_match SetRemediation and SetReturnCode",
      config: INBAND + "on_match:\n  - filter: IsInBand && req.URL.Path startsWith '/admin'\n    apply: ['SetRemediation(\"captcha\")', SetReturnCode(401)]\n",
      uri: "/admin", want: { action: "captcha", httpStatus: 401, events: 1, alerts: 1 },
    },
    {
      name: "a filter that does not match leaves the verdict",
      config: INBAND + "on_match:\n  - filter: req.Method == 'POST'\n    apply: ['SetRemediation(\"captcha\")']\n",
      uri: "/admin", want: { action: "ban", httpStatus: 403, events: 1, alerts: 1 },
    },
    {
      name: "SetRemediation allow answers with the pass codes",
      config: INBAND + "on_match:\n  - apply: ['SetRemediation(\"allow\")', SetReturnCode(418)]\n",
      uri: "/admin", want: { action: "allow", httpStatus: 200, events: 1, alerts: 1 },
    },
    {
      name: "CancelEvent and CancelAlert",
      config: INBAND + "on_match:\n  - apply: [CancelEvent(), CancelAlert()]\n",
      uri: "/admin", want: { action: "ban", httpStatus: 403, events: 0, alerts: 0 },
    },
    {
      name: "pre_eval SetRemediation is pending until a match",
      config: INBAND + "pre_eval:\n  - apply: ['SetRemediation(\"captcha\")']\n",
      uri: "/admin", want: { action: "captcha", httpStatus: 403, events: 1, alerts: 1 },
    },
    {
      name: "pre_eval RemoveInBandRuleByName",
      config: INBAND + "pre_eval:\n  - filter: req.Header.Get('x-skip') == '1'\n    apply: ['RemoveInBandRuleByName(\"test/admin\")']\n",
      uri: "/admin", headers: [["X-Skip", "1"]], want: { action: "allow", httpStatus: 200, events: 0, alerts: 0 },
    },
    {
      name: "pre_eval DropRequest blocks without rules",
      config: INBAND + "pre_eval:\n  - filter: req.UserAgent() == 'bad'\n    apply: ['DropRequest(\"bad agent\")']\n",
      // common pre_eval hooks run in both phases: the out-of-band phase drops too (an event, no alert)
      uri: "/home", headers: [["User-Agent", "bad"]], want: { action: "ban", httpStatus: 403, events: 2, alerts: 1 },
    },
    {
      name: "on_load SetRemediationByName",
      config: INBAND + "on_load:\n  - apply: ['SetRemediationByName(\"test/admin\", \"captcha\")']\n",
      uri: "/admin", want: { action: "captcha", httpStatus: 403, events: 1, alerts: 1 },
    },
    {
      name: "on_load RemoveInBandRuleByName deletes the rule",
      config: INBAND + "on_load:\n  - apply: ['RemoveInBandRuleByName(\"test/admin\")']\n",
      uri: "/admin", want: { action: "allow", httpStatus: 200, events: 0, alerts: 0 },
    },
    {
      name: "out-of-band SendAlert (as crowdsecurity/crs)",
      config: INBAND + "on_match:\n  - filter: IsOutBand == true\n    apply: [SendAlert()]\n",
      uri: "/?q=evil", want: { action: "allow", httpStatus: 200, events: 1, alerts: 1 },
    },
    {
      name: "on_success break stops after a matching filter",
      config: INBAND + "on_match:\n  - filter: 'true'\n    apply: ['SetRemediation(\"captcha\")']\n    on_success: break\n  - apply: ['SetRemediation(\"log\")']\n",
      uri: "/admin", want: { action: "captcha", httpStatus: 403, events: 1, alerts: 1 },
    },
    {
      name: "evt is readable in on_match",
      config: INBAND + "on_match:\n  - filter: evt.Appsec.GetName() == 'test/admin'\n    apply: [SetReturnCode(451)]\n",
      uri: "/admin", want: { action: "ban", httpStatus: 451, events: 1, alerts: 1 },
    },
  ];
  test.each(hooks)("$name", ({ config, uri, headers, want }) => {
    const r = evaluate(config, { uri, headers: headers as [string, string][] | undefined });
    expect({ action: r.inband.action, httpStatus: r.inband.httpStatus, events: r.events.length, alerts: r.alerts.length }).toEqual(want);
  });

  test("a drop gives the synthetic matched rule and the reason in Meta", () => {
    const r = evaluate(INBAND + "pre_eval:\n  - apply: ['DropRequest(\"nope\")']\n", { uri: "/home" });
    const e = r.events[0]!;
    expect(e.Meta!.appsec_drop_reason).toBe("nope");
    expect(e.Appsec.MatchedRules![0]).toMatchObject({ id: 0, name: "nope", file: "crowdsec:drop_request", severity: "notice", matched_zones: ["PRE_EVAL"] });
  });
});

describe("loadAppsecRuntime()", () => {
  const load = (yaml: string, files = RULES) => {
    const c = emptyAppsecConfig();
    unwrap({ ...mergeAppsecConfig(c, yaml, "config.yaml"), error: undefined } as never);
    return loadAppsecRuntime({ hubRoot: TESTDATA, config: c, ruleFiles: files });
  };
  test("a pattern matching nothing is fatal", () => {
    expect(load("inband_rules: [nope/*]\n").problems.map((p) => p.message)).toEqual(['No appsec-rules found for pattern "nope/*" (inband)']);
  });
  test("raw SecLang is refused naming the item", () => {
    const r = load("inband_rules: [test/seclang]\n", [join(TESTDATA, "appsec", "rules", "seclang.yaml")]);
    expect(r.problems.map((p) => p.message)).toEqual(['Appsec-rule "test/seclang" uses seclang_rules (raw SecLang): not supported']);
  });
  test("a hook that does not compile is a problem with its place", () => {
    const r = load("on_match:\n  - apply: [NoSuchHelper()]\n");
    expect(renderProblem(r.problems[0]!)).toStartWith("config.yaml:2:13 on_match[0].apply[0]: Cannot compile on_match hook:");
  });
});
