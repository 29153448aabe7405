import { describe, expect, test } from "bun:test";
import { parseIpOrRange, type AlertFilter, type DecisionFilter } from "../db";
import { parseAlertFilter, parseDecisionDeleteFilter, parseDecisionFilter, parseDurationDays, parseGoBool, parseStreamParams } from "./filters";

const now = new Date("2026-11-23T18:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const range = (text: string, contains = true) => {
  const r = parseIpOrRange(text);
  if (!r.ok) throw new Error(r.error.message);
  return { range: r.value, contains };
};
const q = (s: string) => new URLSearchParams(s);

describe("parseAlertFilter()", () => {
  const ok: { query: string; want: AlertFilter }[] = [
    { query: "", want: {} },
    { query: "has_active_decision=true&include_capi=false&limit=100", want: { hasActiveDecision: true, includeCapi: false, limit: 100 } },
    { query: "include_capi=true&limit=0&scenario=crowdsecurity%2Fssh-bf", want: { limit: 0, scenario: "crowdsecurity/ssh-bf" } },
    { query: "origin=cscli&include_capi=false", want: { origin: "cscli" } },
    { query: "scope=ip&value=1.2.3.4", want: { scope: "Ip", value: "1.2.3.4" } },
    { query: "scope=RANGE", want: { scope: "Range" } },
    { query: "scope=Country", want: { scope: "Country" } },
    { query: "ip=1.2.3.4", want: { range: range("1.2.3.4") } },
    { query: "contains=false&range=10.0.0.0%2F16", want: { range: range("10.0.0.0/16", false) } },
    { query: "since=4h&until=2d&created_before=30m", want: { since: ago(4 * 3600_000), until: ago(48 * 3600_000), createdBefore: ago(1800_000) } },
    { query: "simulated=false", want: { simulated: false } },
    { query: "simulated=true", want: {} },
    { query: "has_active_decision=0", want: { hasActiveDecision: false } },
    { query: "decision_type=ban&sort=ASC", want: { decisionType: "ban", sort: "ASC" } },
    { query: "sort=sideways", want: {} },
  ];
  test.each(ok)("?$query", ({ query, want }) => {
    expect(parseAlertFilter(q(query), now)).toEqual({ ok: true, value: want });
  });

  const errors = [
    { query: "foo=bar", want: "Filter parameter 'foo' is unknown (=bar): invalid filter" },
    { query: "since=bad", want: 'while parsing duration: strconv.Atoi: parsing "ba": invalid syntax' },
    { query: "since=1x", want: 'while parsing duration: time: unknown unit "x" in duration "1x"' },
    { query: "until=d", want: "while parsing duration: 'd' can't be parsed as duration" },
    { query: "limit=x", want: "bad limit in parameters: [x]: unable to query" },
    { query: "has_active_decision=x", want: `'x' is not a boolean: strconv.ParseBool: parsing "x": invalid syntax: unable to parse type` },
    { query: "contains=maybe", want: `invalid contains value : strconv.ParseBool: parsing "maybe": invalid syntax: invalid filter` },
    { query: "ip=not-an-ip", want: "unable to convert 'not-an-ip' to int: invalid address: invalid ip address / range" },
    { query: "range=1.2.3.4%2F99", want: "unable to convert '1.2.3.4/99' to int: while parsing range 1.2.3.4/99: invalid CIDR address: 1.2.3.4/99: invalid ip address / range" },
  ];
  test.each(errors)("?$query → $want", ({ query, want }) => {
    expect(parseAlertFilter(q(query), now)).toEqual({ ok: false, error: want });
  });
});

describe("parseDecisionFilter()", () => {
  const ok: { query: string; want: DecisionFilter }[] = [
    { query: "", want: { includeSimulated: false } },
    { query: "ip=10.0.0.5&unknown=1", want: { includeSimulated: false, range: range("10.0.0.5") } },
    { query: "scopes=ip,RANGE,country,as,Username", want: { includeSimulated: false, scopes: ["Ip", "Range", "Country", "AS", "Username"] } },
    { query: "scope=ip", want: { includeSimulated: false } },
    { query: "origins=CAPI,cscli&type=ban&value=1.2.3.4", want: { includeSimulated: false, origins: ["CAPI", "cscli"], type: "ban", value: "1.2.3.4" } },
    { query: "scenarios_containing=ssh,http&scenarios_not_containing=bf", want: { includeSimulated: false, scenariosContaining: ["ssh", "http"], scenariosNotContaining: ["bf"] } },
    { query: "simulated=true", want: { includeSimulated: true } },
    { query: "simulated=false", want: { includeSimulated: false } },
  ];
  test.each(ok)("?$query", ({ query, want }) => {
    expect(parseDecisionFilter(q(query))).toEqual({ ok: true, value: want });
  });
  test("a bad ip is upstream's InvalidIPOrRange text", () => {
    expect(parseDecisionFilter(q("ip=notanip"))).toEqual({ ok: false, error: "unable to convert 'notanip' to int: invalid address: invalid ip address / range" });
  });
});

describe("parseStreamParams()", () => {
  test.each<{ query: string; want: { filter: DecisionFilter; dedup: boolean; startup: boolean } }>([
    { query: "startup=true", want: { filter: { includeSimulated: false, scopes: ["Ip", "Range"] }, dedup: true, startup: true } },
    { query: "", want: { filter: { includeSimulated: false, scopes: ["Ip", "Range"] }, dedup: true, startup: false } },
    { query: "scopes=ip,range,country&dedup=false", want: { filter: { includeSimulated: false, scopes: ["Ip", "Range", "Country"] }, dedup: false, startup: false } },
  ])("?$query", ({ query, want }) => {
    expect(parseStreamParams(q(query))).toEqual({ ok: true, value: want });
  });
});

describe("parseDecisionDeleteFilter()", () => {
  test.each([
    { query: "", want: { ok: true, value: {} } },
    { query: "ip=5.6.7.8", want: { ok: true, value: { range: range("5.6.7.8") } } },
    { query: "scopes=Country&value=FR&type=ban&origin=cscli&scenario=x", want: { ok: true, value: { scope: "Country", value: "FR", type: "ban", origin: "cscli", scenario: "x" } } },
    { query: "foo=1", want: { ok: false, error: "'foo' doesn't exist: invalid filter" } },
  ])("?$query", ({ query, want }) => {
    expect(parseDecisionDeleteFilter(q(query))).toEqual(want as never);
  });
});

test("parseGoBool() and parseDurationDays() follow Go", () => {
  expect(["1", "t", "TRUE", "True", "0", "F", "false"].map((w) => parseGoBool(w))).toEqual([true, true, true, true, false, false, false].map((v) => ({ ok: true, value: v })));
  expect(parseGoBool("yes")).toEqual({ ok: false, error: 'strconv.ParseBool: parsing "yes": invalid syntax' });
  expect(parseDurationDays("2d")).toEqual({ ok: true, value: 48 * 3600e9 });
  expect(parseDurationDays("1h30m")).toEqual({ ok: true, value: 5400e9 });
});
