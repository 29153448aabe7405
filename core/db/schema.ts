/**
 * The schema both back ends share, as numbered migrations. Names follow CrowdSec's ent schema
 * (LAPI.md §10.1); every time is integer milliseconds since the epoch except the alert instants,
 * kept in nanoseconds beside the RFC 3339 text the agent sent.
 */

export type SqlFlavor = "sqlite" | "postgres";

const TYPES: Record<SqlFlavor, Record<"ID" | "INT" | "BOOL" | "REAL", string>> = {
  sqlite: { ID: "INTEGER PRIMARY KEY AUTOINCREMENT", INT: "INTEGER", BOOL: "INTEGER", REAL: "REAL" },
  postgres: { ID: "BIGSERIAL PRIMARY KEY", INT: "BIGINT", BOOL: "BOOLEAN", REAL: "DOUBLE PRECISION" },
};

const V1 = `
CREATE TABLE machines (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  last_push {INT},
  last_heartbeat {INT},
  machine_id TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  ip_address TEXT NOT NULL DEFAULT '',
  scenarios TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  is_validated {BOOL} NOT NULL DEFAULT FALSE,
  status TEXT NOT NULL DEFAULT '',
  auth_type TEXT NOT NULL DEFAULT 'password'
);
CREATE TABLE bouncers (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  name TEXT NOT NULL UNIQUE,
  api_key TEXT NOT NULL,
  revoked {BOOL} NOT NULL DEFAULT FALSE,
  ip_address TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT '',
  until {INT},
  last_pull {INT},
  auth_type TEXT NOT NULL DEFAULT 'api-key'
);
CREATE INDEX bouncers_api_key ON bouncers (api_key);
CREATE TABLE alerts (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  scenario TEXT NOT NULL,
  bucket_id TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL,
  events_count {INT} NOT NULL,
  started_at TEXT NOT NULL,
  started_at_ns {INT} NOT NULL,
  stopped_at TEXT NOT NULL,
  stopped_at_ns {INT} NOT NULL,
  source_ip TEXT NOT NULL,
  source_range TEXT NOT NULL,
  source_as_number TEXT NOT NULL,
  source_as_name TEXT NOT NULL,
  source_country TEXT NOT NULL,
  source_latitude {REAL} NOT NULL,
  source_longitude {REAL} NOT NULL,
  source_scope TEXT NOT NULL,
  source_value TEXT NOT NULL,
  capacity {INT} NOT NULL,
  leak_speed TEXT NOT NULL,
  scenario_version TEXT NOT NULL,
  scenario_hash TEXT NOT NULL,
  simulated {BOOL} NOT NULL,
  remediation {BOOL} NOT NULL,
  labels TEXT,
  uuid TEXT NOT NULL,
  kind TEXT NOT NULL,
  machine_alerts {INT} REFERENCES machines (id) ON DELETE SET NULL
);
CREATE INDEX alerts_created_at ON alerts (created_at);
CREATE INDEX alerts_started_at ON alerts (started_at_ns);
CREATE INDEX alerts_machine ON alerts (machine_alerts);
CREATE INDEX alerts_source_value ON alerts (source_value);
CREATE TABLE decisions (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  until {INT} NOT NULL,
  scenario TEXT NOT NULL,
  type TEXT NOT NULL,
  ip_size {INT},
  start_ip {INT},
  end_ip {INT},
  start_suffix {INT},
  end_suffix {INT},
  scope TEXT NOT NULL,
  value TEXT NOT NULL,
  origin TEXT NOT NULL,
  simulated {BOOL} NOT NULL,
  uuid TEXT NOT NULL,
  alert_decisions {INT} NOT NULL REFERENCES alerts (id) ON DELETE CASCADE
);
CREATE INDEX decisions_range ON decisions (ip_size, start_ip, end_ip);
CREATE INDEX decisions_until ON decisions (until);
-- also serves lookups by value alone (GET /decisions?value=, decisionTimes)
CREATE INDEX decisions_dedup ON decisions (value, type, scope, until);
CREATE INDEX decisions_created_at ON decisions (created_at);
CREATE INDEX decisions_alert ON decisions (alert_decisions);
CREATE TABLE events (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  time TEXT NOT NULL,
  serialized TEXT NOT NULL,
  alert_events {INT} NOT NULL REFERENCES alerts (id) ON DELETE CASCADE
);
CREATE INDEX events_alert ON events (alert_events);
CREATE TABLE meta (
  id {ID},
  created_at {INT} NOT NULL,
  updated_at {INT} NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  alert_metas {INT} NOT NULL REFERENCES alerts (id) ON DELETE CASCADE
);
CREATE INDEX meta_alert ON meta (alert_metas);
`;

/** Migrations in order; migration i brings the schema to version i + 1. */
const MIGRATIONS: readonly string[] = [V1];

export const SCHEMA_VERSION = MIGRATIONS.length;

export const CREATE_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";

/** The statements of each migration after `current`, with their target version. */
export function pendingMigrations(flavor: SqlFlavor, current: number): { version: number; statements: string[] }[] {
  const types = TYPES[flavor];
  const out: { version: number; statements: string[] }[] = [];
  for (let i = current; i < MIGRATIONS.length; i++) {
    const ddl = MIGRATIONS[i]!.replace(/\{(ID|INT|BOOL|REAL)\}/g, (_, name: "ID" | "INT" | "BOOL" | "REAL") => types[name]);
    const statements = ddl
      .split(";")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    out.push({ version: i + 1, statements });
  }
  return out;
}
