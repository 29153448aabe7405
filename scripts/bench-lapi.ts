/**
 * Local API load on loopback: a SQLite database with DECISIONS active decisions, BOUNCERS bouncers
 * that each take a startup pull and then poll the stream in delta mode every POLL_S seconds
 * (spread evenly) for DURATION_S seconds, while a machine adds a few decisions. The server runs as
 * a subprocess (`picket run --api-only`) so its RSS is its own.
 *
 *   node_modules/.bin/bun scripts/bench-lapi.ts
 *   DECISIONS=100000 BOUNCERS=1000 POLL_S=10 DURATION_S=60 STARTUP_CONCURRENCY=4 node_modules/.bin/bun scripts/bench-lapi.ts
 *   PICKET_BIN=dist/picket node_modules/.bin/bun scripts/bench-lapi.ts     (the compiled binary as server)
 *
 * Prints: DB fill time, one startup pull of every decision (time, bytes), the startup pulls of
 * STARTUP_SAMPLE bouncers, delta-poll latency p50/p99/max, and the server's VmRSS / VmHWM.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, rangeForDecision, type NewAlert } from "../core/db";
import { hashApiKey } from "../core/lapi";

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const DECISIONS = env("DECISIONS", 100_000);
const BOUNCERS = env("BOUNCERS", 1000);
const POLL_S = env("POLL_S", 10);
const DURATION_S = env("DURATION_S", 60);
const STARTUP_CONCURRENCY = env("STARTUP_CONCURRENCY", 2);
/**
 * How many bouncers take a real startup pull (each moves every decision: ~0.5 s and 13 MiB at
 * 100k). The others get last_pull = now written to the database instead, the state a startup
 * pull leaves, so the run stays bounded; STARTUP_SAMPLE=BOUNCERS pulls for all of them.
 */
const STARTUP_SAMPLE = Math.min(env("STARTUP_SAMPLE", 20), BOUNCERS);
const REPO = new URL("../", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "picket-bench-lapi-"));
const db = join(dir, "bench.db");
const ms = (t: number) => `${t.toFixed(1)} ms`;

