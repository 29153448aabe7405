// What install, remove and upgrade will do, decided before anything is touched (upstream
// pkg/hubops): downloads first (dependencies before the collection that pulls them), then the
// symlinks to create or delete. Tainted items are left alone without --force; items another
// installed collection still needs stay.

import type { HubItemKind } from "./hub-index";
import { singular } from "./hub-index";
import { descendants, type HubItemState, type HubState } from "./state";
import { err, ok, problem, type Result } from "../result";

export type HubOperation = "download" | "enable" | "disable" | "purge";

export interface HubAction {
  readonly op: HubOperation;
  readonly state: HubItemState;
}

export interface HubPlan {
  readonly actions: readonly HubAction[];
  /** Things skipped on purpose (tainted, local, still needed), for the user to read. */
  readonly warnings: readonly string[];
}

export interface InstallOptions {
  readonly force?: boolean;
  /** Download without enabling (cscli --download-only). */
  readonly downloadOnly?: boolean;
}

export interface RemoveOptions {
  readonly force?: boolean;
  /** Delete the downloaded file too. */
  readonly purge?: boolean;
}

export interface ItemRef {
  readonly kind: HubItemKind;
  readonly name: string;
}

/** `kind:name`, the way cscli names items in messages. */
export function fqName(s: { kind: HubItemKind; name: string }): string {
  return `${s.kind}:${s.name}`;
}

/** Installs items (and what collections pull in). Unknown names fail the whole plan. */
export function planInstall(state: HubState, refs: readonly ItemRef[], opts: InstallOptions = {}): Result<HubPlan> {
  const b = new PlanBuilder(state, Boolean(opts.force));
  for (const ref of refs) {
    const s = state.get(ref.kind, ref.name);
    if (!s) return err(unknownItem(state, ref));
    const r = b.download(s);
    if (!r.ok) return r;
    if (!opts.downloadOnly) b.enable(s);
  }
  return ok(b.done());
}

/** Removes installed items; a collection's members go too unless another installed collection needs them. */
export function planRemove(state: HubState, refs: readonly ItemRef[], opts: RemoveOptions = {}): Result<HubPlan> {
  const b = new PlanBuilder(state, Boolean(opts.force));
  for (const ref of refs) {
    const s = state.get(ref.kind, ref.name);
    if (!s) return err(unknownItem(state, ref));
    const parents = s.belongsToCollections.filter((c) => state.get("collections", c)?.localPath);
    if (!opts.force && parents.length > 0) {
      b.warn(`${s.name} belongs to collections: [${parents.join(" ")}]`);
      b.warn(`Run 'picket hub remove ${singular(s.kind)} ${s.name} --force' if you want to force remove this ${singular(s.kind)}`);
      continue;
    }
    const r = b.disable(s);
    if (!r.ok) return r;
    if (opts.purge) {
      const p = b.purge(s);
      if (!p.ok) return p;
    }
  }
  return ok(b.done());
}

/** Brings items to the index's latest version, with collection membership changes. */
export function planUpgrade(state: HubState, refs: readonly ItemRef[], opts: { readonly force?: boolean } = {}): Result<HubPlan> {
  const b = new PlanBuilder(state, Boolean(opts.force));
  for (const ref of refs) {
    const s = state.get(ref.kind, ref.name);
    if (!s) return err(unknownItem(state, ref));
    const r = b.download(s);
    if (!r.ok) return r;
  }
  return ok(b.done());
}

/** The installed items of the given kinds, as refs (remove --all, upgrade --all, hub upgrade). */
export function installedRefs(state: HubState, kinds: readonly HubItemKind[]): ItemRef[] {
  return kinds.flatMap((kind) => state.all(kind).filter((s) => s.localPath).map((s) => ({ kind, name: s.name })));
}

class PlanBuilder {
  private readonly actions: HubAction[] = [];
  private readonly keys = new Set<string>();
  private readonly warnings: string[] = [];
  /** Guards recursion through cyclic collections. */
  private readonly preparing = new Set<string>();

  constructor(
    private readonly state: HubState,
    private readonly force: boolean,
  ) {}

  warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  done(): HubPlan {
    return { actions: this.actions, warnings: this.warnings };
  }

