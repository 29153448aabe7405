import { describe, expect, test } from "bun:test";
import { adminGroupOf } from "./registry";
import { runAdmin } from "./testing";

describe("runAdminGroup()", () => {
  test("prints the group's actions on --help (stdout, exit 0) and without an action (stderr, exit 2)", async () => {
    const help = await runAdmin(["decisions", "--help"]);
    expect([help.code, help.stdout.split("\n").slice(0, 11)]).toEqual([
      0,
      [
        "Manage decisions: list, add, delete and import them (through a Local API or the database)",
        "",
        "Usage:",
        "  picket decisions <action> [flags]",
        "",
        "Actions:",
        "  list     List decisions (from the alerts that carry them)",
        "  add      Add a decision",
        "  delete   Delete decisions (they end now; bouncers see them as deleted)",
        "  import   Import decisions from a CSV, JSON or plain list file",
        "",
      ],
    ]);
    const bare = await runAdmin(["machines"]);
    expect([bare.code, bare.stdout, bare.stderr.split("\n")[3]]).toEqual([2, "", "  picket machines <action> [flags]"]);
  });

  test("prints an action's flags on -h, without touching any database", async () => {
    const r = await runAdmin(["bouncers", "add", "-h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  picket bouncers add NAME [flags]");
    expect(r.stdout).toContain("  -k, --key KEY");
  });

  test("accepts cscli's aliases", async () => {
    expect([adminGroupOf("decision")?.name, adminGroupOf("machine")?.name, adminGroupOf("nope")]).toEqual(["decisions", "machines", undefined]);
    const r = await runAdmin(["alerts", "remove", "-h"]);
    expect(r.stdout.split("\n")[0]).toBe("Delete alerts, with their decisions and events");
  });
});
