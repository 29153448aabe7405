/**
 * `picket decisions list|add|delete|import`: cscli 1.4.6's decisions commands, with its flags,
 * requests (LAPI-CLIENTS.md §3) and output (-o human|json|raw), against a Local API or directly
 * against the database.
 */
import { readFileSync } from "node:fs";
import { EXIT } from "../cli/exit";
import type { Colors } from "../cli/io";
import type { WireAlert, WireDecision } from "../core/alerts";
import type { LapiQuery } from "../core/lapi";
import { API_FLAGS, DB_FLAGS, OUTPUT_FLAG, outputMode } from "./admin/access";
import { checkIpAndRange, decisionDuration, foldScope, listFilterFlags, reportApiFailure, reportSetupProblem } from "./admin/cscli";
import type { FlagSpec, Flags } from "./admin/flags";
import { usageError, type AdminAction, type AdminGroup } from "./admin/group";
import { importFormat, parseImport, type ImportItem } from "./admin/import-file";
import { withSession } from "./admin/session";
import { boxTable, csvLine } from "./admin/table";
import { DECISIONS_HEAD } from "./admin/heads";

const ACCESS_FLAGS: readonly FlagSpec[] = [OUTPUT_FLAG, ...DB_FLAGS, ...API_FLAGS];

// ---- list ------------------------------------------------------------------------------------

const LIST_FLAGS: readonly FlagSpec[] = [
  { name: "all", short: "a", kind: "bool", description: "Include decisions from Central API and imports" },
  { name: "since", kind: "string", value: "DURATION", description: "Restrict to alerts newer than since (ie. 4h, 30d)" },
  { name: "until", kind: "string", value: "DURATION", description: "Restrict to alerts older than until (ie. 4h, 30d)" },
  { name: "type", short: "t", kind: "string", value: "TYPE", description: "Restrict to this decision type (ie. ban,captcha)" },
  { name: "scope", kind: "string", value: "SCOPE", description: "Restrict to this scope (ie. ip,range,session)" },
  { name: "origin", kind: "string", value: "ORIGIN", description: "Restrict to this origin (ie. lists,CAPI,cscli,cscli-import,crowdsec)" },
  { name: "value", short: "v", kind: "string", value: "VALUE", description: "Restrict to this value (ie. 1.2.3.4,userName)" },
  { name: "scenario", short: "s", kind: "string", value: "SCENARIO", description: "Restrict to this scenario (ie. crowdsecurity/ssh-bf)" },
  { name: "ip", short: "i", kind: "string", value: "IP", description: "Restrict to alerts from this source ip (shorthand for --scope ip --value <IP>)" },
  { name: "range", short: "r", kind: "string", value: "RANGE", description: "Restrict to alerts from this source range (shorthand for --scope range --value <RANGE>)" },
  { name: "limit", short: "l", kind: "int", default: 100, description: "Number of alerts to get (use 0 to remove the limit)" },
  { name: "no-simu", kind: "bool", description: "Exclude decisions in simulation mode" },
  { name: "print-machine", short: "m", kind: "bool", description: "Print machines that triggered decisions" },
  { name: "contained", kind: "bool", description: "Query decisions contained by range" },
];

/** The GET /v1/alerts query of `decisions list` (cscli 1.4.6). */
export function decisionsListQuery(flags: Flags): { ok: true; value: LapiQuery } | { ok: false; error: string } {
  const f = listFilterFlags(flags);
  if (!f.ok) return f;
  const { ip, range, since, until, all, scope } = f.value;
  return {
    ok: true,
    value: {
      has_active_decision: true,
      include_capi: all,
      // as cscli: --all lifts the limit
      limit: all ? 0 : flags.int("limit"),
      ip,
      range,
      scope,
      value: flags.optional("value"),
      decision_type: flags.optional("type"),
      scenario: flags.optional("scenario"),
      origin: flags.optional("origin"),
      since,
      until,
      simulated: flags.bool("no-simu") ? false : undefined,
      contains: flags.bool("contained") ? false : undefined,
    },
  };
}

