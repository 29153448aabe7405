import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { gzipSync } from "node:zlib";
import { openStore, type Store } from "../db";
import { defaultProfiles } from "../profiles";
import { hashApiKey } from "./auth";
import { createLapiHandler, type LapiHandler } from "./handler";
import { lapiContext } from "./server";

const T0 = new Date("2026-11-23T18:00:00Z").getTime();
const SECRET = "s".repeat(64);

interface World {
  store: Store;
  handle: LapiHandler;
  /** Moves the fake clock. */
  advance(ms: number): void;
  now(): Date;
}

let w: World;

async function makeWorld(options: { trustedIps?: string[]; bodyLimits?: { unauthenticatedBytes?: number; authenticatedBytes?: number } } = {}): Promise<World> {
  const opened = await openStore({ kind: "sqlite", path: ":memory:" });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  let clock = T0;
  const now = () => new Date(clock);
  const hash = (pw: string) => Bun.password.hash(pw, { algorithm: "bcrypt", cost: 4 });
  await store.addMachine({ machineId: "m1", passwordHash: await hash("pw1"), isValidated: true });
  await store.addMachine({ machineId: "pending", passwordHash: await hash("pw2"), isValidated: false });
  await store.addBouncer({ name: "b1", apiKeyHash: hashApiKey("key1") });
  await store.addBouncer({ name: "b2", apiKeyHash: hashApiKey("key2") });
  const ctx = lapiContext({ store, profiles: defaultProfiles(), jwtSecret: SECRET, now, ...options });
  if (!ctx.ok) throw new Error(ctx.error.message);
  return { store, handle: createLapiHandler(ctx.value), advance: (ms) => (clock += ms), now };
}

beforeEach(async () => {
  w = await makeWorld();
});
afterEach(async () => {
  await w.store.close();
});

interface Call {
  method?: string;
  path: string;
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  ip?: string;
}

