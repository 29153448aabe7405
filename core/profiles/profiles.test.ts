import { describe, expect, test } from "bun:test";
import type { WireAlert } from "../alerts";
import type { DecisionTimes } from "../db/types";
import { renderProblem, unwrap } from "../result";
import type { DecisionHistory } from "./history";
import { loadProfiles, readProfiles, type ProfileOutcome } from "./profiles";
import { testAlert, TEST_NOW_MS, type AlertInit } from "./testing";

const H = 3600e9;

const IP_DEFAULT = `name: default_ip_remediation
filters:
 - Alert.Remediation == true && Alert.GetScope() == "Ip"
decisions:
 - type: ban
   duration: 4h
on_success: break
`;

const RANGE_DEFAULT = `name: default_range_remediation
filters:
 - Alert.Remediation == true && Alert.GetScope() == "Range"
decisions:
 - type: ban
   duration: 4h
on_success: break
`;

const ESCALATING = `name: escalating
filters:
 - Alert.Remediation == true
decisions:
 - type: ban
   duration: 4h
duration_expr: Sprintf('%dh', (GetDecisionsCount(Alert.GetValue()) + 1) * 4)
on_success: break
`;

/** A decision of the test alert (ssh-bf on 1.2.3.4) with these overrides. */
const decision = (over: Partial<ProfileOutcome["decisions"][number]> = {}) => ({
  type: "ban",
  scope: "Ip",
  value: "1.2.3.4",
  origin: "crowdsec",
  scenario: "crowdsecurity/ssh-bf",
  simulated: false,
  durationNs: 4 * H,
  duration: "4h",
  ...over,
});

const past = (n: number): DecisionTimes[] =>
  Array.from({ length: n }, (_, i) => ({ createdAt: new Date(TEST_NOW_MS - (i + 1) * 3600_000), until: new Date(TEST_NOW_MS - i * 3600_000 + 1800_000) }));

interface Case {
  what: string;
  profiles: string;
  alert?: AlertInit;
  history?: readonly DecisionTimes[];
  decisions?: ReturnType<typeof decision>[];
  matched?: string[];
  notifications?: string[];
  warnings?: string[];
}

