import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import pc from "picocolors";
import type { WireAlert } from "../core/alerts";
import { openStore } from "../core/db";
import { createLapiServer, type LapiServer } from "../core/lapi";
import { defaultProfiles } from "../core/profiles";
import { TESTDATA } from "../core/testing";
import { runAdmin, tempDb } from "./admin/testing";
import { renderDecisions } from "./decisions";

/** A Local API that records what it is asked and answers canned bodies. */
interface Recorded {
  method: string;
  path: string;
  body: unknown;
}
const recorded: Recorded[] = [];
let fake: ReturnType<typeof Bun.serve>;
let fakeUrl = "";
let cannedAlerts: WireAlert[] | null = null;

const alert = (over: Partial<WireAlert>): WireAlert => ({
  capacity: 0, events: [], events_count: 1, id: 1, leakspeed: "0", message: "", scenario: "test", scenario_hash: "", scenario_version: "", simulated: false,
  source: { scope: "Ip", value: "1.2.3.4", ip: "1.2.3.4" }, start_at: "2026-11-23 18:14:22 +0000 UTC", stop_at: "2026-11-23 18:14:22 +0000 UTC", machine_id: "m1",
  decisions: [{ id: 1, duration: "59m55.4s", origin: "cscli", scenario: "test", scope: "Ip", type: "ban", value: "1.2.3.4", simulated: false }],
  ...over,
});

beforeAll(() => {
  fake = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const u = new URL(req.url);
      const text = await req.text();
      if (u.pathname === "/v1/watchers/login") return Response.json({ code: 200, expire: new Date(Date.now() + 3600_000).toISOString(), token: "t" });
      recorded.push({ method: req.method, path: u.pathname + u.search, body: text === "" ? undefined : JSON.parse(text) });
      if (req.method === "GET") return Response.json(cannedAlerts);
      if (req.method === "POST") return Response.json(["7"], { status: 201 });
      if (u.pathname === "/v1/decisions/99") return Response.json({ message: "decision with id '99' doesn't exist: unable to delete" }, { status: 500 });
      return Response.json({ nbDeleted: "1" });
    },
  });
  fakeUrl = `http://127.0.0.1:${fake.port}`;
});
afterAll(() => fake.stop(true));

const remote = () => ["--url", fakeUrl, "--machine", "m1", "--password", "pw"];

