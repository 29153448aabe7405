// Carrying out a plan without leaving half an install behind: every item and data file is first
// fetched and checked into a staging directory beside its destination; only when all of them are
// there are they moved into place and the symlinks made, and any failure while moving undoes
// what was already done.

import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { parseHubIndex } from "./hub-index";
import type { HubLayout } from "./layout";
import { fqName, type HubAction, type HubPlan } from "./plan";
import { dataFileLocation, hubFileLocation, readDataFile, readHubFile, readLocalFile, sha256Hex, type DataSource, type HubSource } from "./source";
import type { HubItemState } from "./state";
import { err, ok, problem, type Problem, type Result } from "../result";

export interface ApplyOptions {
  readonly hub: HubSource;
  readonly data: DataSource;
  /**
   * Data files supplied locally, by dest_file (the GeoIP databases from a --geoip directory when
   * the mirror has none): copied instead of downloaded.
   */
  readonly localDataFiles?: Readonly<Record<string, string>>;
  /** Fetch data files again even when they are already in the data dir. */
  readonly refreshData?: boolean;
  /** Progress lines ("downloading parsers:crowdsecurity/sshd-logs"). */
  readonly progress?: (line: string) => void;
}

export interface ApplyReport {
  readonly downloaded: readonly string[];
  readonly enabled: readonly string[];
  readonly disabled: readonly string[];
  readonly purged: readonly string[];
  /** Data files written, relative to the data dir. */
  readonly dataFiles: readonly string[];
}

interface StagedFile {
  readonly staged: string;
  readonly dest: string;
  readonly backupDir: string;
}

