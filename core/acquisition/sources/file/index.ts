/** The `file` datasource module: keys, validation, DSN (`file:///var/log/*.log`). */
import { compileRe2, type Re2Regex } from "../../../regex";
import { parseDuration } from "../../../expr";
import { err, ok, problem, type Problem } from "../../../result";
import type { CommonConfig, DataSourceModule, ModuleOptions, SourceDocument } from "../types";
import { compileGlob, type GlobPattern } from "./glob";
import { DEFAULT_TAIL_MAX_LINE, FileSource } from "./source";

export { FileSource, type FileSourceConfig } from "./source";
export type { FilePosition } from "./tailer";

const CAT_MAX_LINE = 64 * 1024;
const WATCHED_POLL_MS = 1000;
const POLL_MS = 250;

export const fileModule: DataSourceModule = {
  name: "file",
  keys: ["filename", "filenames", "exclude_regexps", "force_inotify", "max_buffer_size", "poll_without_inotify", "discovery_poll_enable", "discovery_poll_interval"],
  configure(doc: SourceDocument, opts: ModuleOptions): FileSource | undefined {
    const { value: v, reader: r, common } = doc;
    const before = r.problems.length;
    const names = r.stringList(v.filenames, ["filenames"]) ?? [];
    const one = r.string(v.filename, ["filename"]);
    if (one !== undefined && one !== "") names.push(one);
    if (names.length === 0) r.report([], "acquis.file.no-filename", "No filename or filenames configuration provided");
    if (common.mode !== "tail" && common.mode !== "cat") r.report(["mode"], "acquis.mode", `Unsupported mode "${common.mode}" for file source`);
    const patterns: GlobPattern[] = [];
    names.forEach((name, i) => {
      const g = compileGlob(name);
      if (g) patterns.push(g);
      else r.report(v.filenames !== undefined ? ["filenames", i] : ["filename"], "acquis.file.bad-pattern", `Bad glob pattern "${name}"`);
    });
    const exclude: Re2Regex[] = [];
    (r.stringList(v.exclude_regexps, ["exclude_regexps"]) ?? []).forEach((src, i) => {
      const re = compileRe2(src);
      if (re.ok) exclude.push(re.value);
      else r.report(["exclude_regexps", i], "acquis.file.bad-regexp", `Cannot compile exclude regexp "${src}": ${re.error.message}`);
    });
    const forceInotify = r.bool(v.force_inotify, ["force_inotify"]) ?? false;
    const maxBuffer = r.int(v.max_buffer_size, ["max_buffer_size"]) ?? 0;
    const pollWithoutInotify = r.bool(v.poll_without_inotify, ["poll_without_inotify"]);
    const discovery = r.bool(v.discovery_poll_enable, ["discovery_poll_enable"]) ?? false;
    let discoveryMs = 30_000;
    const interval = r.string(v.discovery_poll_interval, ["discovery_poll_interval"]);
    if (interval !== undefined) {
      const d = parseDuration(interval);
      if (!d.ok) r.report(["discovery_poll_interval"], "acquis.duration", `Expected a duration such as "30s", got "${interval}"`);
      else discoveryMs = d.ns / 1e6;
    }
    if (r.problems.length > before) return undefined;
    return new FileSource(common, {
      patterns,
      exclude,
      forceInotify,
      pollWithoutInotify,
      maxLineBytes: maxBuffer > 0 ? maxBuffer : common.mode === "cat" ? CAT_MAX_LINE : DEFAULT_TAIL_MAX_LINE,
      discoveryPollIntervalMs: discovery ? discoveryMs : undefined,
      pollIntervalMs: opts.pollIntervalMs ?? (pollWithoutInotify === true ? POLL_MS : WATCHED_POLL_MS),
    });
  },
  fromDsn(dsn: string, common: CommonConfig, opts: ModuleOptions) {
    const problems: Problem[] = [];
    const rest = dsn.slice("file://".length);
    const q = rest.indexOf("?");
    const path = q >= 0 ? rest.slice(0, q) : rest;
    let maxBuffer = 0;
    if (q >= 0) {
      for (const [key, value] of new URLSearchParams(rest.slice(q + 1))) {
        if (key === "log_level") continue;
        if (key === "max_buffer_size" && /^\d+$/.test(value)) maxBuffer = Number(value);
        else problems.push(problem("acquis.dsn", `Unknown parameter "${key}" in DSN "${dsn}"`));
      }
    }
    if (path === "") problems.push(problem("acquis.dsn", `Empty file name in DSN "${dsn}"`));
    const glob = compileGlob(path);
    if (!glob) problems.push(problem("acquis.dsn", `Bad glob pattern "${path}" in DSN "${dsn}"`));
    else if (glob.expand().length === 0) problems.push(problem("acquis.dsn", `No matching files for pattern "${path}"`));
    if (problems.length > 0 || !glob) return err(problems);
    return ok(
      new FileSource(
        { ...common, mode: "cat" },
        { patterns: [glob], exclude: [], forceInotify: false, maxLineBytes: maxBuffer > 0 ? maxBuffer : CAT_MAX_LINE, pollIntervalMs: opts.pollIntervalMs ?? POLL_MS },
      ),
    );
  },
};
