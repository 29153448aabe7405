// A small hub made on the spot for tests: items with several versions, a mirror directory holding
// each item's latest file, an index with the digests of every version, and a CrowdSec config.

import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { HubItemKind } from "./hub-index";
import { applyPlan, type ApplyReport } from "./apply";
import type { HubLayout } from "./layout";
import { planInstall, type ItemRef } from "./plan";
import { dataSource, hubSource, sha256Hex } from "./source";
import { readHubState, type HubState } from "./state";
import type { Result } from "../result";

export interface FakeItem {
  readonly kind: HubItemKind;
  readonly name: string;
  readonly stage?: string;
  /** Members, for collections (written into every version's file too). */
  readonly deps?: Partial<Record<HubItemKind, readonly string[]>>;
  /** Members of the versions before the latest, when they differ (a collection that changed). */
  readonly oldDeps?: Partial<Record<HubItemKind, readonly string[]>>;
  /** How many versions exist (0.1, 0.2, …); the last is the latest. Default 1. */
  readonly versions?: number;
  /** Put the content in the index (default) or only in the mirror. */
  readonly inline?: boolean;
  /** `data:` entries of the file. */
  readonly data?: readonly { source_url: string; dest_file: string }[];
}

export interface FakeHub {
  readonly root: string;
  readonly mirror: string;
  readonly configFile: string;
  readonly layout: HubLayout;
  /** The text of an item's version (1-based). */
  contentOf(item: FakeItem, version: number): string;
  /** Rewrites the mirror and index with these items (a later hub). */
  publish(items: readonly FakeItem[]): void;
}

export function itemPath(item: FakeItem): string {
  const [author, file] = item.name.split("/");
  return [item.kind, ...(item.stage ? [item.stage] : []), author!, `${file}.yaml`].join("/");
}

export function contentOf(item: FakeItem, version: number): string {
  const deps = version < (item.versions ?? 1) && item.oldDeps ? item.oldDeps : item.deps;
  const lines = [`# ${item.name} version 0.${version}`, `name: ${item.name}`];
  if (item.kind === "parsers" || item.kind === "postoverflows") lines.push("filter: \"1 == 1\"", "onsuccess: next_stage");
  for (const [kind, names] of Object.entries(deps ?? {})) lines.push(`${kind}:`, ...(names ?? []).map((n) => `  - ${n}`));
  if (item.data) lines.push("data:", ...item.data.flatMap((d) => [`  - source_url: ${d.source_url}`, `    dest_file: ${d.dest_file}`]));
  return lines.join("\n") + "\n";
}

export function makeFakeHub(items: readonly FakeItem[]): FakeHub {
  const root = mkdtempSync(join(tmpdir(), "picket-hub-"));
  const mirror = join(root, "mirror");
  const layout: HubLayout = {
    configDir: join(root, "etc"),
    hubDir: join(root, "hub"),
    dataDir: join(root, "data"),
    indexPath: join(root, "hub", ".index.json"),
  };
  mkdirSync(layout.configDir, { recursive: true });
  const configFile = join(layout.configDir, "config.yaml");
  writeFileSync(configFile, `config_paths:\n  config_dir: ${layout.configDir}\n  data_dir: ${layout.dataDir}\n  hub_dir: ${layout.hubDir}\n`);
  const publish = (list: readonly FakeItem[]): void => {
    const index: Record<string, Record<string, unknown>> = {};
    for (const item of list) {
      const n = item.versions ?? 1;
      const versions: Record<string, { digest: string; deprecated: boolean }> = {};
      for (let v = 1; v <= n; v++) versions[`0.${v}`] = { digest: sha256Hex(new TextEncoder().encode(contentOf(item, v))), deprecated: false };
      const latest = contentOf(item, n);
      const path = itemPath(item);
      mkdirSync(dirname(join(mirror, path)), { recursive: true });
      writeFileSync(join(mirror, path), latest);
      (index[item.kind] ??= {})[item.name] = {
        path,
        stage: item.stage,
        version: `0.${n}`,
        versions,
        description: `${item.name} for tests`,
        author: item.name.split("/")[0],
        ...(item.inline === false ? {} : { content: Buffer.from(latest).toString("base64") }),
        ...(item.deps ?? {}),
      };
    }
    mkdirSync(mirror, { recursive: true });
    writeFileSync(join(mirror, ".index.json"), JSON.stringify(index));
  };
  publish(items);
  return { root, mirror, configFile, layout, contentOf: (item, v) => contentOf(item, v), publish };
}

/** The state of a fake hub; throws when it cannot be read (a broken test set-up). */
export function stateOf(hub: FakeHub): HubState {
  const s = readHubState(hub.layout);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

/** Copies the mirror's index in (hub update) and installs items from the mirror directory. */
export async function installFake(hub: FakeHub, refs: readonly ItemRef[], data?: string): Promise<Result<ApplyReport>> {
  mkdirSync(hub.layout.hubDir, { recursive: true });
  copyFileSync(join(hub.mirror, ".index.json"), hub.layout.indexPath);
  const plan = planInstall(stateOf(hub), refs);
  if (!plan.ok) return plan;
  const src = hubSource(hub.mirror, "master");
  const dataSrc = dataSource(data);
  if (!src.ok || !dataSrc.ok) throw new Error("bad test source");
  return applyPlan(hub.layout, plan.value, { hub: src.value, data: dataSrc.value });
}