describe("picket decisions: the requests cscli 1.4.6 makes (LAPI-CLIENTS.md §3)", () => {
  const cases = [
    { argv: ["list"], want: "GET /v1/alerts?has_active_decision=true&include_capi=false&limit=100" },
    { argv: ["list", "-a"], want: "GET /v1/alerts?has_active_decision=true&include_capi=true&limit=0" },
    { argv: ["list", "--ip", "1.2.3.4"], want: "GET /v1/alerts?has_active_decision=true&include_capi=false&ip=1.2.3.4&limit=100" },
    { argv: ["list", "--range", "10.0.0.0/16", "--contained"], want: "GET /v1/alerts?contains=false&has_active_decision=true&include_capi=false&limit=100&range=10.0.0.0%2F16" },
    { argv: ["list", "--since", "2d", "--until", "4h", "-t", "captcha", "--scope", "country", "-v", "FR"], want: "GET /v1/alerts?decision_type=captcha&has_active_decision=true&include_capi=false&limit=100&scope=Country&since=48h&until=4h&value=FR" },
    { argv: ["list", "-s", "crowdsecurity/ssh-bf", "--origin", "crowdsec", "--no-simu", "-l", "5"], want: "GET /v1/alerts?has_active_decision=true&include_capi=false&limit=5&origin=crowdsec&scenario=crowdsecurity%2Fssh-bf&simulated=false" },
    { argv: ["delete", "--ip", "5.6.7.8"], want: "DELETE /v1/decisions?ip=5.6.7.8" },
    { argv: ["delete", "--id", "5"], want: "DELETE /v1/decisions/5" },
    { argv: ["delete", "--all"], want: "DELETE /v1/decisions" },
    { argv: ["delete", "--scope", "ip", "-v", "1.2.3.4", "-t", "ban", "-s", "x", "--origin", "cscli"], want: "DELETE /v1/decisions?origin=cscli&scenario=x&scopes=Ip&type=ban&value=1.2.3.4" },
    { argv: ["delete", "-r", "10.0.0.0/8", "--contained"], want: "DELETE /v1/decisions?contains=false&range=10.0.0.0%2F8" },
  ];
  test.each(cases)("decisions $argv", async ({ argv, want }) => {
    recorded.length = 0;
    cannedAlerts = null;
    const r = await runAdmin(["decisions", ...argv, ...remote()]);
    expect({ code: r.code, request: recorded.map((x) => `${x.method} ${x.path}`).join(" ; ") }).toEqual({ code: 0, request: want });
  });

  test("decisions add pushes one alert with one cscli decision (1d → 24h, default reason)", async () => {
    recorded.length = 0;
    const r = await runAdmin(["decisions", "add", "--ip", "1.2.3.4", "--duration", "1d", "--type", "captcha", ...remote()]);
    expect([r.code, r.stderr]).toEqual([0, "Decision successfully added\n"]);
    const [sent] = recorded[0]!.body as WireAlert[];
    expect({ ...sent!, created_at: "T", start_at: "T", stop_at: "T" }).toEqual({
      capacity: 0, created_at: "T", decisions: [{ duration: "24h", origin: "cscli", scenario: "manual 'captcha' from 'm1'", scope: "Ip", type: "captcha", value: "1.2.3.4" }],
      events: [], events_count: 1, labels: null, leakspeed: "0", message: "manual 'captcha' from 'm1'", scenario: "manual 'captcha' from 'm1'", scenario_hash: "", scenario_version: "",
      simulated: false, source: { ip: "1.2.3.4", scope: "Ip", value: "1.2.3.4" }, start_at: "T", stop_at: "T",
    });
    expect(sent!.start_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  const addScopes = [
    { argv: ["--range", "10.0.0.0/24"], want: { scope: "Range", value: "10.0.0.0/24" } },
    { argv: ["--scope", "country", "--value", "FR"], want: { scope: "Country", value: "FR" } },
    { argv: ["--scope", "username", "--value", "bob"], want: { scope: "username", value: "bob" } },
  ];
  test.each(addScopes)("decisions add $argv", async ({ argv, want }) => {
    recorded.length = 0;
    await runAdmin(["decisions", "add", ...argv, "--reason", "r", ...remote()]);
    const [sent] = recorded[0]!.body as WireAlert[];
    expect({ scope: sent!.decisions![0]!.scope, value: sent!.decisions![0]!.value, source: sent!.source }).toEqual({ ...want, source: { ip: want.value, ...want } });
  });

  test("decisions import sends one alert carrying every decision, flags given explicitly replacing the file's fields", async () => {
    recorded.length = 0;
    const r = await runAdmin(["decisions", "import", "-i", join(TESTDATA, "admin", "import.csv"), "--type", "captcha", ...remote()]);
    expect([r.code, r.stderr]).toEqual([0, "3 decisions successfully imported\n"]);
    const [sent] = recorded[0]!.body as WireAlert[];
    expect({ scenario: sent!.scenario, source: sent!.source, events_count: sent!.events_count, leakspeed: sent!.leakspeed }).toEqual({ scenario: "add: 3 IPs", source: { scope: "cscli/manual-import", value: "" }, events_count: 3, leakspeed: "" });
    expect(sent!.decisions).toEqual([
      { duration: "24h", origin: "cscli-import", scenario: "imp", scope: "Ip", simulated: false, type: "captcha", value: "192.0.2.10" },
      { duration: "4h", origin: "cscli-import", scenario: "manual", scope: "Ip", simulated: false, type: "captcha", value: "192.0.2.11" },
      { duration: "24h", origin: "cscli-import", scenario: "imp", scope: "Range", simulated: false, type: "captcha", value: "192.0.2.128/25" },
    ]);
  });

  test("decisions import --batch splits the decisions into several alerts", async () => {
    recorded.length = 0;
    const r = await runAdmin(["decisions", "import", "-i", join(TESTDATA, "admin", "import.txt"), "--format", "values", "--batch", "2", ...remote()]);
    expect([r.code, recorded.map((x) => (x.body as WireAlert[])[0]!.decisions!.length)]).toEqual([0, [2, 1]]);
  });

  const refusals = [
    { argv: ["add"], want: "picket decisions add: Missing arguments, a value is required (--ip, --range or --scope and --value)\n" },
    { argv: ["add", "--ip", "1.2.3"], want: "picket decisions add: 1.2.3 isn't a valid ip\n" },
    { argv: ["add", "--range", "10.0.0.0/33"], want: "picket decisions add: 10.0.0.0/33 isn't a valid range\n" },
    { argv: ["add", "--ip", "1.2.3.4", "-d", "1w"], want: 'picket decisions add: invalid duration "1w" (expected a duration like 4h, 30m, 1h30m or 7d)\n' },
    { argv: ["delete"], want: "picket decisions delete: At least one filter or --all must be specified\n" },
    { argv: ["delete", "--id", "x"], want: "picket decisions delete: id 'x' is not an integer\n" },
    { argv: ["list", "--since", "xd"], want: "picket decisions list: Can't parse duration xd, valid durations format: 1d, 4h, 4h15m\n" },
    { argv: ["list", "-o", "yaml"], want: 'picket decisions list: invalid output "yaml" (expected human, json or raw)\n' },
    { argv: ["list", "--bogus"], want: "picket decisions list: unknown flag: --bogus\n" },
    { argv: ["import"], want: "picket decisions import: Please provide an input file containing decisions with -i\n" },
    { argv: ["import", "-i", "x.txt"], want: 'picket decisions import: Cannot guess the format of "x.txt" from its extension (give --format csv, json or values)\n' },
    { argv: ["purge"], want: 'picket decisions: unknown action "purge" (expected list, add, delete, import)\n' },
  ];
  test.each(refusals)("refuses decisions $argv with a usage error", async ({ argv, want }) => {
    recorded.length = 0;
    const r = await runAdmin(["decisions", ...argv, ...remote()]);
    expect({ code: r.code, first: r.stderr.split("\n")[0] + "\n", requests: recorded.length }).toEqual({ code: 2, first: want, requests: 0 });
  });

  test("reports the server's refusal as cscli does, exit 1", async () => {
    const r = await runAdmin(["decisions", "delete", "--id", "99", ...remote()]);
    expect([r.code, r.stderr]).toEqual([1, "Unable to delete decision: API error: decision with id '99' doesn't exist: unable to delete\n"]);
  });
});

describe("renderDecisions()", () => {
  const plain = pc.createColors(false);
  const alerts = [
    alert({ id: 2, source: { scope: "Ip", value: "1.2.3.4", cn: "FR", as_number: "123", as_name: "Some AS" } }),
    // the same decision again in an older alert: shown once
    alert({ id: 1 }),
    alert({ id: 3, simulated: true, decisions: [{ id: 5, duration: "1h", origin: "crowdsec", scenario: "a,b", scope: "Ip", type: "ban", value: "9.9.9.9", simulated: true }] }),
  ];

  test("raw: cscli's CSV header, one line per decision, duplicates skipped", () => {
    expect(renderDecisions(alerts, "raw", true, plain)).toEqual([
      "id,source,ip,reason,action,country,as,events_count,expiration,simulated,alert_id,machine",
      "1,cscli,Ip:1.2.3.4,test,ban,FR,123 Some AS,1,59m55.4s,false,2,m1",
      '5,crowdsec,Ip:9.9.9.9,"a,b",ban,,,1,1h,true,3,m1',
    ]);
  });

  test("human: a table with (simul) types and the skipped count", () => {
    expect(renderDecisions(alerts, "human", false, plain)).toEqual([
      "+----+----------+-------------+--------+------------+---------+-------------+--------+------------+----------+",
      "| ID |  Source  | Scope:Value | Reason |   Action   | Country |     AS      | Events | expiration | Alert ID |",
      "+----+----------+-------------+--------+------------+---------+-------------+--------+------------+----------+",
      "| 1  | cscli    | Ip:1.2.3.4  | test   | ban        | FR      | 123 Some AS | 1      | 59m55.4s   | 2        |",
      "| 5  | crowdsec | Ip:9.9.9.9  | a,b    | (simul)ban |         |             | 1      | 1h         | 3        |",
      "+----+----------+-------------+--------+------------+---------+-------------+--------+------------+----------+",
      "1 duplicated entries skipped",
    ]);
  });

  test("human with nothing: No active decisions", () => {
    expect(renderDecisions([], "human", false, plain)).toEqual(["No active decisions"]);
  });

  test("json: the alerts, indented by one space, duplicates removed", () => {
    const parsed = JSON.parse(renderDecisions(alerts, "json", false, plain).join("\n")) as WireAlert[];
    expect(parsed.map((a) => a.decisions!.length)).toEqual([1, 0, 1]);
  });
});

describe("picket decisions on the database (--db)", () => {
  const t = tempDb();
  afterAll(() => t.cleanup());

  test("add, list, delete and import, as through the API", async () => {
    const db = ["--db", t.db];
    expect((await runAdmin(["decisions", "add", "-i", "1.2.3.4", "-d", "1h", "-R", "test", ...db])).code).toBe(0);
    expect((await runAdmin(["decisions", "add", "-r", "10.0.0.0/24", ...db])).code).toBe(0);
    const raw = await runAdmin(["decisions", "list", "-o", "raw", "-i", "10.0.0.5", ...db]);
    expect(raw.stdout).toMatch(/^id,source,ip,reason,action,country,as,events_count,expiration,simulated,alert_id\n2,cscli,Range:10\.0\.0\.0\/24,manual 'ban' from 'picket',ban,,,1,3h59m5\d(\.\d+)?s,false,2\n$/);
    const imported = await runAdmin(["decisions", "import", "-i", join(TESTDATA, "admin", "import.json"), ...db]);
    expect([imported.code, imported.stderr]).toEqual([0, "2 decisions successfully imported\n"]);
    const all = await runAdmin(["decisions", "list", "-a", "-o", "json", ...db]);
    const values = (JSON.parse(all.stdout) as WireAlert[]).flatMap((a) => (a.decisions ?? []).map((d) => `${d.origin}:${d.scope}:${d.value}:${d.type}`));
    expect(values.sort()).toEqual(["cscli-import:Country:FR:captcha", "cscli-import:Ip:198.51.100.1:ban", "cscli:Ip:1.2.3.4:ban", "cscli:Range:10.0.0.0/24:ban"]);
    const deleted = await runAdmin(["decisions", "delete", "--ip", "1.2.3.4", ...db]);
    expect([deleted.code, deleted.stderr]).toEqual([0, "1 decision(s) deleted\n"]);
    const after = await runAdmin(["decisions", "list", "-o", "raw", "-i", "1.2.3.4", ...db]);
    expect(after.stdout).toBe("id,source,ip,reason,action,country,as,events_count,expiration,simulated,alert_id\n");
  });

  test("reports a database that cannot be opened (exit 3)", async () => {
    const r = await runAdmin(["decisions", "list", "--db", join(t.dir, "no", "such", "dir", "x.db")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("x.db");
  });
});

describe("picket decisions against picket's own Local API", () => {
  const t = tempDb();
  let server: LapiServer;
  beforeAll(async () => {
    expect((await runAdmin(["machines", "add", "cli", "--password", "Cli-Pw-0123", "--db", t.db])).code).toBe(0);
    const store = await openStore({ kind: "sqlite", path: t.db });
    if (!store.ok) throw new Error(store.error.message);
    const started = await createLapiServer({ store: store.value, profiles: defaultProfiles(), listen: { host: "127.0.0.1", port: 0 }, log: () => {} });
    if (!started.ok) throw new Error(started.error.message);
    server = started.value;
  });
  afterAll(async () => {
    await server.stop();
    t.cleanup();
  });

  test("add, list and delete over HTTP", async () => {
    const api = ["--url", server.url, "--machine", "cli", "--password", "Cli-Pw-0123"];
    expect((await runAdmin(["decisions", "add", "--scope", "country", "--value", "FR", "-d", "3h", "-R", "ctest", ...api])).code).toBe(0);
    const listed = await runAdmin(["decisions", "list", "-o", "raw", ...api]);
    expect(listed.stdout).toMatch(/\n1,cscli,Country:FR,ctest,ban,,,1,2h59m5\d(\.\d+)?s,false,1\n$/);
    const refused = await runAdmin(["decisions", "list", "--url", server.url, "--machine", "cli", "--password", "wrong"]);
    expect([refused.code, refused.stderr]).toEqual([3, "Unable to list decisions: Failed to authenticate to Local API (LAPI) : API error: incorrect Username or Password\n"]);
    const deleted = await runAdmin(["decisions", "delete", "--scope", "Country", "--value", "FR", ...api]);
    expect([deleted.code, deleted.stderr]).toEqual([0, "1 decision(s) deleted\n"]);
  });
});
