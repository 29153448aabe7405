/**
 * The hub's `.index.json`: item names → files, stages, versions, dependencies. Used to resolve the
 * items a user (or a hubtest config) names, and to expand collections into their items.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { err, ok, problem, type Problem, type Result } from "../result";

export type HubItemKind =
  | "parsers"
  | "scenarios"
  | "postoverflows"
  | "collections"
  | "contexts"
  | "appsec-configs"
  | "appsec-rules";

export const HUB_ITEM_KINDS: readonly HubItemKind[] = [
  "parsers",
  "scenarios",
  "postoverflows",
  "collections",
  "contexts",
  "appsec-configs",
  "appsec-rules",
];

export interface HubItem {
  readonly kind: HubItemKind;
  readonly name: string;
  /** Relative to the hub root: `parsers/s01-parse/crowdsecurity/sshd-logs.yaml`. */
  readonly path: string;
  readonly stage?: string;
  readonly version?: string;
  /** Latest version's sha256, hex. */
  readonly digest?: string;
  /** For collections: the items they pull in, by kind. */
  readonly dependencies: Readonly<Partial<Record<HubItemKind, readonly string[]>>>;
  /** Every version the index knows, with its sha256 (hex): how a local file's version is recognised. */
  readonly versions?: Readonly<Record<string, string>>;
  /** The file's text, base64, when the index was fetched with content. */
  readonly content?: string;
  readonly description?: string;
  readonly author?: string;
}

export interface HubIndex {
  readonly root: string;
  get(kind: HubItemKind, name: string): HubItem | undefined;
  all(kind: HubItemKind): readonly HubItem[];
}

/** Reads `<root>/.index.json`. */
export function loadHubIndex(root: string): Result<HubIndex> {
  const file = join(root, ".index.json");
  if (!existsSync(file)) return err(problem("hub.no-index", `No hub index at "${file}"`, { hint: "point --hub at a hub directory (it holds .index.json)" }));
  return parseHubIndex(readFileSync(file, "utf8"), root, file);
}

/** Parses index text; `root` is where the items' relative paths resolve, `file` names it in problems. */
export function parseHubIndex(text: string, root: string, file?: string): Result<HubIndex> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return err(problem("hub.bad-index", `Cannot parse hub index: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  if (!isRecord(raw)) return err(problem("hub.bad-index", "Hub index is not a JSON object", { file }));
  const items = new Map<string, HubItem>();
  const byKind = new Map<HubItemKind, HubItem[]>();
  for (const kind of HUB_ITEM_KINDS) {
    const section = raw[kind];
    if (!isRecord(section)) continue;
    const list: HubItem[] = [];
    for (const [name, value] of Object.entries(section)) {
      if (!isRecord(value) || typeof value.path !== "string") continue;
      const dependencies: Partial<Record<HubItemKind, string[]>> = {};
      for (const k of HUB_ITEM_KINDS) {
        const deps = value[k];
        if (Array.isArray(deps)) dependencies[k] = deps.filter((d): d is string => typeof d === "string");
      }
      const versions: Record<string, string> = {};
      if (isRecord(value.versions)) {
        for (const [v, entry] of Object.entries(value.versions)) if (isRecord(entry) && typeof entry.digest === "string") versions[v] = entry.digest;
      }
      const version = typeof value.version === "string" ? value.version : undefined;
      const item: HubItem = {
        kind,
        name,
        path: value.path,
        stage: typeof value.stage === "string" ? value.stage : undefined,
        version,
        digest: version !== undefined ? versions[version] : undefined,
        dependencies,
        versions,
        content: typeof value.content === "string" && value.content !== "" ? value.content : undefined,
        description: typeof value.description === "string" ? value.description : undefined,
        author: typeof value.author === "string" ? value.author : undefined,
      };
      items.set(`${kind}\u0000${name}`, item);
      list.push(item);
    }
    byKind.set(kind, list);
  }
  return ok({
    root,
    get: (kind, name) => items.get(`${kind}\u0000${name}`),
    all: (kind) => byKind.get(kind) ?? [],
  });
}

/**
 * Expands names (collections included, recursively) into the set of items of each kind, in the
 * order first met. Unknown names are returned as problems.
 */
export function expandItems(
  index: HubIndex,
  requested: readonly { kind: HubItemKind; name: string }[],
): { items: Map<HubItemKind, HubItem[]>; problems: Problem[] } {
  const items = new Map<HubItemKind, HubItem[]>();
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const visit = (kind: HubItemKind, name: string): void => {
    const key = `${kind}\u0000${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const item = index.get(kind, name);
    if (!item) {
      problems.push(problem("hub.unknown-item", `Unknown ${singular(kind)} "${name}" in the hub index`));
      return;
    }
    let list = items.get(kind);
    if (!list) items.set(kind, (list = []));
    list.push(item);
    for (const depKind of HUB_ITEM_KINDS) for (const dep of item.dependencies[depKind] ?? []) visit(depKind, dep);
  };
  for (const r of requested) visit(r.kind, r.name);
  return { items, problems };
}

/** "parsers" → "parser". */
export function singular(kind: HubItemKind): string {
  return kind.endsWith("s") ? kind.slice(0, -1) : kind;
}

/** Finds an item by bare name in any kind (collections first, as users mostly name those). */
export function findItemAnyKind(index: HubIndex, name: string): HubItem | undefined {
  for (const kind of ["collections", "parsers", "scenarios", "postoverflows", "contexts", "appsec-configs", "appsec-rules"] as const) {
    const item = index.get(kind, name);
    if (item) return item;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
