import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../core/db";
import { hashApiKey } from "../core/lapi";
import { parseListen, planRun } from "./run";

const dir = mkdtempSync(join(tmpdir(), "picket-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseListen()", () => {
  test.each([
    { text: "127.0.0.1:8080", want: { host: "127.0.0.1", port: 8080 } },
    { text: "[::1]:8081", want: { host: "::1", port: 8081 } },
    { text: ":8082", want: { host: "0.0.0.0", port: 8082 } },
  ])("$text", ({ text, want }) => expect(parseListen(text)).toEqual({ ok: true, value: want }));
  test.each(["8080", "host:99999", "a:b"])("%s is refused", (text) => {
    const r = parseListen(text);
    expect(r.ok ? "" : r.error.message).toBe(`Invalid listen address "${text}": expected HOST:PORT`);
  });
});

describe("planRun()", () => {
  const config = (name: string, yaml: string) => {
    const p = join(dir, name);
    writeFileSync(p, yaml);
    return p;
  };
  const full = config(
    "full.yaml",
    `config_paths:\n  config_dir: ${dir}/\n  data_dir: ${dir}/\ndb_config:\n  type: sqlite\n  db_path: ${dir}/crowdsec.db\n  flush:\n    max_items: 5000\n    max_age: 7d\napi:\n  server:\n    listen_uri: 127.0.0.1:9090\n` +
      `    profiles_path: ${dir}/profiles.yaml\n    trusted_ips: [127.0.0.1, 10.0.0.0/8]\n    tls:\n      cert_file: /c.pem\n      key_file: /k.pem\n`,
  );
  const pg = config("pg.yaml", "db_config:\n  type: postgresql\n  user: cs\n  password: p@ss\n  host: db\n  port: 5433\n  db_name: crowdsec\n  sslmode: disable\n");

  test("config.yaml gives listen, profiles, trusted IPs, TLS and the database", () => {
    expect(planRun({ apiOnly: true, config: full })).toEqual({
      ok: true,
      value: {
        listen: { host: "127.0.0.1", port: 9090 }, store: { kind: "sqlite", path: `${dir}/crowdsec.db` }, storeFromConfig: true,
        flush: { maxItems: 5000, maxAgeMs: 7 * 24 * 3600_000 }, profilesPath: `${dir}/profiles.yaml`,
        trustedIps: ["127.0.0.1", "10.0.0.0/8"], tls: { certFile: "/c.pem", keyFile: "/k.pem" },
      },
    });
  });
  test("flags win over the config", () => {
    const r = planRun({ apiOnly: true, config: full, listen: "127.0.0.1:7000", db: "/tmp/x.db" });
    expect(r.ok && [r.value.listen, r.value.store]).toEqual([{ host: "127.0.0.1", port: 7000 }, { kind: "sqlite", path: "/tmp/x.db" }]);
  });
  test("postgres db_config becomes a URL", () => {
    const r = planRun({ apiOnly: true, config: pg });
    expect(r.ok && r.value.store).toEqual({ kind: "postgres", url: "postgres://cs:p%40ss@db:5433/crowdsec?sslmode=disable" });
  });
  test("no config: the default listen address, the default profile, --db required", () => {
    expect(planRun({ apiOnly: true, db: "/tmp/a.db" })).toEqual({ ok: true, value: { listen: { host: "127.0.0.1", port: 8080 }, store: { kind: "sqlite", path: "/tmp/a.db" }, storeFromConfig: false, flush: {}, profilesPath: undefined, trustedIps: [], tls: undefined } });
    const r = planRun({ apiOnly: true });
    expect(r.ok ? "" : r.error.message).toBe("No database: give --db FILE or -c config.yaml");
  });
  test("mysql is refused with the field named", () => {
    const r = planRun({ apiOnly: true, config: config("my.yaml", "db_config:\n  type: mysql\n") });
    expect(r.ok ? "" : `${r.error.field}: ${r.error.message}`).toBe('db_config.type: Database type "mysql" is not supported: use sqlite or postgres');
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: `picket run` as a process, on temp configs and free ports.

const REPO = new URL("..", import.meta.url).pathname;
const BUN = join(REPO, "node_modules/.bin/bun");
const BOUNCER_KEY = "e2e-bouncer-key-0123456789";
const MACHINE = { id: "e2e-agent", password: "e2e-password-0123456789" };

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** A `picket run` child whose stderr is kept, with bounded waits on what it logs. */
class Daemon {
  readonly proc: ReturnType<typeof Bun.spawn>;
  stderr = "";
  private readonly reading: Promise<void>;
  constructor(args: string[]) {
    const proc = Bun.spawn([BUN, "cli/main.ts", "run", ...args], { cwd: REPO, stdout: "ignore", stderr: "pipe" });
    this.proc = proc;
    const decoder = new TextDecoder();
    this.reading = (async () => {
      for await (const chunk of proc.stderr) this.stderr += decoder.decode(chunk, { stream: true });
    })();
  }
  async waitFor(text: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stderr.includes(text)) {
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`"${text}" not logged within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await Bun.sleep(10);
    }
  }
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<number> {
    this.proc.kill(signal);
    const code = await this.proc.exited;
    await this.reading;
    return code;
  }
}

/** Seconds from now until the Local API answers a decision for `ip` to a bouncer (internal bound 8 s). */
async function decisionLatencyMs(apiPort: number, ip: string, writtenAt: number): Promise<number> {
  const deadline = writtenAt + 8000;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${apiPort}/v1/decisions?ip=${ip}`, { headers: { "X-Api-Key": BOUNCER_KEY } });
    const body = (await res.json()) as { value: string }[] | null;
    if (body && body.some((d) => d.value === ip)) return Date.now() - writtenAt;
    if (Date.now() > deadline) throw new Error(`no decision for ${ip} within 8 s`);
    await Bun.sleep(5);
  }
}

/** sshd failures from `ip`, one account name (so only the burst scenario counts them). */
const sshFailures = (ip: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `Nov 23 10:00:${String(i).padStart(2, "0")} web sshd[4${i}]: Failed password for invalid user root from ${ip} port 22 ssh2\n`).join("");

interface E2eSetup {
  readonly root: string;
  readonly config: string;
  readonly log: string;
  readonly db: string;
  readonly apiPort: number;
  readonly syslogPort: number;
  readonly metricsPort: number;
}

async function e2eSetup(name: string): Promise<E2eSetup> {
  const root = mkdtempSync(join(dir, `${name}-`));
  const [apiPort, syslogPort, metricsPort] = [freePort(), freePort(), freePort()];
  const log = join(root, "auth.log");
  const db = join(root, "data", "crowdsec.db");
  writeFileSync(log, "");
  writeFileSync(join(root, "acquis.yaml"), `filenames:\n  - ${log}\nlabels:\n  type: syslog\n---\nsource: syslog\nlisten_addr: 127.0.0.1\nlisten_port: ${syslogPort}\nprotocol: tcp\nlabels:\n  type: syslog\n`);
  writeFileSync(join(root, "local_api_credentials.yaml"), `url: http://127.0.0.1:${apiPort}\nlogin: ${MACHINE.id}\npassword: ${MACHINE.password}\n`);
  const config = join(root, "config.yaml");
  writeFileSync(config, [
    "common:\n  log_media: stdout\n",
    `config_paths:\n  config_dir: ${root}/\n  data_dir: ${root}/data/\n`,
    `crowdsec_service:\n  acquisition_path: ${root}/acquis.yaml\n`,
    `db_config:\n  type: sqlite\n  db_path: ${db}\n`,
    `api:\n  client:\n    credentials_path: ${root}/local_api_credentials.yaml\n  server:\n    listen_uri: 127.0.0.1:${apiPort}\n`,
    `prometheus:\n  enabled: true\n  listen_addr: 127.0.0.1\n  listen_port: ${metricsPort}\n`,
  ].join(""));
  mkdirSync(join(root, "data"), { recursive: true });
  const store = await openStore({ kind: "sqlite", path: db });
  if (!store.ok) throw new Error(store.error.message);
  await store.value.addBouncer({ name: "e2e", apiKeyHash: hashApiKey(BOUNCER_KEY) });
  await store.value.addMachine({ machineId: MACHINE.id, passwordHash: await Bun.password.hash(MACHINE.password, { algorithm: "bcrypt", cost: 4 }), isValidated: true });
  await store.value.close();
  return { root, config, log, db, apiPort, syslogPort, metricsPort };
}

describe("picket run (end to end)", () => {
  test("tailed file with rotation, syslog UDP and TCP: each decision reaches the bouncer API within 1 s of its line", async () => {
    const s = await e2eSetup("live");
    const daemon = new Daemon(["-c", s.config]);
    try {
      await daemon.waitFor("Agent started");
      const latencies: Record<string, number> = {};

      appendFileSync(s.log, sshFailures("198.51.100.1", 6));
      latencies.file = await decisionLatencyMs(s.apiPort, "198.51.100.1", Date.now());

      renameSync(s.log, `${s.log}.1`); // logrotate's rename + create
      writeFileSync(s.log, "");
      appendFileSync(s.log, sshFailures("198.51.100.2", 6));
      latencies.rotated = await decisionLatencyMs(s.apiPort, "198.51.100.2", Date.now());

      const udp = await Bun.udpSocket({ hostname: "127.0.0.1", port: 0 });
      for (const line of sshFailures("198.51.100.3", 6).trimEnd().split("\n")) udp.send(`<38>${line}`, s.syslogPort, "127.0.0.1");
      latencies.udp = await decisionLatencyMs(s.apiPort, "198.51.100.3", Date.now());
      udp.close();

      const tcp = await Bun.connect({ hostname: "127.0.0.1", port: s.syslogPort, socket: { data() {} } });
      tcp.write(sshFailures("198.51.100.4", 6).split("\n").filter(Boolean).map((l) => `<38>${l}\n`).join(""));
      tcp.flush();
      latencies.tcp = await decisionLatencyMs(s.apiPort, "198.51.100.4", Date.now());
      tcp.end();

      console.log(`e2e line → decision latency (ms): ${JSON.stringify(latencies)}`);
      for (const ms of Object.values(latencies)) expect(ms).toBeLessThan(1000);

      const metrics = await (await fetch(`http://127.0.0.1:${s.metricsPort}/metrics`)).text();
      expect(metrics).toContain(`cs_filesource_hits_total{source="${s.log}"} 12`);
      expect(metrics).toMatch(/cs_syslogsource_hits_total\{source="127\.0\.0\.1"\} 12/);
      expect(metrics).toContain('cs_bucket_overflowed_total{name="picket/ssh-bruteforce"} 4');
      expect(metrics).toMatch(/cs_lapi_route_requests_total\{method="GET",route="\/v1\/decisions"\} \d+/);
    } finally {
      const code = await daemon.stop();
      if (code !== 0 || process.env.PICKET_E2E_DEBUG) console.error(daemon.stderr);
      expect(code).toBe(0);
    }
    expect(daemon.stderr).toContain("Stopped: bucket state saved");
  }, 30_000);

  test("SIGKILL mid-stream: acknowledged decisions stay, and the attacker's counter survives the restart", async () => {
    const s = await e2eSetup("kill");
    const first = new Daemon(["-c", s.config, "--checkpoint-interval", "100ms"]);
    try {
      await first.waitFor("Agent started");
      appendFileSync(s.log, sshFailures("203.0.113.1", 6));
      await decisionLatencyMs(s.apiPort, "203.0.113.1", Date.now());
      appendFileSync(s.log, sshFailures("203.0.113.2", 3)); // half an attack: below the capacity
      const state = join(s.root, "data", "picket-state.json");
      const deadline = Date.now() + 8000;
      while (!(existsSync(state) && readFileSync(state, "utf8").includes('"partition":"203.0.113.2"'))) {
        if (Date.now() > deadline) throw new Error("the checkpoint never held the half attack");
        await Bun.sleep(20);
      }
    } finally {
      expect(await first.stop("SIGKILL")).not.toBe(0);
    }

    const second = new Daemon(["-c", s.config]);
    try {
      await second.waitFor("Agent started");
      expect(second.stderr).toMatch(/Restored \d+ bucket\(s\)/);
      await decisionLatencyMs(s.apiPort, "203.0.113.1", Date.now()); // still there
      appendFileSync(s.log, sshFailures("203.0.113.2", 3)); // the second half completes the restored bucket
      expect(await decisionLatencyMs(s.apiPort, "203.0.113.2", Date.now())).toBeLessThan(1000);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 30_000);

  test("--no-api: alerts queue on disk while the Local API is down, survive a SIGKILL of the agent, and are delivered later", async () => {
    const s = await e2eSetup("remote");
    const apiArgs = ["--api-only", "--listen", `127.0.0.1:${s.apiPort}`, "--db", s.db];
    let api = new Daemon(apiArgs);
    await api.waitFor("Local API listening");
    writeFileSync(s.config, readFileSync(s.config, "utf8").replace(/prometheus:[\s\S]*$/, ""));
    let agent: Daemon | undefined;
    try {
      agent = new Daemon(["--no-api", "-c", s.config]);
      await agent.waitFor("Agent started");
      appendFileSync(s.log, sshFailures("192.0.2.10", 6));
      await decisionLatencyMs(s.apiPort, "192.0.2.10", Date.now());

      expect(await api.stop("SIGKILL")).not.toBe(0);
      appendFileSync(s.log, sshFailures("192.0.2.11", 6));
      await agent.waitFor("Cannot deliver alerts");
      expect(await agent.stop("SIGKILL")).not.toBe(0);

      api = new Daemon(apiArgs);
      await api.waitFor("Local API listening");
      agent = new Daemon(["--no-api", "-c", s.config]);
      await agent.waitFor("queued by an earlier run");
      await decisionLatencyMs(s.apiPort, "192.0.2.11", Date.now());
    } finally {
      const codes = [await agent?.stop(), await api.stop()];
      expect(codes).toEqual([0, 0]);
    }
  }, 30_000);
});