async function call(c: Call, world: World = w): Promise<{ status: number; text: string; headers: Headers }> {
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  const req = new Request(`http://127.0.0.1:8080${c.path}`, { method: c.method ?? "GET", body, headers: { "User-Agent": "cscli/v1.4.6", ...c.headers } });
  const res = await world.handle(req, c.ip ?? "127.0.0.1");
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function login(world: World = w, machine = "m1", password = "pw1"): Promise<string> {
  const r = await call({ method: "POST", path: "/v1/watchers/login", body: { machine_id: machine, password, scenarios: null } }, world);
  if (r.status !== 200) throw new Error(`login failed: ${r.text}`);
  return (JSON.parse(r.text) as { token: string }).token;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const KEY1 = { "X-Api-Key": "key1", "User-Agent": "cs-firewall-bouncer/v0.0.25" };
const KEY2 = { "X-Api-Key": "key2" };

/** `cscli decisions add` (stop_at = the fake clock). */
function cscliAlert(value: string, duration = "1h", scope = "Ip", reason = "test", origin = "cscli") {
  // test tables build their bodies at load time, before the first world exists
  const at = (w ? w.now() : new Date(T0)).toISOString().replace(/\.\d+Z$/, "Z");
  return {
    capacity: 0, decisions: [{ duration, origin, scenario: reason, scope, type: "ban", value }], events: [], events_count: 1, labels: null, leakspeed: "0",
    message: reason, scenario: reason, scenario_hash: "", scenario_version: "", simulated: false, source: { ip: value, scope, value },
    start_at: at, stop_at: at,
  };
}

/** An agent overflow: no decisions, remediation true (the default profile bans 4h). */
function agentAlert(ip: string, scenario = "crowdsecurity/ssh-bf") {
  const at = w.now().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    capacity: 5, decisions: null, events: [{ meta: [{ key: "service", value: "ssh" }, { key: "source_ip", value: ip }], timestamp: at }], events_count: 6, labels: null,
    leakspeed: "10s", message: `Ip ${ip} performed '${scenario}'`, remediation: true, scenario, scenario_hash: "abc", scenario_version: "0.1", simulated: false,
    source: { ip, scope: "Ip", value: ip }, start_at: at, stop_at: at,
  };
}

async function push(token: string, alerts: unknown[]): Promise<string[]> {
  const r = await call({ method: "POST", path: "/v1/alerts", body: alerts, headers: bearer(token) });
  if (r.status !== 201) throw new Error(`push failed: ${r.status} ${r.text}`);
  return JSON.parse(r.text) as string[];
}

describe("router", () => {
  const cases = [
    { name: "unknown path", method: "GET", path: "/v1/nothing", status: 404 },
    { name: "wrong method", method: "PUT", path: "/v1/alerts", status: 405 },
    { name: "HEAD on heartbeat", method: "HEAD", path: "/v1/heartbeat", status: 405 },
    { name: "GET a decision id", method: "GET", path: "/v1/decisions/3", status: 405 },
    { name: "deep path", method: "GET", path: "/v1/alerts/1/x", status: 404 },
  ];
  test.each(cases)("$name → $status with an empty body", async ({ method, path, status }) => {
    const r = await call({ method, path });
    expect([r.status, r.text, r.headers.get("content-type")]).toEqual([status, "", null]);
  });

  test("/health answers up", async () => {
    const r = await call({ path: "/health" });
    expect([r.status, r.text, r.headers.get("content-type")]).toEqual([200, '{"status":"up"}', "application/json; charset=utf-8"]);
  });

  test("a trailing slash redirects like gin", async () => {
    const r = await call({ path: "/v1/alerts/?limit=1" });
    expect([r.status, r.headers.get("location")]).toEqual([301, "/v1/alerts?limit=1"]);
  });
});

describe("POST /v1/watchers (register)", () => {
  const cases = [
    { name: "garbage", raw: "garbage", status: 400, text: `{"message":"invalid character 'g' looking for beginning of value"}` },
    { name: "missing password", body: { machine_id: "a" }, status: 500, text: `{"message":"validation failure list:\\npassword in body is required"}` },
    { name: "number id", body: { machine_id: 5, password: "x" }, status: 400, text: `{"message":"json: cannot unmarshal number into Go struct field WatcherRegistrationRequest.machine_id of type string"}` },
    { name: "existing machine", body: { machine_id: "m1", password: "x" }, status: 403, text: `{"message":"user 'm1': user already exist"}` },
    { name: "new machine", body: { machine_id: "newm", password: "pw" }, status: 201, text: "" },
  ];
  test.each(cases)("$name → $status", async ({ body, raw, status, text }) => {
    const r = await call({ method: "POST", path: "/v1/watchers", body, raw });
    expect([r.status, r.text]).toEqual([status, text]);
  });

  test("a registered machine is pending until validated, then logs in", async () => {
    await call({ method: "POST", path: "/v1/watchers", body: { machine_id: "newm", password: "pw" }, ip: "10.1.2.3" });
    const m = await w.store.getMachine("newm");
    expect([m?.isValidated, m?.ipAddress, m?.passwordHash.startsWith("$2")]).toEqual([false, "10.1.2.3", true]);
    const refused = await call({ method: "POST", path: "/v1/watchers/login", body: { machine_id: "newm", password: "pw" } });
    expect([refused.status, refused.text]).toEqual([401, '{"code":401,"message":"machine newm not validated"}']);
    await w.store.validateMachine("newm");
    expect((await call({ method: "POST", path: "/v1/watchers/login", body: { machine_id: "newm", password: "pw" } })).status).toBe(200);
  });
});

describe("POST /v1/watchers/login", () => {
  const cases = [
    { name: "wrong password", body: { machine_id: "m1", password: "nope" }, status: 401, message: "incorrect Username or Password" },
    { name: "unknown machine", body: { machine_id: "zz", password: "x" }, status: 401, message: "ent: machine not found" },
    { name: "not validated", body: { machine_id: "pending", password: "pw2" }, status: 401, message: "machine pending not validated" },
    { name: "missing password", body: { machine_id: "m1" }, status: 401, message: "input format error" },
    { name: "not JSON", raw: "{x", status: 401, message: "missing: invalid character 'x' looking for beginning of object key string" },
    { name: "empty body", raw: "", status: 401, message: "missing: EOF" },
    { name: "one-part User-Agent", body: { machine_id: "m1", password: "pw1" }, ua: "weird", status: 401, message: "incorrect Username or Password" },
  ];
  test.each(cases)("$name → 401 with the JWT layer's body and header", async ({ body, raw, ua, status, message }) => {
    const r = await call({ method: "POST", path: "/v1/watchers/login", body, raw, headers: ua ? { "User-Agent": ua } : {} });
    expect([r.status, r.text, r.headers.get("www-authenticate")]).toEqual([status, JSON.stringify({ code: 401, message }), "JWT realm=Crowdsec API local"]);
  });

  test("success: code, expire one hour ahead (RFC 3339 seconds), a JWT; scenarios, IP and version stored", async () => {
    const r = await call({ method: "POST", path: "/v1/watchers/login", body: { machine_id: "m1", password: "pw1", scenarios: ["a/b", "c/d"] }, ip: "::ffff:10.0.0.9", headers: { "User-Agent": "crowdsec/v1.4.6-debian" } });
    const body = JSON.parse(r.text) as { code: number; expire: string; token: string };
    expect([r.status, body.code, body.expire]).toEqual([200, 200, "2026-11-23T19:00:00Z"]);
    expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const m = await w.store.getMachine("m1");
    expect([m?.scenarios, m?.ipAddress, m?.version]).toEqual(["a/b,c/d", "10.0.0.9", "v1.4.6-debian"]);
  });
});

describe("JWT on machine routes", () => {
  const cases: { name: string; headers: Record<string, string>; message: string }[] = [
    { name: "no token", headers: {}, message: "cookie token is empty" },
    { name: "bouncer key only", headers: { "X-Api-Key": "key1" }, message: "cookie token is empty" },
    { name: "garbage token", headers: { Authorization: "Bearer abc" }, message: "token contains an invalid number of segments" },
    { name: "not a JWT", headers: { Authorization: "Bearer not.a.jwt" }, message: "invalid character '\\u009e' looking for beginning of value" },
  ];
  test.each(cases)("$name → 401", async ({ headers, message }) => {
    const r = await call({ path: "/v1/alerts", headers });
    expect([r.status, r.text, r.headers.get("www-authenticate")]).toEqual([401, JSON.stringify({ code: 401, message }), "JWT realm=Crowdsec API local"]);
  });

  test("the token works from the header, ?token= and the jwt cookie", async () => {
    const token = await login();
    for (const c of [{ path: "/v1/heartbeat", headers: bearer(token) }, { path: `/v1/heartbeat?token=${token}` }, { path: "/v1/heartbeat", headers: { Cookie: `a=b; jwt=${token}` } }]) {
      const r = await call(c);
      expect([r.status, r.text]).toEqual([200, ""]);
    }
    expect((await w.store.getMachine("m1"))?.lastHeartbeat?.getTime()).toBe(T0);
  });

  test("a token expires after one hour; refresh works within the window and keeps orig_iat", async () => {
    const token = await login();
    w.advance(30 * 60_000);
    const refreshed = await call({ path: "/v1/refresh_token", headers: bearer(token) });
    const body = JSON.parse(refreshed.text) as { code: number; expire: string; token: string };
    expect([refreshed.status, body.code, body.expire]).toEqual([200, 200, "2026-11-23T19:30:00Z"]);
    const claims = JSON.parse(Buffer.from(body.token.split(".")[1]!, "base64url").toString()) as { orig_iat: number };
    expect(claims.orig_iat).toBe(T0 / 1000);
    w.advance(31 * 60_000);
    expect(JSON.parse((await call({ path: "/v1/heartbeat", headers: bearer(token) })).text)).toEqual({ code: 401, message: "Token is expired" });
    expect((await call({ path: "/v1/heartbeat", headers: bearer(body.token) })).status).toBe(200);
    w.advance(30 * 60_000);
    const late = await call({ path: "/v1/refresh_token", headers: bearer(body.token) });
    expect([late.status, JSON.parse(late.text).message]).toEqual([401, "token is expired"]);
  });

  test("a bouncer key is refused on machine routes and a JWT on bouncer routes", async () => {
    const token = await login();
    expect((await call({ path: "/v1/decisions", headers: bearer(token) })).text).toBe('{"message":"access forbidden"}');
    expect((await call({ path: "/v1/heartbeat", headers: KEY1 })).status).toBe(401);
  });

  test("DELETE /v1/watchers/self removes the caller", async () => {
    const token = await login();
    expect((await call({ method: "DELETE", path: "/v1/watchers/self", headers: bearer(token) })).status).toBe(200);
    expect(await w.store.getMachine("m1")).toBeNull();
    // the token outlives the machine; its alerts are stored without owner
    const [id] = await push(token, [cscliAlert("9.9.9.9")]);
    expect(JSON.parse((await call({ path: `/v1/alerts/${id}`, headers: bearer(await loginAs("m2")) })).text).machine_id).toBe("N/A");
  });
});

async function loginAs(machine: string): Promise<string> {
  await w.store.addMachine({ machineId: machine, passwordHash: await Bun.password.hash("p", { algorithm: "bcrypt", cost: 4 }), isValidated: true });
  return login(w, machine, "p");
}

describe("POST /v1/alerts", () => {
  const cases = [
    { name: "malformed JSON", raw: "{not json", status: 400, text: `{"message":"invalid character 'n' looking for beginning of object key string"}` },
    { name: "object instead of list", body: { scenario: 5 }, status: 400, text: `{"message":"json: cannot unmarshal object into Go value of type models.AddAlertsRequest"}` },
    { name: "missing fields", body: [{ scenario: "x" }], status: 500, startsWith: `{"message":"validation failure list:\\n0.capacity in body is required\\n0.events in body is required` },
    {
      name: "1d duration", body: [{ ...cscliAlert("1.2.3.4"), decisions: [{ ...cscliAlert("1.2.3.4").decisions[0], duration: "1d" }] }], status: 500,
      text: `{"message":"unable to create alerts: decision duration '1d' : time: unknown unit \\"d\\" in duration \\"1d\\": unable to parse duration"}`,
    },
  ];
  test.each(cases)("$name → $status", async ({ body, raw, status, text, startsWith }) => {
    const r = await call({ method: "POST", path: "/v1/alerts", body, raw, headers: bearer(await login()) });
    expect(r.status).toBe(status);
    if (text) expect(r.text).toBe(text);
    if (startsWith) expect(r.text).toStartWith(startsWith);
  });

  test("ids come back as strings in input order; the owner is the token's machine", async () => {
    const token = await login();
    expect(await push(token, [cscliAlert("1.2.3.4"), { ...cscliAlert("5.6.7.8"), machine_id: "someone-else" }])).toEqual(["1", "2"]);
    expect(await push(token, [])).toEqual([]);
    const a = JSON.parse((await call({ path: "/v1/alerts/2", headers: bearer(token) })).text);
    expect(a.machine_id).toBe("m1");
    expect((await w.store.getMachine("m1"))?.lastPush?.getTime()).toBe(T0);
  });

  test("alerts without decisions get the default profile's 4h ban, until = stop_at + 4h", async () => {
    const token = await login();
    const stop = new Date(T0 - 10 * 60_000).toISOString().replace(".000Z", "Z");
    const noRemediation = { ...agentAlert("7.7.7.8"), remediation: false };
    const ids = await push(token, [{ ...agentAlert("7.7.7.7"), stop_at: stop }, noRemediation]);
    const a = JSON.parse((await call({ path: `/v1/alerts/${ids[0]}`, headers: bearer(token) })).text);
    expect(a.decisions).toEqual([{ duration: "3h50m0s", id: 1, origin: "crowdsec", scenario: "crowdsecurity/ssh-bf", scope: "Ip", simulated: false, type: "ban", value: "7.7.7.7" }]);
    expect(a.events).toEqual([{ meta: [{ key: "service", value: "ssh" }, { key: "source_ip", value: "7.7.7.7" }], timestamp: "2026-11-23 18:00:00 +0000 UTC" }]);
    const b = JSON.parse((await call({ path: `/v1/alerts/${ids[1]}`, headers: bearer(token) })).text);
    expect(b.decisions).toBeNull();
  });

  test("a gzip body is read; an invalid gzip body is a 400", async () => {
    const token = await login();
    const gz = gzipSync(Buffer.from(JSON.stringify([cscliAlert("1.2.3.4")])));
    const r = await call({ method: "POST", path: "/v1/alerts", raw: new Uint8Array(gz), headers: { ...bearer(token), "Content-Encoding": "gzip" } });
    expect([r.status, r.text]).toEqual([201, '["1"]']);
    const bad = await call({ method: "POST", path: "/v1/alerts", raw: "plain", headers: { ...bearer(token), "Content-Encoding": "gzip" } });
    expect([bad.status, bad.text]).toEqual([400, '{"message":"gzip: invalid header"}']);
  });
});

describe("body limits", () => {
  test("over the limit is 413, before or after decompression", async () => {
    const small = await makeWorld({ bodyLimits: { unauthenticatedBytes: 100, authenticatedBytes: 2000 } });
    try {
      const big = await call({ method: "POST", path: "/v1/watchers/login", raw: "x".repeat(101) }, small);
      expect([big.status, big.text]).toEqual([413, '{"message":"http: request body too large"}']);
      const token = await login(small);
      const body = JSON.stringify([cscliAlert("1.2.3.4")]).padEnd(3000, " ");
      expect((await call({ method: "POST", path: "/v1/alerts", raw: body, headers: bearer(token) }, small)).status).toBe(413);
      const bomb = new Uint8Array(gzipSync(Buffer.from(body)));
      expect(bomb.length).toBeLessThan(2000);
      expect((await call({ method: "POST", path: "/v1/alerts", raw: bomb, headers: { ...bearer(token), "Content-Encoding": "gzip" } }, small)).status).toBe(413);
      expect((await call({ method: "POST", path: "/v1/alerts", raw: JSON.stringify([cscliAlert("1.2.3.4")]), headers: bearer(token) }, small)).status).toBe(201);
    } finally {
      await small.store.close();
    }
  });
});

describe("GET /v1/alerts and /v1/alerts/{id}", () => {
  let token: string;
  beforeEach(async () => {
    token = await login();
    await push(token, [cscliAlert("1.2.3.4", "1h", "Ip", "test")]);
    await push(token, [cscliAlert("10.0.0.0/24", "2h", "Range", "rtest")]);
    await push(token, [cscliAlert("FR", "3h", "Country", "ctest")]);
    await push(token, [{ ...cscliAlert("192.0.2.10", "2h", "Ip", "imp", "cscli-import"), source: { scope: "cscli/manual-import", value: "" } }]);
    await push(token, [agentAlert("7.7.7.7")]);
  });

  const values = async (query: string) => {
    const r = await call({ path: `/v1/alerts${query}`, headers: bearer(token) });
    expect(r.status).toBe(200);
    const list = JSON.parse(r.text) as { decisions: { value: string }[] | null }[] | null;
    return (list ?? []).flatMap((a) => (a.decisions ?? []).map((d) => d.value));
  };

  const cases = [
    { query: "?has_active_decision=true&include_capi=false&limit=100", want: ["7.7.7.7", "FR", "10.0.0.0/24", "1.2.3.4"] },
    { query: "?has_active_decision=true&include_capi=true&limit=100", want: ["7.7.7.7", "192.0.2.10", "FR", "10.0.0.0/24", "1.2.3.4"] },
    { query: "?has_active_decision=true&include_capi=false&ip=10.0.0.5&limit=100", want: ["10.0.0.0/24"] },
    { query: "?contains=false&has_active_decision=true&include_capi=false&limit=100&range=10.0.0.0%2F16", want: ["10.0.0.0/24"] },
    { query: "?include_capi=false&limit=0&scenario=crowdsecurity%2Fssh-bf", want: ["7.7.7.7"] },
    { query: "?origin=cscli-import", want: ["192.0.2.10"] },
    { query: "?include_capi=false&limit=2", want: ["7.7.7.7", "FR"] },
    { query: "?sort=ASC&limit=2", want: ["1.2.3.4", "10.0.0.0/24"] },
    { query: "?ip=203.0.113.9", want: [] },
  ];
  test.each(cases)("$query", async ({ query, want }) => {
    expect(await values(query)).toEqual(want);
  });

  test("nothing found is the body null; HEAD is 200 empty", async () => {
    expect((await call({ path: "/v1/alerts?ip=203.0.113.9", headers: bearer(token) })).text).toBe("null");
    expect((await call({ method: "HEAD", path: "/v1/alerts", headers: bearer(token) })).text).toBe("");
    expect((await call({ method: "HEAD", path: "/v1/alerts/1", headers: bearer(token) })).status).toBe(200);
  });

  test("an alert in full, as cscli alerts inspect gets it", async () => {
    const r = await call({ path: "/v1/alerts/1", headers: bearer(token) });
    expect(r.text).toBe(
      '{"capacity":0,"created_at":"2026-11-23T18:00:00Z","decisions":[{"duration":"1h0m0s","id":1,"origin":"cscli","scenario":"test","scope":"Ip","simulated":false,"type":"ban","value":"1.2.3.4"}],' +
        '"events":null,"events_count":1,"id":1,"labels":null,"leakspeed":"0","machine_id":"m1","message":"test","scenario":"test","scenario_hash":"","scenario_version":"",' +
        '"simulated":false,"source":{"ip":"1.2.3.4","scope":"Ip","value":"1.2.3.4"},"start_at":"2026-11-23 18:00:00 +0000 UTC","stop_at":"2026-11-23 18:00:00 +0000 UTC"}',
    );
  });

  const errors = [
    { path: "/v1/alerts?foo=bar", status: 500, text: `{"message":"Filter parameter 'foo' is unknown (=bar): invalid filter"}` },
    { path: "/v1/alerts?limit=x", status: 500, text: `{"message":"bad limit in parameters: [x]: unable to query"}` },
    { path: "/v1/alerts/not-a-number", status: 400, text: `{"message":"alert_id must be valid integer"}` },
    { path: "/v1/alerts/999999", status: 404, text: `{"message":"object not found"}` },
  ];
  test.each(errors)("$path → $status", async ({ path, status, text }) => {
    const r = await call({ path, headers: bearer(token) });
    expect([r.status, r.text]).toEqual([status, text]);
  });

  test("DELETE /v1/alerts: only from trusted IPs; a filter or everything; by id", async () => {
    const refused = await call({ method: "DELETE", path: "/v1/alerts?ip=1.2.3.4", headers: bearer(token), ip: "10.1.2.3" });
    expect([refused.status, refused.text]).toEqual([403, '{"message":"access forbidden from this IP (10.1.2.3)"}']);
    const one = await call({ method: "DELETE", path: "/v1/alerts?ip=1.2.3.4&limit=0", headers: bearer(token), ip: "::1" });
    expect([one.status, one.text]).toEqual([200, '{"nbDeleted":"1"}']);
    expect(await values("?ip=1.2.3.4")).toEqual([]);
    const byId = await call({ method: "DELETE", path: "/v1/alerts/2", headers: bearer(token) });
    expect([byId.status, byId.text]).toEqual([200, '{"nbDeleted":"1"}']);
    const missing = await call({ method: "DELETE", path: "/v1/alerts/2", headers: bearer(token) });
    expect([missing.status, missing.text]).toEqual([500, '{"message":"ent: alert not found"}']);
    expect((await call({ method: "DELETE", path: "/v1/alerts/x", headers: bearer(token) })).status).toBe(400);
    const all = await call({ method: "DELETE", path: "/v1/alerts", headers: bearer(token) });
    expect(all.text).toBe('{"nbDeleted":"3"}');
  });

  test("trusted_ips extend who may delete", async () => {
    const trusting = await makeWorld({ trustedIps: ["10.0.0.0/8", "2001:db8::1"] });
    try {
      const t = await login(trusting);
      for (const [ip, status] of [["10.1.2.3", 200], ["2001:db8::1", 200], ["192.168.1.1", 403]] as const) {
        expect((await call({ method: "DELETE", path: "/v1/alerts", headers: bearer(t), ip }, trusting)).status).toBe(status);
      }
    } finally {
      await trusting.store.close();
    }
  });
});

describe("decisions for bouncers", () => {
  let token: string;
  beforeEach(async () => {
    token = await login();
    await push(token, [cscliAlert("1.2.3.4", "1h", "Ip", "test")]);
    await push(token, [cscliAlert("10.0.0.0/24", "2h", "Range", "rtest")]);
    await push(token, [cscliAlert("FR", "3h", "Country", "ctest")]);
  });

  const stream = async (query: string, headers: Record<string, string> = KEY2) => {
    const r = await call({ path: `/v1/decisions/stream${query}`, headers });
    expect(r.status).toBe(200);
    return r.text;
  };
  const sides = async (query: string) => {
    const body = JSON.parse(await stream(query)) as { new: { value: string; duration: string }[] | null; deleted: { value: string }[] | null };
    return { new: (body.new ?? []).map((d) => d.value), deleted: (body.deleted ?? []).map((d) => d.value) };
  };

  const points = [
    { query: "?ip=1.2.3.4", want: ["1.2.3.4"] },
    { query: "?ip=10.0.0.5", want: ["10.0.0.0/24"] },
    { query: "?range=10.0.0.0/16", want: [] },
    { query: "?range=10.0.0.0/16&contains=false", want: ["10.0.0.0/24"] },
    { query: "?scopes=country", want: ["FR"] },
    { query: "?scope=country", want: ["1.2.3.4", "10.0.0.0/24", "FR"] },
    { query: "?value=FR&type=ban&origins=cscli", want: ["FR"] },
    { query: "?scenarios_containing=TEST&scenarios_not_containing=rtest", want: ["1.2.3.4", "FR"] },
    { query: "?ip=203.0.113.77", want: [] },
  ];
  test.each(points)("GET /v1/decisions$query", async ({ query, want }) => {
    const r = await call({ path: `/v1/decisions${query}`, headers: KEY2 });
    const list = JSON.parse(r.text) as { value: string }[] | null;
    expect((list ?? []).map((d) => d.value).sort()).toEqual(want);
    if (want.length === 0) expect(r.text).toBe("null");
  });

  test("a point answer is exactly 1.4.6's shape", async () => {
    const r = await call({ path: "/v1/decisions?ip=1.2.3.4", headers: KEY2 });
    expect([r.headers.get("content-type"), r.text]).toEqual(["application/json; charset=utf-8", '[{"duration":"1h0m0s","id":1,"origin":"cscli","scenario":"test","scope":"Ip","type":"ban","value":"1.2.3.4"}]']);
  });

  test("bouncer errors: wrong key, no key, bad ip", async () => {
    for (const headers of [{ "X-Api-Key": "nope" }, {}] as Record<string, string>[]) {
      const r = await call({ path: "/v1/decisions/stream?startup=true", headers });
      expect([r.status, r.text]).toEqual([403, '{"message":"access forbidden"}']);
    }
    const bad = await call({ path: "/v1/decisions?ip=not-an-ip", headers: KEY2 });
    expect([bad.status, bad.text]).toEqual([500, `{"message":"unable to convert 'not-an-ip' to int: invalid address: invalid ip address / range"}`]);
  });

  test("the bouncer's User-Agent and IP are recorded; HEAD only checks the key", async () => {
    expect((await call({ method: "HEAD", path: "/v1/decisions", headers: { ...KEY1, "User-Agent": "x/y" } })).text).toBe("");
    let b = (await w.store.listBouncers()).find((x) => x.name === "b1");
    expect([b?.type, b?.lastPull]).toEqual(["", null]);
    await call({ path: "/v1/decisions?ip=1.2.3.4", headers: KEY1, ip: "10.9.9.9" });
    b = (await w.store.listBouncers()).find((x) => x.name === "b1");
    expect([b?.type, b?.version, b?.ipAddress, b?.lastPull?.getTime()]).toEqual(["cs-firewall-bouncer", "v0.0.25", "10.9.9.9", T0]);
    await call({ path: "/v1/decisions", headers: { "X-Api-Key": "key1", "User-Agent": "curl-ish" } });
    b = (await w.store.listBouncers()).find((x) => x.name === "b1");
    expect([b?.type, b?.version]).toEqual(["curl-ish", "N/A"]);
  });

  test("startup: exact 1.4.6 body, ip and range only by default", async () => {
    expect(await stream("?startup=true")).toBe(
      '{"deleted":null,"new":[{"duration":"1h0m0s","id":1,"origin":"cscli","scenario":"test","scope":"Ip","type":"ban","value":"1.2.3.4"},' +
        '{"duration":"2h0m0s","id":2,"origin":"cscli","scenario":"rtest","scope":"Range","type":"ban","value":"10.0.0.0/24"}]}',
    );
    expect((await sides("?startup=true&scopes=ip,range,country")).new.sort()).toEqual(["1.2.3.4", "10.0.0.0/24", "FR"]);
    expect(await stream("")).toBe('{"deleted":null,"new":null}');
  });

  test("delta: new since the last pull, deletions (soft) reported, each bouncer on its own clock", async () => {
    await stream("?startup=true");
    await stream("?startup=true", KEY1);
    w.advance(1000);
    await push(token, [cscliAlert("5.6.7.8", "30m", "Ip", "btest")]);
    expect(await sides("")).toEqual({ new: ["5.6.7.8"], deleted: [] });
    w.advance(1000);
    const del = await call({ method: "DELETE", path: "/v1/decisions?ip=5.6.7.8", headers: bearer(token) });
    expect(del.text).toBe('{"nbDeleted":"1"}');
    w.advance(1000);
    const afterDelete = JSON.parse(await stream("")) as { deleted: { value: string; duration: string }[]; new: null };
    expect([afterDelete.new, afterDelete.deleted.map((d) => [d.value, d.duration])]).toEqual([null, [["5.6.7.8", "-1s"]]]);
    // b1 had not pulled since its startup: it gets the deletion, not the short-lived add
    expect(JSON.parse(await stream("", KEY1))).toMatchObject({ new: null, deleted: [{ value: "5.6.7.8" }] });
    // the 2 s overlap repeats a deletion on the next poll (LAPI-CLIENTS.md §5), then it stops
    w.advance(1000);
    expect(JSON.parse(await stream(""))).toMatchObject({ deleted: [{ value: "5.6.7.8" }] });
    w.advance(3000);
    expect(await stream("")).toBe('{"deleted":null,"new":null}');
  });

  test("dedup: one entry per value, the longest; deleting the shorter of two reports nothing", async () => {
    await stream("?startup=true");
    w.advance(1000);
    await push(token, [cscliAlert("7.7.7.7", "1h", "Ip", "ovl-short")]);
    await push(token, [cscliAlert("7.7.7.7", "3h", "Ip", "ovl-long")]);
    const fresh = JSON.parse(await stream("")) as { new: { value: string; scenario: string }[] };
    expect(fresh.new.map((d) => [d.value, d.scenario])).toEqual([["7.7.7.7", "ovl-long"]]);
    expect((JSON.parse(await stream("?startup=true&dedup=false")) as { new: unknown[] }).new.length).toBe(4);
    w.advance(1000);
    const shortId = 4;
    expect((await call({ method: "DELETE", path: `/v1/decisions/${shortId}`, headers: bearer(token) })).text).toBe('{"nbDeleted":"1"}');
    w.advance(1000);
    expect(await stream("")).toBe('{"deleted":null,"new":null}');
    await call({ method: "DELETE", path: "/v1/decisions?ip=7.7.7.7", headers: bearer(token) });
    w.advance(1000);
    expect(await sides("")).toEqual({ new: [], deleted: ["7.7.7.7"] });
  });

  test("startup lists every expired decision in deleted", async () => {
    await call({ method: "DELETE", path: "/v1/decisions?ip=1.2.3.4", headers: bearer(token) });
    w.advance(500);
    expect(await sides("?startup=true")).toEqual({ new: ["10.0.0.0/24"], deleted: ["1.2.3.4"] });
  });

  test("HEAD on the stream is 200 empty and does not move last_pull", async () => {
    const r = await call({ method: "HEAD", path: "/v1/decisions/stream", headers: KEY2 });
    expect([r.status, r.text]).toEqual([200, ""]);
    expect((await w.store.listBouncers()).find((b) => b.name === "b2")?.lastPull).toBeNull();
  });

  const deletes = [
    { path: "/v1/decisions?foo=1", status: 500, text: `{"message":"'foo' doesn't exist: invalid filter"}` },
    { path: "/v1/decisions/99", status: 500, text: `{"message":"decision with id '99' doesn't exist: unable to delete"}` },
    { path: "/v1/decisions/abc", status: 400, text: `{"message":"decision_id must be valid integer"}` },
    { path: "/v1/decisions/stream", status: 400, text: `{"message":"decision_id must be valid integer"}` },
    { path: "/v1/decisions/1", status: 200, text: '{"nbDeleted":"1"}' },
    { path: "/v1/decisions?scopes=Country&value=FR", status: 200, text: '{"nbDeleted":"1"}' },
    { path: "/v1/decisions", status: 200, text: '{"nbDeleted":"3"}' },
  ];
  test.each(deletes)("DELETE $path → $status", async ({ path, status, text }) => {
    const r = await call({ method: "DELETE", path, headers: bearer(token) });
    expect([r.status, r.text]).toEqual([status, text]);
  });

  test("deleting the same id twice answers 1 both times", async () => {
    for (let i = 0; i < 2; i++) expect((await call({ method: "DELETE", path: "/v1/decisions/1", headers: bearer(token) })).text).toBe('{"nbDeleted":"1"}');
  });
});

describe("POST /v1/usage-metrics", () => {
  test.each<{ name: string; headers: Record<string, string>; body: unknown; status: number }>([
    { name: "bouncer", headers: KEY1, body: { remediation_components: [{}] }, status: 201 },
    { name: "bouncer, bad key", headers: { "X-Api-Key": "x" }, body: {}, status: 403 },
    { name: "both kinds", headers: KEY1, body: { remediation_components: [{}], log_processors: [{}] }, status: 400 },
    { name: "machine without token", headers: { "User-Agent": "crowdsec/v1.6" }, body: {}, status: 401 },
  ])("$name → $status", async ({ headers, body, status }) => {
    expect((await call({ method: "POST", path: "/v1/usage-metrics", body, headers })).status).toBe(status);
  });
});
