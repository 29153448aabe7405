/**
 * The Local API's store: what it keeps (machines, bouncers, alerts with their events, meta and
 * decisions) and the queries the API and the admin commands make, independent of the back end.
 * SQLite (bun:sqlite) and PostgreSQL (Bun.SQL) implement the same `Store` and pass the same suite.
 *
 * Semantics follow CrowdSec's Local API (../shared/spec/LAPI.md §5–§11): a decision is active while
 * `until > now`; deleting a decision sets `until = now` (soft delete, so streams report it);
 * deleting an alert removes its decisions, events and meta.
 */
import type { Result } from "../result";

/** Expected outcomes a caller turns into an HTTP status or a CLI message; I/O failures throw. */
export type StoreProblemCode = "not-found" | "exists" | "invalid";
export interface StoreProblem {
  code: StoreProblemCode;
  message: string;
}

export type MachineAuthType = "password" | "tls";
export type BouncerAuthType = "api-key" | "tls";

export interface MachineRecord {
  id: number;
  machineId: string;
  /** Bun.password hash (bcrypt), never the password. */
  passwordHash: string;
  ipAddress: string;
  /** Comma-separated scenario names the machine announced at login. */
  scenarios: string;
  version: string;
  isValidated: boolean;
  authType: MachineAuthType;
  createdAt: Date;
  updatedAt: Date;
  lastPush: Date | null;
  lastHeartbeat: Date | null;
}

export interface NewMachine {
  machineId: string;
  passwordHash: string;
  ipAddress?: string;
  isValidated: boolean;
  authType?: MachineAuthType;
  version?: string;
}

export interface BouncerRecord {
  id: number;
  name: string;
  /** Lowercase hex SHA-512 of the API key (as CrowdSec stores it), never the key. */
  apiKeyHash: string;
  revoked: boolean;
  ipAddress: string;
  type: string;
  version: string;
  /** Last stream/point pull; null before the first one. */
  lastPull: Date | null;
  authType: BouncerAuthType;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewBouncer {
  name: string;
  apiKeyHash: string;
  ipAddress?: string;
  authType?: BouncerAuthType;
}

/**
 * An address range in CrowdSec's integer encoding (LAPI.md §10.2): size 4 or 16, each 64-bit half
 * stored as an order-preserving signed int64. Scopes other than Ip/Range have no range.
 */
export interface IpRange {
  size: 4 | 16;
  startIp: bigint;
  endIp: bigint;
  startSuffix: bigint;
  endSuffix: bigint;
}

/** A range filter: `contains` true = the decision's range contains the query, false = inside it. */
export interface RangeQuery {
  range: IpRange;
  contains: boolean;
}

export interface NewDecision {
  type: string;
  scope: string;
  value: string;
  origin: string;
  scenario: string;
  simulated: boolean;
  /** stop_at + duration (LAPI.md §5.1), not now + duration. */
  until: Date;
  /** Computed by the caller for Ip/Range scopes (any case); null otherwise. */
  range: IpRange | null;
  uuid: string;
}

export interface DecisionRecord extends Omit<NewDecision, "uuid"> {
  id: number;
  alertId: number;
  uuid: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredMeta {
  key: string;
  value: string;
}

export interface StoredEvent {
  /** The event time as the agent sent it, normalised to RFC 3339 with nanoseconds in UTC. */
  timestamp: string;
  meta: StoredMeta[];
}

export interface AlertSource {
  scope: string;
  value: string;
  ip: string;
  range: string;
  asNumber: string;
  asName: string;
  country: string;
  latitude: number;
  longitude: number;
}

export interface NewAlert {
  /** Owner: the machine_id of the JWT that pushed it (null when pushed by no machine). */
  machineId: string | null;
  scenario: string;
  scenarioHash: string;
  scenarioVersion: string;
  message: string;
  eventsCount: number;
  capacity: number;
  leakSpeed: string;
  simulated: boolean;
  remediation: boolean;
  /**
   * RFC 3339 with up to nine fraction digits, UTC (`2026-11-23T18:00:01.123456Z`): the store keeps
   * the precision the agent sent and filters on the instant.
   */
  startedAt: string;
  stoppedAt: string;
  source: AlertSource;
  labels: string[] | null;
  events: StoredEvent[];
  meta: StoredMeta[];
  decisions: NewDecision[];
  uuid: string;
  kind: string;
}

export interface AlertRecord extends Omit<NewAlert, "decisions" | "machineId"> {
  id: number;
  /** machine_id of the owner; null once the owner is deleted (shown as "N/A"). */
  machineId: string | null;
  createdAt: Date;
  updatedAt: Date;
  decisions: DecisionRecord[];
}

/** GET/DELETE /v1/alerts filters, already parsed and validated (LAPI.md §5.2). */
export interface AlertFilter {
  scope?: string;
  value?: string;
  /** An alert matches when one of its decisions has this scenario (1.4.6) or its own scenario is it. */
  scenario?: string;
  range?: RangeQuery;
  /** started_at >= since */
  since?: Date;
  /** started_at <= until */
  until?: Date;
  /** created_at <= createdBefore */
  createdBefore?: Date;
  /** false → only non-simulated alerts; undefined → both. */
  simulated?: false;
  /** true → some decision has until >= now; false → no decision rows at all. */
  hasActiveDecision?: boolean;
  decisionType?: string;
  origin?: string;
  /** false → only alerts with a decision of origin crowdsec or cscli (1.4.6: hides CAPI, lists, cscli-import, decision-less). */
  includeCapi?: boolean;
  /** Default 100; 0 = no limit. */
  limit?: number;
  /** By created_at then id. Default DESC. */
  sort?: "ASC" | "DESC";
}

/** GET /v1/decisions and stream filters (LAPI.md §6, §7). */
export interface DecisionFilter {
  range?: RangeQuery;
  /** Already case-folded (Ip, Range, Country, AS); undefined = every scope. */
  scopes?: string[];
  value?: string;
  type?: string;
  origins?: string[];
  /** Case-insensitive substrings. */
  scenariosContaining?: string[];
  scenariosNotContaining?: string[];
  /** Default false: simulated decisions are hidden from bouncers. */
  includeSimulated?: boolean;
}

/** DELETE /v1/decisions filters (LAPI.md §8): exact matches, no filter = every active decision. */
export interface DecisionDeleteFilter {
  range?: RangeQuery;
  scope?: string;
  value?: string;
  type?: string;
  origin?: string;
  scenario?: string;
  uuid?: string;
}

export interface StreamQuery {
  filter: DecisionFilter;
  /** Keep, per (value, type, scope), only the row with the greatest until (default true). */
  dedup: boolean;
  /**
   * Delta mode: the bouncer's last pull. `new` = created after it and still active; `deleted` =
   * expired after (since - 2 s). null = startup (every active / every expired decision).
   */
  since: Date | null;
  now: Date;
}

/** A decision's history for one value, for profile helpers such as GetDecisionsCount. */
export interface DecisionTimes {
  createdAt: Date;
  until: Date;
}

export interface FlushPolicy {
  /** Keep at most this many alerts (oldest go first). */
  maxItems?: number;
  /** Delete alerts created more than this many milliseconds ago. */
  maxAgeMs?: number;
}

export interface Store {
  readonly backend: "sqlite" | "postgres";
  close(): Promise<void>;

