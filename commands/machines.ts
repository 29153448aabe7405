/**
 * `picket machines add|list|delete|validate`: the Local API's machines (watchers), managed directly
 * in the database as cscli 1.4.6 does. `add` creates a validated machine; `validate` accepts one
 * that registered itself (`cscli lapi register`); a running server sees either on the next login.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify as toYaml } from "yaml";
import { EXIT } from "../cli/exit";
import type { Colors } from "../cli/io";
import type { MachineRecord } from "../core/db";
import { formatDuration } from "../core/expr";
import { configApiUrl, DB_FLAGS, OUTPUT_FLAG, outputMode } from "./admin/access";
import { reportSetupProblem } from "./admin/cscli";
import { usageError, type AdminAction, type AdminGroup } from "./admin/group";
import { generatePassword, hashPassword } from "./admin/secrets";
import { withStore } from "./admin/session";
import { csvLine, lightTable } from "./admin/table";
import { MACHINES_HEAD } from "./admin/heads";

const CHECK = "✔️";
const PROHIBITED = "🚫";
const WARNING = "⚠️";

/** Go's RFC 3339 with nanoseconds trimmed (time.Time in encoding/json). */
export function goJsonTime(at: Date): string {
  return at.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === "" ? "Z" : `.${digits}Z`));
}

/** RFC 3339 to the second (time.RFC3339 of a UTC time). */
export const rfc3339 = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, "Z");

/** cscli's displayLastHeartBeat: time since the last heartbeat, to the second; a warning past 2 minutes. */
export function lastHeartbeat(m: MachineRecord, now: Date, fancy: boolean): string {
  if (m.lastHeartbeat === null) return fancy ? `${WARNING} -` : "-";
  const ms = now.getTime() - m.lastHeartbeat.getTime();
  const text = formatDuration(Math.trunc(ms / 1000) * 1e9);
  return fancy && ms > 120_000 ? `${WARNING} ${text}` : text;
}

/** The JSON cscli prints for machines (the ent row: password left out, empty fields omitted). */
export function machineJson(m: MachineRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: m.id, created_at: goJsonTime(m.createdAt), updated_at: goJsonTime(m.updatedAt) };
  if (m.lastPush) out.last_push = goJsonTime(m.lastPush);
  if (m.lastHeartbeat) out.last_heartbeat = goJsonTime(m.lastHeartbeat);
  out.machineId = m.machineId;
  if (m.ipAddress) out.ipAddress = m.ipAddress;
  if (m.scenarios) out.scenarios = m.scenarios;
  if (m.version) out.version = m.version;
  if (m.isValidated) out.isValidated = true;
  out.auth_type = m.authType;
  out.edges = {};
  return out;
}

export function renderMachines(machines: readonly MachineRecord[], mode: "human" | "json" | "raw", now: Date, color: Colors): string[] {
  if (mode === "json") return [JSON.stringify(machines.map(machineJson), null, 2)];
  if (mode === "raw") {
    return [
      csvLine(["machine_id", "ip_address", "updated_at", "validated", "version", "auth_type", "last_heartbeat"]),
      ...machines.map((m) => csvLine([m.machineId, m.ipAddress, rfc3339(m.updatedAt), String(m.isValidated), m.version, m.authType, lastHeartbeat(m, now, false)])),
    ];
  }
  const rows = machines.map((m) => [m.machineId, m.ipAddress, rfc3339(m.updatedAt), m.isValidated ? CHECK : PROHIBITED, m.version, m.authType, lastHeartbeat(m, now, true)]);
  return lightTable(["Name", "IP Address", "Last Update", "Status", "Version", "Auth Type", "Last Heartbeat"], rows, color);
}

/** A machine id for `add --auto` without a name: the OS machine id (or a random one) and 16 random characters. */
export function generateMachineId(machineIdFile = "/etc/machine-id"): string {
  let prefix = "";
  try {
    if (existsSync(machineIdFile)) prefix = readFileSync(machineIdFile, "utf8").trim();
  } catch {
    prefix = "";
  }
  if (prefix.replaceAll("-", "").length < 32) prefix = crypto.randomUUID();
  return prefix.replaceAll("-", "").slice(0, 32) + generatePassword(16);
}

