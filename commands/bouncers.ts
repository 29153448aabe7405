/**
 * `picket bouncers add|list|delete`: the Local API's bouncers, managed directly in the database as
 * cscli 1.4.6 does. `add` prints the API key once; only its SHA-512 is stored.
 */
import { EXIT } from "../cli/exit";
import type { Colors } from "../cli/io";
import type { BouncerRecord } from "../core/db";
import { hashApiKey } from "../core/lapi";
import { DB_FLAGS, OUTPUT_FLAG, outputMode } from "./admin/access";
import { usageError, type AdminAction, type AdminGroup } from "./admin/group";
import { generateApiKey } from "./admin/secrets";
import { withStore } from "./admin/session";
import { csvLine, lightTable } from "./admin/table";
import { goJsonTime, rfc3339 } from "./machines";
import { BOUNCERS_HEAD } from "./admin/heads";

const CHECK = "✔️";
const PROHIBITED = "🚫";

/** 1.4.6 keeps last_pull at the creation time until the first pull. */
const lastPull = (b: BouncerRecord): Date => b.lastPull ?? b.createdAt;

/** The JSON cscli prints for bouncers (the ent row, hashed key included, as upstream). */
export function bouncerJson(b: BouncerRecord): Record<string, unknown> {
  return {
    id: b.id,
    created_at: goJsonTime(b.createdAt),
    updated_at: goJsonTime(b.updatedAt),
    name: b.name,
    api_key: b.apiKeyHash,
    revoked: b.revoked,
    ip_address: b.ipAddress,
    type: b.type,
    version: b.version,
    until: "0001-01-01T00:00:00Z",
    last_pull: goJsonTime(lastPull(b)),
    auth_type: b.authType,
  };
}

export function renderBouncers(bouncers: readonly BouncerRecord[], mode: "human" | "json" | "raw", color: Colors): string[] {
  if (mode === "json") return [JSON.stringify(bouncers.map(bouncerJson), null, 2)];
  if (mode === "raw") {
    return [
      csvLine(["name", "ip", "revoked", "last_pull", "type", "version", "auth_type"]),
      ...bouncers.map((b) => csvLine([b.name, b.ipAddress, b.revoked ? "pending" : "validated", rfc3339(lastPull(b)), b.type, b.version, b.authType])),
    ];
  }
  const rows = bouncers.map((b) => [b.name, b.ipAddress, b.revoked ? PROHIBITED : CHECK, rfc3339(lastPull(b)), b.type, b.version, b.authType]);
  return lightTable(["Name", "IP Address", "Valid", "Last API pull", "Type", "Version", "Auth Type"], rows, color);
}

/** What `bouncers add` prints: the key framed for people, bare for scripts (raw), or a JSON string. */
export function renderNewKey(name: string, key: string, mode: "human" | "json" | "raw"): string[] {
  if (mode === "raw") return [key];
  if (mode === "json") return [JSON.stringify(key)];
  return [`Api key for '${name}':`, "", `   ${key}`, "", "Please keep this key since you will not be able to retrieve it!"];
}

const add: AdminAction = {
  name: "add",
  argsUsage: "NAME",
  summary: "Add a bouncer and print its API key (shown once)",
  minArgs: 1,
  maxArgs: 1,
  examples: ["picket bouncers add MyBouncerName --db crowdsec.db", "picket bouncers add MyBouncerName -l 24", "picket bouncers add MyBouncerName -k 0123456789abcdef0123456789abcdef"],
  flags: [
    { name: "length", short: "l", kind: "int", default: 16, description: "Length of the generated api key, in random bytes (printed as twice as many hex characters)" },
    { name: "key", short: "k", kind: "string", value: "KEY", description: "Api key for the bouncer (instead of a generated one)" },
    OUTPUT_FLAG,
    ...DB_FLAGS,
  ],
  async run(flags, io) {
    const cmd = "picket bouncers add";
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, cmd, mode.error);
    const name = flags.args[0]!;
    if (name === "") return usageError(io, cmd, "Please provide a name for the api key");
    const length = flags.int("length");
    if (length < 1 || length > 1024) return usageError(io, cmd, "--length must be between 1 and 1024");
    const key = flags.optional("key") ?? generateApiKey(length);
    return withStore(flags, io, async (store) => {
      const added = await store.addBouncer({ name, apiKeyHash: hashApiKey(key), ipAddress: "", authType: "api-key" });
      if (!added.ok) {
        io.err(`unable to create bouncer: ${added.error.message}`);
        return EXIT.FAILED;
      }
      for (const line of renderNewKey(name, key, mode.value)) io.out(line);
      return EXIT.OK;
    });
  },
};

const list: AdminAction = {
  name: "list",
  summary: "List bouncers",
  maxArgs: 0,
  examples: ["picket bouncers list --db crowdsec.db"],
  flags: [OUTPUT_FLAG, ...DB_FLAGS],
  async run(flags, io) {
    const mode = outputMode(flags);
    if (!mode.ok) return usageError(io, "picket bouncers list", mode.error);
    return withStore(flags, io, async (store) => {
      for (const line of renderBouncers(await store.listBouncers(), mode.value, io.color)) io.out(line);
      return EXIT.OK;
    });
  },
};

const remove: AdminAction = {
  name: "delete",
  aliases: ["remove"],
  argsUsage: "NAME [NAME...]",
  summary: "Delete bouncers (their keys stop working at once)",
  minArgs: 1,
  examples: ["picket bouncers delete MyBouncerName --db crowdsec.db"],
  flags: [...DB_FLAGS],
  async run(flags, io) {
    return withStore(flags, io, async (store) => {
      for (const name of flags.args) {
        const done = await store.deleteBouncer(name);
        if (!done.ok) {
          io.err(`unable to delete bouncer '${name}': ${done.error.message}`);
          return EXIT.FAILED;
        }
        io.err(`bouncer '${name}' deleted successfully`);
      }
      return EXIT.OK;
    });
  },
};

export const bouncersGroup: AdminGroup = {
  ...BOUNCERS_HEAD,
  actions: [add, list, remove],
};