/**
 * cscli's DecisionsToTable: decisions repeated across alerts (same simulated flag, type, scope and
 * value) are shown once; then a table, JSON (indented by one space) or CSV.
 */
export function renderDecisions(alerts: readonly WireAlert[], mode: "human" | "json" | "raw", printMachine: boolean, color: Colors): string[] {
  const seen = new Set<string>();
  let skipped = 0;
  const kept: WireAlert[] = alerts.map((a) => {
    const decisions: WireDecision[] = [];
    for (const d of a.decisions ?? []) {
      const key = `${d.simulated === true}:${d.type}:${d.scope}:${d.value}`;
      if (seen.has(key)) {
        skipped++;
        continue;
      }
      seen.add(key);
      decisions.push(d);
    }
    return { ...a, decisions };
  });
  if (mode === "json") return [JSON.stringify(kept, null, " ")];
  if (mode === "raw") {
    const header = ["id", "source", "ip", "reason", "action", "country", "as", "events_count", "expiration", "simulated", "alert_id"];
    if (printMachine) header.push("machine");
    const lines = [csvLine(header)];
    for (const a of kept) {
      for (const d of a.decisions ?? []) {
        const row = [String(d.id ?? 0), d.origin, `${d.scope}:${d.value}`, d.scenario, d.type, a.source.cn ?? "", asNumberName(a), String(a.events_count), d.duration, String(d.simulated === true), String(a.id ?? 0)];
        if (printMachine) row.push(a.machine_id ?? "");
        lines.push(csvLine(row));
      }
    }
    return lines;
  }
  if (kept.length === 0) return ["No active decisions"];
  const header = ["ID", "Source", "Scope:Value", "Reason", "Action", "Country", "AS", "Events", "expiration", "Alert ID"];
  if (printMachine) header.push("Machine");
  const rows: string[][] = [];
  for (const a of kept) {
    for (const d of a.decisions ?? []) {
      const row = [String(d.id ?? 0), d.origin, `${d.scope}:${d.value}`, d.scenario, a.simulated ? `(simul)${d.type}` : d.type, a.source.cn ?? "", asNumberName(a), String(a.events_count), d.duration, String(a.id ?? 0)];
      if (printMachine) row.push(a.machine_id ?? "");
      rows.push(row);
    }
  }
  const out = boxTable(header, rows, color);
  if (skipped > 0) out.push(`${skipped} duplicated entries skipped`);
  return out;
}

/** models.Source.GetAsNumberName: the number (unless "0"), then " name". */
export function asNumberName(a: WireAlert): string {
  const n = a.source.as_number ?? "";
  return `${n !== "0" ? n : ""}${a.source.as_name ? ` ${a.source.as_name}` : ""}`;
}

const list: AdminAction = {
  name: "list",
  summary: "List decisions (from the alerts that carry them)",
  maxArgs: 0,
  examples: ["picket decisions list -i 1.2.3.4", "picket decisions list -r 1.2.3.0/24", "picket decisions list -s crowdsecurity/ssh-bf", "picket decisions list -t ban"],
  flags: [...LIST_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, "picket decisions list", mode.error);
    const query = decisionsListQuery(flags);
    if (!query.ok) return usageError(io, "picket decisions list", query.error);
    return withSession(flags, io, async (s) => {
      const found = await s.api.findAlerts(query.value);
      if (!found.ok) return reportApiFailure(io, "Unable to list decisions", found.error);
      for (const line of renderDecisions(found.value, mode.value, flags.bool("print-machine"), io.color)) io.out(line);
      return EXIT.OK;
    });
  },
};

// ---- add -------------------------------------------------------------------------------------

