/**
 * Core hot paths, in isolation: expression evaluations/second for typical hub filters, and grok
 * lines/second for the syslog, sshd and nginx patterns on lines from ../shared/bench/genlogs.py.
 *
 *   bun run scripts/bench-core.ts [LINES]     (default 50000 lines per log kind)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { newLogEvent, newMap, PARSER_ENV } from "../core/event";
import { compileExpr, GoTime } from "../core/expr";
import { compileGrok, createPatternLibrary } from "../core/grok";
import { unwrap } from "../core/result";

const SHARED = join(import.meta.dir, "..", "..", "shared");
const lines = Number(process.argv[2] ?? 50_000);

function generate(kind: "sshd" | "nginx"): string[] {
  const script = join(SHARED, "bench", "genlogs.py");
  if (!existsSync(script)) throw new Error(`${script} is missing: the benchmark needs ../shared/bench`);
  const r = Bun.spawnSync(["python3", script, kind, String(lines)]);
  return r.stdout.toString().split("\n").filter((l) => l !== "");
}

function measure(label: string, count: number, body: () => void): void {
  body(); // warm-up: JIT and caches
  const start = Bun.nanoseconds();
  body();
  const seconds = (Bun.nanoseconds() - start) / 1e9;
  console.log(`${label.padEnd(58)} ${Math.round(count / seconds).toLocaleString("en-US").padStart(14)} /s`);
}

// --- expressions ---------------------------------------------------------------------------
const FILTERS = [
  "evt.Line.Labels.type == 'syslog'",
  "evt.Parsed.program in ['sshd', 'sshd-session']",
  "evt.Meta.log_type == 'ssh_failed-auth'",
  "evt.Meta.service == 'http' && evt.Meta.http_status in ['404', '403', '502']",
  "evt.Meta.log_type in ['http_access-log', 'http_error-log'] && evt.Parsed.static_ressource == 'false' && evt.Parsed.verb in ['GET', 'HEAD']",
  "Upper(evt.Parsed.file_ext) in ['.JPG', '.PNG', '.CSS', '.JS']",
  "evt.Parsed.program startsWith 'nginx'",
  "evt.Meta.http_path matches '\\\\.(php|asp)$'",
];

const evt = newLogEvent({ raw: "x", src: "bench", labels: { type: "syslog" }, time: new GoTime(Date.now()) });
evt.Parsed = Object.assign(newMap<string>(), { program: "sshd", file_ext: ".png", static_ressource: "false", verb: "GET" });
evt.Meta = Object.assign(newMap<string>(), { log_type: "http_access-log", service: "http", http_status: "404", http_path: "/index.php" });
const vars = { evt };
const EVALS = 1_000_000;
console.log(`expressions (${EVALS.toLocaleString("en-US")} evaluations each)`);
for (const source of FILTERS) {
  const program = unwrap(compileExpr(source, { env: PARSER_ENV, expect: "bool" }));
  measure(`  ${source.length > 54 ? source.slice(0, 53) + "…" : source}`, EVALS, () => {
    for (let i = 0; i < EVALS; i++) program.run(vars);
  });
}

// --- grok ----------------------------------------------------------------------------------
const lib = createPatternLibrary();
const sshd = generate("sshd");
const nginx = generate("nginx");
const syslog = unwrap(compileGrok("^%{SYSLOGLINE}", lib));
const messages = sshd.map((l) => syslog.match(l)?.message ?? "");
const sshdFailed = unwrap(compileGrok("Failed %{WORD:sshd_auth_type} for (invalid user )?%{USERNAME:sshd_invalid_user} from %{IP:sshd_client_ip} port %{NUMBER:sshd_port} %{WORD:sshd_protocol}", lib));
const nginxAccess = unwrap(
  compileGrok(
    '(%{IPORHOST:target_fqdn} )?%{IPORHOST:remote_addr} - (%{NGCUSTOMUSER:remote_user} )?\\[%{HTTPDATE:time_local}\\] "%{WORD:verb} %{DATA:request} HTTP/%{NUMBER:http_version}" %{NUMBER:status} %{NUMBER:body_bytes_sent} "%{NOTSPACE:http_referer}" "%{DATA:http_user_agent}"',
    (lib.add("NGCUSTOMUSER", "[a-zA-Z0-9\\.\\@\\-\\+_%]+"), lib),
  ),
);
console.log(`grok (${lines.toLocaleString("en-US")} generated lines each)`);
const target: Record<string, string> = {};
measure("  syslog ^%{SYSLOGLINE} on sshd lines", sshd.length, () => {
  for (const l of sshd) syslog.matchInto(l, target);
});
measure("  sshd failed-auth pattern on syslog messages", messages.length, () => {
  for (const m of messages) sshdFailed.matchInto(m, target);
});
measure("  nginx access (hub nginx-logs shape) on nginx lines", nginx.length, () => {
  for (const l of nginx) nginxAccess.matchInto(l, target);
});