  private add(op: HubOperation, s: HubItemState): void {
    const key = `${op}\u0000${fqName(s)}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.actions.push({ op, state: s });
  }

  private once(op: HubOperation, s: HubItemState, body: () => Result<void>): Result<void> {
    const key = `${op}\u0000${fqName(s)}`;
    if (this.preparing.has(key) || this.keys.has(key)) return ok(undefined);
    this.preparing.add(key);
    try {
      return body();
    } finally {
      this.preparing.delete(key);
    }
  }

  // As upstream DownloadCommand.Prepare: the latest members are downloaded (and enabled when the
  // collection is installed), members the new version dropped are disabled.
  download(s: HubItemState): Result<void> {
    return this.once("download", s, () => {
      if (s.isLocal) {
        this.warn(`${fqName(s)} - not downloading local item`);
        return ok(undefined);
      }
      if (s.isTainted && !this.force) {
        this.warn(`${fqName(s)} is tainted, use '--force' to overwrite`);
        return ok(undefined);
      }
      const installed = Boolean(s.localPath);
      const toDisable = new Set<HubItemState>(installed ? this.state.dependenciesOf(s) : []);
      for (const sub of this.latestDependencies(s)) {
        const r = this.download(sub);
        if (!r.ok) return r;
        if (installed) {
          this.enable(sub);
          toDisable.delete(sub);
        }
      }
      for (const sub of toDisable) {
        const r = this.disable(sub);
        if (!r.ok) return r;
      }
      if (!(s.downloadPath && s.isUpToDate)) this.add("download", s);
      return ok(undefined);
    });
  }

  enable(s: HubItemState): void {
    void this.once("enable", s, () => {
      for (const sub of this.state.dependenciesOf(s)) this.enable(sub);
      if (!s.localPath && !s.isLocal) this.add("enable", s);
      return ok(undefined);
    });
  }

  disable(s: HubItemState): Result<void> {
    return this.once("disable", s, () => {
      if (s.isLocal) {
        this.warn(`${fqName(s)} is a local item, please delete manually`);
        return ok(undefined);
      }
      if (s.isTainted && !this.force) return err(problem("hub.tainted", `${s.name} is tainted, use '--force' to remove`));
      if (!s.localPath) return ok(undefined);
      for (const sub of this.safeToRemove(s)) {
        if (!sub.localPath) continue;
        const r = this.disable(sub);
        if (!r.ok) return r;
      }
      this.add("disable", s);
      return ok(undefined);
    });
  }

  purge(s: HubItemState): Result<void> {
    return this.once("purge", s, () => {
      if (s.isLocal) return ok(undefined);
      if (s.isTainted && !this.force) return err(problem("hub.tainted", `${s.name} is tainted, use '--force' to remove`));
      for (const sub of this.safeToRemove(s)) {
        const r = this.purge(sub);
        if (!r.ok) return r;
      }
      if (s.downloadPath) this.add("purge", s);
      return ok(undefined);
    });
  }

  private latestDependencies(s: HubItemState): HubItemState[] {
    const out: HubItemState[] = [];
    const deps = s.item?.dependencies ?? {};
    for (const kind of ["parsers", "postoverflows", "scenarios", "contexts", "appsec-configs", "appsec-rules", "collections"] as const) {
      for (const name of deps[kind] ?? []) {
        const sub = this.state.get(kind, name);
        if (sub) out.push(sub);
      }
    }
    return out;
  }

  // As upstream SafeToRemoveDeps: a member stays when an installed collection outside this
  // item's own family (itself, its ancestors, its descendants) still holds it.
  private safeToRemove(s: HubItemState): HubItemState[] {
    const family = new Set<string>([s.name, ...s.belongsToCollections]);
    for (const d of descendants(s, this.state.dependenciesOf)) if (d.kind === "collections") family.add(d.name);
    return this.state.dependenciesOf(s).filter((sub) =>
      sub.belongsToCollections.every((parent) => family.has(parent) || !this.state.get("collections", parent)?.localPath),
    );
  }
}

function unknownItem(state: HubState, ref: ItemRef): ReturnType<typeof problem> {
  const names = state.all(ref.kind).map((s) => s.name);
  let best: string | undefined;
  let bestScore = 7;
  for (const n of names) {
    const d = levenshtein(ref.name, n);
    if (d < bestScore) {
      bestScore = d;
      best = n;
    }
  }
  return problem("hub.unknown-item", `Can't find "${ref.name}" in ${ref.kind}`, best ? { hint: `did you mean "${best}"?` } : {});
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
