/**
 * `picket alerts list|inspect|delete|flush`: cscli 1.4.6's alerts commands. list, inspect and
 * delete go through a Local API or run the same queries on the database; flush always works on the
 * database, as in cscli.
 */
import { stringify as toYaml } from "yaml";
import { EXIT } from "../cli/exit";
import type { Colors } from "../cli/io";
import type { WireAlert, WireEvent } from "../core/alerts";
import { parseDuration } from "../core/expr";
import type { LapiQuery } from "../core/lapi";
import { API_FLAGS, DB_FLAGS, OUTPUT_FLAG, outputMode } from "./admin/access";
import { checkIpAndRange, daysToHours, foldScope, listFilterFlags, reportApiFailure } from "./admin/cscli";
import type { FlagSpec, Flags } from "./admin/flags";
import { usageError, type AdminAction, type AdminGroup } from "./admin/group";
import { withSession, withStore } from "./admin/session";
import { boxTable, csvLine } from "./admin/table";
import { asNumberName } from "./decisions";
import { ALERTS_HEAD } from "./admin/heads";

const ACCESS_FLAGS: readonly FlagSpec[] = [OUTPUT_FLAG, ...DB_FLAGS, ...API_FLAGS];

// ---- list ------------------------------------------------------------------------------------

const LIST_FLAGS: readonly FlagSpec[] = [
  { name: "all", short: "a", kind: "bool", description: "Include alerts from Central API and imports" },
  { name: "until", kind: "string", value: "DURATION", description: "Restrict to alerts older than until (ie. 4h, 30d)" },
  { name: "since", kind: "string", value: "DURATION", description: "Restrict to alerts newer than since (ie. 4h, 30d)" },
  { name: "ip", short: "i", kind: "string", value: "IP", description: "Restrict to alerts from this source ip (shorthand for --scope ip --value <IP>)" },
  { name: "scenario", short: "s", kind: "string", value: "SCENARIO", description: "The scenario (ie. crowdsecurity/ssh-bf)" },
  { name: "range", short: "r", kind: "string", value: "RANGE", description: "Restrict to alerts from this range (shorthand for --scope range --value <RANGE/X>)" },
  { name: "type", kind: "string", value: "TYPE", description: "Restrict to alerts with given decision type (ie. ban, captcha)" },
  { name: "scope", kind: "string", value: "SCOPE", description: "Restrict to alerts of this scope (ie. ip,range)" },
  { name: "value", short: "v", kind: "string", value: "VALUE", description: "The value to match for in the specified scope" },
  { name: "origin", kind: "string", value: "ORIGIN", description: "Restrict to alerts with a decision of this origin (ie. cscli,crowdsec)" },
  { name: "contained", kind: "bool", description: "Query decisions contained by range" },
  { name: "print-machine", short: "m", kind: "bool", description: "Print machines that sent alerts" },
  { name: "limit", short: "l", kind: "int", default: 50, description: "Limit size of alerts list table (0 to view all alerts)" },
];

/** The GET /v1/alerts query of `alerts list` (cscli 1.4.6). */
export function alertsListQuery(flags: Flags): { ok: true; value: LapiQuery } | { ok: false; error: string } {
  const f = listFilterFlags(flags);
  if (!f.ok) return f;
  const { ip, range, since, until, all, scope } = f.value;
  return {
    ok: true,
    value: {
      include_capi: all,
      limit: all ? 0 : flags.int("limit"),
      ip,
      range,
      scope,
      value: flags.optional("value"),
      scenario: flags.optional("scenario"),
      decision_type: flags.optional("type"),
      origin: flags.optional("origin"),
      since,
      until,
      contains: flags.bool("contained") ? false : undefined,
    },
  };
}

