/**
 * `picket hub`: cscli's hub client on a CrowdSec config directory (the same layout, so CrowdSec and
 * picket can share /etc/crowdsec): update the index, list, install, remove, upgrade, inspect.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { DEFAULT_PARSERS, DEFAULT_SCENARIOS } from "../core/defaults";
import { findGeoipFiles } from "../core/enrich";
import {
  applyPlan,
  DEPENDENCY_ORDER,
  dataSource,
  describePlan,
  hubSource,
  inspectView,
  installedRefs,
  loadHubSettings,
  planInstall,
  planRemove,
  planUpgrade,
  readHubState,
  statusEmoji,
  statusText,
  updateIndex,
  type HubItemKind,
  type HubItemState,
  type HubPlan,
  type HubSettings,
  type HubState,
  type ItemRef,
} from "../core/hub";
import { problem, type Problem } from "../core/result";
import { DEFAULT_CONFIG } from "./engine-source";

export type HubOutput = "human" | "json" | "raw";

export interface HubOptions {
  /** update, list, install, remove, upgrade, inspect. */
  readonly action: string;
  /** For install/remove/upgrade/inspect: the kind, then item names. For list: kinds. */
  readonly args: readonly string[];
  readonly config?: string;
  /** A mirror of the hub: http(s) base URL, URL template with two %s, or a directory. */
  readonly hubUrl?: string;
  /** A mirror of the data files, laid out by the path of their source_url. */
  readonly dataUrl?: string;
  /** Directory with GeoIP databases, used instead of downloading GeoLite2-City/ASN.mmdb. */
  readonly geoip?: string;
  readonly all?: boolean;
  readonly output?: HubOutput;
  readonly force?: boolean;
  readonly purge?: boolean;
  readonly dryRun?: boolean;
  readonly downloadOnly?: boolean;
}

const KIND_NAMES: Readonly<Record<string, HubItemKind>> = Object.fromEntries(
  DEPENDENCY_ORDER.flatMap((k) => [
    [k, k],
    [k.replace(/s$/, ""), k],
  ]),
);

export async function hub(opts: HubOptions, io: Io): Promise<ExitCode> {
  const configFile = opts.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  if (!configFile) {
    io.err(`picket hub: no CrowdSec config at "${DEFAULT_CONFIG}": pass -c config.yaml`);
    return EXIT.USAGE;
  }
  const settings = loadHubSettings(configFile);
  if (!settings.ok) return fail(io, [settings.error]);
  const s = settings.value;
  switch (opts.action) {
    case "update":
      return update(opts, s, io);
    case "list":
      return withState(s, io, (state) => list(opts, state, io));
    case "install":
    case "remove":
    case "upgrade":
    case "inspect":
      return itemAction(opts, s, io);
    default:
      io.err(`picket hub: unknown action "${opts.action}" (expected update, list, install, remove, upgrade or inspect)`);
      return EXIT.USAGE;
  }
}

async function update(opts: HubOptions, s: HubSettings, io: Io): Promise<ExitCode> {
  const source = hubSource(opts.hubUrl ?? s.urlTemplate, s.branch);
  if (!source.ok) return fail(io, [source.error]);
  const r = await updateIndex(s.layout, source.value, { withContent: s.withContent });
  if (!r.ok) return fail(io, [r.error]);
  if (!r.value.changed) io.out("Nothing to do, the hub index is up to date.");
  else io.out(`Downloaded ${s.layout.indexPath} from ${r.value.from}`);
  return EXIT.OK;
}

async function withState(s: HubSettings, io: Io, body: (state: HubState) => Promise<ExitCode> | ExitCode): Promise<ExitCode> {
  const state = readHubState(s.layout);
  if (!state.ok) return fail(io, [state.error]);
  for (const w of state.value.warnings) io.err(`warning: ${w}`);
  return body(state.value);
}