const cases: Case[] = [
  { what: "default profile bans a remediation Ip alert for 4h", profiles: IP_DEFAULT, decisions: [decision()], matched: ["default_ip_remediation"] },
  { what: "remediation false gets no decision", profiles: IP_DEFAULT, alert: { remediation: false } },
  { what: "remediation absent reads as false", profiles: IP_DEFAULT, alert: { remediation: undefined } },
  { what: "a Range alert does not match the Ip profile", profiles: IP_DEFAULT, alert: { source: { scope: "Range", value: "1.2.3.0/24" } } },
  {
    what: "a Range alert matches the Range profile after the Ip one",
    profiles: `${IP_DEFAULT}---\n${RANGE_DEFAULT}`,
    alert: { source: { scope: "Range", value: "1.2.3.0/24" } },
    decisions: [decision({ scope: "Range", value: "1.2.3.0/24" })],
    matched: ["default_range_remediation"],
  },
  {
    what: "template scope, type and origin (spec example: throttle/Range/8.8.8.8/crowdsec/custom)",
    profiles: "name: t\nfilters: [Alert.Remediation]\ndecisions:\n - {type: throttle, scope: Range, duration: 2h, origin: custom}\n",
    alert: { source: { value: "8.8.8.8" } },
    decisions: [decision({ type: "throttle", scope: "Range", value: "8.8.8.8", origin: "crowdsec/custom", duration: "2h", durationNs: 2 * H })],
    matched: ["t"],
  },
  {
    what: "every decision of the list, in order",
    profiles: "name: t\nfilters: [Alert.Remediation]\ndecisions:\n - {type: ban, duration: 1d}\n - {type: captcha, duration: 30m}\n",
    decisions: [decision({ duration: "1d", durationNs: 24 * H }), decision({ type: "captcha", duration: "30m", durationNs: 0.5 * H })],
    matched: ["t"],
  },
  {
    what: "two true filters give the decisions twice",
    profiles: "name: t\nfilters: [Alert.Remediation, 'Alert.GetScope() == \"Ip\"']\ndecisions:\n - {type: captcha, duration: 1h}\n",
    decisions: [decision({ type: "captcha", duration: "1h", durationNs: H }), decision({ type: "captcha", duration: "1h", durationNs: H })],
    matched: ["t"],
  },
  { what: "a profile without filters never matches", profiles: "name: t\ndecisions:\n - {type: ban, duration: 1h}\n" },
  {
    what: "on_success continue: the first profile's decisions stay, the second only notifies",
    profiles: "name: p1\nfilters: [Alert.Remediation]\ndecisions: [{type: captcha, duration: 1h}]\nnotifications: [n1]\n---\nname: p2\nfilters: [Alert.Remediation]\ndecisions: [{type: ban, duration: 4h}]\nnotifications: [n2]\non_success: break\n---\nname: p3\nfilters: [Alert.Remediation]\ndecisions: [{type: ban, duration: 9h}]\n",
    decisions: [decision({ type: "captcha", duration: "1h", durationNs: H })],
    matched: ["p1", "p2"],
    notifications: ["n1", "n2"],
  },
  {
    what: "a decision-less profile matching first leaves the decisions to the next",
    profiles: `name: notify\nfilters: [Alert.Remediation]\nnotifications: [slack_default]\n---\n${IP_DEFAULT}`,
    decisions: [decision()],
    matched: ["notify", "default_ip_remediation"],
    notifications: ["slack_default"],
  },
  {
    what: "on_success break stops at the first match",
    profiles: `${IP_DEFAULT}---\nname: later\nfilters: ['true']\nnotifications: [n]\n`,
    decisions: [decision()],
    matched: ["default_ip_remediation"],
  },
  {
    what: "later profiles see the decisions the alert now carries",
    profiles: "name: p1\nfilters: [Alert.Remediation]\ndecisions: [{type: ban, duration: 4h}]\n---\nname: p2\nfilters: ['len(Alert.Decisions) == 1 && Alert.Decisions[0].Type == \"ban\"']\nnotifications: [n2]\n",
    decisions: [decision()],
    matched: ["p1", "p2"],
    notifications: ["n2"],
  },
  {
    what: "on_failure break is inert: a later true filter still matches",
    profiles: "name: t\nfilters: ['false', 'true']\ndecisions: [{type: ban, duration: 4h}]\non_failure: break\n",
    decisions: [decision()],
    matched: ["t"],
  },
  {
    what: "template simulated",
    profiles: "name: t\nfilters: [Alert.Remediation]\ndecisions: [{type: ban, duration: 4h, simulated: true}]\n",
    decisions: [decision({ simulated: true })],
    matched: ["t"],
  },
  { what: "simulated alert", profiles: IP_DEFAULT, alert: { simulated: true }, decisions: [decision({ simulated: true })], matched: ["default_ip_remediation"] },
  { what: "empty origin still gets the suffix", profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 4h, origin: ''}]\n", decisions: [decision({ origin: "crowdsec/" })], matched: ["t"] },
  {
    what: "missing duration falls back to 4h",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban}]\n",
    decisions: [decision()],
    matched: ["t"],
  },
  { what: "escalating ban, first offence", profiles: ESCALATING, history: [], decisions: [decision()], matched: ["escalating"] },
  { what: "escalating ban, second offence", profiles: ESCALATING, history: past(1), decisions: [decision({ duration: "8h", durationNs: 8 * H })], matched: ["escalating"] },
  { what: "escalating ban, fourth offence", profiles: ESCALATING, history: past(3), decisions: [decision({ duration: "16h", durationNs: 16 * H })], matched: ["escalating"] },
  {
    what: "escalating ban without history: counts 0 and warns",
    profiles: ESCALATING,
    decisions: [decision()],
    matched: ["escalating"],
    warnings: ["No database config to call GetDecisionsCount()"],
  },
  {
    what: "duration_expr in days",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 4h}]\nduration_expr: \"'2d'\"\n",
    decisions: [decision({ duration: "2d", durationNs: 48 * H })],
    matched: ["t"],
  },
  {
    what: "duration_expr giving a time.Duration prints as Go does",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 4h}]\nduration_expr: duration('90m')\n",
    decisions: [decision({ duration: "1h30m0s", durationNs: 1.5 * H })],
    matched: ["t"],
  },
  {
    what: "duration_expr giving a number is not a duration: template duration",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 3h}]\nduration_expr: 4\n",
    decisions: [decision({ duration: "3h", durationNs: 3 * H })],
    matched: ["t"],
    warnings: ["Failed to parse expr duration result '4'"],
  },
  {
    what: "duration_expr giving garbage: template duration",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 3h}]\nduration_expr: \"'garbage'\"\n",
    decisions: [decision({ duration: "3h", durationNs: 3 * H })],
    matched: ["t"],
    warnings: ["Failed to parse expr duration result 'garbage'"],
  },
  {
    what: "duration_expr failing: template duration",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 3h}]\nduration_expr: Alert.Events[5].Timestamp\n",
    decisions: [decision({ duration: "3h", durationNs: 3 * H })],
    matched: ["t"],
    warnings: ["Failed to run duration_expr : index out of range: 5 (array length is 1)"],
  },
  {
    what: "a bad template duration is allowed with duration_expr, then 4h when the expression fails",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: soon}]\nduration_expr: \"'x'\"\n",
    decisions: [decision()],
    matched: ["t"],
    warnings: ["Failed to parse expr duration result 'x'"],
  },
  {
    what: "GetActiveDecisionsCount counts decisions not yet expired",
    profiles: "name: t\nfilters: ['GetActiveDecisionsCount(Alert.GetValue()) == 1']\ndecisions: [{type: ban, duration: 4h}]\n",
    history: past(3),
    decisions: [decision()],
    matched: ["t"],
  },
  {
    what: "GetDecisionsSinceCount counts decisions created within the window",
    profiles: "name: t\nfilters: ['GetDecisionsSinceCount(Alert.GetValue(), \"150m\") == 2 && GetDecisionsSinceCount(Alert.GetValue(), \"1d\") == 3']\ndecisions: [{type: ban, duration: 4h}]\n",
    history: past(3),
    decisions: [decision()],
    matched: ["t"],
  },
  {
    what: "GetDecisionsSinceCount with a bad window counts 0 and warns",
    profiles: "name: t\nfilters: ['GetDecisionsSinceCount(Alert.GetValue(), \"soon\") == 0']\ndecisions: [{type: ban, duration: 4h}]\n",
    history: past(3),
    decisions: [decision()],
    matched: ["t"],
    warnings: [`Failed to parse since parameter 'soon' : time: invalid duration "soon"`],
  },
  {
    what: "GetActiveDecisionsTimeLeft is the time left on the last active decision",
    profiles: "name: t\nfilters: ['true']\ndecisions: [{type: ban, duration: 4h}]\nduration_expr: GetActiveDecisionsTimeLeft(Alert.GetValue()) * 2\n",
    history: past(2),
    decisions: [decision({ duration: "1h0m0s", durationNs: H })],
    matched: ["t"],
  },
  {
    what: "alert fields and methods profiles read",
    profiles: [
      "name: t",
      "filters:",
      " - >-",
      "   Alert.Source.Cn == 'FR' && Alert.Source.AsNumber == '3215' && Alert.Source.IP == '1.2.3.4' && Alert.Source.GetAsNumberName() == '3215 Orange'",
      "   && Alert.GetEventsCount() == 6 && Alert.GetScenario() startsWith 'crowdsecurity/ssh' && Alert.Events[0].GetMeta('user') == 'root'",
      "   && Alert.GetMeta('target') == 'web' && 'x' in Alert.Labels && Alert.Capacity == 5 && Alert.Simulated == false && Alert.StopAt == '2026-02-12T14:00:05Z'",
      "   && Alert.GetValue() == Alert.Source.Value && len(Alert.Decisions) == 0",
      "decisions: [{type: ban, duration: 4h}]",
    ].join("\n"),
    alert: { labels: ["x"], meta: [{ key: "target", value: "web" }] },
    decisions: [decision()],
    matched: ["t"],
  },
  {
    what: "an alert with decisions is only routed: names and notifications, no decisions",
    profiles: `name: notify\nfilters: ['true']\nnotifications: [n1]\ndecisions: [{type: captcha, duration: 1h}]\n---\nname: stop\nfilters: ['len(Alert.Decisions) == 1']\nnotifications: [n2]\non_success: break\n---\nname: after\nfilters: ['true']\nnotifications: [n3]\n`,
    alert: { decisions: [{ duration: "4h", origin: "cscli", scenario: "manual", scope: "Ip", type: "ban", value: "1.2.3.4" }] },
    matched: ["notify", "stop"],
    notifications: ["n1", "n2"],
  },
  {
    what: "an alert with decisions: a failing profile is skipped with a warning",
    profiles: `name: bad\nfilters: ['Alert.Events[3].Timestamp == \"\"']\nnotifications: [n1]\n---\nname: good\nfilters: ['true']\nnotifications: [n2]\n`,
    alert: { decisions: [{ duration: "4h", origin: "cscli", scenario: "manual", scope: "Ip", type: "ban", value: "1.2.3.4" }] },
    matched: ["good"],
    notifications: ["n2"],
    warnings: [
      `error while evaluating profile bad : Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`,
    ],
  },
];

