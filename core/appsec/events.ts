/**
 * What a matched phase emits (APPSEC.md §2.6, upstream pkg/appsec/event.go and
 * acquisition/modules/appsec/utils.go): the LOG event that goes through parsers and scenarios,
 * and the APPSEC event carrying a direct alert.
 */
import { Alert, APIEvent, APPSEC, Event, LIVE, LOG, MetaItem, newMap, Source, type MatchedRule } from "../event";
import { GoTime } from "../expr";
import type { Interruption } from "./engine";
import type { AppsecRequest } from "./request";
import { SEVERITIES } from "./zones";

export type Band = "inband" | "outofband";

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The base LOG event of a request (upstream EventFromRequest). */
export function baseEvent(request: AppsecRequest, labels: Readonly<Record<string, string>>, nowMs: number): Event {
  const e = new Event();
  e.Type = LOG;
  e.ExpectMode = LIVE;
  e.Process = true;
  e.Stage = "s00-raw";
  e.Parsed = Object.assign(newMap<string>(), {
    source_ip: request.clientIp,
    target_host: request.host,
    target_uri: request.uri,
    method: request.method,
    req_uuid: request.uuid,
    source: "crowdsec-appsec",
    remediation_cmpt_ip: request.remoteAddr,
  });
  e.Line.Time = new GoTime(nowMs);
  e.Line.Labels = Object.assign(newMap<string>(), labels);
  e.Line.Process = true;
  e.Line.Module = "appsec";
  e.Line.Src = "appsec";
  e.Line.Raw = "dummy-appsec-data";
  e.Unmarshaled = newMap<unknown>();
  return e;
}

const INTERNAL_COLLECTIONS = new Set(["REQBODY_PROCESSOR", "UNKNOWN", "TX"]);

function ruleMap(fields: {
  id: number; name: string; hash: string; version: string; msg: string; uri: string; method: string; band: Band; tags: readonly string[];
  file: string; severity: string; severityInt: number; matchedZones: string[]; logdata: string;
}): MatchedRule {
  const m: MatchedRule = {
    id: fields.id, uri: fields.uri, rule_type: fields.band, method: fields.method, disruptive: true, tags: [...fields.tags], file: fields.file,
    file_line: 0, revision: "", secmark: "", accuracy: 0, msg: fields.msg, severity: fields.severity, severity_int: fields.severityInt,
    name: fields.name, hash: fields.hash, version: fields.version, matched_zones: fields.matchedZones, logdata: fields.logdata,
  };
  const collections = fields.matchedZones.map((z) => z.split(".")[0] ?? "");
  if (collections.length > 0 && collections.every((c) => INTERNAL_COLLECTIONS.has(c))) m.internal = true;
  return m;
}

/** Fills the event with a phase's match (upstream AccumulateTxToEvent): phase fields, tracked variables, the matched rule. */
export function accumulateMatch(
  e: Event,
  band: Band,
  interruption: Interruption | undefined,
  dropReason: string | undefined,
  tracked: Readonly<Record<string, string>>,
): void {
  const meta = (e.Meta ??= newMap<string>());
  const parsed = (e.Parsed ??= newMap<string>());
  e.Appsec.Vars ??= Object.assign(newMap<string>(), tracked);
  if (band === "inband") {
    meta.appsec_interrupted = "true";
    meta.appsec_action = "deny";
    parsed.inband_interrupted = "true";
    parsed.inband_action = "deny";
    e.Appsec.HasInBandMatches = true;
  } else {
    parsed.outofband_interrupted = "true";
    parsed.outofband_action = "deny";
    e.Appsec.HasOutBandMatches = true;
  }
  if (dropReason !== undefined && dropReason !== "") {
    meta.appsec_drop_reason = dropReason;
    parsed.appsec_drop_reason = dropReason;
  }
  const uri = parsed.target_uri ?? "";
  const method = parsed.method ?? "";
  const rules: MatchedRule[] = (e.Appsec.MatchedRules ??= []);
  if (interruption) {
    const r = interruption.rule;
    rules.push(ruleMap({
      id: interruption.chain.id, name: r.name, hash: r.hash, version: r.version, msg: r.msg, uri, method, band, tags: r.tags, file: "",
      severity: r.severity, severityInt: r.severityInt, matchedZones: [...interruption.matchedZones], logdata: "",
    }));
  }
  if (dropReason !== undefined) {
    const notice = SEVERITIES.indexOf("notice");
    rules.push(ruleMap({
      id: 0, name: dropReason !== "" ? dropReason : "crowdsec.drop-request", hash: "", version: "", msg: dropReason, uri, method, band,
      tags: ["crowdsec:drop-request", `crowdsec:drop-request:${band}`], file: "crowdsec:drop_request", severity: "notice", severityInt: notice,
      matchedZones: ["PRE_EVAL"], logdata: dropReason,
    }));
  }
}

