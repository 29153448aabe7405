/**
 * CrowdSec's `db_config` section (CONFIG.md): where the store lives and how the flush job trims
 * it. Shared by `picket run` and the admin commands, so both open the same database.
 */
import { dirname, join } from "node:path";
import { parseDuration } from "../expr";
import { err, ok, problem, type Problem, type Result } from "../result";
import { CROWDSEC_SCHEMA } from "./sqlite";
import type { FlushPolicy } from "./types";

export type StoreConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);

/** db_config → a StoreConfig (sqlite: db_path; postgres, pgx: host/port/user/password/db_name/sslmode). */
export function storeFromDbConfig(file: string, dbConfig: unknown): Result<StoreConfig> {
  if (!isMap(dbConfig)) return err(problem("db.config", "The config has no db_config section", { file, field: "db_config" }));
  const type = text(dbConfig.type) ?? "sqlite";
  if (type === "sqlite") {
    const path = text(dbConfig.db_path);
    if (!path) return err(problem("db.config", "db_config.db_path is missing", { file, field: "db_config.db_path" }));
    return ok({ kind: "sqlite", path });
  }
  if (type === "postgres" || type === "postgresql" || type === "pgx") {
    const user = encodeURIComponent(text(dbConfig.user) ?? "");
    const password = text(dbConfig.password);
    const auth = user ? `${user}${password ? `:${encodeURIComponent(password)}` : ""}@` : "";
    const host = text(dbConfig.host) ?? "localhost";
    const port = text(dbConfig.port) ?? "5432";
    const name = encodeURIComponent(text(dbConfig.db_name) ?? "crowdsec");
    const sslmode = text(dbConfig.sslmode);
    const at = host.includes(":") ? `[${host}]` : host;
    return ok({ kind: "postgres", url: `postgres://${auth}${at}:${port}/${name}${sslmode ? `?sslmode=${encodeURIComponent(sslmode)}` : ""}` });
  }
  return err(problem("db.config", `Database type "${type}" is not supported: use sqlite or postgres`, { file, field: "db_config.type" }));
}

/** db_config.flush: max_items (count) and max_age (Go duration, `d` for days accepted). */
export function flushPolicyFromDbConfig(file: string, dbConfig: unknown): Result<FlushPolicy> {
  const flush = isMap(dbConfig) && isMap(dbConfig.flush) ? dbConfig.flush : undefined;
  if (!flush) return ok({});
  const policy: { maxItems?: number; maxAgeMs?: number } = {};
  if (flush.max_items !== undefined && flush.max_items !== null) {
    const n = Number(flush.max_items);
    if (!Number.isInteger(n) || n < 0) return err(problem("db.config", `db_config.flush.max_items must be a whole number, not "${String(flush.max_items)}"`, { file, field: "db_config.flush.max_items" }));
    policy.maxItems = n;
  }
  const age = text(flush.max_age);
  if (age !== undefined) {
    const days = /^(\d+)d(.*)$/.exec(age);
    const parsed = parseDuration(days ? `${Number(days[1]) * 24}h${days[2]}` : age);
    if (!parsed.ok || parsed.ns <= 0) return err(problem("db.config", `db_config.flush.max_age "${age}" is not a duration (e.g. 7d, 12h)`, { file, field: "db_config.flush.max_age" }));
    policy.maxAgeMs = parsed.ns / 1e6;
  }
  return ok(policy);
}

/**
 * On a host that ran CrowdSec, db_config names CrowdSec's own SQLite file: picket keeps its data in
 * `picket.db` beside it rather than writing into a schema it does not own.
 */
export function besideCrowdsecDb(config: StoreConfig, failure: Problem): StoreConfig | undefined {
  if (config.kind !== "sqlite" || failure.code !== CROWDSEC_SCHEMA) return undefined;
  const path = join(dirname(config.path), "picket.db");
  return path === config.path ? undefined : { kind: "sqlite", path };
}