  addMachine(machine: NewMachine, options?: { force?: boolean }): Promise<Result<MachineRecord, StoreProblem>>;
  getMachine(machineId: string): Promise<MachineRecord | null>;
  listMachines(): Promise<MachineRecord[]>;
  /** not-found when there is no such machine. */
  validateMachine(machineId: string): Promise<Result<MachineRecord, StoreProblem>>;
  deleteMachine(machineId: string): Promise<Result<true, StoreProblem>>;
  /** After a login: scenarios, client IP and version when they changed. */
  updateMachineLogin(machineId: string, changes: { scenarios?: string; ipAddress?: string; version?: string }): Promise<void>;
  touchMachine(machineId: string, field: "lastPush" | "lastHeartbeat", at: Date): Promise<void>;

  addBouncer(bouncer: NewBouncer): Promise<Result<BouncerRecord, StoreProblem>>;
  findBouncerByKeyHash(apiKeyHash: string): Promise<BouncerRecord | null>;
  listBouncers(): Promise<BouncerRecord[]>;
  deleteBouncer(name: string): Promise<Result<true, StoreProblem>>;
  updateBouncerSeen(id: number, changes: { ipAddress?: string; type?: string; version?: string }): Promise<void>;
  setBouncerLastPull(id: number, at: Date): Promise<void>;

  /** One transaction for the whole batch; ids in input order. */
  insertAlerts(alerts: readonly NewAlert[], now: Date): Promise<number[]>;
  getAlert(id: number): Promise<AlertRecord | null>;
  findAlerts(filter: AlertFilter, now: Date): Promise<AlertRecord[]>;
  /** Hard delete with decisions, events and meta; returns how many alerts went. */
  deleteAlerts(filter: AlertFilter, now: Date): Promise<number>;
  deleteAlert(id: number): Promise<Result<true, StoreProblem>>;

  /** Active decisions (until >= now) matching the filter, no dedup (GET /v1/decisions). */
  findDecisions(filter: DecisionFilter, now: Date): Promise<DecisionRecord[]>;
  /** One side of a stream answer, read in bounded batches so memory stays flat. */
  streamDecisions(query: StreamQuery, side: "new" | "deleted"): AsyncIterable<DecisionRecord>;
  /** Soft delete: until = now on active matches; returns how many. */
  expireDecisions(filter: DecisionDeleteFilter, now: Date): Promise<number>;
  /** Soft delete of one id, even if already expired; not-found when absent. */
  expireDecision(id: number, now: Date): Promise<Result<true, StoreProblem>>;
  decisionTimes(value: string): Promise<DecisionTimes[]>;
  countActiveDecisions(now: Date): Promise<number>;

  /** Apply max_items / max_age; returns how many alerts were deleted. */
  flush(policy: FlushPolicy, now: Date): Promise<number>;
}