function memory(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) / 1024;
  return `VmRSS ${get("VmRSS").toFixed(0)} MiB, VmHWM ${get("VmHWM").toFixed(0)} MiB`;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function fill(): Promise<void> {
  const t = performance.now();
  const opened = await openStore({ kind: "sqlite", path: db });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  await store.addMachine({ machineId: "bench", passwordHash: await Bun.password.hash("bench", { algorithm: "bcrypt", cost: 4 }), isValidated: true });
  for (let b = 0; b < BOUNCERS; b++) await store.addBouncer({ name: `b${b}`, apiKeyHash: hashApiKey(`key-${b}`) });
  const now = new Date();
  const until = new Date(now.getTime() + 4 * 3600_000);
  const PER_ALERT = 1000;
  for (let start = 0; start < DECISIONS; start += PER_ALERT * 10) {
    const batch: NewAlert[] = [];
    for (let a = start; a < Math.min(DECISIONS, start + PER_ALERT * 10); a += PER_ALERT) {
      const decisions = [];
      for (let i = a; i < Math.min(DECISIONS, a + PER_ALERT); i++) {
        const ip = `${10 + (i >> 24)}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        const range = rangeForDecision("Ip", ip);
        if (!range.ok) throw new Error(range.error.message);
        decisions.push({ type: "ban", scope: "Ip", value: ip, origin: "CAPI", scenario: "crowdsecurity/ssh-bf", simulated: false, until, range: range.value, uuid: crypto.randomUUID() });
      }
      batch.push({
        machineId: "bench", scenario: "update : +1000/-0 IPs", scenarioHash: "", scenarioVersion: "", message: "", eventsCount: 0, capacity: 0, leakSpeed: "", simulated: false,
        remediation: true, startedAt: now.toISOString(), stoppedAt: now.toISOString(),
        source: { scope: "Community blocklist", value: "", ip: "", range: "", asNumber: "", asName: "", country: "", latitude: 0, longitude: 0 },
        labels: null, events: [], meta: [], decisions, uuid: crypto.randomUUID(), kind: "capi",
      });
    }
    await store.insertAlerts(batch, now);
  }
  await store.close();
  console.log(`fill: ${DECISIONS} decisions, ${BOUNCERS} bouncers in ${ms(performance.now() - t)}`);
}

async function startServer(): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = probe.port!;
  await probe.stop(true);
  const cmd = process.env.PICKET_BIN ? [process.env.PICKET_BIN] : [join(REPO, "node_modules/.bin/bun"), "cli/main.ts"];
  const proc = Bun.spawn([...cmd, "run", "--api-only", "--listen", `127.0.0.1:${port}`, "--db", db], { cwd: REPO, stdout: "ignore", stderr: "pipe" });
  const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader();
  let seen = "";
  while (!seen.includes("Local API listening on")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`server exited: ${seen}`);
    seen += new TextDecoder().decode(value);
  }
  void (async () => {
    for (;;) if ((await reader.read()).done) break;
  })();
  return { proc, url: `http://127.0.0.1:${port}` };
}

async function pull(url: string, key: string, startup: boolean): Promise<{ ms: number; bytes: number; news: number }> {
  const t = performance.now();
  const r = await fetch(`${url}/v1/decisions/stream${startup ? "?startup=true" : "?"}`, { headers: { "X-Api-Key": key, "User-Agent": "bench-bouncer/v1" } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`stream answered ${r.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { new: unknown[] | null };
  return { ms: performance.now() - t, bytes: text.length, news: body.new?.length ?? 0 };
}

async function main(): Promise<void> {
  await fill();
  const { proc, url } = await startServer();
  const pid = proc.pid;
  try {
    console.log(`server pid ${pid} at ${url}: idle ${memory(pid)}`);
    const first = await pull(url, "key-0", true);
    console.log(`startup pull (one bouncer): ${first.news} decisions, ${(first.bytes / 1048576).toFixed(1)} MiB in ${ms(first.ms)}; server ${memory(pid)}`);

    const t = performance.now();
    const startupTimes: number[] = [];
    let next = 1;
    await Promise.all(
      Array.from({ length: STARTUP_CONCURRENCY }, async () => {
        while (next < STARTUP_SAMPLE) {
          const b = next++;
          startupTimes.push((await pull(url, `key-${b}`, true)).ms);
        }
      }),
    );
    startupTimes.sort((a, b) => a - b);
    console.log(
      `startup pulls of ${STARTUP_SAMPLE - 1} more bouncers (${STARTUP_CONCURRENCY} at a time): ${((performance.now() - t) / 1000).toFixed(1)} s, ` +
        `p50 ${ms(pct(startupTimes, 50))}, p99 ${ms(pct(startupTimes, 99))}; server ${memory(pid)}`,
    );
    if (STARTUP_SAMPLE < BOUNCERS) {
      const side = await openStore({ kind: "sqlite", path: db });
      if (!side.ok) throw new Error(side.error.message);
      const at = new Date();
      for (const b of await side.value.listBouncers()) if (Number(b.name.slice(1)) >= STARTUP_SAMPLE) await side.value.setBouncerLastPull(b.id, at);
      await side.value.close();
      console.log(`last_pull set in the database for the other ${BOUNCERS - STARTUP_SAMPLE} bouncers`);
    }

    const login = await fetch(`${url}/v1/watchers/login`, { method: "POST", body: JSON.stringify({ machine_id: "bench", password: "bench" }), headers: { "User-Agent": "crowdsec/bench" } });
    const token = ((await login.json()) as { token: string }).token;
    const latencies: number[] = [];
    let errors = 0;
    let newSeen = 0;
    const end = performance.now() + DURATION_S * 1000;
    const gap = (POLL_S * 1000) / BOUNCERS;
    const pushes = (async () => {
      // a machine adds one decision per second, so deltas carry something
      for (let i = 0; performance.now() < end; i++) {
        const at = new Date().toISOString();
        const ip = `192.0.${(i >> 8) & 255}.${i & 255}`;
        await fetch(`${url}/v1/alerts`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}` },
          body: JSON.stringify([{ capacity: 5, decisions: null, events: [], events_count: 6, leakspeed: "10s", message: "", remediation: true, scenario: "bench", scenario_hash: "", scenario_version: "", simulated: false, source: { ip, scope: "Ip", value: ip }, start_at: at, stop_at: at }]),
        });
        await Bun.sleep(1000);
      }
    })();
    const inflight: Promise<void>[] = [];
    for (let tick = 0; performance.now() < end; tick++) {
      const b = tick % BOUNCERS;
      const due = end - DURATION_S * 1000 + tick * gap;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      inflight.push(
        pull(url, `key-${b}`, false)
          .then((r) => {
            latencies.push(r.ms);
            newSeen += r.news;
          })
          .catch(() => {
            errors++;
          }),
      );
    }
    await Promise.all(inflight);
    await pushes;
    latencies.sort((a, b) => a - b);
    console.log(
      `delta polls: ${latencies.length} in ${DURATION_S} s (${(latencies.length / DURATION_S).toFixed(0)}/s), errors ${errors}, ` +
        `p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(latencies.at(-1) ?? NaN)}, new decisions seen ${newSeen}`,
    );
    console.log(`server at the end: ${memory(pid)}`);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
