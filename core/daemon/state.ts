/**
 * The agent's saved state: bucket snapshot, scenario hashes and file positions, written together
 * (temp file, fsync, rename) so a restart — even after SIGKILL, from the last checkpoint —
 * resumes the counters an attacker has built up and reads the lines written while down.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { FilePosition } from "../acquisition";
import type { BucketSnapshot } from "../buckets";
import { err, ok, problem, type Problem, type Result } from "../result";

export interface AgentState {
  readonly format: 1;
  readonly savedAt: string;
  /** Scenario name → sha256 of its file: buckets of a changed scenario are not restored. */
  readonly scenarioHashes: Readonly<Record<string, string>>;
  readonly buckets: BucketSnapshot;
  /** Tailed file → position after its last line whose processing was complete (parsed, poured, alerts queued). */
  readonly positions: Readonly<Record<string, FilePosition>>;
}

/** Writes the state atomically: the old file stays whole until the new one is on disk. */
export function saveState(path: string, state: AgentState): Result<true> {
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return ok(true);
  } catch (e) {
    return err(problem("daemon.state", `Cannot save the agent state: ${e instanceof Error ? e.message : String(e)}`, { file: path }));
  }
}

/** The saved state, undefined when there is none; a damaged file is a problem (the agent starts empty). */
export function loadState(path: string): Result<AgentState | undefined> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return ok(undefined);
  }
  try {
    const v = JSON.parse(text) as Partial<AgentState>;
    if (v.format !== 1 || typeof v.buckets !== "object" || v.buckets === null || typeof v.positions !== "object") {
      return err(problem("daemon.state", "Cannot restore the agent state: unknown format", { file: path }));
    }
    return ok(v as AgentState);
  } catch (e) {
    return err(problem("daemon.state", `Cannot restore the agent state: ${e instanceof Error ? e.message : String(e)}`, { file: path }));
  }
}

/**
 * The snapshot without the buckets of scenarios whose file changed (or that are gone): a bucket
 * is only carried over to the same scenario. Returns the names left out.
 */
export function keepUnchangedScenarios(snap: BucketSnapshot, saved: Readonly<Record<string, string>>, current: ReadonlyMap<string, string>): { snapshot: BucketSnapshot; dropped: string[] } {
  const dropped = snap.scenarios.filter((name) => !current.has(name) || (saved[name] !== undefined && saved[name] !== current.get(name)));
  if (dropped.length === 0) return { snapshot: snap, dropped };
  const gone = new Set(dropped);
  // renaming a dropped scenario keeps indexes stable; restore() reports and skips unknown names
  const scenarios = snap.scenarios.map((n) => (gone.has(n) ? `\u0000dropped:${n}` : n));
  const keep = (i: number) => !gone.has(snap.scenarios[i]!);
  return {
    snapshot: { ...snap, scenarios, buckets: snap.buckets.filter((b) => keep(b.scenario)), blackholes: snap.blackholes.filter((b) => keep(b.scenario)) },
    dropped,
  };
}

