/**
 * The Store on PostgreSQL through Bun's built-in client (Bun.SQL). Same schema and queries as
 * SQLite; alerts go in with a few multi-row INSERTs per thousand rows inside one transaction, ids
 * reserved from the sequences first so children can point at their alert without a round trip.
 */
import { SQL } from "bun";
import { err, ok, problem, type Problem, type Result } from "../result";
import type { Dialect, SqlValue } from "./filters";
import {
  ALERT_INSERT_COLUMNS,
  alertValues,
  DECISION_INSERT_COLUMNS,
  decisionValues,
  EVENT_INSERT_COLUMNS,
  eventValues,
  insertSql,
  META_INSERT_COLUMNS,
  metaValues,
} from "./insert-rows";
import { toNumber, type Row } from "./rows";
import { CREATE_VERSION_TABLE, pendingMigrations, SCHEMA_VERSION } from "./schema";
import { SqlStore, type SqlExecutor } from "./sql-store";
import type { NewAlert } from "./types";

const PG_DIALECT: Dialect = {
  containsFold: (column) => `strpos(lower(${column}), lower(?)) > 0`,
  inIdList: (column) => `${column} = ANY(?::bigint[])`,
  idListParam: (ids) => `{${ids.join(",")}}`,
  offsetOnly: "OFFSET ?",
};

/** PostgreSQL accepts at most 65535 parameters per statement. */
const MAX_PARAMS = 60000;
const MAX_ROWS_PER_INSERT = 1000;
/** A batch this large changes the table statistics the planner relies on. */
const ANALYZE_AFTER_ROWS = 10_000;
/** Serialises concurrent migrations of the same database (any constant shared by all pickets). */
const MIGRATION_LOCK = 0x7069636b;

/** What both the pool and a transaction offer. */
interface Queryable {
  unsafe(sql: string, values?: unknown[]): PromiseLike<Row[] & { count: number | null }>;
}

const converted = new Map<string, string>();

/** `?` → `$1, $2…` (our SQL never holds a literal `?`); cached per query text. */
function numbered(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    converted.set(sql, out);
  }
  return out;
}

class PostgresExecutor implements SqlExecutor {
  constructor(private readonly sql: Queryable) {}

  async all(sql: string, params: readonly SqlValue[]): Promise<Row[]> {
    return this.sql.unsafe(numbered(sql), [...params]);
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<number> {
    const result = await this.sql.unsafe(numbered(sql), [...params]);
    return result.count ?? 0;
  }
}

const insertSqlCache = new Map<string, string>();

async function bulkInsert(tx: Queryable, table: string, columns: readonly string[], rows: SqlValue[][]): Promise<void> {
  const perStatement = Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / columns.length));
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    const key = `${table}:${chunk.length}`;
    let sql = insertSqlCache.get(key);
    if (sql === undefined) {
      sql = insertSql(table, columns, chunk.length, (i) => `$${i}`);
      insertSqlCache.set(key, sql);
    }
    await tx.unsafe(sql, chunk.flat());
  }
}

async function reserveIds(tx: Queryable, sequence: string, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await tx.unsafe(`SELECT nextval('${sequence}') AS id FROM generate_series(1, $1)`, [count]);
  return rows.map((r) => toNumber(r.id)).sort((a, b) => a - b);
}

export class PostgresStore extends SqlStore {
  readonly backend = "postgres" as const;
  protected readonly exec: SqlExecutor;
  protected readonly dialect = PG_DIALECT;

  constructor(private readonly sql: SQL) {
    super();
    this.exec = new PostgresExecutor(sql as unknown as Queryable);
  }

  async insertAlerts(alerts: readonly NewAlert[], now: Date): Promise<number[]> {
    if (alerts.length === 0) return [];
    const nowMs = now.getTime();
    const ids = await this.sql.begin(async (txSql) => {
      const tx = txSql as unknown as Queryable;
      const owners = new Map<string, number | null>();
      for (const a of alerts) {
        if (a.machineId === null || owners.has(a.machineId)) continue;
        const rows = await tx.unsafe("SELECT id FROM machines WHERE machine_id = $1", [a.machineId]);
        owners.set(a.machineId, rows.length === 0 ? null : toNumber(rows[0]!.id));
      }
      let decisionCount = 0;
      for (const a of alerts) decisionCount += a.decisions.length;
      const alertIds = await reserveIds(tx, "alerts_id_seq", alerts.length);
      const decisionIds = await reserveIds(tx, "decisions_id_seq", decisionCount);
      const alertRows: SqlValue[][] = [];
      const decisionRows: SqlValue[][] = [];
      const eventRows: SqlValue[][] = [];
      const metaRows: SqlValue[][] = [];
      let nextDecision = 0;
      for (let i = 0; i < alerts.length; i++) {
        const a = alerts[i]!;
        const id = alertIds[i]!;
        alertRows.push([id, ...alertValues(a, a.machineId === null ? null : (owners.get(a.machineId) ?? null), nowMs)]);
        for (const d of a.decisions) decisionRows.push([decisionIds[nextDecision++]!, ...decisionValues(d, id, nowMs)]);
        for (const e of a.events) eventRows.push(eventValues(e, id, nowMs));
        for (const m of a.meta) metaRows.push(metaValues(m, id, nowMs));
      }
      await bulkInsert(tx, "alerts", ["id", ...ALERT_INSERT_COLUMNS], alertRows);
      await bulkInsert(tx, "decisions", ["id", ...DECISION_INSERT_COLUMNS], decisionRows);
      await bulkInsert(tx, "events", EVENT_INSERT_COLUMNS, eventRows);
      await bulkInsert(tx, "meta", META_INSERT_COLUMNS, metaRows);
      return alertIds;
    });
    // Right after a bulk load the planner still holds the old row counts and picks a hash
    // anti-join over the whole table for each stream batch (100k decisions: 30 s instead of 1 s)
    if (alerts.length >= ANALYZE_AFTER_ROWS) await this.sql.unsafe("ANALYZE alerts, decisions, events, meta");
    return ids;
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

async function migrate(sql: SQL): Promise<void> {
  await sql.begin(async (txSql) => {
    const tx = txSql as unknown as Queryable;
    await tx.unsafe("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.unsafe(CREATE_VERSION_TABLE);
    const rows = await tx.unsafe("SELECT MAX(version) AS v FROM schema_version");
    const v = rows[0]?.v;
    const current = v === null || v === undefined ? 0 : toNumber(v);
    if (current > SCHEMA_VERSION) throw new Error(`schema version ${current} is newer than this picket knows (${SCHEMA_VERSION})`);
    for (const m of pendingMigrations("postgres", current)) {
      for (const s of m.statements) await tx.unsafe(s);
      await tx.unsafe("INSERT INTO schema_version (version) VALUES ($1)", [m.version]);
    }
  });
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1:***@");
}

/** Connects, checks the server answers, and migrates the schema. */
export async function openPostgresStore(url: string): Promise<Result<PostgresStore, Problem>> {
  let sql: SQL | undefined;
  try {
    sql = new SQL(url, { connectionTimeout: 10 });
    await migrate(sql);
    return ok(new PostgresStore(sql));
  } catch (e) {
    await sql?.close().catch(() => undefined);
    const detail = e instanceof Error ? e.message : String(e);
    return err(problem("db.open", `Cannot open PostgreSQL database "${redact(url)}": ${detail}`));
  }
}
