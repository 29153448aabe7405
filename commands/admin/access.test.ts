import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProblem } from "../../core/result";
import { API_FLAGS, DB_FLAGS, configApiUrl, resolveAccess, resolveStore, storeOfConfig } from "./access";
import { Flags, parseFlags } from "./flags";

const dir = mkdtempSync(join(tmpdir(), "picket-access-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const creds = write("creds.yaml", "url: http://127.0.0.1:8080/\nlogin: m1\npassword: secret\n");
const sqliteConfig = write("sqlite.yaml", "db_config:\n  type: sqlite\n  db_path: /var/lib/crowdsec/data/crowdsec.db\napi:\n  server:\n    listen_uri: 127.0.0.1:8081\n");
const clientConfig = write("client.yaml", `db_config:\n  type: sqlite\n  db_path: /x.db\napi:\n  client:\n    credentials_path: ${creds}\n`);
const missingCreds = write("missing.yaml", `db_config:\n  type: sqlite\n  db_path: /x.db\napi:\n  client:\n    credentials_path: ${join(dir, "nope.yaml")}\n`);
const noDefault = join(dir, "absent-config.yaml");

const flags = (argv: string[]) => {
  const r = parseFlags(argv, [...DB_FLAGS, ...API_FLAGS]);
  if (!r.ok) throw new Error(r.error);
  return new Flags(r.value);
};

describe("resolveAccess()", () => {
  const cases: { name: string; argv: string[]; want: unknown }[] = [
    { name: "--db", argv: ["--db", "/tmp/p.db"], want: { kind: "db", store: { kind: "sqlite", path: "/tmp/p.db" } } },
    { name: "--db with a postgres URL", argv: ["--db", "postgres://u@h/db"], want: { kind: "db", store: { kind: "postgres", url: "postgres://u@h/db" } } },
    { name: "--url wins over --db", argv: ["--url", "http://h:8080", "--machine", "m", "--password", "p", "--db", "x"], want: { kind: "api", api: { url: "http://h:8080", machineId: "m", password: "p" } } },
    { name: "config with client credentials", argv: ["-c", clientConfig], want: { kind: "api", api: { url: "http://127.0.0.1:8080/", machineId: "m1", password: "secret" } } },
    { name: "config whose credentials file is absent", argv: ["-c", missingCreds], want: { kind: "db", store: { kind: "sqlite", path: "/x.db", fromConfig: true } } },
    { name: "config without client", argv: ["-c", sqliteConfig], want: { kind: "db", store: { kind: "sqlite", path: "/var/lib/crowdsec/data/crowdsec.db", fromConfig: true } } },
  ];
  test.each(cases)("$name", ({ argv, want }) => {
    const r = resolveAccess(flags(argv), noDefault);
    const got: unknown = r.ok ? r.value : renderProblem(r.error);
    expect(got).toEqual(want);
  });

  const errors = [
    { name: "nothing given and no default config", argv: [], want: "No database or Local API given\n  hint: give --db PATH, --url URL --machine NAME --password PW, or -c config.yaml" },
    { name: "--url without credentials", argv: ["--url", "http://h"], want: "--url needs --machine and --password\n  hint: the machine must exist and be validated (picket machines add NAME --password PW)" },
  ];
  test.each(errors)("refuses $name", ({ argv, want }) => {
    const r = resolveAccess(flags(argv), noDefault);
    expect(r.ok ? "resolved" : renderProblem(r.error)).toBe(want);
  });

  test("uses the default config when it exists", () => {
    const r = resolveAccess(flags([]), sqliteConfig);
    expect(r.ok && r.value.kind).toBe("db");
  });
});

describe("resolveStore()", () => {
  test("requires --db or a config", () => {
    const r = resolveStore(flags([]), noDefault);
    expect(r.ok ? "resolved" : renderProblem(r.error)).toBe("No database given\n  hint: give --db PATH (a SQLite file), or -c config.yaml whose db_config to use");
  });

  test("ignores client credentials: machines and bouncers are always on the database", () => {
    const r = resolveStore(flags(["-c", clientConfig]), noDefault);
    expect(r.ok ? r.value : null).toEqual({ kind: "sqlite", path: "/x.db", fromConfig: true });
  });
});

describe("storeOfConfig()", () => {
  const cases: { db: Record<string, unknown>; want: unknown }[] = [
    { db: { type: "postgresql", user: "crowdsec", password: "p@ss", host: "db", port: 5432, db_name: "crowdsec", sslmode: "disable" }, want: { kind: "postgres", url: "postgres://crowdsec:p%40ss@db:5432/crowdsec?sslmode=disable", fromConfig: true } },
    { db: { type: "pgx", db_name: "cs" }, want: { kind: "postgres", url: "postgres://localhost:5432/cs", fromConfig: true } },
    { db: { type: "mysql" }, want: 'c.yaml db_config.type: Database type "mysql" is not supported: use sqlite or postgres' },
    { db: { type: "sqlite" }, want: "c.yaml db_config.db_path: db_config.db_path is missing" },
  ];
  test.each(cases)("$db.type", ({ db, want }) => {
    const r = storeOfConfig("c.yaml", { db_config: db });
    const got: unknown = r.ok ? r.value : renderProblem(r.error);
    expect(got).toEqual(want);
  });
});

describe("configApiUrl()", () => {
  const cases = [
    { name: "from the client credentials", argv: ["-c", clientConfig], want: "http://127.0.0.1:8080/" },
    { name: "from the server's listen_uri", argv: ["-c", sqliteConfig], want: "http://127.0.0.1:8081" },
    { name: "none without a config", argv: [], want: undefined },
  ];
  test.each(cases)("$name", ({ argv, want }) => {
    const r = configApiUrl(flags(argv), noDefault);
    expect(r.ok ? r.value : renderProblem(r.error)).toBe(want);
  });
});
