/**
 * AppSec endpoint benchmark: a bounded loopback mix of benign and attack requests, with the
 * remediation components' headers, against the appsec source running the hub's
 * crowdsecurity/appsec-virtual-patching rules (installed from ../shared/hub into a temp config).
 *
 *   bun scripts/bench-appsec.ts [--mode daemon|source] [--requests N] [--concurrency C] [--attack-ratio R]
 *
 * --mode daemon (default): `picket run -c <temp config>` as a child (Local API + agent + appsec).
 * --mode source: the appsec DataSource alone in a child process (keys checked in memory, events
 *   dropped) — the endpoint without the daemon around it.
 * Reports requests/second at the given concurrency, p50/p99 verdict latency of benign and
 * attack requests measured one at a time, and the server's RSS (VmRSS/VmHWM).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = new URL("..", import.meta.url).pathname;
const BUN = process.execPath;
const HUB = join(REPO, "..", "shared", "hub");
const KEY = "bench-appsec-bouncer-key-0123456789";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

function picket(args: string[]): void {
  const r = Bun.spawnSync([BUN, "cli/main.ts", ...args], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`picket ${args.join(" ")} failed:\n${r.stdout.toString()}${r.stderr.toString()}`);
}

/** Temp config with the collection installed, a bouncer, and the appsec source on `appsecPort`. */
function prepare(root: string, apiPort: number, appsecPort: number): string {
  mkdirSync(join(root, "data"), { recursive: true });
  const config = join(root, "config.yaml");
  writeFileSync(config, [
    "common:\n  log_media: stdout\n",
    `config_paths:\n  config_dir: ${root}/\n  data_dir: ${root}/data/\n  hub_dir: ${root}/hub/\n`,
    `crowdsec_service:\n  acquisition_path: ${root}/acquis.yaml\n`,
    `db_config:\n  type: sqlite\n  db_path: ${root}/data/crowdsec.db\n`,
    `api:\n  client:\n    credentials_path: ${root}/local_api_credentials.yaml\n  server:\n    listen_uri: 127.0.0.1:${apiPort}\n`,
  ].join(""));
  writeFileSync(join(root, "local_api_credentials.yaml"), `url: http://127.0.0.1:${apiPort}/\nlogin: bench\npassword: bench-password-0123456789\n`);
  writeFileSync(join(root, "acquis.yaml"), `source: appsec\nlisten_addr: 127.0.0.1:${appsecPort}\nappsec_configs:\n  - crowdsecurity/virtual-patching\nlabels:\n  type: appsec\n`);
  picket(["hub", "update", "--hub-url", HUB, "-c", config]);
  picket(["hub", "install", "collection", "crowdsecurity/appsec-virtual-patching", "--hub-url", HUB, "-c", config]);
  picket(["hub", "install", "parser", "crowdsecurity/syslog-logs", "--hub-url", HUB, "-c", config]);
  picket(["bouncers", "add", "bench", "-k", KEY, "-c", config]);
  return config;
}

/** Child of `--mode source`: the appsec source alone, until killed. */
async function serveSource(root: string): Promise<void> {
  const { loadAcquisition } = await import("../core/acquisition");
  const loaded = loadAcquisition(join(root, "acquis.yaml"), {
    hub: { configDir: root, hubDir: join(root, "hub") },
    checkApiKey: async (k) => k === KEY,
  });
  if (!loaded.ok) throw new Error(loaded.error.map((p) => p.message).join("\n"));
  let events = 0;
  for (const s of loaded.value) void s.start(() => void events++, new AbortController().signal);
  console.error("appsec source listening");
  process.on("SIGTERM", () => {
    console.error(`events emitted: ${events}`);
    process.exit(0);
  });
}

