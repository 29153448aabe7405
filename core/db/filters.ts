/**
 * The WHERE clauses of the Local API's queries (LAPI.md §5.2, §6–§8, §10.3), written once with `?`
 * placeholders; each back end gives the few spellings that differ through a `Dialect`.
 */
import type { AlertFilter, DecisionDeleteFilter, DecisionFilter, RangeQuery } from "./types";

export type SqlValue = string | number | bigint | boolean | null;

export interface Dialect {
  /** Case-insensitive "column contains the parameter". */
  containsFold(column: string): string;
  /** "column is one of the ids in the parameter" (see `idListParam`). */
  inIdList(column: string): string;
  idListParam(ids: readonly number[]): string;
  /** Skip the first `?` rows and keep the rest. */
  readonly offsetOnly: string;
}

export class Where {
  readonly conditions: string[] = [];
  readonly params: SqlValue[] = [];

  add(condition: string, ...params: SqlValue[]): void {
    this.conditions.push(condition);
    for (const p of params) this.params.push(p);
  }

  /** ` WHERE a AND b`, or "" when there is no condition. */
  get sql(): string {
    return this.conditions.length === 0 ? "" : ` WHERE ${this.conditions.join(" AND ")}`;
  }
}

function placeholders(n: number): string {
  return new Array<string>(n).fill("?").join(", ");
}

/** §10.3: `contains` = the row's range holds the query; otherwise the row lies inside it. */
export function addRange(w: Where, d: string, q: RangeQuery): void {
  const r = q.range;
  w.add(`${d}.ip_size = ?`, r.size);
  if (r.size === 4) {
    if (q.contains) w.add(`${d}.start_ip <= ? AND ${d}.end_ip >= ?`, r.startIp, r.endIp);
    else w.add(`${d}.start_ip >= ? AND ${d}.end_ip <= ?`, r.startIp, r.endIp);
    return;
  }
  // IPv6 compares (ip, suffix) pairs lexicographically
  const [lo, hi] = q.contains ? ["<", ">"] : [">", "<"];
  w.add(
    `(${d}.start_ip ${lo} ? OR (${d}.start_ip = ? AND ${d}.start_suffix ${lo}= ?))` +
      ` AND (${d}.end_ip ${hi} ? OR (${d}.end_ip = ? AND ${d}.end_suffix ${hi}= ?))`,
    r.startIp,
    r.startIp,
    r.startSuffix,
    r.endIp,
    r.endIp,
    r.endSuffix,
  );
}

function addIn(w: Where, column: string, values: readonly string[]): void {
  if (values.length === 0) w.add("1 = 0");
  else w.add(`${column} IN (${placeholders(values.length)})`, ...values);
}

/** GET /v1/decisions and stream filters on the decisions alias `d` (time conditions excluded). */
export function decisionWhere(filter: DecisionFilter, dialect: Dialect, w: Where = new Where()): Where {
  if (filter.range) addRange(w, "d", filter.range);
  if (filter.scopes) addIn(w, "d.scope", filter.scopes);
  if (filter.value !== undefined) w.add("d.value = ?", filter.value);
  if (filter.type !== undefined) w.add("d.type = ?", filter.type);
  if (filter.origins) addIn(w, "d.origin", filter.origins);
  const containing = filter.scenariosContaining;
  if (containing && containing.length > 0) {
    w.add(`(${containing.map(() => dialect.containsFold("d.scenario")).join(" OR ")})`, ...containing);
  }
  const notContaining = filter.scenariosNotContaining;
  if (notContaining && notContaining.length > 0) {
    w.add(`NOT (${notContaining.map(() => dialect.containsFold("d.scenario")).join(" OR ")})`, ...notContaining);
  }
  if (!filter.includeSimulated) w.add("d.simulated = FALSE");
  return w;
}

/** DELETE /v1/decisions filters (§8): exact matches, on active decisions only. */
export function decisionDeleteWhere(filter: DecisionDeleteFilter, nowMs: number): Where {
  const w = new Where();
  w.add("d.until > ?", nowMs);
  if (filter.range) addRange(w, "d", filter.range);
  if (filter.scope !== undefined) w.add("d.scope = ?", filter.scope);
  if (filter.value !== undefined) w.add("d.value = ?", filter.value);
  if (filter.type !== undefined) w.add("d.type = ?", filter.type);
  if (filter.origin !== undefined) w.add("d.origin = ?", filter.origin);
  if (filter.scenario !== undefined) w.add("d.scenario = ?", filter.scenario);
  if (filter.uuid !== undefined) w.add("d.uuid = ?", filter.uuid);
  return w;
}

const HAS_DECISION = "EXISTS (SELECT 1 FROM decisions d WHERE d.alert_decisions = a.id";

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/** GET/DELETE /v1/alerts filters (§5.2) on the alerts alias `a`; limit and sort are the caller's. */
export function alertWhere(filter: AlertFilter, nowMs: number): Where {
  const w = new Where();
  if (filter.scope !== undefined) w.add("a.source_scope = ?", filter.scope);
  if (filter.value !== undefined) w.add("a.source_value = ?", filter.value);
  if (filter.scenario !== undefined) {
    w.add(`(a.scenario = ? OR ${HAS_DECISION} AND d.scenario = ?))`, filter.scenario, filter.scenario);
  }
  if (filter.range) {
    // one decision holds the whole condition: the meaning upstream intended (LAPI.md §5.2 notes).
    // A set of alert ids computed once: as a correlated EXISTS, the planner walks the range index
    // for every alert (minutes on 100k decisions instead of milliseconds).
    const inner = new Where();
    addRange(inner, "d", filter.range);
    w.add(`a.id IN (SELECT d.alert_decisions FROM decisions d${inner.sql})`, ...inner.params);
  }
  if (filter.since) w.add("a.started_at_ns >= ?", msToNs(filter.since.getTime()));
  if (filter.until) w.add("a.started_at_ns <= ?", msToNs(filter.until.getTime()));
  if (filter.createdBefore) w.add("a.created_at <= ?", filter.createdBefore.getTime());
  if (filter.simulated === false) w.add("a.simulated = FALSE");
  if (filter.hasActiveDecision === true) w.add(`${HAS_DECISION} AND d.until >= ?)`, nowMs);
  else if (filter.hasActiveDecision === false) w.add(`NOT ${HAS_DECISION})`);
  if (filter.decisionType !== undefined) w.add(`${HAS_DECISION} AND d.type = ?)`, filter.decisionType);
  if (filter.origin !== undefined) w.add(`${HAS_DECISION} AND d.origin = ?)`, filter.origin);
  // an origin filter forces include_capi=true upstream
  // 1.4.6 (what cscli 1.4.6 relies on: `decisions list` hides imports and blocklists without -a):
  // the alert has a decision made by this install's agents or by an operator.
  else if (filter.includeCapi === false) w.add(`${HAS_DECISION} AND d.origin IN ('crowdsec', 'cscli'))`);
  return w;
}
