import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pc from "picocolors";
import { parse as parseYaml } from "yaml";
import type { MachineRecord } from "../core/db";
import { openStore } from "../core/db";
import { createLapiServer } from "../core/lapi";
import { createLapiClient } from "../core/lapi";
import { defaultProfiles } from "../core/profiles";
import { USER_AGENT } from "./admin/session";
import { runAdmin, tempDb } from "./admin/testing";
import { generateMachineId, goJsonTime, lastHeartbeat, renderMachines } from "./machines";

const t = tempDb();
afterAll(() => t.cleanup());
const db = () => ["--db", t.db];
const noApiConfig = () => {
  const file = join(t.dir, "no-api.yaml");
  writeFileSync(file, `db_config:\n  type: sqlite\n  db_path: ${t.db}\n`);
  return file;
};

describe("picket machines on the database", () => {
  test("add stores a validated machine whose password is a bcrypt hash", async () => {
    const r = await runAdmin(["machines", "add", "m1", "--password", "0123", ...db()]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "", "Machine 'm1' successfully added to the local API\n"]);
    const store = await openStore({ kind: "sqlite", path: t.db });
    if (!store.ok) throw new Error(store.error.message);
    const m = await store.value.getMachine("m1");
    await store.value.close();
    expect([m?.isValidated, m?.authType, m?.passwordHash.startsWith("$2")]).toEqual([true, "password", true]);
    expect(await Bun.password.verify("0123", m!.passwordHash)).toBe(true);
  });

  test("add refuses an existing machine unless --force", async () => {
    const again = await runAdmin(["machines", "add", "m1", "--password", "x", ...db()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toStartWith("unable to create machine: ");
    const forced = await runAdmin(["machines", "add", "m1", "--password", "new-pw", "--force", ...db()]);
    expect(forced.code).toBe(0);
  });

  test("add --auto generates the password and writes the credentials", async () => {
    const file = join(t.dir, "creds.yaml");
    const r = await runAdmin(["machines", "add", "auto1", "--auto", "-f", file, "-u", "http://127.0.0.1:8080/", ...db()]);
    expect([r.code, r.stderr]).toEqual([0, `Machine 'auto1' successfully added to the local API\nAPI credentials dumped to '${file}'\n`]);
    const creds = parseYaml(readFileSync(file, "utf8")) as { url: string; login: string; password: string };
    expect([creds.url, creds.login, /^[A-Ya-z0-9]{64}$/.test(creds.password)]).toEqual(["http://127.0.0.1:8080/", "auto1", true]);
  });

  const refusals = [
    { argv: ["add", "m2"], want: "picket machines add: give --password PW, or --auto to generate one" },
    { argv: ["add", "--password", "x"], want: "picket machines add: give a machine name, or --auto to generate one" },
    // a config without api.client nor api.server.listen_uri: no URL to write (and no /etc/crowdsec read)
    { argv: ["add", "m2", "--auto", "-f", join(t.dir, "m2.yaml"), "-c", noApiConfig()], want: "picket machines add: unable to dump an api URL. Please provide it in your configuration or with the -u parameter" },
    { argv: ["validate"], want: "picket machines validate: missing argument NAME" },
    { argv: ["delete"], want: "picket machines delete: missing argument NAME [NAME...]" },
  ];
  test.each(refusals)("refuses machines $argv", async ({ argv, want }) => {
    const r = await runAdmin(["machines", ...argv, ...db()]);
    expect([r.code, r.stderr.split("\n")[0]]).toEqual([2, want]);
  });

  test("a machine that registered itself logs in after validate, while the server runs", async () => {
    const store = await openStore({ kind: "sqlite", path: t.db });
    if (!store.ok) throw new Error(store.error.message);
    const server = await createLapiServer({ store: store.value, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port: 0 }, log: () => {} });
    if (!server.ok) throw new Error(server.error.message);
    try {
      const registered = await fetch(`${server.value.url}/v1/watchers`, { method: "POST", body: JSON.stringify({ machine_id: "newbie", password: "Newbie-Pw" }) });
      expect(registered.status).toBe(201);
      const client = createLapiClient({ url: server.value.url, machineId: "newbie", password: "Newbie-Pw", userAgent: USER_AGENT });
      const before = await client.login();
      expect(before.ok ? "logged in" : before.error.message).toBe("Failed to authenticate to Local API (LAPI) : API error: machine newbie not validated");
      const v = await runAdmin(["machines", "validate", "newbie", ...db()]);
      expect([v.code, v.stderr]).toEqual([0, "machine 'newbie' validated successfully\n"]);
      expect((await client.login()).ok).toBe(true);
    } finally {
      await server.value.stop();
      await store.value.close();
    }
  });

  test("list in the three output modes, then delete", async () => {
    const raw = await runAdmin(["machines", "list", "-o", "raw", ...db()]);
    const rows = raw.stdout.trim().split("\n");
    expect(rows[0]).toBe("machine_id,ip_address,updated_at,validated,version,auth_type,last_heartbeat");
    expect(rows.slice(1).map((l) => l.split(",")[0]).sort()).toEqual(["auto1", "m1", "newbie"]);
    const json = await runAdmin(["machines", "list", "-o", "json", ...db()]);
    expect((JSON.parse(json.stdout) as { machineId: string; password?: string }[]).every((m) => m.machineId !== "" && m.password === undefined)).toBe(true);
    const human = await runAdmin(["machines", "list", ...db()]);
    expect(human.stdout.split("\n")[1]).toMatch(/^ Name +IP Address +Last Update +Status +Version +Auth Type +Last Heartbeat$/);
    const del = await runAdmin(["machines", "delete", "auto1", "m1", ...db()]);
    expect([del.code, del.stderr]).toEqual([0, "machine 'auto1' deleted successfully\nmachine 'm1' deleted successfully\n"]);
    const gone = await runAdmin(["machines", "delete", "m1", ...db()]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toStartWith("unable to delete machine 'm1': ");
    const missing = await runAdmin(["machines", "validate", "nobody", ...db()]);
    expect(missing.code).toBe(1);
  });
});

describe("machines output", () => {
  const at = new Date("2026-11-23T18:00:00.000Z");
  const machine = (over: Partial<MachineRecord>): MachineRecord => ({
    id: 1, machineId: "m1", passwordHash: "$2b$10$x", ipAddress: "127.0.0.1", scenarios: "", version: "v1.4.6", isValidated: true, authType: "password",
    createdAt: at, updatedAt: at, lastPush: null, lastHeartbeat: null, ...over,
  });

  const beats = [
    { beat: null, fancy: false, want: "-" },
    { beat: null, fancy: true, want: "⚠️ -" },
    { beat: new Date(at.getTime() - 30_500), fancy: true, want: "30s" },
    { beat: new Date(at.getTime() - 3_725_000), fancy: true, want: "⚠️ 1h2m5s" },
    { beat: new Date(at.getTime() - 3_725_000), fancy: false, want: "1h2m5s" },
  ];
  test.each(beats)("lastHeartbeat() $want", ({ beat, fancy, want }) => {
    expect(lastHeartbeat(machine({ lastHeartbeat: beat }), at, fancy)).toBe(want);
  });

  test("raw and json", () => {
    const plain = pc.createColors(false);
    const list = [machine({}), machine({ id: 2, machineId: "m2", isValidated: false, version: "" })];
    expect(renderMachines(list, "raw", at, plain)).toEqual([
      "machine_id,ip_address,updated_at,validated,version,auth_type,last_heartbeat",
      "m1,127.0.0.1,2026-11-23T18:00:00Z,true,v1.4.6,password,-",
      "m2,127.0.0.1,2026-11-23T18:00:00Z,false,,password,-",
    ]);
    expect(JSON.parse(renderMachines(list.slice(1), "json", at, plain)[0]!)).toEqual([
      { id: 2, created_at: "2026-11-23T18:00:00Z", updated_at: "2026-11-23T18:00:00Z", machineId: "m2", ipAddress: "127.0.0.1", auth_type: "password", edges: {} },
    ]);
  });

  test("goJsonTime() trims the fraction like Go", () => {
    expect([goJsonTime(at), goJsonTime(new Date("2026-11-23T18:00:00.120Z"))]).toEqual(["2026-11-23T18:00:00Z", "2026-11-23T18:00:00.12Z"]);
  });

  test("generateMachineId() is 32 characters of machine id and 16 random ones", () => {
    expect(generateMachineId(join(t.dir, "no-machine-id"))).toMatch(/^[0-9a-f]{32}[A-Ya-z0-9]{16}$/);
  });
});