const ADD_FLAGS: readonly FlagSpec[] = [
  { name: "ip", short: "i", kind: "string", value: "IP", description: "Source ip (shorthand for --scope ip --value <IP>)" },
  { name: "range", short: "r", kind: "string", value: "RANGE", description: "Range source ip (shorthand for --scope range --value <RANGE>)" },
  { name: "duration", short: "d", kind: "string", value: "DURATION", default: "4h", description: "Decision duration (ie. 1h,4h,30m,7d)" },
  { name: "value", short: "v", kind: "string", value: "VALUE", description: "The value (ie. --scope username --value foobar)" },
  { name: "scope", kind: "string", value: "SCOPE", default: "Ip", description: "Decision scope (ie. ip,range,username)" },
  { name: "reason", short: "R", kind: "string", value: "REASON", description: "Decision reason (ie. scenario-name)" },
  { name: "type", short: "t", kind: "string", value: "TYPE", default: "ban", description: "Decision type (ie. ban,captcha,throttle)" },
];

/** RFC 3339 to the second, UTC: how cscli stamps the alerts it builds. */
const stamp = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The one-decision alert `decisions add` pushes (LAPI-CLIENTS.md §3). */
export function manualDecisionAlert(d: { scope: string; value: string; type: string; duration: string; reason: string }, now: Date): WireAlert {
  const at = stamp(now);
  return {
    capacity: 0,
    created_at: at,
    decisions: [{ duration: d.duration, origin: "cscli", scenario: d.reason, scope: d.scope, type: d.type, value: d.value }],
    events: [],
    events_count: 1,
    labels: null,
    leakspeed: "0",
    message: d.reason,
    scenario: d.reason,
    scenario_hash: "",
    scenario_version: "",
    simulated: false,
    source: { ip: d.value, scope: d.scope, value: d.value },
    start_at: at,
    stop_at: at,
  };
}

const add: AdminAction = {
  name: "add",
  summary: "Add a decision",
  maxArgs: 0,
  examples: ["picket decisions add --ip 1.2.3.4", "picket decisions add --range 1.2.3.0/24", "picket decisions add --ip 1.2.3.4 --duration 24h --type captcha", "picket decisions add --scope username --value foobar"],
  flags: [...ADD_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const cmd = "picket decisions add";
    const ip = flags.optional("ip");
    const range = flags.optional("range");
    const checked = checkIpAndRange(ip, range);
    if (!checked.ok) return usageError(io, cmd, checked.error);
    let scope = foldScope(flags.string("scope"));
    let value = flags.optional("value");
    if (ip !== undefined) [value, scope] = [ip, "Ip"];
    else if (range !== undefined) [value, scope] = [range, "Range"];
    else if (value === undefined) return usageError(io, cmd, "Missing arguments, a value is required (--ip, --range or --scope and --value)");
    const duration = decisionDuration(flags.string("duration"));
    if (!duration.ok) return usageError(io, cmd, duration.error);
    return withSession(flags, io, async (s) => {
      const type = flags.string("type");
      const reason = flags.optional("reason") ?? `manual '${type}' from '${s.machine}'`;
      const pushed = await s.api.pushAlerts([manualDecisionAlert({ scope, value: value!, type, duration: duration.value, reason }, new Date())]);
      if (!pushed.ok) return reportApiFailure(io, "Unable to add decision", pushed.error);
      io.err("Decision successfully added");
      return EXIT.OK;
    });
  },
};

// ---- delete ----------------------------------------------------------------------------------

const DELETE_FLAGS: readonly FlagSpec[] = [
  { name: "ip", short: "i", kind: "string", value: "IP", description: "Source ip (shorthand for --scope ip --value <IP>)" },
  { name: "range", short: "r", kind: "string", value: "RANGE", description: "Range source ip (shorthand for --scope range --value <RANGE>)" },
  { name: "type", short: "t", kind: "string", value: "TYPE", description: "The decision type (ie. ban,captcha)" },
  { name: "value", short: "v", kind: "string", value: "VALUE", description: "The value to match for in the specified scope" },
  { name: "scope", kind: "string", value: "SCOPE", description: "The scope (ie. ip,range,country)" },
  { name: "scenario", short: "s", kind: "string", value: "SCENARIO", description: "The scenario name (ie. crowdsecurity/ssh-bf)" },
  { name: "origin", kind: "string", value: "ORIGIN", description: "The origin (ie. cscli,crowdsec,cscli-import)" },
  { name: "id", kind: "string", value: "ID", description: "Decision id" },
  { name: "all", kind: "bool", description: "Delete all decisions" },
  { name: "contained", kind: "bool", description: "Query decisions contained by range" },
];

