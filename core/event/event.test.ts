import { describe, expect, test } from "bun:test";
import { compileExpr, ExprRuntimeError, GoTime, type EnvSpec, type StructType } from "../expr";
import { renderProblem } from "../result";
import {
  Alert, ALERT_TYPE, APIEvent, API_EVENT_TYPE, AppsecEvent, APPSEC_EVENT_TYPE, CONDITION_ENV, Decision, DECISION_TYPE, Event, EVENT_TYPE, Line, LINE_TYPE,
  MetaItem, META_ITEM_TYPE, newLogEvent, newMap, OVFLW, PARSER_ASSERT_ENV, PARSER_ENV, RuntimeAlert, RUNTIME_ALERT_TYPE, SCENARIO_ASSERT_ENV, Source,
  SOURCE_TYPE, TIMEMACHINE, type ParserResult,
} from "./index";

const T0 = new GoTime(Date.UTC(2021, 2, 6, 10, 30, 0));

function logEvent(): Event {
  const e = newLogEvent({ raw: "Feb 12 14:10:21 host sshd[1]: x", src: "sshd.log", labels: { type: "syslog" }, time: T0 });
  e.Parsed = Object.assign(newMap<string>(), { program: "sshd", empty: "" });
  e.Meta = Object.assign(newMap<string>(), { source_ip: "1.2.3.4", log_type: "ssh_failed-auth" });
  e.Enriched = newMap<string>();
  e.Unmarshaled = Object.assign(newMap<unknown>(), { traefik: { ClientHost: "5.6.7.8", Duration: 1500 } });
  e.Time = T0;
  e.Appsec.MatchedRules = [
    { id: 1001, name: "crowdsecurity/vpatch-x", tags: ["CVE", "http"], kind: "vpatch", severity: "critical", severity_int: 2, matched_zones: ["ARGS"], disruptive: true, uri: "/x", method: "GET", hash: "h", version: "v1" },
    { id: 1002, name: "crowdsecurity/other", tags: ["http"], kind: "generic", severity: "notice", severity_int: 5, matched_zones: ["ARGS", "HEADERS"], disruptive: false },
  ];
  e.Appsec.HasInBandMatches = true;
  e.Appsec.Vars = Object.assign(newMap<string>(), { "tx.score": "5" });
  return e;
}

function overflowEvent(): Event {
  const e = new Event();
  e.Type = OVFLW;
  const src = new Source();
  src.IP = "1.2.3.4";
  src.Scope = "Ip";
  src.Value = "1.2.3.4";
  const ev = new APIEvent();
  ev.Meta = [new MetaItem("http_path", "/admin"), new MetaItem("source_ip", "1.2.3.4")];
  const alert = new Alert();
  alert.Scenario = "crowdsecurity/ssh-bf";
  alert.EventsCount = 6;
  alert.Remediation = true;
  alert.Source = src;
  alert.Events = [ev];
  alert.Meta = [new MetaItem("k", "v")];
  e.Overflow.Sources = { "1.2.3.4": src };
  e.Overflow.Alert = alert;
  e.Overflow.APIAlerts = [alert];
  return e;
}

function run(src: string, env: EnvSpec, vars: Record<string, unknown>): unknown {
  const r = compileExpr(src, { env });
  if (!r.ok) throw new Error(renderProblem(r.error));
  const v = r.value.run(vars);
  if (v instanceof ExprRuntimeError) throw new Error(v.toString());
  return v;
}

describe("newLogEvent()", () => {
  test("fills the line as a one-shot file datasource does", () => {
    const e = newLogEvent({ raw: "l", src: "f.log", labels: { type: "nginx" } });
    expect([e.Type, e.ExpectMode, e.Process, e.Line.Raw, e.Line.Src, e.Line.Module, e.Line.Process, e.Line.Labels?.type]).toEqual([0, TIMEMACHINE, true, "l", "f.log", "file", true, "nginx"]);
    expect([e.Parsed, e.Meta, e.Enriched]).toEqual([null, null, null]);
    expect(e.Unmarshaled).toEqual({});
    expect(Object.getPrototypeOf(e.Unmarshaled)).toBeNull();
  });
});

