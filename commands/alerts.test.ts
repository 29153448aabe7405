import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pc from "picocolors";
import type { WireAlert } from "../core/alerts";
import { runAdmin, tempDb } from "./admin/testing";
import { decisionsSummary, renderAlerts, renderOneAlert } from "./alerts";

const recorded: string[] = [];
let fake: ReturnType<typeof Bun.serve>;
let fakeUrl = "";

beforeAll(() => {
  fake = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const u = new URL(req.url);
      if (u.pathname === "/v1/watchers/login") return Response.json({ code: 200, expire: new Date(Date.now() + 3600_000).toISOString(), token: "t" });
      recorded.push(`${req.method} ${u.pathname}${u.search}`);
      if (u.pathname === "/v1/alerts/999999") return Response.json({ message: "object not found" }, { status: 404 });
      if (req.method === "GET") return Response.json(u.pathname === "/v1/alerts" ? null : sample);
      return Response.json({ nbDeleted: "1" });
    },
  });
  fakeUrl = `http://127.0.0.1:${fake.port}`;
});
afterAll(() => fake.stop(true));

const remote = () => ["--url", fakeUrl, "--machine", "m1", "--password", "pw"];

const sample: WireAlert = {
  capacity: 5, created_at: "2026-11-23T18:14:23Z", events_count: 6, id: 8, leakspeed: "10s", machine_id: "agent", message: "m", scenario: "crowdsecurity/ssh-bf",
  scenario_hash: "h", scenario_version: "0.1", simulated: false, start_at: "2026-11-23 18:00:01 +0000 UTC", stop_at: "2026-11-23 18:00:03 +0000 UTC",
  source: { scope: "Ip", value: "1.2.3.4", ip: "1.2.3.4", cn: "FR", as_number: "0", as_name: "AS X" },
  events: [{ timestamp: "2026-11-23 18:00:01 +0000 UTC", meta: [{ key: "source_ip", value: "1.2.3.4" }, { key: "log_type", value: "ssh_failed-auth" }] }],
  decisions: [
    { id: 3, duration: "3h59m", origin: "crowdsec", scenario: "crowdsecurity/ssh-bf", scope: "Ip", type: "ban", value: "1.2.3.4", simulated: false },
    { id: 4, duration: "-5m1s", origin: "cscli", scenario: "x", scope: "Ip", type: "ban", value: "1.2.3.4", simulated: false },
    { id: 5, duration: "1h", origin: "cscli", scenario: "x", scope: "Ip", type: "captcha", value: "1.2.3.4", simulated: true },
  ],
};

describe("picket alerts: the requests cscli 1.4.6 makes (LAPI-CLIENTS.md §3)", () => {
  const cases = [
    { argv: ["list"], want: "GET /v1/alerts?include_capi=false&limit=50" },
    { argv: ["list", "-l", "0"], want: "GET /v1/alerts?include_capi=false&limit=0" },
    { argv: ["list", "-s", "crowdsecurity/ssh-bf", "-l", "0"], want: "GET /v1/alerts?include_capi=false&limit=0&scenario=crowdsecurity%2Fssh-bf" },
    { argv: ["list", "--ip", "7.7.7.7"], want: "GET /v1/alerts?include_capi=false&ip=7.7.7.7&limit=50" },
    { argv: ["list", "-a", "--type", "ban", "--since", "1d"], want: "GET /v1/alerts?decision_type=ban&include_capi=true&limit=0&since=24h" },
    { argv: ["inspect", "8"], want: "GET /v1/alerts/8" },
    { argv: ["delete", "--ip", "1.2.3.4"], want: "DELETE /v1/alerts?ip=1.2.3.4&limit=0" },
    { argv: ["delete", "--all"], want: "DELETE /v1/alerts?limit=0" },
    { argv: ["delete", "--id", "8"], want: "DELETE /v1/alerts/8" },
    { argv: ["delete", "--scope", "range", "-v", "10.0.0.0/24", "-s", "x"], want: "DELETE /v1/alerts?limit=0&scenario=x&scope=Range&value=10.0.0.0%2F24" },
  ];
  test.each(cases)("alerts $argv", async ({ argv, want }) => {
    recorded.length = 0;
    const r = await runAdmin(["alerts", ...argv, ...remote()]);
    expect({ code: r.code, request: recorded.join(" ; ") }).toEqual({ code: 0, request: want });
  });

  test("alerts delete prints cscli's count", async () => {
    const r = await runAdmin(["alerts", "delete", "--ip", "1.2.3.4", ...remote()]);
    expect(r.stderr).toBe("1 alert(s) deleted\n");
  });

  test("alerts inspect of an unknown id", async () => {
    const r = await runAdmin(["alerts", "inspect", "999999", "-o", "json", ...remote()]);
    expect([r.code, r.stderr]).toEqual([1, "can't find alert with id 999999: API error: object not found\n"]);
  });

  const refusals = [
    { argv: ["inspect"], want: "picket alerts inspect: missing argument ALERT_ID [ALERT_ID...]" },
    { argv: ["inspect", "x1"], want: "picket alerts inspect: bad alert id x1" },
    { argv: ["delete"], want: "picket alerts delete: At least one filter or --all must be specified" },
    { argv: ["list", "extra"], want: 'picket alerts list: unexpected argument "extra"' },
    { argv: ["flush", "--max-age", "soon"], want: 'picket alerts flush: invalid --max-age "soon" (expected a duration like 7d or 72h)' },
  ];
  test.each(refusals)("refuses alerts $argv", async ({ argv, want }) => {
    recorded.length = 0;
    const r = await runAdmin(["alerts", ...argv, ...(argv[0] === "flush" ? [] : remote())]);
    expect({ code: r.code, first: r.stderr.split("\n")[0], requests: recorded.length }).toEqual({ code: 2, first: want, requests: 0 });
  });
});

