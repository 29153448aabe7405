/**
 * What cscli 1.4.6 does to the flags of `decisions` and `alerts` before a request
 * (cmd/crowdsec-cli/utils.go manageCliDecisionAlerts, the `d` suffix of --since/--until), and how it
 * reports a failed request.
 */
import { EXIT, type ExitCode } from "../../cli/exit";
import type { Io } from "../../cli/io";
import type { LapiProblem } from "../../core/lapi";
import type { Flags } from "./flags";
import { parseDuration } from "../../core/expr";
import { parseGoCIDR, parseGoIP } from "../../core/net";
import { err, ok, type Problem, type Result } from "../../core/result";

const SCOPES: Readonly<Record<string, string>> = { ip: "Ip", range: "Range", country: "Country", as: "AS" };

/** `ip` → `Ip`, `range` → `Range`, `country` → `Country`, `as` → `AS`; other scopes as typed. */
export function foldScope(scope: string): string {
  return SCOPES[scope.toLowerCase()] ?? scope;
}

/** --ip must be an IP and --range a CIDR (cscli checks both before any request). */
export function checkIpAndRange(ip: string | undefined, range: string | undefined): Result<true, string> {
  if (range !== undefined && parseGoCIDR(range) === undefined) return err(`${range} isn't a valid range`);
  if (ip !== undefined && parseGoIP(ip) === undefined) return err(`${ip} isn't a valid ip`);
  return ok(true);
}

/** --since/--until: `30d` → `720h` (Go durations stop at hours); other values pass unchanged. */
export function daysToHours(text: string): Result<string, string> {
  if (!text.endsWith("d")) return ok(text);
  const days = text.slice(0, -1);
  if (!/^[+-]?\d+$/.test(days)) return err(`Can't parse duration ${text}, valid durations format: 1d, 4h, 4h15m`);
  return ok(`${Number(days) * 24}h`);
}

/** The filter flags `decisions list` and `alerts list` share, checked as cscli checks them. */
export interface ListFilterFlags {
  ip: string | undefined;
  range: string | undefined;
  /** --since/--until in hours when given in days. */
  since: string | undefined;
  until: string | undefined;
  all: boolean;
  scope: string | undefined;
}

export function listFilterFlags(flags: Flags): Result<ListFilterFlags, string> {
  const ip = flags.optional("ip");
  const range = flags.optional("range");
  const checked = checkIpAndRange(ip, range);
  if (!checked.ok) return checked;
  const hours = (text: string | undefined) => (text === undefined ? ok(undefined) : daysToHours(text));
  const since = hours(flags.optional("since"));
  if (!since.ok) return since;
  const until = hours(flags.optional("until"));
  if (!until.ok) return until;
  const scope = flags.optional("scope");
  return ok({ ip, range, since: since.value, until: until.value, all: flags.bool("all"), scope: scope === undefined ? undefined : foldScope(scope) });
}

/**
 * A decision duration for the Local API, which reads Go durations only: a leading `Nd` becomes
 * hours (`1d` → `24h`, `2d12h` → `48h12h` is refused), then the whole must parse as a Go duration.
 */
export function decisionDuration(text: string): Result<string, string> {
  const m = /^(\d+)d(.*)$/.exec(text);
  const converted = m ? `${Number(m[1]) * 24}h${m[2]}` : text;
  const parsed = parseDuration(converted);
  if (!parsed.ok) return err(`invalid duration "${text}" (expected a duration like 4h, 30m, 1h30m or 7d)`);
  return ok(converted);
}

/**
 * Prints a failed request as cscli would (`Unable to list decisions : API error: …`); a server that
 * could not be reached or a refused login is exit 3, a refused request exit 1.
 */
export function reportApiFailure(io: Io, context: string, problem: LapiProblem): ExitCode {
  io.err(`${context}: ${problem.message}`);
  return problem.status === 0 || problem.code === "lapi.login" ? EXIT.CONFIG : EXIT.FAILED;
}

/** Prints a problem that stopped the command before any request (no database, bad config). */
export function reportSetupProblem(io: Io, problem: Problem): ExitCode {
  io.problems([problem]);
  return EXIT.CONFIG;
}
