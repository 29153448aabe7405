import { afterAll, describe, expect, test } from "bun:test";
import pc from "picocolors";
import type { BouncerRecord } from "../core/db";
import { openStore } from "../core/db";
import { hashApiKey } from "../core/lapi";
import { generateApiKey, generatePassword } from "./admin/secrets";
import { runAdmin, tempDb } from "./admin/testing";
import { bouncerJson, renderBouncers, renderNewKey } from "./bouncers";

const t = tempDb();
afterAll(() => t.cleanup());
const db = () => ["--db", t.db];

async function storedHash(name: string): Promise<string | undefined> {
  const store = await openStore({ kind: "sqlite", path: t.db });
  if (!store.ok) throw new Error(store.error.message);
  const list = await store.value.listBouncers();
  await store.value.close();
  return list.find((b) => b.name === name)?.apiKeyHash;
}

describe("picket bouncers on the database", () => {
  test("add with --key stores the key's SHA-512 and prints the key", async () => {
    const r = await runAdmin(["bouncers", "add", "fw", "--key", "0123456789", ...db()]);
    expect([r.code, r.stdout]).toEqual([0, "Api key for 'fw':\n\n   0123456789\n\nPlease keep this key since you will not be able to retrieve it!\n"]);
    expect(await storedHash("fw")).toBe(new Bun.CryptoHasher("sha512").update("0123456789").digest("hex"));
  });

  test("add without --key generates 32 lowercase hex characters (-o raw prints the key alone)", async () => {
    const r = await runAdmin(["bouncers", "add", "gen", "-o", "raw", ...db()]);
    expect(r.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect(await storedHash("gen")).toBe(hashApiKey(r.stdout.trim()));
  });

  test("add -o json prints the key as a JSON string; -l sets its length in bytes", async () => {
    const r = await runAdmin(["bouncers", "add", "long", "-l", "24", "-o", "json", ...db()]);
    expect(JSON.parse(r.stdout)).toMatch(/^[0-9a-f]{48}$/);
  });

  test("add refuses an existing name", async () => {
    const r = await runAdmin(["bouncers", "add", "fw", ...db()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith("unable to create bouncer: ");
  });

  test("list, then delete", async () => {
    const raw = await runAdmin(["bouncers", "list", "-o", "raw", ...db()]);
    const lines = raw.stdout.trim().split("\n");
    expect(lines[0]).toBe("name,ip,revoked,last_pull,type,version,auth_type");
    expect(lines.slice(1).map((l) => l.replace(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,/, ",T,"))).toEqual(["fw,,validated,T,,,api-key", "gen,,validated,T,,,api-key", "long,,validated,T,,,api-key"]);
    const del = await runAdmin(["bouncers", "delete", "fw", "gen", ...db()]);
    expect([del.code, del.stderr]).toEqual([0, "bouncer 'fw' deleted successfully\nbouncer 'gen' deleted successfully\n"]);
    const again = await runAdmin(["bouncers", "delete", "fw", ...db()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toStartWith("unable to delete bouncer 'fw': ");
  });

  const refusals = [
    { argv: ["add"], want: "picket bouncers add: missing argument NAME" },
    { argv: ["add", "a", "b"], want: 'picket bouncers add: unexpected argument "b"' },
    { argv: ["add", "a", "-l", "0"], want: "picket bouncers add: --length must be between 1 and 1024" },
    { argv: ["list", "--db"], want: "picket bouncers list: flag needs an argument: --db" },
  ];
  test.each(refusals)("refuses bouncers $argv", async ({ argv, want }) => {
    const r = await runAdmin(["bouncers", ...argv]);
    expect([r.code, r.stderr.split("\n")[0]]).toEqual([2, want]);
  });
});

describe("bouncers output", () => {
  const at = new Date("2026-11-23T18:00:00Z");
  const bouncer: BouncerRecord = {
    id: 1, name: "fw", apiKeyHash: "ab", revoked: false, ipAddress: "127.0.0.1", type: "cs-firewall-bouncer", version: "v0.0.25", lastPull: null, authType: "api-key", createdAt: at, updatedAt: at,
  };

  test("last_pull is the creation time before the first pull (1.4.6)", () => {
    expect(renderBouncers([bouncer, { ...bouncer, name: "r", revoked: true, lastPull: new Date("2026-11-23T19:00:00Z") }], "raw", pc.createColors(false))).toEqual([
      "name,ip,revoked,last_pull,type,version,auth_type",
      "fw,127.0.0.1,validated,2026-11-23T18:00:00Z,cs-firewall-bouncer,v0.0.25,api-key",
      "r,127.0.0.1,pending,2026-11-23T19:00:00Z,cs-firewall-bouncer,v0.0.25,api-key",
    ]);
    expect(bouncerJson(bouncer).last_pull).toBe("2026-11-23T18:00:00Z");
  });

  test("renderNewKey() in the three modes", () => {
    expect([renderNewKey("b", "k", "raw"), renderNewKey("b", "k", "json")]).toEqual([["k"], ['"k"']]);
  });
});

describe("secrets", () => {
  test("generateApiKey() gives distinct 32-char lowercase hex keys", () => {
    const keys = new Set(Array.from({ length: 20 }, () => generateApiKey()));
    expect([keys.size, [...keys].every((k) => /^[0-9a-f]{32}$/.test(k))]).toEqual([20, true]);
  });

  test("generatePassword() uses upstream's alphabet (no Z)", () => {
    const pw = generatePassword(2000);
    expect([pw.length, /^[A-Ya-z0-9]+$/.test(pw)]).toEqual([2000, true]);
  });
});