/** The DELETE /v1/decisions query (`scopes` is the parameter the Local API reads for the scope). */
export function decisionsDeleteQuery(flags: Flags): LapiQuery {
  const scope = flags.optional("scope");
  return {
    ip: flags.optional("ip"),
    range: flags.optional("range"),
    type: flags.optional("type"),
    value: flags.optional("value"),
    scopes: scope === undefined ? undefined : foldScope(scope),
    scenario: flags.optional("scenario"),
    origin: flags.optional("origin"),
    contains: flags.bool("contained") ? false : undefined,
  };
}

const remove: AdminAction = {
  name: "delete",
  aliases: ["remove"],
  summary: "Delete decisions (they end now; bouncers see them as deleted)",
  maxArgs: 0,
  examples: ["picket decisions delete -r 1.2.3.0/24", "picket decisions delete -i 1.2.3.4", "picket decisions delete --id 42", "picket decisions delete --type captcha"],
  flags: [...DELETE_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const cmd = "picket decisions delete";
    const filters = ["ip", "range", "type", "value", "scope", "scenario", "origin", "id"];
    if (!flags.bool("all") && !filters.some((f) => flags.optional(f) !== undefined)) return usageError(io, cmd, "At least one filter or --all must be specified");
    const checked = checkIpAndRange(flags.optional("ip"), flags.optional("range"));
    if (!checked.ok) return usageError(io, cmd, checked.error);
    const id = flags.optional("id");
    if (id !== undefined && !/^\d+$/.test(id)) return usageError(io, cmd, `id '${id}' is not an integer`);
    return withSession(flags, io, async (s) => {
      const deleted = id !== undefined ? await s.api.deleteDecision(Number(id)) : await s.api.deleteDecisions(decisionsDeleteQuery(flags));
      if (!deleted.ok) return reportApiFailure(io, id !== undefined ? "Unable to delete decision" : "Unable to delete decisions", deleted.error);
      io.err(`${deleted.value} decision(s) deleted`);
      return EXIT.OK;
    });
  },
};

// ---- import ----------------------------------------------------------------------------------

const IMPORT_FLAGS: readonly FlagSpec[] = [
  { name: "input", short: "i", kind: "string", value: "FILE", description: "Input file (- for stdin, with --format)" },
  { name: "duration", short: "d", kind: "string", value: "DURATION", default: "4h", description: "Decision duration (ie. 1h,4h,30m); given explicitly, it replaces the file's" },
  { name: "scope", kind: "string", value: "SCOPE", default: "Ip", description: "Decision scope (ie. ip,range,username); given explicitly, it replaces the file's" },
  { name: "reason", short: "R", kind: "string", value: "REASON", default: "manual", description: "Decision reason (ie. scenario-name); given explicitly, it replaces the file's" },
  { name: "type", short: "t", kind: "string", value: "TYPE", default: "ban", description: "Decision type (ie. ban,captcha,throttle); given explicitly, it replaces the file's" },
  { name: "format", kind: "string", value: "FORMAT", description: "Input format: json, csv or values (one value per line); default from the file's extension" },
  { name: "batch", kind: "int", default: 0, description: "Split the import in alerts of N decisions (0: one alert)" },
];

/**
 * The file's decisions with the command's values applied: a flag given on the command line
 * replaces the file's field (cscli 1.4.6), a default fills a missing one (cscli 1.4.6 and current).
 */
