/**
 * Parsing throughput: generated sshd and nginx lines (../shared/bench/genlogs.py) through the hub's
 * linux and nginx collections, as replay parses them (time-machine events, full stage loop).
 *
 *   bun run scripts/bench-parse.ts [LINES]      (default 200000 per kind)
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadEngine } from "../commands/engine-source";
import { newLogEvent } from "../core/event";
import { GoTime } from "../core/expr";
import { parseEvent } from "../core/parser";

const SHARED = join(import.meta.dir, "..", "..", "shared");
const lines = Number(process.argv[2] ?? 200_000);
if (!existsSync(join(SHARED, "hub"))) throw new Error(`${SHARED}/hub is missing: the benchmark needs ../shared`);

const t0 = Bun.nanoseconds();
const { pipeline, problems } = loadEngine({ hub: join(SHARED, "hub"), items: "crowdsecurity/linux,crowdsecurity/nginx", data: join(SHARED, "hub-data"), geoip: join(SHARED, "geoip") });
if (!pipeline || problems.length > 0) throw new Error(`cannot load the collections: ${problems.map((p) => p.message).join("; ")}`);
console.log(`load: ${((Bun.nanoseconds() - t0) / 1e6).toFixed(0)} ms (${pipeline.parsers.nodes.length} parser nodes, ${pipeline.scenarios.scenarios.length} scenarios)`);

for (const [kind, type] of [["sshd", "syslog"], ["nginx", "nginx"]] as const) {
  const out = Bun.spawnSync(["python3", join(SHARED, "bench", "genlogs.py"), kind, String(lines)]).stdout.toString();
  const raw = out.split("\n").filter((l) => l !== "");
  const labels = { type };
  const now = new GoTime(Date.now());
  let parsed = 0;
  const start = Bun.nanoseconds();
  for (const line of raw) {
    const evt = newLogEvent({ raw: line, src: `${kind}.log`, labels, time: now });
    if (parseEvent(pipeline.parsers.tree, evt, pipeline.runtime).kind === "parsed") parsed++;
  }
  const seconds = (Bun.nanoseconds() - start) / 1e9;
  console.log(`${kind.padEnd(6)} ${raw.length} lines in ${seconds.toFixed(2)} s: ${Math.round(raw.length / seconds).toLocaleString("en-US")} lines/s (${parsed} parsed)`);
}
