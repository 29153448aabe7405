// How an item's state reads to people and scripts, as cscli words it (upstream pkg/cwhub/state.go,
// Item.MarshalJSON / MarshalYAML): the status text, its emoji, and the inspect view.

import { HUB_ITEM_KINDS } from "./hub-index";
import type { HubOperation, HubPlan } from "./plan";
import { DEPENDENCY_ORDER, type HubItemState, type HubState } from "./state";

export type ItemStatus = "not-installed" | "tainted" | "local" | "outdated" | "up-to-date";

/** "enabled", "disabled", then ",local" and ",tainted" or ",update-available" (cscli list). */
export function statusText(s: HubItemState): string {
  let text = s.localPath ? "enabled" : "disabled";
  if (s.isLocal) text += ",local";
  if (s.isTainted) text += ",tainted";
  else if (!s.isUpToDate && !s.isLocal) text += ",update-available";
  return text;
}

export function itemStatus(s: HubItemState): ItemStatus {
  if (!s.localPath) return "not-installed";
  if (s.isTainted) return "tainted";
  if (s.isLocal) return "local";
  if (!s.isUpToDate) return "outdated";
  return "up-to-date";
}

/** 🏠 local, 🚫 not installed, ⚠️ tainted or outdated, ✔️ installed. */
export function statusEmoji(s: HubItemState): string {
  if (s.isLocal) return "\u{1f3e0}";
  if (!s.localPath) return "\u{1f6ab}";
  if (s.isTainted || !s.isUpToDate) return "\u26a0\ufe0f";
  return "\u2714\ufe0f";
}

/** The fields `cscli <kind> inspect` shows, in its order; `json` adds the JSON-only fields (content, versions). */
export function inspectView(state: HubState, s: HubItemState, json: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return;
    out[k] = v;
  };
  put("type", s.kind);
  put("stage", s.stage);
  put("name", s.name);
  put("file_name", s.fileName);
  put("description", s.item?.description);
  if (json) put("content", s.item?.content);
  put("path", s.item?.path);
  put("version", s.item?.version);
  if (json && s.item?.versions) out.versions = Object.fromEntries(Object.entries(s.item.versions).map(([v, digest]) => [v, { digest }]));
  const deps = new Map<string, string[]>();
  for (const sub of state.dependenciesOf(s)) deps.set(sub.kind, [...(deps.get(sub.kind) ?? []), sub.name]);
  for (const kind of HUB_ITEM_KINDS) put(kind, deps.get(kind));
  put("local_path", s.localPath);
  put("local_version", s.localVersion);
  put("local_hash", s.localHash);
  if (json) {
    out.installed = Boolean(s.localPath);
    out.downloaded = Boolean(s.downloadPath);
  }
  out.up_to_date = s.isUpToDate;
  out.tainted = s.isTainted;
  if (!json) put("tainted_by", s.taintedBy);
  put("belongs_to_collections", s.belongsToCollections);
  if (!json) out.installed = Boolean(s.localPath);
  out.local = s.isLocal;
  return out;
}

const OP_ORDER: readonly HubOperation[] = ["download", "enable", "disable", "purge"];
const OP_LABEL: Readonly<Record<HubOperation, string>> = {
  download: "\u{1f4e5} download",
  enable: "\u2705 enable",
  disable: "\u274c disable",
  purge: "\u{1f5d1} purge (delete source)",
};

/** The compact plan description cscli prints: per operation, per kind (collections first). */
export function describePlan(plan: HubPlan): string {
  const lines: string[] = [];
  for (const op of OP_ORDER) {
    const actions = plan.actions.filter((a) => a.op === op);
    if (actions.length === 0) continue;
    lines.push(OP_LABEL[op]);
    for (const kind of [...DEPENDENCY_ORDER].reverse()) {
      const details = actions
        .filter((a) => a.state.kind === kind)
        .map((a) => {
          const s = a.state;
          if (op !== "download") return s.name;
          return s.downloadPath ? `${s.name} (${s.localVersion} -> ${s.item?.version})` : `${s.name} (${s.item?.version})`;
        })
        .sort();
      if (details.length > 0) lines.push(` ${kind}: ${details.join(", ")}`);
    }
  }
  return lines.join("\n");
}
