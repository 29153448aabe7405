/**
 * The Local API's store: machines, bouncers, alerts with their events, meta and decisions, on
 * SQLite (one file) or PostgreSQL, with CrowdSec's query semantics (LAPI.md §5–§11).
 */
import type { Problem, Result } from "../result";
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

export type * from "./types";
/** IP or CIDR text → CrowdSec's int64 range encoding; a decision's range from its scope. */
export { encodeUint64, parseIpOrRange, rangeForDecision } from "./ip-range";

import { ok } from "../result";
import { besideCrowdsecDb, type StoreConfig } from "./db-config";

/** Where the store lives: a SQLite file (":memory:" for a private one) or a PostgreSQL URL. */
export type { StoreConfig } from "./db-config";
/** CrowdSec's db_config: the store, the flush policy, and picket's file beside CrowdSec's own. */
export { flushPolicyFromDbConfig, storeFromDbConfig } from "./db-config";
export { CROWDSEC_SCHEMA } from "./sqlite";

/**
 * Opens the store and brings its schema up to date. A missing directory, a file that is not a
 * SQLite database or an unreachable server is a `db.open` problem naming the path or URL.
 */
export async function openStore(config: StoreConfig): Promise<Result<Store, Problem>> {
  switch (config.kind) {
    case "sqlite":
      return openSqliteStore(config.path);
    case "postgres":
      return openPostgresStore(config.url);
    default: {
      const never: never = config;
      throw new Error(`unknown store kind in ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The store a config's db_config names. On a host that ran CrowdSec that is CrowdSec's own SQLite
 * file, whose schema picket does not own: picket then keeps its data in `picket.db` beside it, and
 * `note` says so (the admin commands, reading the same config, land on the same file).
 */
export async function openConfiguredStore(config: StoreConfig): Promise<Result<{ store: Store; config: StoreConfig; note?: string }, Problem>> {
  const first = await openStore(config);
  if (first.ok) return ok({ store: first.value, config });
  const beside = besideCrowdsecDb(config, first.error);
  if (!beside || beside.kind !== "sqlite" || config.kind !== "sqlite") return first;
  const second = await openStore(beside);
  if (!second.ok) return second;
  return ok({ store: second.value, config: beside, note: `${config.path} is CrowdSec's own database: picket keeps its data in ${beside.path}` });
}
