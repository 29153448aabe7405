// The local state of every hub item, read the way cscli reads it (upstream pkg/cwhub/sync.go):
// downloaded = hub_dir/<index path> exists; installed = a file under config_dir/<kind>/[<stage>/];
// the version of a file is the index version whose sha256 it has, and a file matching none is
// tainted; a file in config_dir that does not lead into hub_dir is a local item.

import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseAllDocuments } from "yaml";
import { HUB_ITEM_KINDS, loadHubIndex, parseHubIndex, type HubIndex, type HubItem, type HubItemKind } from "./hub-index";
import type { HubLayout } from "./layout";
import { sha256Hex } from "./source";
import { err, ok, problem, type Result } from "../result";

export interface HubItemState {
  readonly kind: HubItemKind;
  readonly name: string;
  /** The index entry; none for a local item the index does not know. */
  readonly item?: HubItem;
  readonly stage?: string;
  /** The file name once installed: `sshd-logs.yaml`. */
  readonly fileName: string;
  /** hub_dir/<path>, when downloaded. */
  readonly downloadPath?: string;
  /** The file (or symlink) in config_dir, when installed. */
  readonly localPath?: string;
  /** The index version the file's digest matches; "?" when it matches none. */
  readonly localVersion?: string;
  readonly localHash?: string;
  readonly isUpToDate: boolean;
  readonly isTainted: boolean;
  /** `kind:name` of the items that taint this one (itself when its own file was edited). */
  readonly taintedBy: readonly string[];
  readonly isLocal: boolean;
  /** Collections (installed or not) that pull this item in, sorted. */
  readonly belongsToCollections: readonly string[];
}