function meta(key: string, value: string): MetaItem {
  const m = new MetaItem();
  m.Key = key;
  m.Value = value;
  return m;
}

/** The APPSEC event with a direct alert (upstream AppsecEventGeneration); undefined without matches. */
export function alertEvent(e: Event, request: AppsecRequest, nowMs: number): Event | undefined {
  const a = e.Appsec;
  if (!a.HasInBandMatches && !a.HasOutBandMatches) return undefined;
  const out = new Event();
  out.Type = APPSEC;
  out.Process = true;
  if (a.HookVars && Object.keys(a.HookVars).length > 0) out.Appsec.HookVars = a.HookVars;
  const ip = e.Parsed?.source_ip ?? "";
  const source = new Source();
  source.Value = ip;
  source.IP = ip;
  source.Scope = "Ip";
  out.Overflow.Sources = Object.assign(newMap<Source>(), { [ip]: source });
  const now = rfc3339(nowMs);
  const alert = new Alert();
  alert.Capacity = 1;
  alert.Events = [];
  const rules = a.MatchedRules ?? [];
  for (const rule of rules) {
    const ev = new APIEvent();
    const items: MetaItem[] = [];
    if (typeof rule.name === "string") items.push(meta("rule_name", rule.name));
    if (typeof rule.msg === "string") items.push(meta("message", rule.msg));
    if (typeof rule.uri === "string") items.push(meta("uri", rule.uri));
    if (Array.isArray(rule.matched_zones)) items.push(meta("matched_zones", (rule.matched_zones as string[]).join(",")));
    if (typeof rule.logdata === "string") items.push(meta("data", rule.logdata));
    items.push(meta("target_fqdn", request.host));
    ev.Meta = items;
    ev.Timestamp = now;
    alert.Events.push(ev);
  }
  alert.EventsCount = alert.Events.length;
  alert.Leakspeed = "";
  let highest = 255;
  for (const r of rules) if (typeof r.severity_int === "number" && r.severity_int < highest) highest = r.severity_int;
  const sevName = SEVERITIES[highest] ?? "unknown";
  let sevRules = rules.filter((r) => r.severity === sevName);
  if (sevRules.length === 0) sevRules = rules;
  let scenario = "";
  for (const r of sevRules) {
    if (typeof r.name !== "string") continue;
    if (!r.name.startsWith("native_rule:")) {
      scenario = r.name;
      break;
    }
  }
  if (scenario === "" && sevRules.length > 0 && typeof sevRules[0]!.msg === "string") scenario = sevRules[0]!.msg;
  if (scenario === "") scenario = (typeof rules[0]?.name === "string" ? rules[0].name : "") || "crowdsec.appsec-event";
  alert.Scenario = scenario;
  alert.ScenarioHash = typeof rules[0]?.hash === "string" ? rules[0].hash : "";
  alert.ScenarioVersion = typeof rules[0]?.version === "string" ? rules[0].version : "";
  alert.Simulated = false;
  alert.Source = source;
  alert.Kind = "waf";
  const prefix = a.HasInBandMatches ? "WAF block: " : "WAF out-of-band match: ";
  alert.Message = `${prefix}${scenario} from ${ip} (${e.Parsed?.remediation_cmpt_ip ?? ""})`;
  alert.StartAt = now;
  alert.StopAt = now;
  out.Overflow.APIAlerts = [alert];
  out.Overflow.Alert = alert;
  return out;
}
