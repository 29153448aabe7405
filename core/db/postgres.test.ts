/**
 * The Store contract on a real PostgreSQL that this file starts (initdb + pg_ctl in a temporary
 * directory, on a free port, as the `postgres` user when run as root) and stops afterwards.
 * Without PostgreSQL binaries the suite is skipped, saying so.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "./contract";
import { openStore } from "./index";
import { openPostgresStore } from "./postgres";

/** The directory holding initdb, pg_ctl and postgres, highest version first. */
function findPgBin(): string | null {
  const candidates: string[] = [];
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(root, v, "bin"));
  }
  candidates.push("/usr/local/bin", "/usr/local/pgsql/bin", "/usr/bin");
  for (const dir of candidates) {
    if (["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(dir, b)))) return dir;
  }
  return null;
}

interface RunAs {
  prefix: string[];
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: drop to the postgres user when we are root. */
function findRunAs(): RunAs | null {
  if (process.getuid?.() !== 0) return { prefix: [], uid: -1, gid: -1 };
  const id = (flag: string): number => Number(Bun.spawnSync(["id", flag, "postgres"]).stdout.toString().trim());
  const uid = id("-u");
  const gid = id("-g");
  if (!Number.isInteger(uid) || uid <= 0 || !existsSync("/usr/bin/setpriv")) return null;
  return { prefix: ["/usr/bin/setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--init-groups"], uid, gid };
}

const PG_BIN = findPgBin();
const RUN_AS = PG_BIN ? findRunAs() : null;
const SKIP_REASON = !PG_BIN
  ? "no PostgreSQL binaries (initdb, pg_ctl, postgres) in /usr/lib/postgresql/*/bin, /usr/local/bin or /usr/bin"
  : !RUN_AS
    ? "running as root without a postgres user or setpriv to start PostgreSQL as"
    : "";
if (SKIP_REASON) console.warn(`note: core/db postgres suite skipped: ${SKIP_REASON}`);

function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

function runPg(args: string[]): void {
  const r = Bun.spawnSync([...RUN_AS!.prefix, ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr.toString()}${r.stdout.toString()}`);
}

describe.skipIf(SKIP_REASON !== "")("postgres", () => {
  let dir = "";
  let data = "";
  let url = "";
  let admin: SQL | undefined;
  let started = false;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "picket-pg-"));
    if (RUN_AS!.uid > 0) chownSync(dir, RUN_AS!.uid, RUN_AS!.gid);
    data = join(dir, "data");
    const port = freePort();
    runPg([join(PG_BIN!, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    runPg([join(PG_BIN!, "pg_ctl"), "-D", data, "-l", join(dir, "log"), "-o", options, "-w", "-s", "start"]);
    started = true;
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    admin = new SQL(url);
  });

  afterAll(async () => {
    await admin?.close();
    if (started) runPg([join(PG_BIN!, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "-s", "stop"]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  runStoreContract("postgres", async () => {
    const r = await openPostgresStore(url);
    if (!r.ok) throw new Error(r.error.message);
    await admin!.unsafe("TRUNCATE machines, bouncers, alerts, decisions, events, meta RESTART IDENTITY CASCADE");
    return r.value;
  });

  describe("openStore() on PostgreSQL", () => {
    test("migrations run once: schema_version holds one row per version", async () => {
      const r = await openStore({ kind: "postgres", url });
      if (!r.ok) throw new Error(r.error.message);
      await r.value.close();
      expect(await admin!.unsafe("SELECT version FROM schema_version")).toEqual([{ version: 1 }]);
    });

    test("an unreachable server is a db.open problem without the password", async () => {
      const r = await openStore({ kind: "postgres", url: `postgres://picket:secret@127.0.0.1:${freePort()}/picket` });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("db.open");
        expect(r.error.message).toStartWith('Cannot open PostgreSQL database "postgres://picket:***@127.0.0.1:');
        expect(r.error.message).not.toContain("secret");
      }
    });
  });
});
