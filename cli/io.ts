/** The streams a command writes through: stdout is data, stderr is everything else. */
import pc from "picocolors";
import { renderProblem, type Problem } from "../core/result";

export type Colors = ReturnType<typeof pc.createColors>;

export interface Io {
  /** A line of data on stdout. */
  out(text: string): void;
  /** One compact JSON object per line on stdout. */
  json(value: unknown): void;
  /** A diagnostic line on stderr. */
  err(text: string): void;
  /** Problems on stderr, one rendered block each. */
  problems(list: readonly Problem[]): void;
  /** Colours for stdout text (no-ops when stdout is not a colour terminal). */
  readonly color: Colors;
  /** Colours for stderr text. */
  readonly errColor: Colors;
  /** True when stderr is an interactive terminal (progress bars). */
  readonly isErrTty: boolean;
}

/** Colour only on a TTY, with NO_COLOR unset and TERM not "dumb" (decided once per stream). */
export function wantsColor(isTty: boolean, env: Record<string, string | undefined> = process.env): boolean {
  return isTty && env.NO_COLOR === undefined && env.TERM !== "dumb";
}

let pipeGuarded = false;

/** `picket … | head`: a reader that goes away ends the command quietly, as in other Unix tools. */
function guardBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  });
}

export function processIo(): Io {
  guardBrokenPipe();
  const color = pc.createColors(wantsColor(Boolean(process.stdout.isTTY)));
  const errColor = pc.createColors(wantsColor(Boolean(process.stderr.isTTY)));
  return makeIo(
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
    color,
    errColor,
    Boolean(process.stderr.isTTY),
  );
}

/** An Io that keeps everything in memory, for tests. */
export function memoryIo(): Io & { stdout(): string; stderr(): string } {
  let out = "";
  let err = "";
  const plain = pc.createColors(false);
  const io = makeIo((s) => { out += s; }, (s) => { err += s; }, plain, plain, false);
  return Object.assign(io, { stdout: () => out, stderr: () => err });
}

function makeIo(
  writeOut: (s: string) => void,
  writeErr: (s: string) => void,
  color: Colors,
  errColor: Colors,
  isErrTty: boolean,
): Io {
  return {
    out: (text) => writeOut(text + "\n"),
    json: (value) => writeOut(JSON.stringify(value) + "\n"),
    err: (text) => writeErr(text + "\n"),
    problems: (list) => {
      for (const p of list) writeErr(renderProblem(p) + "\n");
    },
    color,
    errColor,
    isErrTty,
  };
}
