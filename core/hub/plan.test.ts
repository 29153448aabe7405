import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderProblem } from "../result";
import { planInstall, planRemove, planUpgrade, type HubPlan } from "./plan";
import { installFake, makeFakeHub, stateOf, type FakeItem } from "./test-hub";

const sshdLogs: FakeItem = { kind: "parsers", name: "acme/sshd-logs", stage: "s01-parse" };
const nginxLogs: FakeItem = { kind: "parsers", name: "acme/nginx-logs", stage: "s01-parse" };
const apacheLogs: FakeItem = { kind: "parsers", name: "acme/apache-logs", stage: "s01-parse" };
const sshBf: FakeItem = { kind: "scenarios", name: "acme/ssh-bf" };
const probing: FakeItem = { kind: "scenarios", name: "acme/http-probing" };
const sshd: FakeItem = { kind: "collections", name: "acme/sshd", deps: { parsers: ["acme/sshd-logs"], scenarios: ["acme/ssh-bf"] } };
const baseHttp: FakeItem = { kind: "collections", name: "acme/base-http", deps: { scenarios: ["acme/http-probing"] } };
const nginx: FakeItem = { kind: "collections", name: "acme/nginx", deps: { parsers: ["acme/nginx-logs"], collections: ["acme/base-http"] } };
const apache: FakeItem = { kind: "collections", name: "acme/apache", deps: { parsers: ["acme/apache-logs"], collections: ["acme/base-http"] } };
const ITEMS = [sshdLogs, nginxLogs, apacheLogs, sshBf, probing, sshd, baseHttp, nginx, apache];

/** "op kind:name" lines, in plan order. */
const steps = (plan: HubPlan) => plan.actions.map((a) => `${a.op} ${a.state.kind}:${a.state.name}`);

async function hubWith(...collections: string[]) {
  const hub = makeFakeHub(ITEMS);
  const r = await installFake(hub, collections.map((name) => ({ kind: "collections" as const, name })));
  if (!r.ok) throw new Error(r.error.message);
  return hub;
}

describe("planInstall()", () => {
  test("downloads a collection's members before it, then enables them the same way", async () => {
    const hub = await hubWith();
    const plan = planInstall(stateOf(hub), [{ kind: "collections", name: "acme/sshd" }]);
    if (!plan.ok) throw new Error(plan.error.message);
    expect(steps(plan.value)).toEqual([
      "download parsers:acme/sshd-logs",
      "download scenarios:acme/ssh-bf",
      "download collections:acme/sshd",
      "enable parsers:acme/sshd-logs",
      "enable scenarios:acme/ssh-bf",
      "enable collections:acme/sshd",
    ]);
  });

  test("has nothing to do for an installed, up-to-date collection", async () => {
    const hub = await hubWith("acme/sshd");
    const plan = planInstall(stateOf(hub), [{ kind: "collections", name: "acme/sshd" }]);
    expect(plan.ok && plan.value.actions).toEqual([]);
  });

  test("leaves a tainted item alone without --force, and overwrites it with --force", async () => {
    const hub = await hubWith("acme/sshd");
    writeFileSync(join(hub.layout.hubDir, "scenarios", "acme", "ssh-bf.yaml"), "name: acme/ssh-bf\n# mine\n");
    const ref = [{ kind: "scenarios" as const, name: "acme/ssh-bf" }];
    const kept = planInstall(stateOf(hub), ref);
    expect(kept.ok && [steps(kept.value), kept.value.warnings]).toEqual([[], ["scenarios:acme/ssh-bf is tainted, use '--force' to overwrite"]]);
    const forced = planInstall(stateOf(hub), ref, { force: true });
    expect(forced.ok && steps(forced.value)).toEqual(["download scenarios:acme/ssh-bf"]);
  });

  test("names an unknown item, with the nearest name", async () => {
    const hub = await hubWith();
    const plan = planInstall(stateOf(hub), [{ kind: "collections", name: "acme/sshd-typo" }]);
    expect(plan.ok ? "" : renderProblem(plan.error)).toBe('Can\'t find "acme/sshd-typo" in collections\n  hint: did you mean "acme/sshd"?');
  });
});

describe("planRemove()", () => {
  test("keeps the members another installed collection still needs", async () => {
    const hub = await hubWith("acme/nginx", "acme/apache");
    const plan = planRemove(stateOf(hub), [{ kind: "collections", name: "acme/nginx" }]);
    expect(plan.ok && steps(plan.value)).toEqual(["disable parsers:acme/nginx-logs", "disable collections:acme/nginx"]);
  });

  test("removes the whole closure when nothing else holds it", async () => {
    const hub = await hubWith("acme/nginx");
    const plan = planRemove(stateOf(hub), [{ kind: "collections", name: "acme/nginx" }]);
    expect(plan.ok && steps(plan.value)).toEqual([
      "disable parsers:acme/nginx-logs",
      "disable scenarios:acme/http-probing",
      "disable collections:acme/base-http",
      "disable collections:acme/nginx",
    ]);
  });

  test("refuses to remove a member of an installed collection without --force", async () => {
    const hub = await hubWith("acme/sshd");
    const ref = [{ kind: "scenarios" as const, name: "acme/ssh-bf" }];
    const kept = planRemove(stateOf(hub), ref);
    expect(kept.ok && [steps(kept.value), kept.value.warnings[0]]).toEqual([[], "acme/ssh-bf belongs to collections: [acme/sshd]"]);
    const forced = planRemove(stateOf(hub), ref, { force: true, purge: true });
    expect(forced.ok && steps(forced.value)).toEqual(["disable scenarios:acme/ssh-bf", "purge scenarios:acme/ssh-bf"]);
  });

  test("refuses to remove a tainted item without --force", async () => {
    const hub = await hubWith("acme/sshd");
    writeFileSync(join(hub.layout.hubDir, "scenarios", "acme", "ssh-bf.yaml"), "name: acme/ssh-bf\n# mine\n");
    const plan = planRemove(stateOf(hub), [{ kind: "collections", name: "acme/sshd" }]);
    expect(plan.ok ? "" : plan.error.message).toBe("acme/sshd is tainted, use '--force' to remove");
  });
});

describe("planUpgrade()", () => {
  test("follows a collection's new members: the new one enabled, the dropped one disabled", async () => {
    const hub = await hubWith("acme/sshd");
    const sshdV2: FakeItem = { ...sshd, versions: 2, oldDeps: sshd.deps, deps: { parsers: ["acme/sshd-logs"], scenarios: ["acme/http-probing"] } };
    hub.publish([sshdLogs, nginxLogs, apacheLogs, sshBf, probing, sshdV2, baseHttp, nginx, apache]);
    const r = await installFake(hub, []);
    if (!r.ok) throw new Error(r.error.message);
    const plan = planUpgrade(stateOf(hub), [{ kind: "collections", name: "acme/sshd" }]);
    expect(plan.ok && steps(plan.value)).toEqual([
      "download scenarios:acme/http-probing",
      "enable scenarios:acme/http-probing",
      "disable scenarios:acme/ssh-bf",
      "download collections:acme/sshd",
    ]);
  });
});
