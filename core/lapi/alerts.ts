/** Alert routes (LAPI.md §5): push a batch, search, inspect, delete (trusted IPs only). */
import type { NewAlert } from "../db";
import type { DecisionHistory } from "../profiles";
import type { GoIPNet } from "../net";
import { goCIDRContains, parseGoIP, parseGoCIDR } from "../net";
import { decodeAlertsBody, hasOwnDecisions, wireToNewAlert } from "./alerts-body";
import { authenticateMachine } from "./auth";
import { readBody } from "./body";
import type { LapiContext, LapiRequest } from "./context";
import { parseAlertFilter } from "./filters";
import { alertRecordToWire } from "./format";
import { readGoJson } from "./go-json";
import { empty, goJson, json, jsonText, message } from "./respond";

/** Go's strconv.Atoi for path ids. */
export function parsePathId(text: string): number | undefined {
  if (!/^[+-]?\d{1,18}$/.test(text)) return undefined;
  return Number(text);
}

/** `api.server.trusted_ips` entries (IPs or CIDRs) → networks; the invalid ones are returned apart. */
export function parseTrustedIps(entries: readonly string[]): { networks: GoIPNet[]; invalid: string[] } {
  const networks: GoIPNet[] = [];
  const invalid: string[] = [];
  for (const e of entries) {
    const text = e.includes("/") ? e : e.includes(":") ? `${e}/128` : `${e}/32`;
    const n = parseGoCIDR(text);
    if (n) networks.push(n);
    else invalid.push(e);
  }
  return { networks, invalid };
}

function isTrusted(ctx: LapiContext, ip: string): boolean {
  if (ip === "127.0.0.1" || ip === "::1") return true;
  const bytes = parseGoIP(ip);
  return bytes !== undefined && ctx.trusted.some((n) => goCIDRContains(n, bytes));
}

/** POST /v1/alerts: validate, apply profiles to alerts without decisions, store, answer the ids as strings. */
export async function pushAlerts(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const body = await readBody(r.req, ctx.limits.authenticatedBytes);
  if (!body.ok) return message(body.status, body.message);
  const decoded = readGoJson(body.bytes);
  if (!decoded.ok) return message(400, decoded.message);
  const input = decodeAlertsBody(decoded.value);
  if (!input.ok) return message(input.status, input.message);
  const now = ctx.now();
  // a token outlives its machine (upstream does not re-check): such alerts are stored without owner
  const owner = (await ctx.store.getMachine(auth.machineId)) ? auth.machineId : null;
  const history = ctx.profiles.usesHistory ? await prefetchHistory(ctx, input.alerts.filter((a) => !hasOwnDecisions(a)).map((a) => a.source.value)) : undefined;
  const rows: NewAlert[] = [];
  for (const alert of input.alerts) {
    let decisions: Parameters<typeof wireToNewAlert>[3] = [];
    if (!hasOwnDecisions(alert)) {
      const outcome = ctx.profiles.evaluate(alert, history, now.getTime());
      if (!outcome.ok) return message(500, outcome.error.message);
      decisions = outcome.value.decisions;
    }
    const row = wireToNewAlert(alert, owner, now, decisions);
    if (!row.ok) return message(500, row.error);
    rows.push(row.value);
  }
  const ids = await ctx.store.insertAlerts(rows, now);
  if (owner) await ctx.store.touchMachine(owner, "lastPush", now);
  return json(201, ids.map(String));
}

async function prefetchHistory(ctx: LapiContext, values: string[]): Promise<DecisionHistory> {
  const times = new Map<string, Awaited<ReturnType<LapiContext["store"]["decisionTimes"]>>>();
  for (const v of new Set(values)) times.set(v, await ctx.store.decisionTimes(v));
  return (value) => times.get(value) ?? [];
}

/** GET/HEAD /v1/alerts: `null` when nothing matches. */
export async function searchAlerts(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const now = ctx.now();
  const filter = parseAlertFilter(r.url.searchParams, now);
  if (!filter.ok) return message(500, filter.error);
  const found = await ctx.store.findAlerts(filter.value, now);
  if (r.method === "HEAD") return empty(200);
  if (found.length === 0) return jsonText(200, "null");
  return jsonText(200, goJson(found.map((a) => alertRecordToWire(a, now))));
}

/** GET/HEAD /v1/alerts/{id}. */
export async function getAlert(ctx: LapiContext, r: LapiRequest, idText: string): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const id = parsePathId(idText);
  if (id === undefined) return message(400, "alert_id must be valid integer");
  const alert = await ctx.store.getAlert(id);
  if (!alert) return message(404, "object not found");
  if (r.method === "HEAD") return empty(200);
  return json(200, alertRecordToWire(alert, ctx.now()));
}

/** DELETE /v1/alerts?filters: from trusted IPs; no filter deletes every alert. */
export async function deleteAlerts(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  if (!isTrusted(ctx, r.clientIp)) return message(403, `access forbidden from this IP (${r.clientIp})`);
  const now = ctx.now();
  const filter = parseAlertFilter(r.url.searchParams, now);
  if (!filter.ok) return message(500, filter.error);
  const n = await ctx.store.deleteAlerts(filter.value, now);
  ctx.log(`${n} alert(s) deleted by ${auth.machineId}`);
  return json(200, { nbDeleted: String(n) });
}

/** DELETE /v1/alerts/{id}: an absent id is a 500, as upstream. */
export async function deleteAlert(ctx: LapiContext, r: LapiRequest, idText: string): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  if (!isTrusted(ctx, r.clientIp)) return message(403, `access forbidden from this IP (${r.clientIp})`);
  const id = parsePathId(idText);
  if (id === undefined) return message(400, "alert_id must be valid integer");
  const deleted = await ctx.store.deleteAlert(id);
  if (!deleted.ok) return message(500, deleted.error.code === "not-found" ? "ent: alert not found" : deleted.error.message);
  return json(200, { nbDeleted: "1" });
}
