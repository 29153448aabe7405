/**
 * The admin command groups (cscli's decisions, alerts, bouncers, machines). cli/main.ts hands them
 * their raw arguments before cac sees them: each action has its own flags (`-i` is `--ip` in
 * `decisions list`, `--input` in `decisions import`), which one cac command cannot express.
 */
import type { ExitCode } from "../../cli/exit";
import type { Io } from "../../cli/io";
import { alertsGroup } from "../alerts";
import { bouncersGroup } from "../bouncers";
import { decisionsGroup } from "../decisions";
import { machinesGroup } from "../machines";
import { runAdminGroup, type AdminGroup } from "./group";

export const ADMIN_GROUPS: readonly AdminGroup[] = [decisionsGroup, alertsGroup, bouncersGroup, machinesGroup];

/** The group a command word names (`decisions`, or its alias `decision`), if any. */
export function adminGroupOf(word: string | undefined): AdminGroup | undefined {
  return word === undefined ? undefined : ADMIN_GROUPS.find((g) => g.name === word || g.aliases?.includes(word));
}

/** Runs `picket <group> <action> [flags]` from the arguments after the group word. */
export function runAdminCommand(group: AdminGroup, argv: readonly string[], io: Io): Promise<ExitCode> {
  return runAdminGroup(group, argv, io);
}
