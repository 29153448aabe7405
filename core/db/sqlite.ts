/**
 * The Store on one SQLite file (bun:sqlite): WAL with synchronous=NORMAL, so a committed
 * transaction survives a crash of the process; alerts are inserted in one transaction through
 * statements prepared once.
 */
import { Database, type Statement } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
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

const SQLITE_DIALECT: Dialect = {
  containsFold: (column) => `instr(lower(${column}), lower(?)) > 0`,
  inIdList: (column) => `${column} IN (SELECT value FROM json_each(?))`,
  idListParam: (ids) => JSON.stringify(ids),
  offsetOnly: "LIMIT -1 OFFSET ?",
};

const BUSY_TIMEOUT_MS = 5000;
// 2 MB by default: inserting 300k decisions then spends most of its time re-reading index pages
const CACHE_KIB = 65536;

type Params = SqlValue[];

class SqliteExecutor implements SqlExecutor {
  constructor(private readonly db: Database) {}

  // db.query caches the compiled statement per SQL text: each query shape is prepared once
  async all(sql: string, params: readonly SqlValue[]): Promise<Row[]> {
    return this.db.query<Row, Params>(sql).all(...(params as Params));
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<number> {
    return this.db.query<Row, Params>(sql).run(...(params as Params)).changes;
  }
}

export class SqliteStore extends SqlStore {
  readonly backend = "sqlite" as const;
  protected readonly exec: SqlExecutor;
  protected readonly dialect = SQLITE_DIALECT;
  private readonly insertAlert: Statement<Row, Params>;
  private readonly insertDecision: Statement<Row, Params>;
  private readonly insertEvent: Statement<Row, Params>;
  private readonly insertMeta: Statement<Row, Params>;
  private readonly ownerOf: Statement<Row, [string]>;
  private readonly insertBatch: (alerts: readonly NewAlert[], nowMs: number) => number[];

  constructor(private readonly db: Database) {
    super();
    this.exec = new SqliteExecutor(db);
    const q = (): string => "?";
    this.insertAlert = db.prepare(insertSql("alerts", ALERT_INSERT_COLUMNS, 1, q));
    this.insertDecision = db.prepare(insertSql("decisions", DECISION_INSERT_COLUMNS, 1, q));
    this.insertEvent = db.prepare(insertSql("events", EVENT_INSERT_COLUMNS, 1, q));
    this.insertMeta = db.prepare(insertSql("meta", META_INSERT_COLUMNS, 1, q));
    this.ownerOf = db.prepare("SELECT id FROM machines WHERE machine_id = ?");
    this.insertBatch = db.transaction((alerts: readonly NewAlert[], nowMs: number) => {
      const owners = new Map<string, number | null>();
      const ids: number[] = [];
      for (const alert of alerts) {
        let owner: number | null = null;
        if (alert.machineId !== null) {
          const known = owners.get(alert.machineId);
          if (known !== undefined) owner = known;
          else {
            const row = this.ownerOf.get(alert.machineId);
            owner = row ? toNumber(row.id) : null;
            owners.set(alert.machineId, owner);
          }
        }
        const id = toNumber(this.insertAlert.run(...alertValues(alert, owner, nowMs)).lastInsertRowid);
        ids.push(id);
        for (const e of alert.events) this.insertEvent.run(...eventValues(e, id, nowMs));
        for (const m of alert.meta) this.insertMeta.run(...metaValues(m, id, nowMs));
        for (const d of alert.decisions) this.insertDecision.run(...decisionValues(d, id, nowMs));
      }
      return ids;
    });
  }

  async insertAlerts(alerts: readonly NewAlert[], now: Date): Promise<number[]> {
    return this.insertBatch(alerts, now.getTime());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** CrowdSec's own database (ent schema): tables of the same names, but no picket schema_version. */
export const CROWDSEC_SCHEMA = "db.crowdsec-schema";

class ForeignSchema extends Error {}

function migrate(db: Database): void {
  const tables = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name);
  // tables of CrowdSec's names with no picket version recorded (an empty schema_version is what an
  // earlier picket that stopped at this check may have left)
  const versioned = tables.includes("schema_version") && db.query<{ n: unknown }, []>("SELECT COUNT(*) AS n FROM schema_version").get()?.n !== 0n;
  if (!versioned && tables.includes("machines")) throw new ForeignSchema("it holds CrowdSec's own schema");
  db.run(CREATE_VERSION_TABLE);
  db.transaction(() => {
    const row = db.query<{ v: unknown }, []>("SELECT MAX(version) AS v FROM schema_version").get();
    const current = row && row.v !== null ? toNumber(row.v) : 0;
    if (current > SCHEMA_VERSION) throw new Error(`schema version ${current} is newer than this picket knows (${SCHEMA_VERSION})`);
    for (const m of pendingMigrations("sqlite", current)) {
      for (const s of m.statements) db.run(s);
      db.run("INSERT INTO schema_version (version) VALUES (?)", [m.version]);
    }
  }).immediate();
}

function openProblem(path: string, detail: string): Problem {
  return problem("db.open", `Cannot open SQLite database "${path}": ${detail}`, { file: path });
}

/** Opens (creating when absent) and migrates the database file; ":memory:" for a private one. */
export function openSqliteStore(path: string): Result<SqliteStore, Problem> {
  if (path !== ":memory:") {
    const dir = dirname(resolve(path));
    if (!existsSync(dir)) return err(openProblem(path, `directory "${dir}" does not exist`));
    if (!statSync(dir).isDirectory()) return err(openProblem(path, `"${dir}" is not a directory`));
    if (existsSync(path) && statSync(path).isDirectory()) return err(openProblem(path, "it is a directory"));
  }
  let db: Database | undefined;
  try {
    db = new Database(path, { create: true, readwrite: true, safeIntegers: true });
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.run("PRAGMA journal_mode = WAL");
    db.run("PRAGMA synchronous = NORMAL");
    db.run("PRAGMA foreign_keys = ON");
    db.run(`PRAGMA cache_size = -${CACHE_KIB}`);
    migrate(db);
    return ok(new SqliteStore(db));
  } catch (e) {
    db?.close();
    if (e instanceof ForeignSchema) {
      return err(problem(CROWDSEC_SCHEMA, `SQLite database "${path}" is CrowdSec's own (its tables differ from picket's): picket does not write into it`, {
        file: path,
        hint: "give picket a file of its own (--db, or db_config.db_path)",
      }));
    }
    return err(openProblem(path, e instanceof Error ? e.message : String(e)));
  }
}
