import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WireAlert } from "../alerts";
import { createLapiClient, encodeQuery, type LapiClient } from "./client";

/** A fake LAPI on loopback: one machine, tokens it can revoke, requests recorded. */
interface Seen {
  method: string;
  path: string;
  auth: string | null;
  ua: string | null;
  body: string;
}

let server: ReturnType<typeof Bun.serve>;
let url = "";
const seen: Seen[] = [];
let tokenCounter = 0;
let validToken = "";
let alerts: WireAlert[] = [];

const sampleAlert = (id: number): WireAlert => ({
  capacity: 0, events: [], events_count: 1, id, leakspeed: "0", message: "m", scenario: "s", scenario_hash: "", scenario_version: "",
  simulated: false, source: { scope: "Ip", value: "1.2.3.4", ip: "1.2.3.4" }, start_at: "2026-11-23 18:00:00 +0000 UTC", stop_at: "2026-11-23 18:00:00 +0000 UTC",
  decisions: [{ id: 1, duration: "3h59m", origin: "cscli", scenario: "s", scope: "Ip", type: "ban", value: "1.2.3.4", simulated: false }],
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const u = new URL(req.url);
      const body = await req.text();
      seen.push({ method: req.method, path: u.pathname + u.search, auth: req.headers.get("authorization"), ua: req.headers.get("user-agent"), body });
      if (u.pathname === "/v1/watchers/login") {
        const b = JSON.parse(body) as { machine_id: string; password: string };
        if ((req.headers.get("user-agent") ?? "").split("/").length !== 2) return json(401, { code: 401, message: "incorrect Username or Password" });
        if (b.machine_id !== "m1" || b.password !== "pw") return json(401, { code: 401, message: "incorrect Username or Password" });
        validToken = `tok${++tokenCounter}`;
        return json(200, { code: 200, expire: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z"), token: validToken });
      }
      if (req.headers.get("authorization") !== `Bearer ${validToken}`) return json(401, { code: 401, message: "Token is expired" });
      if (u.pathname === "/v1/heartbeat") return new Response("", { status: 200 });
      if (u.pathname === "/v1/alerts" && req.method === "POST") {
        const list = JSON.parse(body) as WireAlert[];
        const ids = list.map((_, i) => String(alerts.length + i + 1));
        alerts.push(...list.map((a, i) => ({ ...a, id: alerts.length + i + 1 })));
        return json(201, ids);
      }
      if (u.pathname === "/v1/alerts" && req.method === "GET") return json(200, alerts.length === 0 ? null : alerts);
      if (u.pathname === "/v1/alerts" && req.method === "DELETE") {
        const n = alerts.length;
        alerts = [];
        return json(200, { nbDeleted: String(n) });
      }
      const one = /^\/v1\/alerts\/(\d+)$/.exec(u.pathname);
      if (one && req.method === "GET") {
        const a = alerts.find((x) => x.id === Number(one[1]));
        return a ? json(200, a) : json(404, { message: "object not found" });
      }
      if (one && req.method === "DELETE") return alerts.some((x) => x.id === Number(one[1])) ? json(200, { nbDeleted: "1" }) : json(500, { message: "ent: alert not found" });
      if (u.pathname === "/v1/decisions" && req.method === "DELETE") return json(200, { nbDeleted: "2" });
      if (/^\/v1\/decisions\/\d+$/.test(u.pathname)) return json(500, { message: "decision with id '99' doesn't exist: unable to delete" });
      return new Response("", { status: 404 });
    },
  });
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(() => {
  server.stop(true);
});

const client = (over: Partial<Parameters<typeof createLapiClient>[0]> = {}): LapiClient =>
  createLapiClient({ url, machineId: "m1", password: "pw", userAgent: "picket/v0.1.0", ...over });

describe("encodeQuery()", () => {
  const cases = [
    { query: {}, want: "" },
    { query: { limit: 100, include_capi: false, has_active_decision: true }, want: "?has_active_decision=true&include_capi=false&limit=100" },
    { query: { range: "10.0.0.0/16", contains: false, ip: undefined }, want: "?contains=false&range=10.0.0.0%2F16" },
    { query: { scenario: "crowdsecurity/ssh-bf", value: "a b" }, want: "?scenario=crowdsecurity%2Fssh-bf&value=a+b" },
  ];
  test.each(cases)("$want", ({ query, want }) => {
    expect(encodeQuery(query)).toBe(want);
  });
});

describe("createLapiClient()", () => {
  test("logs in once with the user agent and cscli's body, then reuses the token", async () => {
    seen.length = 0;
    const c = client();
    expect((await c.heartbeat()).ok).toBe(true);
    expect((await c.heartbeat()).ok).toBe(true);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["POST /v1/watchers/login", "GET /v1/heartbeat", "GET /v1/heartbeat"]);
    expect(JSON.parse(seen[0]!.body)).toEqual({ machine_id: "m1", password: "pw", scenarios: null });
    expect(seen[0]!.ua).toBe("picket/v0.1.0");
    expect(seen[1]!.auth).toBe(`Bearer ${validToken}`);
  });

  test("logs in again after a 401 and retries the request", async () => {
    const c = client();
    await c.heartbeat();
    validToken = "revoked-by-restart";
    seen.length = 0;
    expect((await c.heartbeat()).ok).toBe(true);
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(["GET /v1/heartbeat", "POST /v1/watchers/login", "GET /v1/heartbeat"]);
  });

  const refusals = [
    { name: "wrong password", over: { password: "bad" }, status: 401, message: "Failed to authenticate to Local API (LAPI) : API error: incorrect Username or Password" },
    { name: "user agent without one slash", over: { userAgent: "picket" }, status: 401, message: "Failed to authenticate to Local API (LAPI) : API error: incorrect Username or Password" },
  ];
  test.each(refusals)("reports a refused login ($name)", async ({ over, status, message }) => {
    const r = await client(over).findAlerts({});
    expect(r.ok ? null : { status: r.error.status, message: r.error.message }).toEqual({ status, message });
  });

  test("reports an unreachable server with status 0", async () => {
    const r = await client({ url: "http://127.0.0.1:1" }).heartbeat();
    expect(r.ok ? null : [r.error.status, r.error.code]).toEqual([0, "lapi.unreachable"]);
  });

  test("pushes alerts, lists them (null → []), reads and deletes them", async () => {
    alerts = [];
    const c = client();
    expect(await c.findAlerts({ limit: 50 })).toEqual({ ok: true, value: [] });
    const pushed = await c.pushAlerts([sampleAlert(0), sampleAlert(0)]);
    expect(pushed).toEqual({ ok: true, value: ["1", "2"] });
    const listed = await c.findAlerts({ include_capi: false, limit: 50 });
    expect(listed.ok && listed.value.map((a) => a.id)).toEqual([1, 2]);
    const one = await c.getAlert(2);
    expect(one.ok && one.value.source.value).toBe("1.2.3.4");
    const missing = await c.getAlert(99);
    expect(missing.ok ? null : [missing.error.status, missing.error.message]).toEqual([404, "API error: object not found"]);
    expect(await c.deleteAlert(1)).toEqual({ ok: true, value: 1 });
    expect(await c.deleteAlerts({ limit: 0 })).toEqual({ ok: true, value: 2 });
    expect(await c.deleteDecisions({ ip: "1.2.3.4" })).toEqual({ ok: true, value: 2 });
    const bad = await c.deleteDecision(99);
    expect(bad.ok ? null : bad.error.message).toBe("API error: decision with id '99' doesn't exist: unable to delete");
  });

  test("sends the query string sorted, as cscli does", async () => {
    seen.length = 0;
    await client().findAlerts({ limit: 100, has_active_decision: true, include_capi: false, ip: "1.2.3.4" });
    expect(seen.at(-1)!.path).toBe("/v1/alerts?has_active_decision=true&include_capi=false&ip=1.2.3.4&limit=100");
  });
});