const add: AdminAction = {
  name: "add",
  argsUsage: "[NAME]",
  summary: "Add a machine to the database, already validated",
  maxArgs: 1,
  examples: ["picket machines add MyTestMachine --password MyPassword --db /var/lib/crowdsec/data/crowdsec.db", "picket machines add MyTestMachine --auto -f creds.yaml --url http://127.0.0.1:8080", "picket machines add --auto"],
  flags: [
    { name: "password", short: "p", kind: "string", value: "PW", description: "Machine password to login to the API" },
    { name: "file", short: "f", kind: "string", value: "FILE", description: "Write the credentials (url, login, password) to FILE (- for stdout)" },
    { name: "url", short: "u", kind: "string", value: "URL", description: "URL of the local API, for the credentials" },
    { name: "auto", short: "a", kind: "bool", description: "Automatically generate password (and username if not provided)" },
    { name: "force", kind: "bool", description: "Will force add the machine if it already exist" },
    ...DB_FLAGS,
  ],
  async run(flags, io) {
    const cmd = "picket machines add";
    const auto = flags.bool("auto");
    const name = flags.args[0] ?? (auto ? generateMachineId() : undefined);
    if (name === undefined || name === "") return usageError(io, cmd, "give a machine name, or --auto to generate one");
    let password = flags.optional("password");
    if (password === undefined && !auto) return usageError(io, cmd, "give --password PW, or --auto to generate one");
    password ??= generatePassword(64);
    // where the credentials go: -f FILE, else stdout when the password was generated (it is shown nowhere else)
    const dump = flags.optional("file") ?? (auto ? "-" : undefined);
    let url = flags.optional("url");
    if (dump !== undefined && url === undefined) {
      const fromConfig = configApiUrl(flags);
      if (!fromConfig.ok) return reportSetupProblem(io, fromConfig.error);
      url = fromConfig.value;
      if (url === undefined) return usageError(io, cmd, "unable to dump an api URL. Please provide it in your configuration or with the -u parameter");
    }
    const passwordHash = await hashPassword(password);
    return withStore(flags, io, async (store) => {
      const added = await store.addMachine({ machineId: name, passwordHash, ipAddress: "", isValidated: true, authType: "password" }, { force: flags.bool("force") });
      if (!added.ok) {
        io.err(`unable to create machine: ${added.error.message}`);
        return EXIT.FAILED;
      }
      io.err(`Machine '${name}' successfully added to the local API`);
      if (dump === undefined) return EXIT.OK;
      const yaml = toYaml({ url, login: name, password });
      if (dump === "-") {
        io.out(yaml.trimEnd());
        return EXIT.OK;
      }
      try {
        writeFileSync(dump, yaml, { mode: 0o600 });
      } catch (e) {
        io.err(`write api credentials in '${dump}' failed: ${e instanceof Error ? e.message : String(e)}`);
        return EXIT.FAILED;
      }
      io.err(`API credentials dumped to '${dump}'`);
      return EXIT.OK;
    });
  },
};

const list: AdminAction = {
  name: "list",
  summary: "List machines",
  maxArgs: 0,
  examples: ["picket machines list --db /var/lib/crowdsec/data/crowdsec.db", "picket machines list -c /etc/crowdsec/config.yaml -o json"],
  flags: [OUTPUT_FLAG, ...DB_FLAGS],
  async run(flags, io) {
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, "picket machines list", mode.error);
    return withStore(flags, io, async (store) => {
      for (const line of renderMachines(await store.listMachines(), mode.value, new Date(), io.color)) io.out(line);
      return EXIT.OK;
    });
  },
};

const remove: AdminAction = {
  name: "delete",
  aliases: ["remove"],
  argsUsage: "NAME [NAME...]",
  summary: "Delete machines (their alerts stay, shown with machine N/A)",
  minArgs: 1,
  examples: ["picket machines delete MyTestMachine --db crowdsec.db"],
  flags: [...DB_FLAGS],
  async run(flags, io) {
    return withStore(flags, io, async (store) => {
      for (const name of flags.args) {
        const done = await store.deleteMachine(name);
        if (!done.ok) {
          io.err(`unable to delete machine '${name}': ${done.error.message}`);
          return EXIT.FAILED;
        }
        io.err(`machine '${name}' deleted successfully`);
      }
      return EXIT.OK;
    });
  },
};

const validate: AdminAction = {
  name: "validate",
  argsUsage: "NAME",
  summary: "Validate a machine that registered itself, so it can log in",
  minArgs: 1,
  maxArgs: 1,
  examples: ["picket machines validate MyTestMachine --db crowdsec.db"],
  flags: [...DB_FLAGS],
  async run(flags, io) {
    const name = flags.args[0]!;
    return withStore(flags, io, async (store) => {
      const done = await store.validateMachine(name);
      if (!done.ok) {
        io.err(`unable to validate machine '${name}': ${done.error.message}`);
        return EXIT.FAILED;
      }
      io.err(`machine '${name}' validated successfully`);
      return EXIT.OK;
    });
  },
};

export const machinesGroup: AdminGroup = {
  ...MACHINES_HEAD,
  actions: [add, list, remove, validate],
};
