import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BucketRecord, BucketSnapshot } from "../buckets";
import { keepUnchangedScenarios, loadState, saveState, type AgentState } from "./state";

const dir = mkdtempSync(join(tmpdir(), "picket-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bucket = (scenario: number, partition: string) => ({ scenario, partition }) as unknown as BucketRecord;
const snap: BucketSnapshot = {
  format: 1,
  scenarios: ["a/one", "a/two", "a/three"],
  buckets: [bucket(0, "1.1.1.1"), bucket(1, "2.2.2.2"), bucket(2, "3.3.3.3")],
  blackholes: [{ scenario: 1, hidden: [] }],
  watermark: null,
  nextId: 3,
};

describe("keepUnchangedScenarios()", () => {
  test.each([
    { name: "same hashes: everything kept", current: { "a/one": "h1", "a/two": "h2", "a/three": "h3" }, kept: ["1.1.1.1", "2.2.2.2", "3.3.3.3"], dropped: [] },
    { name: "a changed file drops its buckets", current: { "a/one": "h1", "a/two": "CHANGED", "a/three": "h3" }, kept: ["1.1.1.1", "3.3.3.3"], dropped: ["a/two"] },
    { name: "a removed scenario drops its buckets", current: { "a/one": "h1", "a/three": "h3" }, kept: ["1.1.1.1", "3.3.3.3"], dropped: ["a/two"] },
  ])("$name", ({ current, kept, dropped }) => {
    const r = keepUnchangedScenarios(snap, { "a/one": "h1", "a/two": "h2", "a/three": "h3" }, new Map(Object.entries(current)));
    expect(r.snapshot.buckets.map((b) => b.partition)).toEqual([...kept]);
    expect(r.dropped).toEqual([...dropped]);
    expect(r.snapshot.blackholes.length).toBe(dropped.length === 0 ? 1 : 0);
  });
});

describe("saveState() / loadState()", () => {
  test("round trip; no file is no state; a damaged file is a problem", () => {
    const path = join(dir, "s.json");
    expect(loadState(path)).toEqual({ ok: true, value: undefined });
    const state: AgentState = { format: 1, savedAt: "2026-11-23T10:00:00.000Z", scenarioHashes: { "a/one": "h1" }, buckets: snap, positions: { "/var/log/auth.log": { offset: 42, inode: 7, device: 1 } } };
    expect(saveState(path, state)).toEqual({ ok: true, value: true });
    expect(loadState(path)).toEqual({ ok: true, value: state });
    writeFileSync(path, "{ half");
    const r = loadState(path);
    expect(r.ok ? "" : r.error.message).toStartWith("Cannot restore the agent state:");
  });
});