export interface HubState {
  readonly layout: HubLayout;
  readonly index: HubIndex;
  get(kind: HubItemKind, name: string): HubItemState | undefined;
  /** Every item of a kind, sorted by name (case-insensitive), local items included. */
  all(kind: HubItemKind): readonly HubItemState[];
  /** What cscli prints after syncing: outdated or tainted collections, ignored files. */
  readonly warnings: readonly string[];
  /** The dependencies an item has now: its installed file's when that is an older version. */
  dependenciesOf(state: HubItemState): readonly HubItemState[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MState = Mutable<HubItemState> & { taintedBy: string[]; belongsToCollections: string[] };

/** Reads the index at layout.indexPath and the state of hub_dir and config_dir. */
export function readHubState(layout: HubLayout): Result<HubState> {
  if (!existsSync(layout.indexPath)) {
    return err(problem("hub.no-index", `No hub index at "${layout.indexPath}"`, { hint: "run 'picket hub update' first" }));
  }
  const index =
    layout.indexPath === join(layout.hubDir, ".index.json")
      ? loadHubIndex(layout.hubDir)
      : parseHubIndex(readFileSync(layout.indexPath, "utf8"), layout.hubDir, layout.indexPath);
  if (!index.ok) return index;
  return ok(syncState(layout, index.value));
}

/** The state of hub_dir and config_dir against an index already loaded. */
export function syncState(layout: HubLayout, index: HubIndex): HubState {
  const warnings: string[] = [];
  const byKind = new Map<HubItemKind, Map<string, MState>>();
  for (const kind of HUB_ITEM_KINDS) {
    const map = new Map<string, MState>();
    for (const item of index.all(kind)) map.set(item.name, fromIndex(item));
    byKind.set(kind, map);
  }
  const hubDir = resolve(layout.hubDir);

  // Downloaded: the file at the item's index path (upstream also matches by author/name and
  // stage, which comes to the same path).
  for (const kind of HUB_ITEM_KINDS) {
    for (const s of byKind.get(kind)!.values()) {
      const path = join(hubDir, s.item!.path);
      if (!isFile(path)) continue;
      s.downloadPath = path;
      setVersionState(s, path);
    }
  }

  // Installed: hub items first, then local files (which shadow a hub item of the same name).
  const locals: { kind: HubItemKind; stage?: string; path: string; fname: string }[] = [];
  for (const kind of HUB_ITEM_KINDS) {
    const root = join(layout.configDir, kind);
    for (const path of yamlFiles(root)) {
      const subs = relative(root, path).split(sep);
      const staged = kind === "parsers" || kind === "postoverflows";
      if (staged && subs.length < 2) {
        warnings.push(`Ignoring file ${path}: path is too short`);
        continue;
      }
      const stage = staged ? subs[0] : undefined;
      const fname = (staged ? subs.slice(1) : subs).join("/");
      const target = resolveLink(path);
      if (!target) {
        warnings.push(`Ignoring file ${path}: broken symlink`);
        continue;
      }
      if (!isInside(target, hubDir)) {
        locals.push({ kind, stage, path, fname });
        continue;
      }
      const s = [...byKind.get(kind)!.values()].find((c) => c.stage === stage && target.endsWith(`/${c.item!.path}`));
      if (!s) {
        warnings.push(`Ignoring file ${path} of type ${kind}`);
        continue;
      }
      s.localPath = path;
      setVersionState(s, path);
      if (s.localVersion === "?") s.taintedBy = [`${kind}:${s.name}`];
      s.isTainted = s.localVersion === "?";
    }
  }
  for (const l of locals) {
    const name = localName(l.path) ?? l.fname;
    const map = byKind.get(l.kind)!;
    const other = map.get(name);
    if (other?.localPath) warnings.push(`multiple ${l.kind} named ${name}: ignoring ${other.localPath}`);
    map.set(name, {
      kind: l.kind,
      name,
      stage: l.stage,
      fileName: basename(l.path),
      localPath: l.path,
      isUpToDate: true,
      isTainted: false,
      taintedBy: [],
      isLocal: true,
      belongsToCollections: [],
    });
  }

  const get = (kind: HubItemKind, name: string): MState | undefined => byKind.get(kind)?.get(name);
  const dependenciesOf = (s: HubItemState): MState[] => {
    const out: MState[] = [];
    const deps = currentDependencies(s);
    for (const kind of DEPENDENCY_ORDER) for (const name of deps[kind] ?? []) {
      const sub = get(kind, name);
      if (sub) out.push(sub);
    }
    return out;
  };

  for (const coll of byKind.get("collections")!.values()) {
    for (const sub of descendants(coll, dependenciesOf)) insertSorted(sub.belongsToCollections, coll.name);
  }

  const addTaint = (s: MState, by: string): void => {
    if (!s.localPath) return;
    s.isTainted = true;
    if (!s.taintedBy.includes(by)) s.taintedBy = [...s.taintedBy, by].sort();
    for (const parent of s.belongsToCollections) {
      const p = get("collections", parent);
      if (p) addTaint(p, by);
    }
  };
  // As upstream checkSubItemVersions: an up-to-date installed collection is tainted by a tainted
  // or missing member, and outdated by an outdated one.
  const checkMembers = (s: MState): string[] => {
    const out: string[] = [];
    if (s.kind !== "collections" || versionStatus(s) !== "up-to-date") return out;
    for (const sub of dependenciesOf(s)) {
      if (!s.localPath) continue;
      const fq = `${sub.kind}:${sub.name}`;
      const w = checkMembers(sub);
      if (w.length > 0) {
        if (sub.isTainted) {
          addTaint(s, fq);
          out.push(`${s.name} is tainted by ${fq}`);
        }
        out.push(...w);
        continue;
      }
      if (sub.isTainted) {
        addTaint(s, fq);
        out.push(`${s.name} is tainted by ${fq}`);
      } else if (!sub.localPath) {
        addTaint(s, fq);
        out.push(`${s.name} is tainted by missing ${fq}`);
      } else if (!sub.isUpToDate) {
        s.isUpToDate = false;
        out.push(`${s.name} is outdated because of ${fq}`);
      }
    }
    return out;
  };
  for (const coll of byKind.get("collections")!.values()) {
    if (!coll.localPath) continue;
    switch (versionStatus(coll)) {
      case "up-to-date":
        warnings.push(...checkMembers(coll));
        break;
      case "update-available":
        warnings.push(`update for collection ${coll.name} available (currently:${coll.localVersion}, latest:${coll.item?.version})`);
        break;
      case "future":
        warnings.push(`collection ${coll.name} is in the future (currently:${coll.localVersion}, latest:${coll.item?.version})`);
        break;
      case "unknown":
        if (!coll.isLocal) warnings.push(`collection ${coll.name} is tainted by local changes (latest:${coll.item?.version})`);
        break;
    }
  }

  const sorted = new Map<HubItemKind, MState[]>();
  for (const kind of HUB_ITEM_KINDS) {
    sorted.set(kind, [...byKind.get(kind)!.values()].sort((a, b) => compareNoCase(a.name, b.name)));
  }
  return {
    layout,
    index,
    get,
    all: (kind) => sorted.get(kind) ?? [],
    warnings: [...new Set(warnings)],
    dependenciesOf,
  };
}

/** The order cscli walks dependencies in (upstream Dependencies.ByType). */
export const DEPENDENCY_ORDER: readonly HubItemKind[] = ["parsers", "postoverflows", "scenarios", "contexts", "appsec-configs", "appsec-rules", "collections"];

/** Every item a collection pulls in, recursively; a cycle back to the item is an error upstream, here it is cut. */
export function descendants<S extends HubItemState>(s: S, dependenciesOf: (s: HubItemState) => readonly S[]): S[] {
  const out: S[] = [];
  const seen = new Set<HubItemState>([s]);
  const visit = (cur: HubItemState): void => {
    for (const sub of dependenciesOf(cur)) {
      if (seen.has(sub)) continue;
      seen.add(sub);
      out.push(sub);
      visit(sub);
    }
  };
  visit(s);
  return out;
}

export type VersionStatus = "up-to-date" | "update-available" | "unknown" | "future";

/** The installed version against the index's latest (upstream versionStatus). */
export function versionStatus(s: HubItemState): VersionStatus {
  const local = parseVersion(s.localVersion);
  const latest = parseVersion(s.item?.version);
  if (!local || !latest) return "unknown";
  const c = compareVersions(local, latest);
  return c < 0 ? "update-available" : c === 0 ? "up-to-date" : "future";
}

/** Versions newest first: "1.10" after "1.9". */
export function sortVersionsDesc(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => compareVersions(parseVersion(b) ?? [], parseVersion(a) ?? []));
}

function fromIndex(item: HubItem): MState {
  return {
    kind: item.kind,
    name: item.name,
    item,
    stage: item.stage,
    fileName: basename(item.path),
    isUpToDate: false,
    isTainted: false,
    taintedBy: [],
    isLocal: false,
    belongsToCollections: [],
  };
}

function setVersionState(s: MState, path: string): void {
  const hash = sha256Hex(new Uint8Array(readFileSync(path)));
  s.localHash = hash;
  const versions = s.item?.versions ?? {};
  const version = sortVersionsDesc(Object.keys(versions)).find((v) => versions[v] === hash);
  s.localVersion = version ?? "?";
  s.isUpToDate = version !== undefined && version === s.item?.version;
}

/** A collection's members: the index's, unless an older version is installed (then its file's). */
function currentDependencies(s: HubItemState): Partial<Record<HubItemKind, readonly string[]>> {
  if (s.kind !== "collections" || !s.item) return {};
  if (s.isUpToDate || !s.localPath) return s.item.dependencies;
  try {
    const doc = parseAllDocuments(readFileSync(s.localPath, "utf8"))[0]?.toJS();
    if (typeof doc !== "object" || doc === null) return s.item.dependencies;
    const out: Partial<Record<HubItemKind, string[]>> = {};
    for (const kind of HUB_ITEM_KINDS) {
      const list = (doc as Record<string, unknown>)[kind];
      if (Array.isArray(list)) out[kind] = list.filter((x): x is string => typeof x === "string");
    }
    return out;
  } catch {
    return s.item.dependencies;
  }
}

function localName(path: string): string | undefined {
  try {
    const doc = parseAllDocuments(readFileSync(path, "utf8"))[0]?.toJS();
    const name = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>).name : undefined;
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}

function yamlFiles(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".")) walk(path);
      } else if (/\.ya?ml$/.test(entry.name)) {
        out.push(path);
      }
    }
  };
  walk(root);
  return out;
}

/** Follows a symlink chain (relative targets from the link's directory); undefined when dangling. */
function resolveLink(path: string): string | undefined {
  let cur = path;
  for (let i = 0; i < 10; i++) {
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) return cur;
    const target = readlinkSync(cur);
    cur = isAbsolute(target) ? target : join(dirname(cur), target);
  }
  return undefined;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, resolve(path));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function parseVersion(v: string | undefined): number[] | undefined {
  if (!v || !/^v?\d+(\.\d+)*$/.test(v)) return undefined;
  return v.replace(/^v/, "").split(".").map(Number);
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function compareNoCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function insertSorted(list: string[], value: string): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort(compareNoCase);
}