async function itemAction(opts: HubOptions, s: HubSettings, io: Io): Promise<ExitCode> {
  const [kindWord, ...names] = opts.args;
  const kind = kindWord === undefined ? undefined : KIND_NAMES[kindWord];
  if (kindWord !== undefined && !kind) {
    io.err(`picket hub ${opts.action}: unknown kind "${kindWord}" (expected ${DEPENDENCY_ORDER.map((k) => k.replace(/s$/, "")).join(", ")})`);
    return EXIT.USAGE;
  }
  const upgradeEverything = opts.action === "upgrade" && !kind;
  if (!kind && !upgradeEverything) {
    io.err(`picket hub ${opts.action}: name a kind and items, e.g. 'picket hub ${opts.action} collection crowdsecurity/linux'`);
    return EXIT.USAGE;
  }
  const takesAll = opts.action === "remove" || opts.action === "upgrade";
  if (!upgradeEverything && names.length === 0 && !(takesAll && opts.all)) {
    io.err(`picket hub ${opts.action}: name at least one ${kindWord}${takesAll ? " or pass --all" : ""}`);
    return EXIT.USAGE;
  }
  if (names.length > 0 && opts.all) {
    io.err(`picket hub ${opts.action}: can't name items and pass --all at the same time`);
    return EXIT.USAGE;
  }
  return withState(s, io, async (state) => {
    const refs: ItemRef[] =
      names.length > 0 ? names.map((name) => ({ kind: kind!, name })) : installedRefs(state, kind ? [kind] : DEPENDENCY_ORDER);
    if (opts.action === "inspect") return inspect(opts, state, refs, io);
    const plan =
      opts.action === "install"
        ? planInstall(state, refs, { force: opts.force, downloadOnly: opts.downloadOnly })
        : opts.action === "remove"
          ? planRemove(state, refs, { force: opts.force, purge: opts.purge })
          : planUpgrade(state, refs, { force: opts.force });
    if (!plan.ok) return fail(io, [plan.error]);
    return execute(opts, s, plan.value, io);
  });
}

async function execute(opts: HubOptions, s: HubSettings, plan: HubPlan, io: Io): Promise<ExitCode> {
  for (const w of plan.warnings) io.err(`warning: ${w}`);
  if (plan.actions.length === 0) {
    io.out("Nothing to install or remove.");
    return EXIT.OK;
  }
  io.out(`Action plan:\n${describePlan(plan)}\n`);
  if (opts.dryRun) {
    io.out("Dry run, no action taken.");
    return EXIT.OK;
  }
  // Content usually comes inline with the index; the hub URL is only read for items without it.
  const source = hubSource(opts.hubUrl ?? s.urlTemplate, s.branch);
  if (!source.ok) return fail(io, [source.error]);
  const data = dataSource(opts.dataUrl);
  if (!data.ok) return fail(io, [data.error]);
  const r = await applyPlan(s.layout, plan, {
    hub: source.value,
    data: data.value,
    refreshData: opts.force || opts.action === "upgrade",
    localDataFiles: geoipFiles(opts.geoip),
    progress: (line) => io.err(line),
  });
  if (!r.ok) {
    io.problems([r.error]);
    io.err("Nothing was changed.");
    return EXIT.CONFIG;
  }
  const { downloaded, enabled, disabled, purged, dataFiles } = r.value;
  const parts = [
    downloaded.length && `${downloaded.length} downloaded`,
    enabled.length && `${enabled.length} enabled`,
    disabled.length && `${disabled.length} disabled`,
    purged.length && `${purged.length} purged`,
    dataFiles.length && `${dataFiles.length} data file${dataFiles.length === 1 ? "" : "s"} written`,
  ].filter(Boolean);
  io.out(`Done: ${parts.join(", ")}.`);
  io.out("\nRun 'sudo systemctl reload crowdsec' for the new configuration to be effective.");
  return EXIT.OK;
}

function inspect(opts: HubOptions, state: HubState, refs: readonly ItemRef[], io: Io): ExitCode {
  for (const ref of refs) {
    const item = state.get(ref.kind, ref.name);
    if (!item) return fail(io, [problem("hub.unknown-item", `Can't find "${ref.name}" in ${ref.kind}`)]);
    if (opts.output === "json") io.out(JSON.stringify(inspectView(state, item, true), null, 2));
    else io.out(stringify(inspectView(state, item, false), { indent: 2 }).trimEnd());
  }
  return EXIT.OK;
}

interface BuiltinRow {
  readonly kind: HubItemKind;
  readonly name: string;
  readonly path: string;
  readonly description: string;
}

