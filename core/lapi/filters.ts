/**
 * Query parameters → store filters, with the error texts CrowdSec 1.4.6 answers (LAPI.md §5.2,
 * §6–§8; upstream pkg/database/alerts.go AlertPredicatesFromFilter, decisions.go
 * BuildDecisionRequestWithFilter, SoftDeleteDecisionsWithFilter). An error is the whole message
 * the Local API puts in `{"message":…}` with status 500.
 */
import type { AlertFilter, DecisionDeleteFilter, DecisionFilter, RangeQuery, StreamQuery } from "../db";
import { parseIpOrRange } from "../db";
import { parseDuration } from "../expr";
import { err, ok, type Result } from "../result";

const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** Go's strconv.ParseBool; the error text is Go's. */
export function parseGoBool(text: string): Result<boolean, string> {
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return err(`strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
}

/** strconv.Quote for the texts we echo (ASCII printable kept, the rest escaped as JSON would). */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** Go's strconv.Atoi: an optional sign and decimal digits that fit an int64. */
function parseGoInt(text: string): Result<number, string> {
  if (!/^[+-]?\d+$/.test(text)) return err(`strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return err(`strconv.Atoi: parsing ${goQuote(text)}: value out of range`);
  return ok(n);
}

/**
 * CrowdSec's types.ParseDuration (1.4.6): a trailing `d` means days (`2d` = 48h, the part before
 * the first `d` must be an integer); anything else is Go's time.ParseDuration. Nanoseconds.
 */
export function parseDurationDays(text: string): Result<number, string> {
  let goText = text;
  if (text.endsWith("d")) {
    const days = text.split("d")[0]!;
    if (days === "") return err(`'${text}' can't be parsed as duration`);
    const n = parseGoInt(days);
    if (!n.ok) return n;
    goText = `${n.value * 24}h`;
  }
  const d = parseDuration(goText);
  return d.ok ? ok(d.ns) : err(d.message);
}

/** The `ip`/`range` parameter as a range query; the error is upstream's InvalidIPOrRange text. */
function parseRangeParam(text: string, contains: boolean): Result<RangeQuery, string> {
  const r = parseIpOrRange(text);
  if (r.ok) return ok({ range: r.value, contains });
  const why = text.includes("/") ? `while parsing range ${text}: invalid CIDR address: ${text}` : "invalid address";
  return err(`unable to convert '${text}' to int: ${why}: invalid ip address / range`);
}

/**
 * `ip` / `range` (the later one in the query wins) with `contains` (default true), read the same
 * way by every route that filters on an address (LAPI.md §10.3).
 */
function rangeParams(values: Map<string, string>): Result<RangeQuery | undefined, string> {
  let contains = true;
  const c = values.get("contains");
  if (c !== undefined) {
    const b = parseGoBool(c);
    if (!b.ok) return err(`invalid contains value : ${b.error}: invalid filter`);
    contains = b.value;
  }
  let text: string | undefined;
  for (const [param, value] of values) if (param === "ip" || param === "range") text = value;
  return text === undefined ? ok(undefined) : parseRangeParam(text, contains);
}

const FOLDED_SCOPES: Readonly<Record<string, string>> = { ip: "Ip", range: "Range", country: "Country", as: "AS" };

/** `ip`, `range` (any case) → `Ip`, `Range`; other scopes verbatim (alert `scope` filter). */
function foldIpScope(scope: string): string {
  const lower = scope.toLowerCase();
  return lower === "ip" ? "Ip" : lower === "range" ? "Range" : scope;
}

/** Each parameter once, first value, in query order (Go reads `value[0]`). */
function firstValues(params: URLSearchParams): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of params) if (!out.has(k)) out.set(k, v);
  return out;
}

