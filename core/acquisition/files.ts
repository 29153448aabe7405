/**
 * Cold files for replay: glob patterns expanded, `-` for stdin, `.gz` decompressed on the fly, each
 * opened as a stream of lines.
 */
import { existsSync, statSync } from "node:fs";
import { Glob } from "bun";
import { dirname, isAbsolute, resolve } from "node:path";
import { problem, type Problem } from "../result";
import { linesOf, type LineSplitOptions } from "./lines";

export interface FileInput {
  /** As the user named it (`-` for stdin); the event's Line.Src. */
  readonly path: string;
  /** Size in bytes when known (progress). */
  readonly sizeBytes?: number;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Expands globs; a pattern matching nothing, or a missing file, is a problem. */
export function expandInputs(patterns: readonly string[]): { inputs: FileInput[]; problems: Problem[] } {
  const inputs: FileInput[] = [];
  const problems: Problem[] = [];
  for (const pattern of patterns) {
    if (pattern === "-") {
      inputs.push({ path: "-" });
      continue;
    }
    if (!GLOB_CHARS.test(pattern)) {
      if (!existsSync(pattern)) problems.push(problem("input.missing", `Cannot read "${pattern}": no such file`));
      else if (statSync(pattern).isDirectory()) problems.push(problem("input.directory", `"${pattern}" is a directory: name the log files (globs work)`));
      else inputs.push({ path: pattern, sizeBytes: statSync(pattern).size });
      continue;
    }
    const base = isAbsolute(pattern) ? "/" : ".";
    const glob = new Glob(isAbsolute(pattern) ? pattern.slice(1) : pattern);
    const matches = [...glob.scanSync({ cwd: base, onlyFiles: true, dot: false })].sort();
    if (matches.length === 0) problems.push(problem("input.no-match", `No file matches "${pattern}"`, { hint: `looked under ${resolve(dirname(pattern))}` }));
    for (const m of matches) {
      const path = isAbsolute(pattern) ? `/${m}` : m;
      inputs.push({ path, sizeBytes: statSync(path).size });
    }
  }
  return { inputs, problems };
}

/** The bytes of an input, decompressed when it is gzip (by name or by magic number). */
export function openBytes(input: FileInput, stdin: () => ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  if (input.path === "-") return stdin();
  const stream = Bun.file(input.path).stream();
  return input.path.endsWith(".gz") ? stream.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>) : stream;
}

/** Lines of an input, with a byte counter for progress. */
export function openLines(
  input: FileInput,
  stdin: () => ReadableStream<Uint8Array>,
  opts: LineSplitOptions & { onBytes?: (n: number) => void } = {},
): ReadableStream<string> {
  let bytes = openBytes(input, stdin);
  if (opts.onBytes && !input.path.endsWith(".gz")) {
    const onBytes = opts.onBytes;
    bytes = bytes.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, c) {
          onBytes(chunk.byteLength);
          c.enqueue(chunk);
        },
      }),
    );
  }
  return linesOf(bytes, opts);
}