/** cscli's DecisionsFromAlert: `ban:2 (simul)captcha:1`, in order of first appearance. */
export function decisionsSummary(a: WireAlert): string {
  const counts = new Map<string, number>();
  for (const d of a.decisions ?? []) {
    const k = d.simulated ? `(simul)${d.type}` : d.type;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}:${n}`).join(" ");
}

const scopeValue = (scope: string, value: string) => (value === "" ? scope : `${scope}:${value}`);

export function renderAlerts(alerts: readonly WireAlert[], mode: "human" | "json" | "raw", printMachine: boolean, color: Colors): string[] {
  if (mode === "json") return [JSON.stringify(alerts, null, " ")];
  if (mode === "raw") {
    const header = ["id", "scope", "value", "reason", "country", "as", "decisions", "created_at"];
    if (printMachine) header.push("machine");
    const lines = [csvLine(header)];
    for (const a of alerts) {
      const row = [String(a.id ?? 0), a.source.scope, a.source.value, a.scenario, a.source.cn ?? "", asNumberName(a), decisionsSummary(a), a.start_at];
      if (printMachine) row.push(a.machine_id ?? "");
      lines.push(csvLine(row));
    }
    return lines;
  }
  if (alerts.length === 0) return ["No active alerts"];
  const header = ["ID", "value", "reason", "country", "as", "decisions", "created_at"];
  if (printMachine) header.push("machine");
  const rows = alerts.map((a) => {
    const row = [String(a.id ?? 0), scopeValue(a.source.scope, a.source.value), a.scenario, a.source.cn ?? "", asNumberName(a), decisionsSummary(a), a.start_at];
    if (printMachine) row.push(a.machine_id ?? "");
    return row;
  });
  return boxTable(header, rows, color);
}

const list: AdminAction = {
  name: "list",
  summary: "List alerts",
  maxArgs: 0,
  examples: ["picket alerts list", "picket alerts list --ip 1.2.3.4", "picket alerts list --range 1.2.3.0/24", "picket alerts list -s crowdsecurity/ssh-bf", "picket alerts list --type ban"],
  flags: [...LIST_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, "picket alerts list", mode.error);
    const query = alertsListQuery(flags);
    if (!query.ok) return usageError(io, "picket alerts list", query.error);
    return withSession(flags, io, async (s) => {
      const found = await s.api.findAlerts(query.value);
      if (!found.ok) return reportApiFailure(io, "Unable to list alerts", found.error);
      for (const line of renderAlerts(found.value, mode.value, flags.bool("print-machine"), io.color)) io.out(line);
      return EXIT.OK;
    });
  },
};

// ---- inspect ---------------------------------------------------------------------------------

/** cscli's DisplayOneAlert: the alert's fields, its active decisions and, with details, its events. */
export function renderOneAlert(a: WireAlert, withDetails: boolean, color: Colors): string[] {
  const out = [
    "",
    "################################################################################################",
    "",
    ` - ID         : ${a.id ?? 0}`,
    ` - Date       : ${a.created_at ?? ""}`,
    ` - Machine    : ${a.machine_id ?? ""}`,
    ` - Simulation : ${a.simulated}`,
    ` - Reason     : ${a.scenario}`,
    ` - Events Count : ${a.events_count}`,
    ` - Scope:Value: ${scopeValue(a.source.scope, a.source.value)}`,
    ` - Country    : ${a.source.cn ?? ""}`,
    ` - AS         : ${a.source.as_name ?? ""}`,
    ` - Begin      : ${a.start_at}`,
    ` - End        : ${a.stop_at}`,
    "",
  ];
  const active = (a.decisions ?? []).filter((d) => {
    const left = parseDuration(d.duration);
    return !left.ok || left.ns >= 0;
  });
  if (active.length > 0) {
    out.push(" - Active Decisions  :");
    out.push(...boxTable(["ID", "scope:value", "action", "expiration", "created_at"], active.map((d) => [String(d.id ?? 0), scopeValue(d.scope, d.value), d.type, d.duration, a.created_at ?? ""]), color));
  }
  if (withDetails) {
    out.push("", " - Events  :");
    for (const e of a.events ?? []) out.push(...renderEvent(e, color));
  }
  return out;
}

function renderEvent(e: WireEvent, color: Colors): string[] {
  const meta = [...(e.meta ?? [])].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return ["", `- Date: ${e.timestamp}`, ...boxTable(["Key", "Value"], meta.map((m) => [m.key, m.value]), color, { rowLines: true })];
}

const inspect: AdminAction = {
  name: "inspect",
  argsUsage: "ALERT_ID [ALERT_ID...]",
  summary: "Show info about an alert",
  minArgs: 1,
  examples: ["picket alerts inspect 123", "picket alerts inspect 123 -d -o json"],
  flags: [{ name: "details", short: "d", kind: "bool", description: "Show alerts with events" }, ...ACCESS_FLAGS],
  async run(flags, io) {
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, "picket alerts inspect", mode.error);
    const bad = flags.args.find((a) => !/^\d+$/.test(a));
    if (bad !== undefined) return usageError(io, "picket alerts inspect", `bad alert id ${bad}`);
    return withSession(flags, io, async (s) => {
      for (const id of flags.args) {
        const alert = await s.api.getAlert(Number(id));
        if (!alert.ok) return reportApiFailure(io, `can't find alert with id ${id}`, alert.error);
        if (mode.value === "human") renderOneAlert(alert.value, flags.bool("details"), io.color).forEach((l) => io.out(l));
        else if (mode.value === "json") io.out(JSON.stringify(alert.value, null, 2));
        else io.out(toYaml(alert.value));
      }
      return EXIT.OK;
    });
  },
};

// ---- delete ----------------------------------------------------------------------------------