describe("event expressions", () => {
  const log = logEvent();
  const ovf = overflowEvent();
  const cases: [string, Event, unknown][] = [
    ["evt.Line.Labels.type == 'syslog' && evt.Parsed.program in ['sshd', 'sshd-session']", log, true],
    ["evt.Line.Labels.missing", log, ""],
    ["evt.Parsed.missing == '' && 'missing' not in evt.Parsed && 'empty' in evt.Parsed", log, true],
    ["evt.Meta['log_type']", log, "ssh_failed-auth"],
    ["evt.Enriched.nope", log, ""],
    ["evt.Unmarshaled.traefik.ClientHost", log, "5.6.7.8"],
    ["evt.Unmarshaled.traefik?.RouterName ?? ''", log, ""],
    ["evt.Unmarshaled.nginx?.x", log, null],
    ["evt.GetType()", log, "log"],
    ["evt.GetType()", ovf, "overflow"],
    ["evt.GetMeta('source_ip')", log, "1.2.3.4"],
    ["evt.GetMeta('http_path')", ovf, "/admin"],
    ["evt.GetMeta('nope')", ovf, ""],
    ["evt.Time.Weekday().String() == 'Saturday' && evt.Time.Hour() >= 6", log, true],
    ["evt.Line.Time.Unix()", log, 1615026600],
    ["evt.StrTime == '' && evt.Stage == '' && !evt.Whitelisted", log, true],
    ["evt.Overflow.GetSources()", ovf, ["1.2.3.4"]],
    ["'1.2.3.4' in evt.Overflow.GetSources()", ovf, true],
    ["evt.Overflow.Sources['1.2.3.4'].GetScope()", ovf, "Ip"],
    ["evt.Overflow.Sources['1.2.3.4'].IP", ovf, "1.2.3.4"],
    ["evt.Overflow.Sources['9.9.9.9'].GetValue()", ovf, ""],
    ["evt.Overflow.Sources['9.9.9.9'].Range", ovf, ""],
    ["evt.Overflow.Alert.GetScope() == 'Ip'", ovf, true],
    ["evt.Overflow.Alert.GetScope()", log, ""],
    ["evt.Overflow.Alert.GetScenario()", ovf, "crowdsecurity/ssh-bf"],
    ["evt.Overflow.Alert.GetEventsCount()", ovf, 6],
    ["evt.Overflow.Alert.GetMeta('k')", ovf, "v"],
    ["evt.Overflow.Alert.Source.IP", ovf, "1.2.3.4"],
    ["evt.Overflow.Alert.Events[0].GetMeta('http_path')", ovf, "/admin"],
    ["evt.Overflow.Alert.Remediation", ovf, true],
    ["len(evt.Overflow.APIAlerts)", ovf, 1],
    ["evt.Overflow.Alert?.Source?.IP", log, null],
    ["evt.Appsec.HasInBandMatches && !evt.Appsec.HasOutBandMatches", log, true],
    ["evt.Appsec.GetName()", log, "crowdsecurity/vpatch-x"],
    ["evt.Appsec.GetRuleIDs()", log, [1001, 1002]],
    ["evt.Appsec.GetNames()", log, ["crowdsecurity/vpatch-x", "crowdsecurity/other"]],
    ["evt.Appsec.Kinds()", log, ["vpatch", "generic"]],
    ["evt.Appsec.GetMatchedZones()", log, ["ARGS", "HEADERS"]],
    ["evt.Appsec.ByTag('CVE').GetName()", log, "crowdsecurity/vpatch-x"],
    ["len(evt.Appsec.ByTags(['http', 'CVE']))", log, 3],
    ["len(evt.Appsec.ByTagRx('^C'))", log, 1],
    ["evt.Appsec.ByID(1002).GetName()", log, "crowdsecurity/other"],
    ["len(evt.Appsec.ByKind('vpatch').BySeverity('critical'))", log, 1],
    ["len(evt.Appsec.ByDisruptiveness(false))", log, 1],
    ["evt.Appsec.GetHighestSeverity().String()", log, "critical"],
    ["evt.Appsec.GetField('kind')", log, ["vpatch", "generic"]],
    ["evt.Appsec.GetVar('tx.score')", log, "5"],
    ["evt.Appsec.GetVar('nope')", log, ""],
    ["len(evt.Appsec.MatchedRules)", log, 2],
    ["any(evt.Appsec.MatchedRules, {.id == 1001})", log, true],
    ["evt.Appsec.GetName()", ovf, ""],
  ];
  test.each(cases)("%s", (src, evt, want) => {
    expect(run(src, PARSER_ENV, { evt })).toEqual(want);
  });

  test("SetMeta and SetParsed write through, creating the map", () => {
    const e = newLogEvent({ raw: "x" });
    expect(run("evt.SetMeta('k', 'v') && evt.SetParsed('p', 'q') && evt.Meta.k == 'v'", PARSER_ENV, { evt: e })).toBe(true);
    expect([e.Meta?.k, e.Parsed?.p]).toEqual(["v", "q"]);
  });

  test("methods work on plain objects shaped like events", () => {
    expect(run("evt.GetMeta('a') + evt.GetType()", PARSER_ENV, { evt: { Type: 0, Meta: { a: "1" } } })).toBe("1log");
  });

  test.each([
    ["evt.Foo", "type pipeline.Event has no field Foo (1:5)"],
    ["evt.Line.raw", "type pipeline.Line has no field raw (1:10)"],
    ["evt.Parsed.status == 404", "invalid operation: == (mismatched types string and int) (1:19)"],
    ["evt.GetMeta()", "not enough arguments to call GetMeta (1:5)"],
    ["evt.Overflow.Alert.Nope()", "type models.Alert has no method Nope (1:20)"],
    ["not evt.Meta.x in ['a']", "invalid operation: not (mismatched type string) (1:1)"],
  ])("%s does not compile", (src, message) => {
    const r = compileExpr(src, { env: PARSER_ENV });
    expect(r.ok ? "<compiled>" : r.error.message).toBe(message);
  });

  test("a field read through a nil alert pointer fails at run time", () => {
    const r = compileExpr("evt.Overflow.Alert.Source.IP", { env: PARSER_ENV });
    const v = r.ok ? r.value.run({ evt: logEvent() }) : null;
    expect(v instanceof ExprRuntimeError ? v.message : v).toBe("cannot get Source from *models.Alert: nil pointer");
  });
});