const FAILING = "name: bad\nfilters: ['true', 'Alert.Events[3].Timestamp == \"\"']\ndecisions: [{type: captcha, duration: 1h}]\nnotifications: [n1]\n";
const NOT_BOOL = "name: bad\nfilters: ['Alert.GetScope()']\ndecisions: [{type: captcha, duration: 1h}]\n";
const FIRST_FAILS = "name: bad\nfilters: ['Alert.Events[3].Timestamp == \"\"']\ndecisions: [{type: captcha, duration: 1h}]\nnotifications: [n1]\n";

const onErrorCases: Case[] = [
  {
    what: "on_error continue skips the profile (an earlier true filter still counts as a match, without decisions)",
    profiles: `${FAILING}on_error: continue\n---\n${IP_DEFAULT}`,
    decisions: [decision()],
    matched: ["bad", "default_ip_remediation"],
    notifications: ["n1"],
    warnings: [`skipping bad profile due to error: Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`],
  },
  {
    what: "on_error continue when nothing matched first: next profile",
    profiles: `${FIRST_FAILS}on_error: continue\n---\n${IP_DEFAULT}`,
    decisions: [decision()],
    matched: ["default_ip_remediation"],
    warnings: [`skipping bad profile due to error: Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`],
  },
  {
    what: "on_error apply: matched without decisions, on_success break honoured",
    profiles: `${FIRST_FAILS}on_error: apply\non_success: break\n---\n${IP_DEFAULT}`,
    matched: ["bad"],
    notifications: ["n1"],
    warnings: [`applying profile bad despite error: Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`],
  },
  {
    what: "on_error break stops when an earlier filter matched",
    profiles: `${FAILING}on_error: break\n---\n${IP_DEFAULT}`,
    matched: ["bad"],
    notifications: ["n1"],
  },
  {
    what: "on_error break without an earlier match goes on (upstream checks the match first)",
    profiles: `${FIRST_FAILS}on_error: break\n---\n${IP_DEFAULT}`,
    decisions: [decision()],
    matched: ["default_ip_remediation"],
  },
  {
    what: "on_error ignore on a non-bool filter",
    profiles: `${NOT_BOOL}on_error: ignore\n---\n${IP_DEFAULT}`,
    decisions: [decision()],
    matched: ["default_ip_remediation"],
    warnings: [`ignoring error: Cannot evaluate profile "bad": filter returned "Ip", not a bool (while running 'Alert.GetScope()')`],
  },
];

