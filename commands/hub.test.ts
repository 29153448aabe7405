import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryIo } from "../cli/io";
import { HAS_SHARED, SHARED, TESTDATA } from "../core/testing";
import { hub, type HubOptions } from "./hub";
import { replay } from "./replay";

const AUTH = join(TESTDATA, "samples", "logs", "auth.log");
const NOW = Date.UTC(2026, 11, 1);

/** An empty CrowdSec config in a temp dir. */
function emptyConfig(): { config: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), "picket-hubcmd-"));
  mkdirSync(join(root, "etc"));
  const config = join(root, "etc", "config.yaml");
  writeFileSync(config, `config_paths:\n  config_dir: ${root}/etc\n  data_dir: ${root}/data\n  hub_dir: ${root}/hub\n`);
  return { config, root };
}

async function run(opts: Partial<HubOptions> & { action: string }) {
  const io = memoryIo();
  const code = await hub({ args: [], ...opts }, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("picket hub (usage)", () => {
  const { config } = emptyConfig();
  const cases = [
    { action: "install", args: ["widget", "x"], want: 'picket hub install: unknown kind "widget" (expected parser, postoverflow, scenario, context, appsec-config, appsec-rule, collection)' },
    { action: "install", args: ["collection"], want: "picket hub install: name at least one collection" },
    { action: "remove", args: ["parsers"], want: "picket hub remove: name at least one parsers or pass --all" },
    { action: "frobnicate", args: [], want: 'picket hub: unknown action "frobnicate" (expected update, list, install, remove, upgrade or inspect)' },
  ];
  test.each(cases)("$action $args exits 2", async ({ action, args, want }) => {
    const r = await run({ action, args, config });
    expect([r.code, r.err.trim()]).toEqual([2, want]);
  });

  test("list before update says how to get the index (exit 3)", async () => {
    const r = await run({ action: "list", config });
    expect(r.code).toBe(3);
    expect(r.err).toContain("run 'picket hub update' first");
  });
});

describe.skipIf(!HAS_SHARED)("picket hub on the shared hub (skipped without ../shared)", () => {
  test("update, install crowdsecurity/linux, replay with the config, list, inspect, remove", async () => {
    const { config, root } = emptyConfig();
    const update = await run({ action: "update", config, hubUrl: join(SHARED, "hub") });
    expect([update.code, update.out]).toEqual([0, `Downloaded ${root}/hub/.index.json from ${SHARED}/hub/.index.json\n`]);
    expect((await run({ action: "update", config, hubUrl: join(SHARED, "hub") })).out).toBe("Nothing to do, the hub index is up to date.\n");

    const install = await run({ action: "install", args: ["collection", "crowdsecurity/linux"], config, dataUrl: join(SHARED, "hub-data"), geoip: join(SHARED, "geoip") });
    expect(install.code).toBe(0);
    expect(install.out).toStartWith("Action plan:\n\u{1f4e5} download\n collections: crowdsecurity/linux (0.4), crowdsecurity/sshd (0.9), crowdsecurity/whitelist-good-actors (0.4)\n");
    expect(install.out).toContain("Done: ");
    expect(readdirSync(join(root, "etc", "scenarios"))).toContain("ssh-bf.yaml");

    // replay -c takes the installed items (hub items take precedence over the built-in collection).
    const io = memoryIo();
    const code = await replay({ files: [AUTH], config, output: "csv", progress: false, now: () => NOW }, io);
    expect(code).toBe(1);
    const scenarios = new Set(io.stdout().split("\n").slice(1).filter(Boolean).map((l) => l.split(",")[0]));
    expect([...scenarios].sort()).toEqual(["crowdsecurity/ssh-bf", "crowdsecurity/ssh-bf_user-enum", "crowdsecurity/ssh-slow-bf"]);

    const json = JSON.parse((await run({ action: "list", config, output: "json" })).out) as Record<string, { name: string; status: string; local_version: string }[]>;
    expect(json.collections!.map((c) => `${c.name} ${c.status} ${c.local_version}`)).toEqual([
      "crowdsecurity/linux enabled 0.4",
      "crowdsecurity/sshd enabled 0.9",
      "crowdsecurity/whitelist-good-actors enabled 0.4",
    ]);
    expect(json.builtin!.map((b) => b.name)).toContain("picket/ssh-bruteforce");
    const raw = (await run({ action: "list", args: ["collections"], config, output: "raw" })).out.split("\n");
    expect(raw.slice(0, 2)).toEqual(["name,status,version,description", "crowdsecurity/linux,enabled,0.4,core linux support : syslog+geoip+ssh"]);
    const human = (await run({ action: "list", config })).out;
    expect(human).toContain(" crowdsecurity/sshd-logs ");
    expect(human).toContain("BUILT-IN");

    const inspect = JSON.parse((await run({ action: "inspect", args: ["parser", "crowdsecurity/sshd-logs"], config, output: "json" })).out) as Record<string, unknown>;
    expect([inspect.installed, inspect.tainted, inspect.local_version]).toEqual([true, false, "3.1"]);
    // Every collection of the index that holds it, installed or not, as cscli lists them.
    expect(inspect.belongs_to_collections).toEqual(expect.arrayContaining(["crowdsecurity/linux", "crowdsecurity/sshd", "crowdsecurity/freebsd"]));

    const remove = await run({ action: "remove", args: ["collection", "crowdsecurity/linux"], config });
    expect(remove.code).toBe(0);
    expect(existsSync(join(root, "etc", "scenarios", "ssh-bf.yaml"))).toBe(false);
    const after = (await run({ action: "list", config, output: "raw" })).out.trim().split("\n");
    expect(after[0]).toBe("name,status,version,description,type");
    expect(after.slice(1).filter((l) => !l.startsWith("picket/"))).toEqual([]);
    expect(after).toContain("picket/ssh-bruteforce,built-in,,Detect a burst of failed SSH logins from one address,scenarios");
  });
});