describe("environments", () => {
  test("condition expressions see the bucket queue and leaky", () => {
    const a = logEvent();
    const b = logEvent();
    b.Time = T0.Add(90e9);
    const queue = { Queue: [a, b], L: 5 };
    const leaky = { Mode: 1, Mapkey: "k", Uuid: "u", First_ts: T0, Last_ts: b.Time, Ovflw_ts: GoTime.ZERO, Total_count: 2, Duration: 10e9, Queue: queue };
    const vars = { evt: b, queue, leaky };
    expect(run("len(queue.Queue) >= 2 && queue.Queue[-1].Meta.log_type == 'ssh_failed-auth'", CONDITION_ENV, vars)).toBe(true);
    expect(run("let f = filter(queue.Queue, {#.Meta.log_type == 'ssh_failed-auth'}); f[-1].Time.Sub(f[0].Time) > duration('1m')", CONDITION_ENV, vars)).toBe(true);
    expect(run("map(queue.Queue[-2:], {#.Time.Unix()})", CONDITION_ENV, vars)).toEqual([1615026600, 1615026690]);
    expect(run("leaky.Total_count + len(leaky.Queue.Queue)", CONDITION_ENV, vars)).toBe(4);
    expect(run("leaky.Last_ts.Sub(leaky.First_ts) > leaky.Duration", CONDITION_ENV, vars)).toBe(true);
  });

  test("parser assertions read the dump map", () => {
    const e = logEvent();
    const results: Record<string, Record<string, ParserResult[]>> = {
      "s01-parse": { "crowdsecurity/sshd-logs": [{ Idx: 1, Evt: e, Success: true }] },
      success: { "": [] },
    };
    const vars = { results };
    expect(run("len(results)", PARSER_ASSERT_ENV, vars)).toBe(2);
    expect(run('results["s01-parse"]["crowdsecurity/sshd-logs"][0].Success == true', PARSER_ASSERT_ENV, vars)).toBe(true);
    expect(run('results["s01-parse"]["crowdsecurity/sshd-logs"][0].Evt.Parsed["program"] == "sshd"', PARSER_ASSERT_ENV, vars)).toBe(true);
    expect(run('results["s01-parse"]["crowdsecurity/sshd-logs"][0].Evt.Unmarshaled["traefik"]["Duration"] == 1500', PARSER_ASSERT_ENV, vars)).toBe(true);
    expect(run('len(results["s02-enrich"]["x"])', PARSER_ASSERT_ENV, vars)).toBe(0);
    const r = compileExpr('results["s02-enrich"]["x"][0].Success', { env: PARSER_ASSERT_ENV });
    const v = r.ok ? r.value.run(vars) : null;
    expect(v instanceof ExprRuntimeError ? v.message : v).toBe("index out of range: 0 (array length is 0)");
  });

  test("scenario assertions read the overflow list", () => {
    const vars = { results: [overflowEvent()] };
    expect(run('"1.2.3.4" in results[0].Overflow.GetSources()', SCENARIO_ASSERT_ENV, vars)).toBe(true);
    expect(run('results[0].Overflow.Sources["1.2.3.4"].GetValue() == "1.2.3.4"', SCENARIO_ASSERT_ENV, vars)).toBe(true);
    expect(run('results[0].Overflow.Alert.Events[0].GetMeta("source_ip")', SCENARIO_ASSERT_ENV, vars)).toBe("1.2.3.4");
    expect(run("results[0].Overflow.Alert.GetEventsCount() == 6", SCENARIO_ASSERT_ENV, vars)).toBe(true);
  });
});

