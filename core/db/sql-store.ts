/**
 * The Store over any SQL executor: every query is written once here with `?` placeholders; the
 * back ends supply the executor, the dialect, and their own bulk insert (the one place where
 * SQLite's synchronous prepared statements and PostgreSQL's multi-row inserts differ).
 */
import { err, ok, type Result } from "../result";
import { alertWhere, decisionDeleteWhere, decisionWhere, Where, type Dialect, type SqlValue } from "./filters";
import {
  ALERT_COLUMNS,
  ALERT_FROM,
  alertOfRow,
  BOUNCER_COLUMNS,
  bouncerOfRow,
  DECISION_COLUMNS,
  decisionOfRow,
  eventOfRow,
  MACHINE_COLUMNS,
  machineOfRow,
  metaOfRow,
  toNumber,
  type Row,
} from "./rows";
import type {
  AlertFilter,
  AlertRecord,
  BouncerRecord,
  DecisionDeleteFilter,
  DecisionFilter,
  DecisionRecord,
  DecisionTimes,
  FlushPolicy,
  MachineRecord,
  NewAlert,
  NewBouncer,
  NewMachine,
  Store,
  StoredEvent,
  StoredMeta,
  StoreProblem,
  StreamQuery,
} from "./types";

export interface SqlExecutor {
  all(sql: string, params: readonly SqlValue[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params: readonly SqlValue[]): Promise<number>;
}

/** Rows per stream batch: bounds memory whatever the table holds. */
export const STREAM_BATCH = 1000;
/** Alert ids per child query when loading decisions, events and meta. */
const CHILD_BATCH = 5000;
/** Deleted-side overlap in delta mode (LAPI.md §7). */
const DELETED_OVERLAP_MS = 2000;
const DEFAULT_ALERT_LIMIT = 100;

const STREAM_DEDUP =
  "NOT EXISTS (SELECT 1 FROM decisions d2 WHERE d2.value = d.value AND d2.type = d.type AND d2.scope = d.scope AND d2.until > d.until)";

function notFound(message: string): Result<never, StoreProblem> {
  return err({ code: "not-found", message });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export abstract class SqlStore implements Store {
  abstract readonly backend: "sqlite" | "postgres";
  protected abstract readonly exec: SqlExecutor;
  protected abstract readonly dialect: Dialect;

  abstract close(): Promise<void>;
  abstract insertAlerts(alerts: readonly NewAlert[], now: Date): Promise<number[]>;

  // ---- machines

  async addMachine(machine: NewMachine, options?: { force?: boolean }): Promise<Result<MachineRecord, StoreProblem>> {
    const now = Date.now();
    const existing = await this.getMachine(machine.machineId);
    if (existing && !options?.force) return err({ code: "exists", message: `Machine "${machine.machineId}" already exists` });
    if (existing) {
      await this.exec.run("UPDATE machines SET password = ?, is_validated = ?, auth_type = ?, updated_at = ? WHERE machine_id = ?", [
        machine.passwordHash,
        machine.isValidated,
        machine.authType ?? "password",
        now,
        machine.machineId,
      ]);
    } else {
      await this.exec.run(
        "INSERT INTO machines (created_at, updated_at, machine_id, password, ip_address, scenarios, version, is_validated, auth_type) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)",
        [now, now, machine.machineId, machine.passwordHash, machine.ipAddress ?? "", machine.version ?? "", machine.isValidated, machine.authType ?? "password"],
      );
    }
    const saved = await this.getMachine(machine.machineId);
    if (!saved) throw new Error(`machine "${machine.machineId}" vanished right after it was written`);
    return ok(saved);
  }

  async getMachine(machineId: string): Promise<MachineRecord | null> {
    const rows = await this.exec.all(`SELECT ${MACHINE_COLUMNS} FROM machines WHERE machine_id = ?`, [machineId]);
    return rows.length === 0 ? null : machineOfRow(rows[0]!);
  }

  async listMachines(): Promise<MachineRecord[]> {
    return (await this.exec.all(`SELECT ${MACHINE_COLUMNS} FROM machines ORDER BY id`, [])).map(machineOfRow);
  }

  async validateMachine(machineId: string): Promise<Result<MachineRecord, StoreProblem>> {
    const changed = await this.exec.run("UPDATE machines SET is_validated = TRUE, updated_at = ? WHERE machine_id = ?", [Date.now(), machineId]);
    const machine = changed === 0 ? null : await this.getMachine(machineId);
    return machine ? ok(machine) : notFound(`Machine "${machineId}" not found`);
  }

  async deleteMachine(machineId: string): Promise<Result<true, StoreProblem>> {
    const changed = await this.exec.run("DELETE FROM machines WHERE machine_id = ?", [machineId]);
    return changed === 0 ? notFound(`Machine "${machineId}" not found`) : ok(true);
  }

  async updateMachineLogin(machineId: string, changes: { scenarios?: string; ipAddress?: string; version?: string }): Promise<void> {
    const w = new Where();
    if (changes.scenarios !== undefined) w.add("scenarios = ?", changes.scenarios);
    if (changes.ipAddress !== undefined) w.add("ip_address = ?", changes.ipAddress);
    if (changes.version !== undefined) w.add("version = ?", changes.version);
    if (w.conditions.length === 0) return;
    await this.exec.run(`UPDATE machines SET ${w.conditions.join(", ")}, updated_at = ? WHERE machine_id = ?`, [...w.params, Date.now(), machineId]);
  }

  async touchMachine(machineId: string, field: "lastPush" | "lastHeartbeat", at: Date): Promise<void> {
    const column = field === "lastPush" ? "last_push" : "last_heartbeat";
    await this.exec.run(`UPDATE machines SET ${column} = ?, updated_at = ? WHERE machine_id = ?`, [at.getTime(), at.getTime(), machineId]);
  }

  // ---- bouncers

  async addBouncer(bouncer: NewBouncer): Promise<Result<BouncerRecord, StoreProblem>> {
    const exists = await this.exec.all("SELECT id FROM bouncers WHERE name = ?", [bouncer.name]);
    if (exists.length > 0) return err({ code: "exists", message: `Bouncer "${bouncer.name}" already exists` });
    const now = Date.now();
    await this.exec.run("INSERT INTO bouncers (created_at, updated_at, name, api_key, ip_address, auth_type) VALUES (?, ?, ?, ?, ?, ?)", [
      now,
      now,
      bouncer.name,
      bouncer.apiKeyHash,
      bouncer.ipAddress ?? "",
      bouncer.authType ?? "api-key",
    ]);
    const rows = await this.exec.all(`SELECT ${BOUNCER_COLUMNS} FROM bouncers WHERE name = ?`, [bouncer.name]);
    if (rows.length === 0) throw new Error(`bouncer "${bouncer.name}" vanished right after it was written`);
    return ok(bouncerOfRow(rows[0]!));
  }

  async findBouncerByKeyHash(apiKeyHash: string): Promise<BouncerRecord | null> {
    const rows = await this.exec.all(`SELECT ${BOUNCER_COLUMNS} FROM bouncers WHERE api_key = ? ORDER BY id LIMIT 1`, [apiKeyHash]);
    return rows.length === 0 ? null : bouncerOfRow(rows[0]!);
  }

  async listBouncers(): Promise<BouncerRecord[]> {
    return (await this.exec.all(`SELECT ${BOUNCER_COLUMNS} FROM bouncers ORDER BY id`, [])).map(bouncerOfRow);
  }

  async deleteBouncer(name: string): Promise<Result<true, StoreProblem>> {
    const changed = await this.exec.run("DELETE FROM bouncers WHERE name = ?", [name]);
    return changed === 0 ? notFound(`Bouncer "${name}" not found`) : ok(true);
  }

  async updateBouncerSeen(id: number, changes: { ipAddress?: string; type?: string; version?: string }): Promise<void> {
    const w = new Where();
    if (changes.ipAddress !== undefined) w.add("ip_address = ?", changes.ipAddress);
    if (changes.type !== undefined) w.add("type = ?", changes.type);
    if (changes.version !== undefined) w.add("version = ?", changes.version);
    if (w.conditions.length === 0) return;
    await this.exec.run(`UPDATE bouncers SET ${w.conditions.join(", ")}, updated_at = ? WHERE id = ?`, [...w.params, Date.now(), id]);
  }

  async setBouncerLastPull(id: number, at: Date): Promise<void> {
    await this.exec.run("UPDATE bouncers SET last_pull = ?, updated_at = ? WHERE id = ?", [at.getTime(), Date.now(), id]);
  }

  // ---- alerts

  async getAlert(id: number): Promise<AlertRecord | null> {
    const rows = await this.exec.all(`SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM} WHERE a.id = ?`, [id]);
    const alerts = await this.withChildren(rows);
    return alerts[0] ?? null;
  }

  async findAlerts(filter: AlertFilter, now: Date): Promise<AlertRecord[]> {
    const w = alertWhere(filter, now.getTime());
    const dir = filter.sort === "ASC" ? "ASC" : "DESC";
    const limit = filter.limit ?? DEFAULT_ALERT_LIMIT;
    let sql = `SELECT ${ALERT_COLUMNS} FROM ${ALERT_FROM}${w.sql} ORDER BY a.created_at ${dir}, a.id ${dir}`;
    const params = [...w.params];
    if (limit > 0) {
      sql += " LIMIT ?";
      params.push(limit);
    }
    return this.withChildren(await this.exec.all(sql, params));
  }

  async deleteAlerts(filter: AlertFilter, now: Date): Promise<number> {
    const w = alertWhere(filter, now.getTime());
    if (w.conditions.length === 0) return this.exec.run("DELETE FROM alerts", []);
    return this.exec.run(`DELETE FROM alerts WHERE id IN (SELECT a.id FROM alerts a${w.sql})`, w.params);
  }

  async deleteAlert(id: number): Promise<Result<true, StoreProblem>> {
    const changed = await this.exec.run("DELETE FROM alerts WHERE id = ?", [id]);
    return changed === 0 ? notFound(`Alert ${id} not found`) : ok(true);
  }

  /** Loads decisions, events and meta of these alert rows with a few queries per CHILD_BATCH ids. */
  private async withChildren(rows: Row[]): Promise<AlertRecord[]> {
    const decisions = new Map<number, DecisionRecord[]>();
    const events = new Map<number, StoredEvent[]>();
    const meta = new Map<number, StoredMeta[]>();
    const d = this.dialect;
    for (let from = 0; from < rows.length; from += CHILD_BATCH) {
      const ids: number[] = [];
      for (let i = from; i < Math.min(rows.length, from + CHILD_BATCH); i++) ids.push(toNumber(rows[i]!.id));
      const list = d.idListParam(ids);
      const [dRows, eRows, mRows] = await Promise.all([
        this.exec.all(`SELECT ${DECISION_COLUMNS} FROM decisions d WHERE ${d.inIdList("d.alert_decisions")} ORDER BY d.id`, [list]),
        this.exec.all(`SELECT alert_events, time, serialized FROM events WHERE ${d.inIdList("alert_events")} ORDER BY id`, [list]),
        this.exec.all(`SELECT alert_metas, key, value FROM meta WHERE ${d.inIdList("alert_metas")} ORDER BY id`, [list]),
      ]);
      for (const r of dRows) push(decisions, toNumber(r.alert_decisions), decisionOfRow(r));
      for (const r of eRows) push(events, toNumber(r.alert_events), eventOfRow(r));
      for (const r of mRows) push(meta, toNumber(r.alert_metas), metaOfRow(r));
    }
    return rows.map((r) => {
      const id = toNumber(r.id);
      return alertOfRow(r, decisions.get(id) ?? [], events.get(id) ?? [], meta.get(id) ?? []);
    });
  }

  // ---- decisions

  async findDecisions(filter: DecisionFilter, now: Date): Promise<DecisionRecord[]> {
    const w = new Where();
    w.add("d.until >= ?", now.getTime());
    decisionWhere(filter, this.dialect, w);
    return (await this.exec.all(`SELECT ${DECISION_COLUMNS} FROM decisions d${w.sql} ORDER BY d.id`, w.params)).map(decisionOfRow);
  }

  async *streamDecisions(query: StreamQuery, side: "new" | "deleted"): AsyncIterable<DecisionRecord> {
    const w = new Where();
    const nowMs = query.now.getTime();
    if (side === "new") {
      w.add("d.until > ?", nowMs);
      if (query.since) w.add("d.created_at > ?", query.since.getTime());
    } else {
      w.add("d.until < ?", nowMs);
      if (query.since) w.add("d.until > ?", query.since.getTime() - DELETED_OVERLAP_MS);
    }
    decisionWhere(query.filter, this.dialect, w);
    // dedup looks at the whole table, before the time conditions (LAPI.md §7)
    if (query.dedup) w.add(STREAM_DEDUP);
    // Pages follow the index that bounds the answer: a delta reads only the rows created (or
    // expired) since the last pull instead of walking the table in id order.
    const key = !query.since ? undefined : side === "new" ? "created_at" : "until";
    if (!key) {
      const sql = `SELECT ${DECISION_COLUMNS} FROM decisions d${w.sql} AND d.id > ? ORDER BY d.id LIMIT ${STREAM_BATCH}`;
      let lastId = 0;
      for (;;) {
        const rows = await this.exec.all(sql, [...w.params, lastId]);
        for (const r of rows) yield decisionOfRow(r);
        if (rows.length < STREAM_BATCH) return;
        lastId = toNumber(rows[rows.length - 1]!.id);
      }
    }
    const sql = `SELECT ${DECISION_COLUMNS} FROM decisions d${w.sql} AND (d.${key} > ? OR (d.${key} = ? AND d.id > ?)) ORDER BY d.${key}, d.id LIMIT ${STREAM_BATCH}`;
    let last: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
    for (;;) {
      const rows = await this.exec.all(sql, [...w.params, last[0], last[0], last[1]]);
      for (const r of rows) yield decisionOfRow(r);
      if (rows.length < STREAM_BATCH) return;
      const tail = rows[rows.length - 1]!;
      last = [toNumber(tail[key]), toNumber(tail.id)];
    }
  }

  async expireDecisions(filter: DecisionDeleteFilter, now: Date): Promise<number> {
    const w = decisionDeleteWhere(filter, now.getTime());
    return this.exec.run(`UPDATE decisions SET until = ?, updated_at = ? WHERE id IN (SELECT d.id FROM decisions d${w.sql})`, [
      now.getTime(),
      now.getTime(),
      ...w.params,
    ]);
  }

  async expireDecision(id: number, now: Date): Promise<Result<true, StoreProblem>> {
    const changed = await this.exec.run("UPDATE decisions SET until = ?, updated_at = ? WHERE id = ?", [now.getTime(), now.getTime(), id]);
    return changed === 0 ? notFound(`Decision ${id} not found`) : ok(true);
  }

  async decisionTimes(value: string): Promise<DecisionTimes[]> {
    const rows = await this.exec.all("SELECT created_at, until FROM decisions WHERE value = ? ORDER BY id", [value]);
    return rows.map((r) => ({ createdAt: new Date(toNumber(r.created_at)), until: new Date(toNumber(r.until)) }));
  }

  async countActiveDecisions(now: Date): Promise<number> {
    const rows = await this.exec.all("SELECT COUNT(*) AS n FROM decisions WHERE until > ?", [now.getTime()]);
    return toNumber(rows[0]!.n);
  }

  // ---- flush

  async flush(policy: FlushPolicy, now: Date): Promise<number> {
    let deleted = 0;
    if (policy.maxAgeMs !== undefined && policy.maxAgeMs > 0) {
      deleted += await this.exec.run("DELETE FROM alerts WHERE created_at <= ?", [now.getTime() - policy.maxAgeMs]);
    }
    if (policy.maxItems !== undefined && policy.maxItems > 0) {
      deleted += await this.exec.run(
        `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts ORDER BY created_at DESC, id DESC ${this.dialect.offsetOnly})`,
        [policy.maxItems],
      );
    }
    return deleted;
  }
}