interface Shape {
  readonly uri: string;
  readonly verb?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** The bytes a remediation component sends for one original request (HTTP/1.1, keep-alive). */
function requestBytes(r: Shape, clientIp: string): string {
  const headers: Record<string, string> = {
    Host: "127.0.0.1", "X-Crowdsec-Appsec-Api-Key": KEY, "X-Crowdsec-Appsec-Ip": clientIp, "X-Crowdsec-Appsec-Uri": r.uri, "X-Crowdsec-Appsec-Verb": r.verb ?? "GET",
    "X-Crowdsec-Appsec-Host": "shop.example", "X-Crowdsec-Appsec-User-Agent": "Mozilla/5.0 (X11; Linux x86_64)", "X-Crowdsec-Appsec-Http-Version": "11",
    Accept: "text/html", "Accept-Language": "en-US", ...r.headers,
  };
  const body = r.body ?? "";
  if (body !== "") headers["Content-Length"] = String(Buffer.byteLength(body));
  let out = `${body === "" ? "GET" : "POST"} / HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) out += `${k}: ${v}\r\n`;
  return `${out}\r\n${body}`;
}

/**
 * A minimal keep-alive HTTP/1.1 client over one socket (one request in flight), so that the
 * client's own cost stays small next to the server's on a 2-core machine.
 */
class RawClient {
  private buf = "";
  private waiting: ((status: number) => void) | undefined;
  private constructor(private readonly socket: Awaited<ReturnType<typeof Bun.connect>>) {}

  static async open(port: number): Promise<RawClient> {
    let self: RawClient | undefined;
    const socket = await Bun.connect({
      hostname: "127.0.0.1", port,
      socket: { data: (_s, chunk) => self!.onData(chunk.toString("latin1")) },
    });
    self = new RawClient(socket);
    return self;
  }

  request(bytes: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(bytes);
      this.socket.flush();
    });
  }

  private onData(text: string): void {
    this.buf += text;
    const head = this.buf.indexOf("\r\n\r\n");
    if (head < 0) return;
    const length = Number(/content-length: *(\d+)/i.exec(this.buf.slice(0, head))?.[1] ?? "0");
    if (this.buf.length < head + 4 + length) return;
    const status = Number(this.buf.slice(9, 12));
    this.buf = this.buf.slice(head + 4 + length);
    const w = this.waiting;
    this.waiting = undefined;
    w?.(status);
  }

  close(): void {
    this.socket.end();
  }
}

const BENIGN: readonly Shape[] = [
  { uri: "/" },
  { uri: "/index.php?page=2&sort=asc" },
  { uri: "/static/js/app.3f2a1c.js" },
  { uri: "/products/42?ref=homepage&utm_source=newsletter" },
  { uri: "/api/v1/cart", verb: "POST", body: '{"item":42,"qty":1}', headers: { "Content-Type": "application/json" } },
  { uri: "/login", verb: "POST", body: "user=alice&password=correct+horse", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
  { uri: "/search?q=blue+shoes&page=3" },
  { uri: "/wp-content/uploads/2024/05/photo.jpg" },
];
const ATTACK: readonly Shape[] = [
  { uri: "/.env" },
  { uri: "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php" },
  { uri: "/app/config/.env" },
  { uri: "/lib/phpunit/src/Util/PHP/eval-stdin.php?x=1" },
];

function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function rssOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

async function main(): Promise<void> {
  if (process.argv.includes("--serve-source")) return serveSource(arg("serve-source", ""));
  if (!existsSync(join(HUB, ".index.json"))) {
    console.error(`bench-appsec: no hub snapshot at ${HUB}`);
    process.exit(2);
  }
  const mode = arg("mode", "daemon");
  const total = Number(arg("requests", "20000"));
  const concurrency = Number(arg("concurrency", "8"));
  const attackRatio = Number(arg("attack-ratio", "0.1"));
  const root = mkdtempSync(join(tmpdir(), "picket-bench-appsec-"));
  const [apiPort, appsecPort] = [freePort(), freePort()];
  const config = prepare(root, apiPort, appsecPort);
  const cmd = mode === "daemon" ? [BUN, "cli/main.ts", "run", "-c", config] : [BUN, "scripts/bench-appsec.ts", "--serve-source", root];
  const ready = mode === "daemon" ? "Agent started" : "appsec source listening";
  const child = Bun.spawn(cmd, { cwd: REPO, stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  const reading = (async () => {
    const d = new TextDecoder();
    for await (const c of child.stderr) stderr += d.decode(c, { stream: true });
  })();
  try {
    const until = Date.now() + 30000;
    while (!stderr.includes(ready)) {
      if (child.exitCode !== null) await reading;
      if (Date.now() > until || child.exitCode !== null) throw new Error(`server did not start (${mode} mode):\n${stderr}`);
      await Bun.sleep(20);
    }
    const idle = rssOf(child.pid);
    let ip = 0;
    const conns: RawClient[] = [];
    for (let i = 0; i < Math.max(1, concurrency); i++) conns.push(await RawClient.open(appsecPort));
    const send = async (r: Shape, attack: boolean, conn: RawClient = conns[0]!): Promise<number> => {
      // attackers rotate over many IPs so the vpatch scenario keeps working without one huge bucket
      const client = attack ? `198.51.${(ip >> 8) & 255}.${ip++ & 255}` : "192.0.2.10";
      const t0 = performance.now();
      const status = await conn.request(requestBytes(r, client));
      const ms = performance.now() - t0;
      const want = attack ? 403 : 200;
      if (status !== want) throw new Error(`${r.uri}: status ${status}, expected ${want}`);
      return ms;
    };
    // warm-up
    for (let i = 0; i < 500; i++) await send(BENIGN[i % BENIGN.length]!, false);
    // latency, one request at a time
    const latencyCount = Math.max(1000, Math.floor(total / 4));
    const benign: number[] = [];
    const attack: number[] = [];
    for (let i = 0; i < latencyCount; i++) {
      const isAttack = i % Math.round(1 / attackRatio) === 0;
      const list = isAttack ? ATTACK : BENIGN;
      (isAttack ? attack : benign).push(await send(list[i % list.length]!, isAttack));
    }
    // throughput, `concurrency` requests in flight
    let next = 0;
    const t0 = performance.now();
    await Promise.all(conns.map(async (conn) => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const isAttack = i % Math.round(1 / attackRatio) === 0;
        const list = isAttack ? ATTACK : BENIGN;
        await send(list[i % list.length]!, isAttack, conn);
      }
    }));
    for (const c of conns) c.close();
    const seconds = (performance.now() - t0) / 1000;
    const mem = rssOf(child.pid);
    benign.sort((a, b) => a - b);
    attack.sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(3);
    console.log(`mode: ${mode === "daemon" ? "picket run (Local API + agent + appsec source)" : "appsec source alone"}; rules: crowdsecurity/virtual-patching (${ATTACK.length} attack / ${BENIGN.length} benign shapes)`);
    console.log(`throughput: ${total} requests, concurrency ${concurrency}, ${(attackRatio * 100).toFixed(0)}% attacks: ${(total / seconds).toFixed(0)} req/s`);
    console.log(`latency (one at a time, client-measured round trip): benign p50 ${f(pct(benign, 50))} ms p99 ${f(pct(benign, 99))} ms (n=${benign.length}); attack p50 ${f(pct(attack, 50))} ms p99 ${f(pct(attack, 99))} ms (n=${attack.length})`);
    console.log(`server RSS: idle ${idle.rssMb.toFixed(1)} MB, after ${mem.rssMb.toFixed(1)} MB, peak ${mem.hwmMb.toFixed(1)} MB`);
  } finally {
    child.kill("SIGTERM");
    await child.exited;
    await reading;
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