describe("type descriptors", () => {
  // every class field is a declared struct field and the reverse, so expressions see the whole object
  test.each([
    ["Event", new Event(), EVENT_TYPE],
    ["Line", new Line(), LINE_TYPE],
    ["RuntimeAlert", new RuntimeAlert(), RUNTIME_ALERT_TYPE],
    ["Alert", new Alert(), ALERT_TYPE],
    ["Source", new Source(), SOURCE_TYPE],
    ["APIEvent", new APIEvent(), API_EVENT_TYPE],
    ["MetaItem", new MetaItem(), META_ITEM_TYPE],
    ["Decision", new Decision(), DECISION_TYPE],
    ["AppsecEvent", new AppsecEvent(), APPSEC_EVENT_TYPE],
  ] as [string, object, StructType][])("%s matches its StructType", (_, instance, type) => {
    expect(Object.keys(instance).sort()).toEqual(Object.keys(type.fields).sort());
  });

  test("class methods agree with the expression methods", () => {
    const o = overflowEvent();
    const l = logEvent();
    expect([o.GetMeta("http_path"), l.GetMeta("source_ip"), o.GetType(), l.GetType()]).toEqual(["/admin", "1.2.3.4", "overflow", "log"]);
    expect([o.Overflow.Alert?.GetScope(), o.Overflow.Alert?.GetEventsCount(), o.Overflow.GetSources()]).toEqual(["Ip", 6, ["1.2.3.4"]]);
  });

  test("ParseIPSources keeps valid IPs only", () => {
    const l = logEvent();
    const o = overflowEvent();
    o.Overflow.Sources = { "1.2.3.4": new Source(), "10.0.0.0/8": new Source(), "::1": new Source() };
    expect([l.ParseIPSources(), o.ParseIPSources()]).toEqual([["1.2.3.4"], ["1.2.3.4", "::1"]]);
  });
});
