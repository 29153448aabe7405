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

/** Where the store lives: a SQLite file (":memory:" for a private one) or a PostgreSQL URL. */
export type StoreConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

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
