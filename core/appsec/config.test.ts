import { describe, expect, test } from "bun:test";
import { renderProblem } from "../result";
import { emptyAppsecConfig, mergeAppsecConfig, withDefaults } from "./config";

function merge(...texts: string[]) {
  const c = emptyAppsecConfig();
  for (const [i, t] of texts.entries()) {
    const r = mergeAppsecConfig(c, t, `c${i}.yaml`);
    if (!r.ok) return { problems: r.error.map(renderProblem) };
  }
  return { config: c };
}

describe("mergeAppsecConfig()", () => {
  test("lists append, scalars follow the last config even when unset, first name wins", () => {
    const { config } = merge(
      "name: a\ninband_rules: [x/*]\ndefault_remediation: captcha\nblocked_http_code: 418\non_match:\n  - apply: [SendAlert()]\n",
      "name: b\ninband_rules: [y]\noutofband_rules: [z]\ninband:\n  rules: [w]\n  on_match:\n    - apply: [CancelEvent()]\n",
    );
    expect(config!.name).toBe("a");
    expect(config!.inbandRules).toEqual(["x/*", "y", "w"]);
    expect(config!.outofbandRules).toEqual(["z"]);
    expect(config!.defaultRemediation).toBe("");
    expect(config!.blockedHttpCode).toBe(0);
    expect(config!.common.onMatch.map((h) => h.apply)).toEqual([["SendAlert()"]]);
    expect(config!.inband.onMatch.map((h) => h.apply)).toEqual([["CancelEvent()"]]);
  });

  test("disable_body_inspection sticks once set", () => {
    const { config } = merge("inband_options:\n  disable_body_inspection: true\n", "inband_options:\n  disable_body_inspection: false\n");
    expect(config!.inbandDisableBodyInspection).toBe(true);
  });

  test("defaults apply after the merge", () => {
    const c = withDefaults(merge("name: a\n").config!, []);
    expect([c.defaultRemediation, c.defaultPassAction, c.blockedHttpCode, c.passedHttpCode, c.userBlockedHttpCode, c.userPassedHttpCode]).toEqual(["ban", "allow", 403, 200, 403, 200]);
  });

  test("an unknown remediation is a warning", () => {
    const warnings: { message: string }[] = [];
    const c = emptyAppsecConfig();
    c.defaultRemediation = "log";
    withDefaults(c, warnings as never);
    expect(warnings[0]!.message).toBe('Default remediation "log" of "" is none of ban, captcha, allow, challenge: ensure bouncer compatibility');
  });

  const bad = [
    { text: "name: a\ninband_rulez: [x]\n", want: 'c0.yaml:2:15 inband_rulez: Unknown key "inband_rulez" in an appsec-config' },
    { text: "on_match:\n  - apply: [x]\n    on_success: stop\n", want: "c0.yaml:3:17 on_match[0].on_success: Invalid 'on_success' for on_match hook: \"stop\"" },
    { text: "blocked_http_code: abc\n", want: "c0.yaml:1:20 blocked_http_code: Expected an integer" },
  ];
  test.each(bad)("reports $want", ({ text, want }) => expect(merge(text).problems?.[0]).toStartWith(want));
});
