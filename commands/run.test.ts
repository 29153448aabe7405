import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseListen, planRun } from "./run";

const dir = mkdtempSync(join(tmpdir(), "picket-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseListen()", () => {
  test.each([
    { text: "127.0.0.1:8080", want: { host: "127.0.0.1", port: 8080 } },
    { text: "[::1]:8081", want: { host: "::1", port: 8081 } },
    { text: ":8082", want: { host: "0.0.0.0", port: 8082 } },
  ])("$text", ({ text, want }) => expect(parseListen(text)).toEqual({ ok: true, value: want }));
  test.each(["8080", "host:99999", "a:b"])("%s is refused", (text) => {
    const r = parseListen(text);
    expect(r.ok ? "" : r.error.message).toBe(`Invalid listen address "${text}": expected HOST:PORT`);
  });
});

describe("planRun()", () => {
  const config = (name: string, yaml: string) => {
    const p = join(dir, name);
    writeFileSync(p, yaml);
    return p;
  };
  const full = config(
    "full.yaml",
    `config_paths:\n  config_dir: ${dir}/\n  data_dir: ${dir}/\ndb_config:\n  type: sqlite\n  db_path: ${dir}/crowdsec.db\napi:\n  server:\n    listen_uri: 127.0.0.1:9090\n` +
      `    profiles_path: ${dir}/profiles.yaml\n    trusted_ips: [127.0.0.1, 10.0.0.0/8]\n    tls:\n      cert_file: /c.pem\n      key_file: /k.pem\n`,
  );
  const pg = config("pg.yaml", "db_config:\n  type: postgresql\n  user: cs\n  password: p@ss\n  host: db\n  port: 5433\n  db_name: crowdsec\n  sslmode: disable\n");

  test("config.yaml gives listen, profiles, trusted IPs, TLS and the database", () => {
    expect(planRun({ apiOnly: true, config: full })).toEqual({
      ok: true,
      value: {
        listen: { host: "127.0.0.1", port: 9090 }, store: { kind: "sqlite", path: `${dir}/crowdsec.db` }, profilesPath: `${dir}/profiles.yaml`,
        trustedIps: ["127.0.0.1", "10.0.0.0/8"], tls: { certFile: "/c.pem", keyFile: "/k.pem" },
      },
    });
  });
  test("flags win over the config", () => {
    const r = planRun({ apiOnly: true, config: full, listen: "127.0.0.1:7000", db: "/tmp/x.db" });
    expect(r.ok && [r.value.listen, r.value.store]).toEqual([{ host: "127.0.0.1", port: 7000 }, { kind: "sqlite", path: "/tmp/x.db" }]);
  });
  test("postgres db_config becomes a URL", () => {
    const r = planRun({ apiOnly: true, config: pg });
    expect(r.ok && r.value.store).toEqual({ kind: "postgres", url: "postgres://cs:p%40ss@db:5433/crowdsec?sslmode=disable" });
  });
  test("no config: the default listen address, the default profile, --db required", () => {
    expect(planRun({ apiOnly: true, db: "/tmp/a.db" })).toEqual({ ok: true, value: { listen: { host: "127.0.0.1", port: 8080 }, store: { kind: "sqlite", path: "/tmp/a.db" }, profilesPath: undefined, trustedIps: [], tls: undefined } });
    const r = planRun({ apiOnly: true });
    expect(r.ok ? "" : r.error.message).toBe("No database: give --db FILE or -c config.yaml");
  });
  test("mysql is refused with the field named", () => {
    const r = planRun({ apiOnly: true, config: config("my.yaml", "db_config:\n  type: mysql\n") });
    expect(r.ok ? "" : `${r.error.field}: ${r.error.message}`).toBe('db_config.type: Database type "mysql" is not supported: use sqlite or postgres');
  });
});
