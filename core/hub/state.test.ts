import { describe, expect, test } from "bun:test";
import { lstatSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readHubState, type HubState } from "./state";
import { installFake, makeFakeHub, stateOf as state, type FakeHub, type FakeItem } from "./test-hub";
import { statusText } from "./view";

const sshdLogs: FakeItem = { kind: "parsers", name: "acme/sshd-logs", stage: "s01-parse", versions: 2 };
const sshBf: FakeItem = { kind: "scenarios", name: "acme/ssh-bf" };
const sshd: FakeItem = { kind: "collections", name: "acme/sshd", deps: { parsers: ["acme/sshd-logs"], scenarios: ["acme/ssh-bf"] } };
const linux: FakeItem = { kind: "collections", name: "acme/linux", deps: { collections: ["acme/sshd"] } };
const ITEMS = [sshdLogs, sshBf, sshd, linux];

/** A hub with acme/linux installed from its mirror directory. */
async function installedHub(items: readonly FakeItem[] = ITEMS): Promise<FakeHub> {
  const hub = makeFakeHub(items);
  const r = await installFake(hub, [{ kind: "collections", name: "acme/linux" }]);
  if (!r.ok) throw new Error(r.error.message);
  return hub;
}

const statuses = (s: HubState) =>
  Object.fromEntries((["parsers", "scenarios", "collections"] as const).flatMap((k) => s.all(k).map((i) => [`${k}:${i.name}`, `${statusText(i)} ${i.localVersion ?? ""}`.trim()])));

describe("readHubState()", () => {
  test("says there is no index yet, with the command that fetches it", () => {
    const hub = makeFakeHub(ITEMS);
    const s = readHubState(hub.layout);
    expect(s.ok ? "" : `${s.error.message} (${s.error.hint})`).toBe(`No hub index at "${hub.layout.indexPath}" (run 'picket hub update' first)`);
  });

  test("sees installed items as symlinks into the hub dir, at their latest version", async () => {
    const hub = await installedHub();
    const s = state(hub);
    expect(statuses(s)).toEqual({
      "parsers:acme/sshd-logs": "enabled 0.2",
      "scenarios:acme/ssh-bf": "enabled 0.1",
      "collections:acme/linux": "enabled 0.1",
      "collections:acme/sshd": "enabled 0.1",
    });
    const parser = s.get("parsers", "acme/sshd-logs")!;
    expect(parser.localPath).toBe(join(hub.layout.configDir, "parsers", "s01-parse", "sshd-logs.yaml"));
    expect(lstatSync(parser.localPath!).isSymbolicLink()).toBe(true);
    expect(readlinkSync(parser.localPath!)).toBe(join(hub.layout.hubDir, "parsers", "s01-parse", "acme", "sshd-logs.yaml"));
    expect(parser.belongsToCollections).toEqual(["acme/linux", "acme/sshd"]);
    expect(s.warnings).toEqual([]);
  });

  test("reports an edited item as tainted, and the collections holding it", async () => {
    const hub = await installedHub();
    writeFileSync(join(hub.layout.hubDir, "scenarios", "acme", "ssh-bf.yaml"), "name: acme/ssh-bf\n# mine\n");
    const s = state(hub);
    const bf = s.get("scenarios", "acme/ssh-bf")!;
    expect([statusText(bf), bf.localVersion, bf.taintedBy]).toEqual(["enabled,tainted", "?", ["scenarios:acme/ssh-bf"]]);
    expect(s.get("collections", "acme/sshd")!.taintedBy).toEqual(["scenarios:acme/ssh-bf"]);
    expect(s.get("collections", "acme/linux")!.isTainted).toBe(true);
    expect(s.warnings).toContain("acme/sshd is tainted by scenarios:acme/ssh-bf");
  });

  test("reads an older version's file as outdated, and its collection too", async () => {
    const hub = await installedHub();
    writeFileSync(join(hub.layout.hubDir, "parsers", "s01-parse", "acme", "sshd-logs.yaml"), hub.contentOf(sshdLogs, 1));
    const s = state(hub);
    expect(statusText(s.get("parsers", "acme/sshd-logs")!)).toBe("enabled,update-available");
    expect(s.get("parsers", "acme/sshd-logs")!.localVersion).toBe("0.1");
    expect(statusText(s.get("collections", "acme/sshd")!)).toBe("enabled,update-available");
    expect(s.warnings).toContain("acme/sshd is outdated because of parsers:acme/sshd-logs");
  });

  test("taints a collection whose member was removed by hand", async () => {
    const hub = await installedHub();
    unlinkSync(join(hub.layout.configDir, "scenarios", "ssh-bf.yaml"));
    const s = state(hub);
    expect(s.get("collections", "acme/sshd")!.taintedBy).toEqual(["scenarios:acme/ssh-bf"]);
    expect(s.warnings).toContain("acme/sshd is tainted by missing scenarios:acme/ssh-bf");
  });

  test("lists regular files in the config dir as local items, named by their name: field", async () => {
    const hub = await installedHub();
    writeFileSync(join(hub.layout.configDir, "scenarios", "custom.yaml"), "name: me/custom\n");
    writeFileSync(join(hub.layout.configDir, "scenarios", "nameless.yaml"), "filter: true\n");
    const s = state(hub);
    const custom = s.get("scenarios", "me/custom")!;
    expect([statusText(custom), custom.isLocal, custom.localPath]).toEqual(["enabled,local", true, join(hub.layout.configDir, "scenarios", "custom.yaml")]);
    expect(s.get("scenarios", "nameless.yaml")?.isLocal).toBe(true);
  });

  test("warns about a broken symlink and skips it", async () => {
    const hub = await installedHub();
    const link = join(hub.layout.configDir, "scenarios", "gone.yaml");
    symlinkSync(join(hub.layout.hubDir, "nowhere.yaml"), link);
    expect(state(hub).warnings).toEqual([`Ignoring file ${link}: broken symlink`]);
  });
});
