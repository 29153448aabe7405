/**
 * Local API store throughput: COUNT alerts of one Ip ban each pushed in one insertAlerts call,
 * then the listing `cscli decisions list` asks for (active decisions, no limit) and a startup
 * stream over all of them, with the process's peak RSS while streaming.
 *
 *   bun run scripts/bench-db.ts [COUNT]                 (default 100000, SQLite in a temp dir)
 *   bun run scripts/bench-db.ts [COUNT] --postgres URL  (an empty database: tables are truncated)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, rangeForDecision, type NewAlert, type StoreConfig } from "../core/db";

const args = process.argv.slice(2);
const pgAt = args.indexOf("--postgres");
const pgUrl = pgAt >= 0 ? args[pgAt + 1] : undefined;
const count = Number(args.find((a, i) => /^\d+$/.test(a) && (pgAt < 0 || i !== pgAt + 1)) ?? 100_000);

const dir = mkdtempSync(join(tmpdir(), "picket-bench-db-"));
const config: StoreConfig = pgUrl ? { kind: "postgres", url: pgUrl } : { kind: "sqlite", path: join(dir, "bench.db") };
const opened = await openStore(config);
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.value;
if (pgUrl) {
  const { SQL } = await import("bun");
  const sql = new SQL(pgUrl);
  await sql.unsafe("TRUNCATE machines, bouncers, alerts, decisions, events, meta RESTART IDENTITY CASCADE");
  await sql.close();
}

const now = new Date();
const startedAt = new Date(now.getTime() - 60_000).toISOString();
const alerts: NewAlert[] = [];
for (let i = 0; i < count; i++) {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const range = rangeForDecision("Ip", ip);
  if (!range.ok) throw new Error(range.error.message);
  alerts.push({
    machineId: null,
    scenario: "crowdsecurity/ssh-bf",
    scenarioHash: "",
    scenarioVersion: "",
    message: `Ip ${ip} performed 'crowdsecurity/ssh-bf'`,
    eventsCount: 6,
    capacity: 5,
    leakSpeed: "10s",
    simulated: false,
    remediation: true,
    startedAt,
    stoppedAt: startedAt,
    source: { scope: "Ip", value: ip, ip, range: "", asNumber: "", asName: "", country: "", latitude: 0, longitude: 0 },
    labels: null,
    events: [{ timestamp: startedAt, meta: [{ key: "source_ip", value: ip }] }],
    meta: [],
    decisions: [
      { type: "ban", scope: "Ip", value: ip, origin: "crowdsec", scenario: "crowdsecurity/ssh-bf", simulated: false, until: new Date(now.getTime() + 4 * 3600_000), range: range.value, uuid: "" },
    ],
    uuid: "",
    kind: "",
  });
}

const ms = (from: number): string => `${((Bun.nanoseconds() - from) / 1e6).toFixed(0)} ms`;
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

let t = Bun.nanoseconds();
await store.insertAlerts(alerts, now);
console.log(`${store.backend}: insertAlerts ${count} alerts × 1 decision: ${ms(t)}`);
alerts.length = 0;
Bun.gc(true);

t = Bun.nanoseconds();
const listed = await store.findAlerts({ hasActiveDecision: true, includeCapi: false, limit: 0 }, now);
console.log(`${store.backend}: findAlerts active, limit 0: ${listed.length} alerts in ${ms(t)}`);
listed.length = 0;
Bun.gc(true);

// cscli decisions list -i / -r: the alerts' decisions filtered by range (one IP, then a /8 contained)
for (const [text, contains] of [["10.0.100.7", true], ["10.0.0.0/8", false]] as const) {
  const q = rangeForDecision(text.includes("/") ? "Range" : "Ip", text);
  if (!q.ok || !q.value) throw new Error(`bad range ${text}`);
  t = Bun.nanoseconds();
  const found = await store.findAlerts({ range: { range: q.value, contains }, hasActiveDecision: true, includeCapi: false, limit: 100 }, now);
  console.log(`${store.backend}: findAlerts ${contains ? "containing" : "inside"} ${text}, limit 100: ${found.length} alerts in ${ms(t)}`);
}

let streamed = 0;
t = Bun.nanoseconds();
for await (const _ of store.streamDecisions({ filter: { scopes: ["Ip", "Range"] }, dedup: true, since: null, now }, "new")) streamed++;
console.log(`${store.backend}: startup stream: ${streamed} decisions in ${ms(t)}`);

// memory: the live heap after a full GC every 20k rows stays flat when the stream holds no more than a batch
const heapBefore = process.memoryUsage().heapUsed;
let heapPeak = heapBefore;
streamed = 0;
for await (const _ of store.streamDecisions({ filter: { scopes: ["Ip", "Range"] }, dedup: true, since: null, now }, "new")) {
  if (++streamed % 20_000 === 0) {
    Bun.gc(true);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
}
console.log(`${store.backend}: live heap during the stream: ${mb(heapBefore)} before, ${mb(heapPeak)} at most`);

await store.close();
rmSync(dir, { recursive: true, force: true });