describe("alerts output", () => {
  const plain = pc.createColors(false);

  test("decisionsSummary() counts types, simulated apart", () => {
    expect(decisionsSummary(sample)).toBe("ban:2 (simul)captcha:1");
  });

  test("raw list", () => {
    expect(renderAlerts([sample], "raw", true, plain)).toEqual([
      "id,scope,value,reason,country,as,decisions,created_at,machine",
      '8,Ip,1.2.3.4,crowdsecurity/ssh-bf,FR," AS X",ban:2 (simul)captcha:1,2026-11-23 18:00:01 +0000 UTC,agent',
    ]);
  });

  test("human list", () => {
    expect(renderAlerts([sample], "human", false, plain)).toEqual([
      "+----+------------+----------------------+---------+-------+------------------------+-------------------------------+",
      "| ID |   value    |        reason        | country |  as   |       decisions        |          created_at           |",
      "+----+------------+----------------------+---------+-------+------------------------+-------------------------------+",
      "| 8  | Ip:1.2.3.4 | crowdsecurity/ssh-bf | FR      |  AS X | ban:2 (simul)captcha:1 | 2026-11-23 18:00:01 +0000 UTC |",
      "+----+------------+----------------------+---------+-------+------------------------+-------------------------------+",
    ]);
    expect(renderAlerts([], "human", false, plain)).toEqual(["No active alerts"]);
  });

  test("inspect shows active decisions only, and events with -d", () => {
    expect(renderOneAlert(sample, true, plain)).toEqual([
      "",
      "################################################################################################",
      "",
      " - ID         : 8",
      " - Date       : 2026-11-23T18:14:23Z",
      " - Machine    : agent",
      " - Simulation : false",
      " - Reason     : crowdsecurity/ssh-bf",
      " - Events Count : 6",
      " - Scope:Value: Ip:1.2.3.4",
      " - Country    : FR",
      " - AS         : AS X",
      " - Begin      : 2026-11-23 18:00:01 +0000 UTC",
      " - End        : 2026-11-23 18:00:03 +0000 UTC",
      "",
      " - Active Decisions  :",
      "+----+-------------+---------+------------+----------------------+",
      "| ID | scope:value | action  | expiration |      created_at      |",
      "+----+-------------+---------+------------+----------------------+",
      "| 3  | Ip:1.2.3.4  | ban     | 3h59m      | 2026-11-23T18:14:23Z |",
      "| 5  | Ip:1.2.3.4  | captcha | 1h         | 2026-11-23T18:14:23Z |",
      "+----+-------------+---------+------------+----------------------+",
      "",
      " - Events  :",
      "",
      "- Date: 2026-11-23 18:00:01 +0000 UTC",
      "+-----------+-----------------+",
      "|    Key    |      Value      |",
      "+-----------+-----------------+",
      "| log_type  | ssh_failed-auth |",
      "+-----------+-----------------+",
      "| source_ip | 1.2.3.4         |",
      "+-----------+-----------------+",
    ]);
  });
});

describe("picket alerts on the database (--db)", () => {
  const t = tempDb();
  afterAll(() => t.cleanup());

  test("list, inspect, delete and flush", async () => {
    const db = ["--db", t.db];
    for (const ip of ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) expect((await runAdmin(["decisions", "add", "-i", ip, "-R", `r-${ip}`, ...db])).code).toBe(0);
    const listed = await runAdmin(["alerts", "list", "-o", "raw", ...db]);
    expect(listed.stdout.split("\n").slice(1, -1).map((l) => l.split(",").slice(0, 7).join(","))).toEqual([
      "3,Ip,3.3.3.3,r-3.3.3.3,,,ban:1",
      "2,Ip,2.2.2.2,r-2.2.2.2,,,ban:1",
      "1,Ip,1.1.1.1,r-1.1.1.1,,,ban:1",
    ]);
    const inspected = await runAdmin(["alerts", "inspect", "2", "-o", "json", ...db]);
    expect((JSON.parse(inspected.stdout) as WireAlert).source.value).toBe("2.2.2.2");
    const missing = await runAdmin(["alerts", "inspect", "42", ...db]);
    expect([missing.code, missing.stderr]).toEqual([1, "can't find alert with id 42: API error: object not found\n"]);
    const deleted = await runAdmin(["alerts", "delete", "--id", "2", ...db]);
    expect([deleted.code, deleted.stderr]).toEqual([0, "1 alert(s) deleted\n"]);
    const flushed = await runAdmin(["alerts", "flush", "--max-items", "1", ...db]);
    expect([flushed.code, flushed.stderr]).toEqual([0, "Flushing alerts. !! This may take a long time !!\nAlerts flushed (1 deleted)\n"]);
    const left = await runAdmin(["alerts", "list", "-o", "raw", ...db]);
    expect(left.stdout.split("\n").slice(1, -1).map((l) => l.split(",")[2])).toEqual(["3.3.3.3"]);
  });
});