export function importDecisions(items: readonly ImportItem[], flags: Flags): { ok: true; value: WireDecision[] } | { ok: false; error: string } {
  const pick = (name: "duration" | "scope" | "reason" | "type", fromFile: string | undefined) => (flags.has(name) ? flags.string(name) : (fromFile ?? flags.string(name)));
  const out: WireDecision[] = [];
  for (const item of items) {
    if (item.value === "") return { ok: false, error: `${item.where}: missing "value"` };
    const duration = decisionDuration(pick("duration", item.duration));
    if (!duration.ok) return { ok: false, error: `${item.where}: ${duration.error}` };
    out.push({
      duration: duration.value,
      origin: "cscli-import",
      scenario: pick("reason", item.reason),
      scope: foldScope(pick("scope", item.scope)),
      simulated: false,
      type: pick("type", item.type),
      value: item.value,
    });
  }
  return { ok: true, value: out };
}

/** One alert carrying imported decisions (cscli 1.4.6: scenario `add: N IPs`, source scope `cscli/manual-import`). */
export function importAlert(decisions: WireDecision[], now: Date): WireAlert {
  const at = stamp(now);
  return {
    capacity: 0,
    created_at: at,
    decisions,
    events: [],
    events_count: decisions.length,
    leakspeed: "",
    message: "",
    scenario: `add: ${decisions.length} IPs`,
    scenario_hash: "",
    scenario_version: "",
    simulated: false,
    source: { scope: "cscli/manual-import", value: "" },
    start_at: at,
    stop_at: at,
  };
}

const importAction: AdminAction = {
  name: "import",
  summary: "Import decisions from a CSV, JSON or plain list file",
  maxArgs: 0,
  examples: [
    "picket decisions import -i decisions.csv        # duration,scope,value header, then 24h,ip,1.2.3.4",
    "picket decisions import -i decisions.json       # [{\"duration\": \"4h\", \"scope\": \"ip\", \"type\": \"ban\", \"value\": \"1.2.3.4\"}]",
    "picket decisions import -i blocklist.txt --format values --duration 24h --reason blocklist",
    "echo 1.2.3.4 | picket decisions import -i - --format values",
  ],
  flags: [...IMPORT_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const cmd = "picket decisions import";
    const input = flags.optional("input");
    if (input === undefined) return usageError(io, cmd, "Please provide an input file containing decisions with -i");
    const format = importFormat(input, flags.optional("format"));
    if (!format.ok) return usageError(io, cmd, format.error.message + (format.error.hint ? ` (${format.error.hint})` : ""));
    if (flags.int("batch") < 0) return usageError(io, cmd, "--batch must be 0 or more");
    let text: string;
    try {
      text = input === "-" ? await Bun.stdin.text() : readFileSync(input, "utf8");
    } catch (e) {
      io.err(`Cannot read "${input}": ${e instanceof Error ? e.message : String(e)}`);
      return EXIT.CONFIG;
    }
    const name = input === "-" ? "stdin" : input;
    const items = parseImport(text, format.value, name);
    if (!items.ok) return reportSetupProblem(io, items.error);
    if (items.value.length === 0) {
      io.err(`${name}: no decisions found`);
      return EXIT.CONFIG;
    }
    const decisions = importDecisions(items.value, flags);
    if (!decisions.ok) {
      io.err(decisions.error);
      return EXIT.CONFIG;
    }
    const batch = flags.int("batch") || decisions.value.length;
    if (decisions.value.length > 1000) io.err(`You are about to add ${decisions.value.length} decisions, this may take a while`);
    return withSession(flags, io, async (s) => {
      for (let i = 0; i < decisions.value.length; i += batch) {
        const pushed = await s.api.pushAlerts([importAlert(decisions.value.slice(i, i + batch), new Date())]);
        if (!pushed.ok) return reportApiFailure(io, "Unable to import decisions", pushed.error);
      }
      io.err(`${decisions.value.length} decisions successfully imported`);
      return EXIT.OK;
    });
  },
};

export const decisionsGroup: AdminGroup = {
  ...DECISIONS_HEAD,
  actions: [list, add, remove, importAction],
};
