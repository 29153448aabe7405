/** `picket lint PATH...`: every problem of the items under PATH as file:line, and a closing count. */
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { lintAssertFiles, lintItems } from "../core/lint";
import type { Problem } from "../core/result";

export interface LintCommandOptions {
  readonly paths: readonly string[];
  readonly asserts: boolean;
  readonly json: boolean;
}

export function lint(opts: LintCommandOptions, io: Io): ExitCode {
  if (opts.paths.length === 0) {
    io.err("picket lint: give at least one file or directory");
    return EXIT.USAGE;
  }
  const report = opts.asserts ? lintAssertFiles(opts.paths) : lintItems(opts.paths);
  if (opts.json) {
    for (const p of report.problems) io.json({ severity: "error", ...p });
    for (const p of report.warnings) io.json({ severity: "warning", ...p });
  } else {
    const c = io.color;
    for (const p of report.problems) io.out(formatLintLine(p, c.red("error")));
    for (const p of report.warnings) io.out(formatLintLine(p, c.yellow("warning")));
  }
  const summary = `lint: ${report.files} files, ${report.problems.length} errors`;
  if (opts.json) io.err(summary);
  else io.out(summary);
  return report.problems.length > 0 ? EXIT.FAILED : EXIT.OK;
}

/** `file:line:col: field: message`, then the snippet and hint indented. */
function formatLintLine(p: Problem, severity: string): string {
  const where = [p.file ?? "", p.line ?? "", p.column ?? ""].filter((x) => x !== "").join(":");
  const head = `${where}: ${severity}: ${p.field ? `${p.field}: ` : ""}${p.message}`;
  const extra: string[] = [];
  if (p.snippet) extra.push(...p.snippet.split("\n").map((l) => `    ${l}`));
  if (p.hint) extra.push(`    hint: ${p.hint}`);
  return [head, ...extra].join("\n");
}