const DELETE_FLAGS: readonly FlagSpec[] = [
  { name: "scope", kind: "string", value: "SCOPE", description: "The scope (ie. ip,range)" },
  { name: "value", short: "v", kind: "string", value: "VALUE", description: "The value to match for in the specified scope" },
  { name: "scenario", short: "s", kind: "string", value: "SCENARIO", description: "The scenario (ie. crowdsecurity/ssh-bf)" },
  { name: "ip", short: "i", kind: "string", value: "IP", description: "Source ip (shorthand for --scope ip --value <IP>)" },
  { name: "range", short: "r", kind: "string", value: "RANGE", description: "Range source ip (shorthand for --scope range --value <RANGE>)" },
  { name: "id", kind: "string", value: "ID", description: "Alert ID" },
  { name: "all", short: "a", kind: "bool", description: "Delete all alerts" },
  { name: "contained", kind: "bool", description: "Query decisions contained by range" },
];

/** The DELETE /v1/alerts query: `limit=0` always (cscli 1.4.6); --all sends nothing else. */
export function alertsDeleteQuery(flags: Flags): LapiQuery {
  if (flags.bool("all")) return { limit: 0 };
  const scope = flags.optional("scope");
  return {
    scope: scope === undefined ? undefined : foldScope(scope),
    value: flags.optional("value"),
    scenario: flags.optional("scenario"),
    ip: flags.optional("ip"),
    range: flags.optional("range"),
    contains: flags.bool("contained") ? false : undefined,
    limit: 0,
  };
}

const remove: AdminAction = {
  name: "delete",
  aliases: ["remove"],
  summary: "Delete alerts, with their decisions and events",
  maxArgs: 0,
  examples: ["picket alerts delete --ip 1.2.3.4", "picket alerts delete --range 1.2.3.0/24", "picket alerts delete -s crowdsecurity/ssh-bf", "picket alerts delete --id 12"],
  flags: [...DELETE_FLAGS, ...ACCESS_FLAGS],
  async run(flags, io) {
    const cmd = "picket alerts delete";
    const filters = ["scope", "value", "scenario", "ip", "range", "id"];
    if (!flags.bool("all") && !filters.some((f) => flags.optional(f) !== undefined)) return usageError(io, cmd, "At least one filter or --all must be specified");
    const checked = checkIpAndRange(flags.optional("ip"), flags.optional("range"));
    if (!checked.ok) return usageError(io, cmd, checked.error);
    const id = flags.optional("id");
    if (id !== undefined && !/^\d+$/.test(id)) return usageError(io, cmd, `id '${id}' is not an integer`);
    return withSession(flags, io, async (s) => {
      const deleted = id !== undefined ? await s.api.deleteAlert(Number(id)) : await s.api.deleteAlerts(alertsDeleteQuery(flags));
      if (!deleted.ok) return reportApiFailure(io, id !== undefined ? "Unable to delete alert" : "Unable to delete alerts", deleted.error);
      io.err(`${deleted.value} alert(s) deleted`);
      return EXIT.OK;
    });
  },
};

// ---- flush -----------------------------------------------------------------------------------

const flush: AdminAction = {
  name: "flush",
  summary: "Flush alerts: keep at most --max-items, none older than --max-age (on the database)",
  maxArgs: 0,
  examples: ["picket alerts flush --max-items 1000 --max-age 7d --db /var/lib/crowdsec/data/crowdsec.db"],
  flags: [
    { name: "max-items", kind: "int", default: 5000, description: "Maximum number of alert items to keep in the database" },
    { name: "max-age", kind: "string", value: "DURATION", default: "7d", description: "Maximum age of alert items to keep in the database" },
    ...DB_FLAGS,
  ],
  async run(flags, io) {
    const cmd = "picket alerts flush";
    const maxAgeText = daysToHours(flags.string("max-age"));
    const maxAge = maxAgeText.ok ? parseDuration(maxAgeText.value) : undefined;
    if (!maxAge?.ok) return usageError(io, cmd, `invalid --max-age "${flags.string("max-age")}" (expected a duration like 7d or 72h)`);
    const maxItems = flags.int("max-items");
    if (maxItems < 0) return usageError(io, cmd, "--max-items must be 0 or more");
    return withStore(flags, io, async (store) => {
      io.err("Flushing alerts. !! This may take a long time !!");
      // as upstream FlushAlerts: 0 means "no limit" for both
      const n = await store.flush({ maxItems: maxItems > 0 ? maxItems : undefined, maxAgeMs: maxAge.ns > 0 ? maxAge.ns / 1e6 : undefined }, new Date());
      io.err(`Alerts flushed (${n} deleted)`);
      return EXIT.OK;
    });
  },
};

export const alertsGroup: AdminGroup = {
  ...ALERTS_HEAD,
  actions: [list, inspect, remove, flush],
};
