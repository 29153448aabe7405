import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, rangeForDecision, type NewAlert, type Store } from "../db";
import { defaultProfiles } from "../profiles";
import { hashApiKey } from "./auth";
import { createLapiServer, tokenSecret } from "./server";

const REPO = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "picket-lapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seeded(path: string): Promise<Store> {
  const opened = await openStore({ kind: "sqlite", path });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  await store.addMachine({ machineId: "m1", passwordHash: await Bun.password.hash("pw1", { algorithm: "bcrypt", cost: 4 }), isValidated: true });
  await store.addBouncer({ name: "b1", apiKeyHash: hashApiKey("key1") });
  return store;
}

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/v1/watchers/login`, { method: "POST", body: JSON.stringify({ machine_id: "m1", password: "pw1" }), headers: { "User-Agent": "crowdsec/v1.4.6" } });
  const body = (await r.json()) as { token: string };
  return body.token;
}

function agentAlert(ip: string) {
  const at = new Date().toISOString();
  return {
    capacity: 5, decisions: null, events: [{ meta: [{ key: "source_ip", value: ip }], timestamp: at }], events_count: 6, labels: null, leakspeed: "10s",
    message: "m", remediation: true, scenario: "crowdsecurity/ssh-bf", scenario_hash: "h", scenario_version: "0.1", simulated: false,
    source: { ip, scope: "Ip", value: ip }, start_at: at, stop_at: at,
  };
}

describe("tokenSecret()", () => {
  test("CS_LAPI_SECRET shorter than 64 bytes is refused; none gives 64 random bytes", () => {
    const short = tokenSecret(undefined, { CS_LAPI_SECRET: "short" });
    expect(short.ok ? "" : short.error.message).toBe("The JWT secret is too short: 5 bytes, at least 64 are needed");
    const random = tokenSecret(undefined, {});
    expect(random.ok && random.value.length).toBe(64);
    const env = tokenSecret(undefined, { CS_LAPI_SECRET: "k".repeat(64) });
    expect(env.ok && new TextDecoder().decode(env.value)).toBe("k".repeat(64));
  });
});

describe("createLapiServer()", () => {
  test("serves over a socket: login, push, a large stream written in chunks", async () => {
    const store = await seeded(join(dir, "socket.db"));
    const server = await createLapiServer({ store, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port: 0 } });
    if (!server.ok) throw new Error(server.error.message);
    try {
      const url = server.value.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const until = new Date(Date.now() + 3600_000);
      const rows: NewAlert[] = [];
      const N = 3000;
      for (let i = 0; i < N; i++) {
        const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        const range = rangeForDecision("Ip", ip);
        if (!range.ok) throw new Error(range.error.message);
        rows.push({
          machineId: "m1", scenario: "s", scenarioHash: "", scenarioVersion: "", message: "", eventsCount: 1, capacity: 0, leakSpeed: "0", simulated: false, remediation: true,
          startedAt: until.toISOString(), stoppedAt: until.toISOString(), source: { scope: "Ip", value: ip, ip, range: "", asNumber: "", asName: "", country: "", latitude: 0, longitude: 0 },
          labels: null, events: [], meta: [], uuid: crypto.randomUUID(), kind: "",
          decisions: [{ type: "ban", scope: "Ip", value: ip, origin: "crowdsec", scenario: "s", simulated: false, until, range: range.value, uuid: crypto.randomUUID() }],
        });
      }
      await store.insertAlerts(rows, new Date());
      const r = await fetch(`${url}/v1/decisions/stream?startup=true`, { headers: { "X-Api-Key": "key1" } });
      const body = (await r.json()) as { new: unknown[]; deleted: null };
      expect([r.status, body.new.length, body.deleted]).toEqual([200, N, null]);
      const token = await login(url);
      const pushed = await fetch(`${url}/v1/alerts`, { method: "POST", body: JSON.stringify([agentAlert("192.0.2.1")]), headers: { Authorization: `Bearer ${token}` } });
      expect([pushed.status, await pushed.json()]).toEqual([201, [String(N + 1)]]);
      const delta = await fetch(`${url}/v1/decisions/stream`, { headers: { "X-Api-Key": "key1" } });
      expect(((await delta.json()) as { new: { value: string }[] }).new.map((d) => d.value)).toEqual(["192.0.2.1"]);
    } finally {
      await server.value.stop();
      await store.close();
    }
  });

  test("db_config.flush: max_items is applied at start and then periodically", async () => {
    const store = await seeded(join(dir, "flush.db"));
    const at = (i: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, i)).toISOString();
    const alert = (i: number): NewAlert => ({
      machineId: "m1", scenario: "s", scenarioHash: "", scenarioVersion: "", message: "", eventsCount: 1, capacity: 0, leakSpeed: "0", simulated: false, remediation: true,
      startedAt: at(i), stoppedAt: at(i), source: { scope: "Ip", value: `192.0.2.${i}`, ip: "", range: "", asNumber: "", asName: "", country: "", latitude: 0, longitude: 0 },
      labels: null, events: [], meta: [], uuid: `u${i}`, kind: "", decisions: [],
    });
    for (let i = 1; i <= 5; i++) await store.insertAlerts([alert(i)], new Date(Date.UTC(2026, 10, 23, 12, 0, i)));
    const server = await createLapiServer({ store, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port: 0 }, flush: { maxItems: 2 }, flushEveryMs: 20 });
    if (!server.ok) throw new Error(server.error.message);
    try {
      const left = async () => (await store.findAlerts({ limit: 0 }, new Date())).map((a) => a.uuid).sort();
      for (let i = 0; i < 100 && (await left()).length > 2; i++) await Bun.sleep(10);
      expect(await left()).toEqual(["u4", "u5"]);
      // later alerts are trimmed by the periodic run
      await store.insertAlerts([alert(6)], new Date(Date.UTC(2026, 10, 23, 12, 0, 6)));
      for (let i = 0; i < 100 && (await left()).length > 2; i++) await Bun.sleep(10);
      expect(await left()).toEqual(["u5", "u6"]);
    } finally {
      await server.value.stop();
      await store.close();
    }
  });

  test("a busy port is a lapi.listen problem", async () => {
    const store = await seeded(join(dir, "busy.db"));
    const first = await createLapiServer({ store, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port: 0 } });
    if (!first.ok) throw new Error(first.error.message);
    const port = Number(new URL(first.value.url).port);
    const second = await createLapiServer({ store, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port } });
    expect(second.ok ? "" : second.error.code).toBe("lapi.listen");
    await first.value.stop();
    await store.close();
  });
});

/** Starts `picket run --api-only` and resolves once it says it listens. */
async function startPicket(db: string, port: number): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  const proc = Bun.spawn([join(REPO, "node_modules/.bin/bun"), "cli/main.ts", "run", "--api-only", "--listen", `127.0.0.1:${port}`, "--db", db], {
    cwd: REPO,
    stdout: "ignore",
    stderr: "pipe",
  });
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
  let seen = "";
  while (!seen.includes("Local API listening on")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`picket run exited: ${seen}`);
    seen += new TextDecoder().decode(value);
  }
  // keep draining so the child never blocks on a full pipe
  void (async () => {
    for (;;) if ((await reader.read()).done) break;
  })();
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function freePort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  await s.stop(true);
  return port;
}

describe("picket run --api-only (subprocess)", () => {
  test(
    "every acknowledged alert and its decisions survive a SIGKILL during a burst",
    async () => {
      const db = join(dir, "crash.db");
      await (await seeded(db)).close();
      const port = await freePort();
      let picket = await startPicket(db, port);
      const token = await login(picket.url);
      const acked: string[] = [];
      const BATCHES = 40;
      let answered = 0;
      let killed = false;
      const requests = Array.from({ length: BATCHES }, (_, b) =>
        fetch(`${picket.url}/v1/alerts`, {
          method: "POST",
          body: JSON.stringify(Array.from({ length: 10 }, (_, i) => agentAlert(`198.51.${b}.${i}`))),
          headers: { Authorization: `Bearer ${token}` },
        })
          .then(async (r) => {
            if (r.status === 201) acked.push(...((await r.json()) as string[]));
            // kill while the rest of the burst is still in flight
            if (++answered === BATCHES / 4 && !killed) {
              killed = true;
              picket.proc.kill("SIGKILL");
            }
          })
          .catch(() => undefined),
      );
      await Promise.all(requests);
      await picket.proc.exited;
      expect(picket.proc.signalCode).toBe("SIGKILL");
      expect(acked.length).toBeGreaterThanOrEqual((BATCHES / 4) * 10);

      picket = await startPicket(db, port);
      try {
        const fresh = await login(picket.url);
        const r = await fetch(`${picket.url}/v1/alerts?limit=0`, { headers: { Authorization: `Bearer ${fresh}` } });
        const stored = (await r.json()) as { id: number; decisions: { type: string; origin: string; value: string }[] | null; source: { value: string } }[];
        const byId = new Map(stored.map((a) => [String(a.id), a]));
        const lost = acked.filter((id) => !byId.has(id));
        expect(lost).toEqual([]);
        for (const id of acked) {
          const a = byId.get(id)!;
          expect(a.decisions?.map((d) => [d.type, d.origin, d.value])).toEqual([["ban", "crowdsec", a.source.value]]);
        }
      } finally {
        picket.proc.kill("SIGTERM");
        expect(await picket.proc.exited).toBe(0);
      }
    },
    30_000,
  );

  test("--api-only with --no-api is refused with exit 2", async () => {
    const proc = Bun.spawn([join(REPO, "node_modules/.bin/bun"), "cli/main.ts", "run", "--api-only", "--no-api", "--db", join(dir, "x.db")], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr as ReadableStream).text()]);
    expect(code).toBe(2);
    expect(err).toContain("--api-only");
  });
});