/** Runs a plan; on failure nothing is left changed and the problem says what failed. */
export async function applyPlan(layout: HubLayout, plan: HubPlan, opts: ApplyOptions): Promise<Result<ApplyReport>> {
  const say = opts.progress ?? (() => {});
  const hubStage = join(layout.hubDir, ".picket-staging");
  const dataStage = join(layout.dataDir, ".picket-staging");
  let hubTmp: string | undefined;
  let dataTmp: string | undefined;
  const staging = (stage: string): string => {
    mkdirSync(stage, { recursive: true });
    return mkdtempSync(join(stage, "run-"));
  };
  const files: StagedFile[] = [];
  const report = { downloaded: [] as string[], enabled: [] as string[], disabled: [] as string[], purged: [] as string[], dataFiles: [] as string[] };
  const cleanup = (): void => {
    for (const [dir, stage] of [[hubTmp, hubStage], [dataTmp, dataStage]] as const) {
      if (!dir) continue;
      rmSync(dir, { recursive: true, force: true });
      try {
        rmSync(stage, { recursive: false });
      } catch {
        // another run's staging dir is still there
      }
    }
  };

  try {
    // 1. Fetch and verify everything into staging.
    const dataSeen = new Set<string>();
    for (const action of plan.actions) {
      if (action.op !== "download") continue;
      const s = action.state;
      say(`downloading ${fqName(s)}`);
      const bytes = await fetchItem(s, opts.hub);
      if (!bytes.ok) return bytes;
      hubTmp ??= staging(hubStage);
      const rel = s.item!.path;
      const staged = join(hubTmp, "new", rel);
      mkdirSync(dirname(staged), { recursive: true });
      writeFileSync(staged, bytes.value);
      const dest = safeJoin(layout.hubDir, rel);
      if (!dest) return err(problem("hub.bad-path", `Refusing to write ${fqName(s)} outside the hub directory: "${rel}"`));
      files.push({ staged, dest, backupDir: join(hubTmp, "old") });
      report.downloaded.push(fqName(s));

      const entries = dataEntries(bytes.value, rel);
      if (!entries.ok) return entries;
      for (const entry of entries.value) {
        const dest = safeJoin(layout.dataDir, entry.destFile);
        if (!dest) return err(problem("hub.bad-data", `Data file "${entry.destFile}" of ${fqName(s)} is outside the data directory`));
        if (dataSeen.has(dest)) continue;
        dataSeen.add(dest);
        if (existsSync(dest) && !opts.refreshData) continue;
        const local = opts.localDataFiles?.[entry.destFile];
        const where = local ?? dataFileLocation(opts.data, entry.sourceUrl);
        say(`${local ? "copying" : "downloading"} ${typeof where === "string" ? where : where.ok ? where.value : entry.sourceUrl}`);
        const data = local ? readLocalFile(local) : await readDataFile(opts.data, entry.sourceUrl);
        if (!data.ok) return err({ ...data.error, message: `${data.error.message} (data of ${fqName(s)})` });
        dataTmp ??= staging(dataStage);
        const stagedData = join(dataTmp, "new", entry.destFile);
        mkdirSync(dirname(stagedData), { recursive: true });
        writeFileSync(stagedData, data.value);
        files.push({ staged: stagedData, dest, backupDir: join(dataTmp, "old") });
        report.dataFiles.push(entry.destFile);
      }
    }

    // 2. Move into place and link, keeping what is needed to undo it.
    const undo: (() => void)[] = [];
    const commit = (): Problem | undefined => {
      try {
        for (const f of files) {
          mkdirSync(dirname(f.dest), { recursive: true });
          if (existsSync(f.dest)) {
            const backup = join(f.backupDir, String(undo.length));
            mkdirSync(f.backupDir, { recursive: true });
            move(f.dest, backup);
            undo.push(() => move(backup, f.dest));
          } else {
            undo.push(() => rmSync(f.dest, { force: true }));
          }
          move(f.staged, f.dest);
        }
        for (const action of plan.actions) {
          const p = runLinkAction(layout, action, undo, hubTmp ?? (hubTmp = staging(hubStage)));
          if (p) return p;
          if (action.op === "enable") report.enabled.push(fqName(action.state));
          if (action.op === "disable") report.disabled.push(fqName(action.state));
          if (action.op === "purge") report.purged.push(fqName(action.state));
        }
        return undefined;
      } catch (e) {
        return problem("hub.install", `Cannot install: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    const failed = commit();
    if (failed) {
      for (const u of undo.reverse()) {
        try {
          u();
        } catch {
          // best effort: the first failure is the one reported
        }
      }
      return err(failed);
    }
    for (const action of plan.actions) if (action.op === "enable") say(`enabling ${fqName(action.state)}`);
    for (const action of plan.actions) if (action.op === "disable") say(`disabling ${fqName(action.state)}`);
    for (const action of plan.actions) if (action.op === "purge") say(`purging ${fqName(action.state)}`);
    return ok(report);
  } finally {
    cleanup();
  }
}

/** Fetches the hub index into layout.indexPath if it parses; says whether it changed. */
export async function updateIndex(layout: HubLayout, hub: HubSource, opts: { readonly withContent?: boolean } = {}): Promise<Result<{ changed: boolean; from: string }>> {
  const rel = hub.kind === "url" && opts.withContent ? ".index.json?with_content=true" : ".index.json";
  const from = hubFileLocation(hub, rel);
  const bytes = await readHubFile(hub, rel);
  if (!bytes.ok) return bytes;
  const text = new TextDecoder().decode(bytes.value);
  const parsed = parseHubIndex(text, layout.hubDir, from);
  if (!parsed.ok) return parsed;
  if (existsSync(layout.indexPath)) {
    const old = new Uint8Array(readFileSync(layout.indexPath));
    if (sha256Hex(old) === sha256Hex(bytes.value)) return ok({ changed: false, from });
  }
  mkdirSync(dirname(layout.indexPath), { recursive: true });
  const tmp = `${layout.indexPath}.picket-tmp-${process.pid}`;
  writeFileSync(tmp, bytes.value);
  renameSync(tmp, layout.indexPath);
  return ok({ changed: true, from });
}

/** The item's latest version: inline content from the index, else its file from the hub; checked against the digest. */
async function fetchItem(s: HubItemState, hub: HubSource): Promise<Result<Uint8Array>> {
  const item = s.item;
  if (!item) return err(problem("hub.local", `${fqName(s)} is a local item`));
  const want = item.digest;
  if (!want) return err(problem("hub.bad-index", `Latest hash of "${fqName(s)}" missing from the index`, { hint: "run 'picket hub update' and try again" }));
  let bytes: Uint8Array;
  let from: string;
  if (item.content !== undefined) {
    bytes = decodeContent(item.content);
    from = "the index content";
  } else {
    const r = await readHubFile(hub, item.path);
    if (!r.ok) return err({ ...r.error, message: `${r.error.message} (${fqName(s)})` });
    bytes = r.value;
    from = hubFileLocation(hub, item.path);
  }
  const got = sha256Hex(bytes);
  if (got !== want) {
    return err(
      problem("hub.bad-digest", `Hash mismatch for "${fqName(s)}" from ${from}: expected sha256 ${want}, got ${got}`, {
        hint: "the index and the hub disagree: run 'picket hub update' and try again",
      }),
    );
  }
  return ok(bytes);
}

/** Index content is base64; upstream falls back to the raw text when it does not decode. */
function decodeContent(content: string): Uint8Array {
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(content) && content.length % 4 === 0) return new Uint8Array(Buffer.from(content, "base64"));
  return new TextEncoder().encode(content);
}

interface DataEntry {
  readonly sourceUrl: string;
  readonly destFile: string;
}

/** The `data:` entries with a source_url, in every document of an item file. */
function dataEntries(bytes: Uint8Array, file: string): Result<DataEntry[]> {
  const out: DataEntry[] = [];
  for (const doc of parseAllDocuments(new TextDecoder().decode(bytes))) {
    if (doc.errors.length > 0) return err(problem("hub.bad-item", `Cannot read data entries: ${doc.errors[0]!.message.split("\n")[0]}`, { file }));
    const value: unknown = doc.toJS();
    if (typeof value !== "object" || value === null) continue;
    const data = (value as Record<string, unknown>).data;
    if (!Array.isArray(data)) continue;
    for (const d of data) {
      if (typeof d !== "object" || d === null) continue;
      const { source_url: sourceUrl, dest_file: destFile } = d as Record<string, unknown>;
      if (typeof sourceUrl !== "string" || sourceUrl === "") continue;
      if (typeof destFile !== "string" || destFile === "") return err(problem("hub.bad-item", `Data entry "${sourceUrl}" has no dest_file`, { file }));
      out.push({ sourceUrl, destFile });
    }
  }
  return ok(out);
}

function runLinkAction(layout: HubLayout, action: HubAction, undo: (() => void)[], tmp: string): Problem | undefined {
  const s = action.state;
  switch (action.op) {
    case "download":
      return undefined;
    case "enable": {
      const src = join(resolve(layout.hubDir), s.item!.path);
      if (!existsSync(src)) return problem("hub.install", `Can't enable ${fqName(s)}: not downloaded`);
      const dest = installPath(layout, s);
      mkdirSync(dirname(dest), { recursive: true });
      if (lexists(dest)) return undefined;
      symlinkSync(src, dest);
      undo.push(() => unlinkSync(dest));
      return undefined;
    }
    case "disable": {
      const path = s.localPath!;
      const st = lstatSync(path);
      const expected = join(resolve(layout.hubDir), s.item!.path);
      if (!st.isSymbolicLink() || resolve(dirname(path), readlinkSync(path)) !== expected) {
        return problem("hub.not-managed", `${s.name} isn't managed by hub`, { file: path, hint: "it is not a symlink into the hub directory: delete it by hand" });
      }
      const target = readlinkSync(path);
      unlinkSync(path);
      undo.push(() => symlinkSync(target, path));
      return undefined;
    }
    case "purge": {
      const path = s.downloadPath;
      if (!path || !existsSync(path)) return undefined;
      const backup = join(tmp, "purged", String(undo.length));
      mkdirSync(dirname(backup), { recursive: true });
      move(path, backup);
      undo.push(() => move(backup, path));
      return undefined;
    }
    default: {
      const never: never = action.op;
      throw new Error(`unknown hub operation ${String(never)}`);
    }
  }
}

/** config_dir/<kind>/[<stage>/]<file>, where CrowdSec looks for installed items. */
export function installPath(layout: HubLayout, s: HubItemState): string {
  return join(layout.configDir, s.kind, ...(s.stage ? [s.stage] : []), s.fileName);
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function move(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as { code?: unknown }).code !== "EXDEV") throw e;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

/** root/rel, refused (empty string) when rel climbs out of root (upstream SafePath). */
function safeJoin(root: string, rel: string): string {
  const abs = resolve(root, rel);
  const r = relative(resolve(root), abs);
  return r === "" || r.startsWith("..") || isAbsolute(r) ? "" : abs;
}
