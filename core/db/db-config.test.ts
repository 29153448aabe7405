import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProblem } from "../result";
import { CROWDSEC_SCHEMA, flushPolicyFromDbConfig, openConfiguredStore, openStore, storeFromDbConfig } from "./index";

const dir = mkdtempSync(join(tmpdir(), "picket-db-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("storeFromDbConfig()", () => {
  const cases: { name: string; db: unknown; want: unknown }[] = [
    { name: "sqlite", db: { type: "sqlite", db_path: "/var/lib/crowdsec/data/crowdsec.db" }, want: { kind: "sqlite", path: "/var/lib/crowdsec/data/crowdsec.db" } },
    { name: "type defaults to sqlite", db: { db_path: "/x.db" }, want: { kind: "sqlite", path: "/x.db" } },
    { name: "postgres with every part", db: { type: "postgresql", user: "cs", password: "p@ss", host: "db", port: 5433, db_name: "crowdsec", sslmode: "disable" }, want: { kind: "postgres", url: "postgres://cs:p%40ss@db:5433/crowdsec?sslmode=disable" } },
    { name: "pgx with defaults", db: { type: "pgx" }, want: { kind: "postgres", url: "postgres://localhost:5432/crowdsec" } },
    { name: "mysql is refused", db: { type: "mysql" }, want: 'c.yaml db_config.type: Database type "mysql" is not supported: use sqlite or postgres' },
    { name: "no db_path", db: { type: "sqlite" }, want: "c.yaml db_config.db_path: db_config.db_path is missing" },
    { name: "no section", db: undefined, want: "c.yaml db_config: The config has no db_config section" },
  ];
  test.each(cases)("$name", ({ db, want }) => {
    const r = storeFromDbConfig("c.yaml", db);
    const got: unknown = r.ok ? r.value : renderProblem(r.error);
    expect(got).toEqual(want);
  });
});

describe("flushPolicyFromDbConfig()", () => {
  const cases: { name: string; db: unknown; want: unknown }[] = [
    { name: "no flush section", db: { type: "sqlite" }, want: {} },
    { name: "CrowdSec's defaults", db: { flush: { max_items: 5000, max_age: "7d" } }, want: { maxItems: 5000, maxAgeMs: 7 * 24 * 3600_000 } },
    { name: "Go durations", db: { flush: { max_age: "1h30m" } }, want: { maxAgeMs: 5_400_000 } },
    { name: "days and hours", db: { flush: { max_age: "1d12h" } }, want: { maxAgeMs: 36 * 3600_000 } },
    { name: "bad age", db: { flush: { max_age: "soon" } }, want: 'c.yaml db_config.flush.max_age: db_config.flush.max_age "soon" is not a duration (e.g. 7d, 12h)' },
    { name: "bad count", db: { flush: { max_items: "many" } }, want: 'c.yaml db_config.flush.max_items: db_config.flush.max_items must be a whole number, not "many"' },
  ];
  test.each(cases)("$name", ({ db, want }) => {
    const r = flushPolicyFromDbConfig("c.yaml", db);
    const got: unknown = r.ok ? r.value : renderProblem(r.error);
    expect(got).toEqual(want);
  });
});

describe("CrowdSec's own SQLite file", () => {
  // the tables CrowdSec 1.4.6 (ent) creates; picket must neither migrate into them nor fail
  const crowdsecDir = join(dir, "crowdsec-data");
  const crowdsecDb = join(crowdsecDir, "crowdsec.db");
  mkdirSync(crowdsecDir);
  const db = new Database(crowdsecDb, { create: true });
  db.run("CREATE TABLE machines (id integer PRIMARY KEY, machine_id text UNIQUE, password text)");
  db.run("CREATE TABLE alerts (id integer PRIMARY KEY, scenario text)");
  db.run("INSERT INTO machines (machine_id, password) VALUES ('cs-host', 'x')");
  // an empty version table, as an older picket left it when it tried to migrate into this file
  db.run("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  db.close();

  test("openStore refuses it with a clear problem and leaves it as it was", async () => {
    const r = await openStore({ kind: "sqlite", path: crowdsecDb });
    expect(r.ok ? "opened" : r.error.code).toBe(CROWDSEC_SCHEMA);
    const check = new Database(crowdsecDb, { readonly: true });
    const tables = check.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((t) => t.name);
    check.close();
    expect(tables).toEqual(["alerts", "machines", "schema_version"]);
  });

  test("openConfiguredStore keeps picket's data in picket.db beside it, and says so", async () => {
    const r = await openConfiguredStore({ kind: "sqlite", path: crowdsecDb });
    if (!r.ok) throw new Error(renderProblem(r.error));
    expect(r.value.note).toBe(`${crowdsecDb} is CrowdSec's own database: picket keeps its data in ${join(crowdsecDir, "picket.db")}`);
    expect(await r.value.store.listMachines()).toEqual([]);
    await r.value.store.close();
    expect(existsSync(join(crowdsecDir, "picket.db"))).toBe(true);
  });
});