function run(c: Case): ProfileOutcome {
  const profiles = unwrap(loadProfiles({ path: "profiles.yaml", text: c.profiles }));
  const history: DecisionHistory | undefined = c.history ? (value) => (value === "1.2.3.4" ? c.history ?? [] : []) : undefined;
  return unwrap(profiles.evaluate(testAlert(c.alert) as WireAlert, history, TEST_NOW_MS));
}

describe("Profiles.evaluate()", () => {
  test.each([...cases, ...onErrorCases])("$what", (c) => {
    expect(run(c)).toEqual({ decisions: c.decisions ?? [], matched: c.matched ?? [], notifications: c.notifications ?? [], warnings: c.warnings ?? [] });
  });

  const errorCases = [
    {
      what: "a failing filter is the error by default (HTTP 500)",
      profiles: FAILING,
      want: [
        `profiles.yaml:2:32 filters[1]: Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`,
        "  | Alert.Events[3].Timestamp == \"\"",
        "  | ............^",
      ].join("\n"),
    },
    {
      what: "an unknown on_error value is the default",
      profiles: `${FIRST_FAILS}on_error: report\n`,
      want: [
        `profiles.yaml:2:24 filters[0]: Cannot evaluate profile "bad": filter failed: index out of range: 3 (array length is 1) (while running 'Alert.Events[3].Timestamp == ""')`,
        "  | Alert.Events[3].Timestamp == \"\"",
        "  | ............^",
      ].join("\n"),
    },
    {
      what: "a non-bool filter result is an error",
      profiles: NOT_BOOL,
      want: `profiles.yaml:2:11 filters[0]: Cannot evaluate profile "bad": filter returned "Ip", not a bool (while running 'Alert.GetScope()')`,
    },
    {
      what: "a nil filter result is an error",
      profiles: "name: bad\nfilters: ['nil']\n",
      want: `profiles.yaml:2:11 filters[0]: Cannot evaluate profile "bad": filter returned <nil>, not a bool (while running 'nil')`,
    },
  ];

  test.each(errorCases)("$what", ({ profiles, want }) => {
    const p = unwrap(loadProfiles({ path: "profiles.yaml", text: profiles }));
    const r = p.evaluate(testAlert(), undefined, TEST_NOW_MS);
    expect(r.ok ? "no error" : renderProblem(r.error)).toBe(want);
  });

  test("does not change the alert it is given", () => {
    const p = unwrap(loadProfiles({ path: "profiles.yaml", text: IP_DEFAULT }));
    const alert = testAlert();
    const before = structuredClone(alert);
    unwrap(p.evaluate(alert, undefined, TEST_NOW_MS));
    expect(alert).toEqual(before);
  });

  test("helpers see the history of this evaluation only", () => {
    const p = unwrap(loadProfiles({ path: "profiles.yaml", text: ESCALATING }));
    const durations = [past(2), past(0), past(1)].map((h) => unwrap(p.evaluate(testAlert(), () => h, TEST_NOW_MS)).decisions[0]?.duration);
    expect(durations).toEqual(["12h", "4h", "8h"]);
  });
});

