/**
 * The admin command groups (cscli's decisions, alerts, bouncers, machines). cli/main.ts hands them
 * their raw arguments before cac sees them: each action has its own flags (`-i` is `--ip` in
 * `decisions list`, `--input` in `decisions import`), which one cac command cannot express.
 * A group's code is loaded when it runs, so other commands do not pay for it at start-up.
 */
import type { ExitCode } from "../../cli/exit";
import type { Io } from "../../cli/io";
import { ALERTS_HEAD, BOUNCERS_HEAD, DECISIONS_HEAD, MACHINES_HEAD, type AdminGroupHead } from "./heads";
import type { AdminGroup } from "./group";

interface LazyGroup extends AdminGroupHead {
  load(): Promise<AdminGroup>;
}

export const ADMIN_GROUPS: readonly LazyGroup[] = [
  { ...DECISIONS_HEAD, load: async () => (await import("../decisions")).decisionsGroup },
  { ...ALERTS_HEAD, load: async () => (await import("../alerts")).alertsGroup },
  { ...BOUNCERS_HEAD, load: async () => (await import("../bouncers")).bouncersGroup },
  { ...MACHINES_HEAD, load: async () => (await import("../machines")).machinesGroup },
];

/** The group a command word names (`decisions`, or its alias `decision`), if any. */
export function adminGroupOf(word: string | undefined): LazyGroup | undefined {
  return word === undefined ? undefined : ADMIN_GROUPS.find((g) => g.name === word || g.aliases?.includes(word));
}

/** Runs `picket <group> <action> [flags]` from the arguments after the group word. */
export async function runAdminCommand(group: LazyGroup, argv: readonly string[], io: Io): Promise<ExitCode> {
  const { runAdminGroup } = await import("./group");
  return runAdminGroup(await group.load(), argv, io);
}