/** GET and DELETE /v1/alerts. Unknown parameters are an error (500), unlike the decision routes. */
export function parseAlertFilter(params: URLSearchParams, now: Date): Result<AlertFilter, string> {
  const values = firstValues(params);
  const filter: AlertFilter = {};
  const range = rangeParams(values);
  if (!range.ok) return range;
  if (range.value) filter.range = range.value;
  const ago = (text: string): Result<Date, string> => {
    const d = parseDurationDays(text);
    return d.ok ? ok(new Date(now.getTime() - d.value / 1e6)) : err(`while parsing duration: ${d.error}`);
  };
  for (const [param, value] of values) {
    switch (param) {
      case "scope":
        filter.scope = foldIpScope(value);
        break;
      case "value":
        filter.value = value;
        break;
      case "scenario":
        filter.scenario = value;
        break;
      case "contains":
      case "ip":
      case "range":
        break; // rangeParams
      case "since": {
        const t = ago(value);
        if (!t.ok) return t;
        filter.since = t.value;
        break;
      }
      case "until": {
        const t = ago(value);
        if (!t.ok) return t;
        filter.until = t.value;
        break;
      }
      case "created_before": {
        const t = ago(value);
        if (!t.ok) return t;
        filter.createdBefore = t.value;
        break;
      }
      case "decision_type":
        filter.decisionType = value;
        break;
      case "origin":
        filter.origin = value;
        break;
      case "include_capi":
        // 1.4.6: only the exact word "false" filters; other values are logged and ignored
        if (value === "false") filter.includeCapi = false;
        break;
      case "has_active_decision": {
        const b = parseGoBool(value);
        if (!b.ok) return err(`'${value}' is not a boolean: ${b.error}: unable to parse type`);
        filter.hasActiveDecision = b.value;
        break;
      }
      case "limit": {
        const n = parseGoInt(value);
        if (!n.ok) return err(`bad limit in parameters: [${value}]: unable to query`);
        filter.limit = Math.max(0, n.value);
        break;
      }
      case "sort":
        if (value === "ASC" || value === "DESC") filter.sort = value;
        break;
      case "simulated":
        if (value === "false") filter.simulated = false;
        break;
      default:
        return err(`Filter parameter '${param}' is unknown (=${value}): invalid filter`);
    }
  }
  // an origin filter lifts include_capi, as upstream rewrites the parameter
  if (filter.origin !== undefined) delete filter.includeCapi;
  return ok(filter);
}

/** GET /v1/decisions (and the stream's filters). Unknown parameters are ignored. */
export function parseDecisionFilter(params: URLSearchParams): Result<DecisionFilter, string> {
  const values = firstValues(params);
  const filter: DecisionFilter = {};
  const range = rangeParams(values);
  if (!range.ok) return range;
  if (range.value) filter.range = range.value;
  const list = (v: string) => v.split(",");
  // 1.4.6: simulated decisions are hidden unless `simulated` is given with anything but "false"
  const simulated = values.get("simulated");
  filter.includeSimulated = simulated !== undefined && simulated !== "false";
  for (const [param, value] of values) {
    switch (param) {
      case "scopes":
        filter.scopes = list(value).map((s) => FOLDED_SCOPES[s.toLowerCase()] ?? s);
        break;
      case "value":
        filter.value = value;
        break;
      case "type":
        filter.type = value;
        break;
      case "origins":
        filter.origins = list(value);
        break;
      case "scenarios_containing":
        filter.scenariosContaining = list(value);
        break;
      case "scenarios_not_containing":
        filter.scenariosNotContaining = list(value);
        break;
      case "contains":
      case "ip":
      case "range":
        break; // rangeParams
      default:
        break;
    }
  }
  return ok(filter);
}

/** GET /v1/decisions/stream: the decision filters with `scopes` defaulting to `ip,range`, plus dedup and startup. */
export function parseStreamParams(params: URLSearchParams): Result<{ filter: DecisionFilter; dedup: boolean; startup: boolean }, string> {
  const filter = parseDecisionFilter(params);
  if (!filter.ok) return filter;
  if (!params.has("scopes")) filter.value.scopes = ["Ip", "Range"];
  return ok({ filter: filter.value, dedup: params.get("dedup") !== "false", startup: params.get("startup") === "true" });
}

/** The store query of one stream answer: `since` null at startup, else the bouncer's last pull. */
export function streamQuery(parsed: { filter: DecisionFilter; dedup: boolean; startup: boolean }, lastPull: Date, now: Date): StreamQuery {
  return { filter: parsed.filter, dedup: parsed.dedup, since: parsed.startup ? null : lastPull, now };
}

/** DELETE /v1/decisions. Unknown parameters are an error (500); no parameter expires everything. */
export function parseDecisionDeleteFilter(params: URLSearchParams): Result<DecisionDeleteFilter, string> {
  const values = firstValues(params);
  const filter: DecisionDeleteFilter = {};
  const range = rangeParams(values);
  if (!range.ok) return range;
  if (range.value) filter.range = range.value;
  for (const [param, value] of values) {
    switch (param) {
      case "scopes":
        filter.scope = value;
        break;
      case "origin":
        filter.origin = value;
        break;
      case "value":
        filter.value = value;
        break;
      case "type":
        filter.type = value;
        break;
      case "scenario":
        filter.scenario = value;
        break;
      case "uuid":
        filter.uuid = value;
        break;
      case "contains":
      case "ip":
      case "range":
        break; // rangeParams
      default:
        return err(`'${param}' doesn't exist: invalid filter`);
    }
  }
  return ok(filter);
}