describe("loadProfiles()", () => {
  const problemCases = [
    {
      what: "zero profiles",
      text: "# nothing here\n",
      want: "profiles.yaml: Zero profiles loaded for LAPI\n  hint: profiles.yaml needs at least one profile document",
    },
    {
      what: "unknown key names file, line and key",
      text: `${IP_DEFAULT}---\nname: two\nfilters: ['true']\nnotification: [x]\n`,
      want: 'profiles.yaml:11:1 notification: Unknown key "notification" in profile\n  hint: did you mean "notifications"?',
    },
    {
      what: "bad decision duration",
      text: "name: t\nfilters: ['true']\ndecisions:\n - type: ban\n   duration: 4 hours\n",
      want: 'profiles.yaml:5:14 decisions[0].duration: Cannot load profile "t": duration "4 hours" is not a duration: time: unknown unit " hours" in duration "4 hours"',
    },
    {
      what: "filter syntax error points into the file",
      text: "name: t\nfilters:\n - |\n   Alert.Remediation == true &&\n   Alert.GetScope() ==\n",
      want: [
        'profiles.yaml:5:23 filters[0]: Cannot compile filters[0] of profile "t": unexpected token EOF (2:20)',
        "  | Alert.GetScope() ==",
        "  | ...................^",
      ].join("\n"),
    },
    {
      what: "filter type error names the field",
      text: "name: t\nfilters:\n - Alert.Remediaton == true\n",
      want: [
        'profiles.yaml:3:10 filters[0]: Cannot compile filters[0] of profile "t": type models.Alert has no field Remediaton (1:7)',
        "  | Alert.Remediaton == true",
        "  | ......^",
      ].join("\n"),
    },
    {
      what: "duration_expr compile error",
      text: "name: t\nfilters: ['true']\nduration_expr: Sprintf('%dh', NoSuchHelper(1))\n",
      want: [
        'profiles.yaml:3:31 duration_expr: Cannot compile duration_expr of profile "t": unknown name NoSuchHelper (1:16)',
        "  | Sprintf('%dh', NoSuchHelper(1))",
        "  | ...............^",
      ].join("\n"),
    },
    {
      what: "bad on_success",
      text: "name: t\non_success: stop\n",
      want: 'profiles.yaml:2:13 on_success: Invalid on_success "stop" for profile "t": expected "break" or "continue"',
    },
  ];

  test.each(problemCases)("$what", ({ text, want }) => {
    const r = loadProfiles({ path: "profiles.yaml", text });
    expect(r.ok ? "loaded" : renderProblem(r.error)).toBe(want);
  });

  test("readProfiles() reports every problem, and loadProfiles() says how many more", () => {
    const text = "name: a\nfiltres: []\n---\nname: b\ndecisions: [{type: ban, duration: x}]\n---\nname: c\nfilters: ['1 +']\n";
    expect(readProfiles({ path: "p.yaml", text }).problems.map((p) => `${p.line} ${p.code}`)).toEqual(["2 yaml.unknown-key", "5 profiles.duration", "8 expr.syntax"]);
    const r = loadProfiles({ path: "p.yaml", text: "name: a\non_success: x\n---\nname: b\non_failure: y\n" });
    expect(r.ok ? "" : r.error.hint).toBe("and 1 more problem(s)");
  });

  test("a decision without duration loads with a warning", () => {
    const p = unwrap(loadProfiles({ path: "profiles.yaml", text: "name: t\nfilters: ['true']\ndecisions: [{type: ban}]\n" }));
    expect(p.warnings.map(renderProblem)).toEqual(['profiles.yaml:3:13 decisions[0]: No duration specified for profile "t", using default duration 4h']);
  });

  test("names in order, and whether history helpers are used", () => {
    const plain = unwrap(loadProfiles({ path: "p.yaml", text: `${IP_DEFAULT}---\n${RANGE_DEFAULT}` }));
    const escalating = unwrap(loadProfiles({ path: "p.yaml", text: ESCALATING }));
    expect([plain.names, plain.usesHistory, escalating.names, escalating.usesHistory]).toEqual([
      ["default_ip_remediation", "default_range_remediation"],
      false,
      ["escalating"],
      true,
    ]);
  });
});
