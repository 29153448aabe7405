/**
 * A command group with actions, as cscli's nested cobra commands (`decisions list`, `machines add`):
 * each action has its own flags and help, parsed by ./flags. cli/main.ts hands the raw arguments
 * after the group's name to `runAdminGroup`.
 */
import { EXIT, type ExitCode } from "../../cli/exit";
import type { Io } from "../../cli/io";
import { Flags, formatFlagHelp, parseFlags, type FlagSpec } from "./flags";

export interface AdminAction {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** What follows the action in the usage line: "NAME [NAME...]". */
  readonly argsUsage?: string;
  readonly summary: string;
  readonly examples?: readonly string[];
  readonly flags: readonly FlagSpec[];
  readonly minArgs?: number;
  readonly maxArgs?: number;
  run(flags: Flags, io: Io): Promise<ExitCode>;
}

export interface AdminGroup {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  readonly actions: readonly AdminAction[];
}

const HELP_FLAG: FlagSpec = { name: "help", short: "h", kind: "bool", description: "Help for this command" };

export async function runAdminGroup(group: AdminGroup, argv: readonly string[], io: Io): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    groupHelp(group).forEach((l) => (first === undefined ? io.err(l) : io.out(l)));
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const action = group.actions.find((a) => a.name === first || a.aliases?.includes(first));
  if (!action) return usageError(io, `picket ${group.name}`, `unknown action "${first}" (expected ${group.actions.map((a) => a.name).join(", ")})`);
  const command = `picket ${group.name} ${action.name}`;
  const parsed = parseFlags(rest, [...action.flags, HELP_FLAG]);
  if (!parsed.ok) return usageError(io, command, parsed.error);
  const flags = new Flags(parsed.value);
  if (flags.bool("help")) {
    actionHelp(group, action).forEach((l) => io.out(l));
    return EXIT.OK;
  }
  const n = flags.args.length;
  if (n < (action.minArgs ?? 0)) return usageError(io, command, `missing argument${action.argsUsage ? ` ${action.argsUsage}` : ""}`);
  if (action.maxArgs !== undefined && n > action.maxArgs) {
    return usageError(io, command, `unexpected argument "${flags.args[action.maxArgs]}"`);
  }
  return action.run(flags, io);
}

/** A usage error raised by an action after parsing (a flag's value makes no sense). */
export function usageError(io: Io, command: string, message: string): ExitCode {
  io.err(`${command}: ${message}`);
  io.err(`Run '${command} --help' for usage.`);
  return EXIT.USAGE;
}

export function groupHelp(group: AdminGroup): string[] {
  const width = Math.max(...group.actions.map((a) => a.name.length));
  return [
    group.summary,
    "",
    "Usage:",
    `  picket ${group.name} <action> [flags]`,
    "",
    "Actions:",
    ...group.actions.map((a) => `  ${a.name.padEnd(width)}   ${a.summary}`),
    "",
    `Run 'picket ${group.name} <action> --help' for the flags of an action.`,
  ];
}

export function actionHelp(group: AdminGroup, action: AdminAction): string[] {
  const lines = [action.summary, "", "Usage:", `  picket ${group.name} ${action.name}${action.argsUsage ? ` ${action.argsUsage}` : ""} [flags]`];
  if (action.aliases?.length) lines.push("", "Aliases:", `  ${[action.name, ...action.aliases].join(", ")}`);
  if (action.examples?.length) lines.push("", "Examples:", ...action.examples.map((e) => `  ${e}`));
  lines.push("", "Flags:", ...formatFlagHelp([...action.flags, HELP_FLAG]));
  return lines;
}
