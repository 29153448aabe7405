import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "./contract";
import { openStore } from "./index";
import { openSqliteStore } from "./sqlite";

const dir = mkdtempSync(join(tmpdir(), "picket-db-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreContract("sqlite", async () => {
  const r = openSqliteStore(join(dir, `store-${++n}.db`));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
});

describe("openStore() on SQLite", () => {
  const cases = [
    { name: "missing directory", path: () => join(dir, "nope", "picket.db"), want: `directory "${join(dir, "nope")}" does not exist` },
    { name: "a directory", path: () => dir, want: "it is a directory" },
    {
      name: "not a database",
      path: () => {
        const p = join(dir, "corrupt.db");
        writeFileSync(p, "this is not a sqlite database, just some text long enough to be a header".repeat(20));
        return p;
      },
      want: "file is not a database",
    },
  ];
  test.each(cases)("$name is a db.open problem naming the path", async ({ path, want }) => {
    const p = path();
    const r = await openStore({ kind: "sqlite", path: p });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("db.open");
      expect(r.error.file).toBe(p);
      expect(r.error.message).toStartWith(`Cannot open SQLite database "${p}": `);
      expect(r.error.message).toContain(want);
    }
  });

  test(":memory: gives a private, working store", async () => {
    const r = await openStore({ kind: "sqlite", path: ":memory:" });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.backend).toBe("sqlite");
    expect(await r.value.insertAlerts([], new Date())).toEqual([]);
    await r.value.close();
  });

  test("reopening keeps the data and the schema version", async () => {
    const p = join(dir, "reopen.db");
    const first = await openStore({ kind: "sqlite", path: p });
    if (!first.ok) throw new Error(first.error.message);
    await first.value.addBouncer({ name: "fw", apiKeyHash: "00" });
    await first.value.close();
    const second = await openStore({ kind: "sqlite", path: p });
    if (!second.ok) throw new Error(second.error.message);
    expect((await second.value.listBouncers()).map((b) => b.name)).toEqual(["fw"]);
    await second.value.close();
  });

  test("WAL mode and schema_version are set", async () => {
    const p = join(dir, "pragmas.db");
    const r = openSqliteStore(p);
    if (!r.ok) throw new Error(r.error.message);
    await r.value.close();
    const db = new Database(p);
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.query("SELECT version FROM schema_version").all()).toEqual([{ version: 1 }]);
    db.close();
  });

  test("a committed insert survives SIGKILL of the writer", async () => {
    const sub = join(dir, "kill");
    mkdirSync(sub);
    const p = join(sub, "picket.db");
    const script = `
      import { openStore } from ${JSON.stringify(join(import.meta.dir, "index.ts"))};
      const r = await openStore({ kind: "sqlite", path: ${JSON.stringify(p)} });
      if (!r.ok) { console.log("error", r.error.message); process.exit(1); }
      await r.value.addBouncer({ name: "survivor", apiKeyHash: "ff" });
      console.log("committed");
      setInterval(() => {}, 1000);
    `;
    const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    expect(out.trim()).toBe("committed");
    child.kill("SIGKILL");
    await child.exited;
    const r = await openStore({ kind: "sqlite", path: p });
    if (!r.ok) throw new Error(r.error.message);
    expect((await r.value.listBouncers()).map((b) => b.name)).toEqual(["survivor"]);
    await r.value.close();
  });
});