/** picket's own collection, compiled in: replay uses it when no CrowdSec config is found (or with --builtin). */
function builtinRows(): BuiltinRow[] {
  const rows: BuiltinRow[] = [];
  const add = (kind: HubItemKind, path: string, text: string): void => {
    for (const doc of parseAllDocuments(text)) {
      const v: unknown = doc.toJS();
      if (typeof v !== "object" || v === null) continue;
      const { name, description } = v as Record<string, unknown>;
      if (typeof name === "string") rows.push({ kind, name, path, description: typeof description === "string" ? description.trim() : "" });
    }
  };
  for (const p of DEFAULT_PARSERS) add("parsers", p.path, p.text);
  for (const sc of DEFAULT_SCENARIOS) add("scenarios", sc.path, sc.text);
  return rows;
}

function list(opts: HubOptions, state: HubState, io: Io): ExitCode {
  const kinds: HubItemKind[] = [];
  for (const word of opts.args) {
    const k = KIND_NAMES[word];
    if (!k) {
      io.err(`picket hub list: unknown kind "${word}"`);
      return EXIT.USAGE;
    }
    kinds.push(k);
  }
  const shown = kinds.length > 0 ? kinds : [...DEPENDENCY_ORDER];
  const items = new Map<HubItemKind, HubItemState[]>();
  for (const k of shown) items.set(k, state.all(k).filter((s) => opts.all || s.localPath));
  const builtins = builtinRows().filter((b) => shown.includes(b.kind));
  switch (opts.output ?? "human") {
    case "json": {
      const out: Record<string, unknown[]> = {};
      for (const k of shown) {
        out[k] = items.get(k)!.map((s) => ({
          name: s.name,
          local_version: s.localVersion ?? "",
          local_path: s.localPath ?? "",
          description: (s.item?.description ?? "").trim(),
          utf8_status: `${statusEmoji(s)}  ${statusText(s)}`,
          status: statusText(s),
        }));
      }
      out.builtin = builtins.map((b) => ({ name: b.name, type: b.kind, local_path: b.path, description: b.description, status: "built-in" }));
      io.out(JSON.stringify(out, null, 1));
      return EXIT.OK;
    }
    case "raw": {
      io.out(csvRow(["name", "status", "version", "description", ...(shown.length > 1 ? ["type"] : [])]));
      for (const k of shown) {
        for (const s of items.get(k)!) {
          io.out(csvRow([s.name, statusText(s), s.localVersion ?? "", (s.item?.description ?? "").trim(), ...(shown.length > 1 ? [k] : [])]));
        }
      }
      for (const b of builtins) io.out(csvRow([b.name, "built-in", "", b.description, ...(shown.length > 1 ? [b.kind] : [])]));
      return EXIT.OK;
    }
    case "human": {
      for (const k of shown) {
        const rows = items.get(k)!;
        if (kinds.length === 0 && rows.length === 0) continue;
        io.out(table(k.toUpperCase(), ["Name", "\u{1f4e6} Status", "Version", "Local Path"], rows.map((s) => [s.name, `${statusEmoji(s)}  ${statusText(s)}`, s.localVersion ?? "", s.localPath ?? ""])));
      }
      if (builtins.length > 0) {
        io.out(
          table(
            "BUILT-IN (picket's own collection: used when no CrowdSec config is found, or with --builtin)",
            ["Name", "\u{1f4e6} Status", "Type", "Path"],
            builtins.map((b) => [b.name, "\u{1f4e6}  built-in", b.kind, b.path]),
          ),
        );
      }
      return EXIT.OK;
    }
  }
}

/** cscli's light table: a title, rules of ─ around the header and under the rows. */
function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) => " " + cells.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join("   ").trimEnd();
  const rule = "─".repeat(widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1) + 2);
  return [title, rule, line(header), rule, ...rows.map(line), rule].join("\n");
}

/** Terminal columns: emoji count two, variation selectors none. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfe0f) continue;
    n += cp >= 0x1f000 || (cp >= 0x2600 && cp <= 0x27bf) ? 2 : 1;
  }
  return n;
}

function csvRow(cells: readonly string[]): string {
  return cells.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
}

/** GeoIP databases by the dest_file names geoip-enrich gives them (test databases accepted). */
function geoipFiles(dir: string | undefined): Record<string, string> {
  const found = findGeoipFiles(dir ? resolve(dir) : undefined);
  const out: Record<string, string> = {};
  if (found.city) out["GeoLite2-City.mmdb"] = found.city;
  if (found.asn) out["GeoLite2-ASN.mmdb"] = found.asn;
  return out;
}

function fail(io: Io, problems: readonly Problem[]): ExitCode {
  io.problems(problems);
  return EXIT.CONFIG;
}
