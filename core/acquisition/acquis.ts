/**
 * Acquisition files (ACQUISITION.md §1–2): `acquis.yaml` then `acquis.d/*.yaml` and `*.yml`,
 * environment-expanded, one datasource per YAML document, common keys decoded, the source
 * detected the 1.4.6 way when `source` is absent, then the datasource's own keys strictly (an
 * unknown key is an error naming file, line and key). Also `--dsn` sources (§9).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DocReader, expandEnv, parseYamlStream, type SourceDoc } from "../config";
import { PARSER_ENV } from "../event";
import { compileExpr, type ExprProgram, type HelperContext } from "../expr";
import { err, ok, problem, type Problem, type Result } from "../result";
import { SOURCES, UPSTREAM_ONLY } from "./sources/registry";
import type { AcquisitionMode, CommonConfig, DataSource, ModuleOptions } from "./sources/types";

/** Common keys of every document. */
export const COMMON_KEYS: readonly string[] = ["source", "mode", "labels", "log_level", "name", "use_time_machine", "unique_id", "transform"];

const LOG_LEVELS = new Set(["trace", "debug", "info", "warning", "warn", "error", "fatal", "panic"]);
const MODES = new Set<AcquisitionMode>(["tail", "cat", "server"]);

/** Where acquisition files are (config.yaml's `crowdsec_service.acquisition_path` / `acquisition_dir`). */
export interface AcquisitionPaths {
  readonly acquisitionPath?: string;
  readonly acquisitionDir?: string;
}

export interface LoadAcquisitionOptions extends ModuleOptions {
  /** Documents skipped because their source cannot run here (journalctl missing), and empty patterns. */
  readonly onWarning?: (p: Problem) => void;
  /** Helper services for `transform` expressions. */
  readonly helpers?: HelperContext;
}

const transformPrograms = new WeakMap<CommonConfig, ExprProgram>();

/** The compiled `transform` of a source loaded here, if it has one. */
export function transformOf(source: DataSource): ExprProgram | undefined {
  return transformPrograms.get(source.config);
}

/**
 * Loads every datasource. `where` is a config directory (its `acquis.yaml` and `acquis.d/`), an
 * acquisition file, or explicit paths. Any problem fails the whole load, as upstream refuses to
 * start; every problem found is reported, not only the first.
 */
export function loadAcquisition(where: string | AcquisitionPaths, opts: LoadAcquisitionOptions = {}): Result<DataSource[], Problem[]> {
  const files = acquisitionFiles(where);
  const sources: DataSource[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      problems.push(problem("acquis.read", `Cannot read acquisition file: ${e instanceof Error ? e.message : String(e)}`, { file }));
      continue;
    }
    const r = parseAcquisition(text, file, opts);
    sources.push(...r.sources);
    problems.push(...r.problems);
  }
  if (problems.length > 0) return err(problems);
  if (sources.length === 0) {
    const where0 = typeof where === "string" ? where : (where.acquisitionPath ?? where.acquisitionDir ?? "");
    return err([problem("acquis.none", "No datasource enabled", { file: where0 || undefined, hint: "add a document to acquis.yaml or acquis.d/" })]);
  }
  return ok(sources);
}

/** The files read, in upstream order: the main file if it exists, then `*.yaml` then `*.yml` of the directory. */
export function acquisitionFiles(where: string | AcquisitionPaths): string[] {
  let paths: AcquisitionPaths;
  if (typeof where === "string") {
    const isDir = existsSync(where) && statSync(where).isDirectory();
    paths = isDir ? { acquisitionPath: join(where, "acquis.yaml"), acquisitionDir: join(where, "acquis.d") } : { acquisitionPath: where };
  } else paths = where;
  const files: string[] = [];
  if (paths.acquisitionPath && existsSync(paths.acquisitionPath)) files.push(paths.acquisitionPath);
  if (paths.acquisitionDir) {
    let names: string[] = [];
    try {
      names = readdirSync(paths.acquisitionDir);
    } catch {
      // a missing directory has no documents
    }
    for (const ext of [".yaml", ".yml"]) {
      for (const name of names.filter((n) => n.endsWith(ext)).sort()) {
        const p = join(paths.acquisitionDir, name);
        if (statSync(p).isFile()) files.push(p);
      }
    }
  }
  return files;
}

/** Every document of one acquisition file. */
export function parseAcquisition(text: string, file: string, opts: LoadAcquisitionOptions = {}): { sources: DataSource[]; problems: Problem[] } {
  const { docs, problems } = parseYamlStream(expandEnv(text, opts.env ?? process.env), file, { strict: true });
  const sources: DataSource[] = [];
  for (const doc of docs) {
    const s = configureDocument(doc, docs.length > 1, problems, opts);
    if (s) sources.push(s);
  }
  return { sources, problems };
}

function configureDocument(doc: SourceDoc, several: boolean, problems: Problem[], opts: LoadAcquisitionOptions): DataSource | undefined {
  if (doc.value === null || doc.value === undefined) return undefined; // empty or comments only
  const local: Problem[] = [];
  const r = new DocReader(doc, local);
  const finish = (s: DataSource | undefined) => {
    // Upstream names the document's 0-based position when the file has several.
    for (const p of local) problems.push(several && !p.message.includes("(position") ? { ...p, message: `${p.message} (position ${doc.index})` } : p);
    return local.length === 0 ? s : undefined;
  };
  const v = r.map(doc.value, [], "an acquisition document");
  if (!v) return finish(undefined);
  let source = r.string(v.source, ["source"]);
  if (source === undefined || source === "") {
    if (v.filename !== undefined || v.filenames !== undefined) source = "file";
    else if (v.journalctl_filter !== undefined) source = "journalctl";
    else {
      r.report([], "acquis.no-source", "Missing 'source' field", { hint: "add `source: file` (or journalctl, syslog, docker)" });
      return finish(undefined);
    }
  }
  const module = SOURCES[source];
  if (!module) {
    const msg = UPSTREAM_ONLY.has(source) ? `Datasource "${source}" is not supported by picket` : `Unknown data source "${source}"`;
    r.report(["source"], "acquis.unknown-source", msg, { hint: `known: ${Object.keys(SOURCES).join(", ")}` });
    return finish(undefined);
  }
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  const labelMap = r.map(v.labels, ["labels"], "labels");
  if (labelMap) {
    for (const [k, val] of Object.entries(labelMap)) {
      const s = r.string(val, ["labels", k]);
      if (s !== undefined) labels[k] = s;
    }
  }
  if (Object.keys(labels).length === 0 && !module.labelsOptional) {
    r.report(labelMap ? ["labels"] : [], "acquis.no-labels", "Missing labels", { hint: "add `labels: {type: <log type>}`, e.g. type: syslog" });
    return finish(undefined);
  }
  const modeText = r.string(v.mode, ["mode"]);
  const mode = (modeText === undefined || modeText === "" ? (module.defaultMode ?? "tail") : modeText) as AcquisitionMode;
  if (!MODES.has(mode)) r.report(["mode"], "acquis.mode", `Unsupported mode "${modeText}": expected tail or cat`);
  const logLevel = r.string(v.log_level, ["log_level"]);
  if (logLevel !== undefined && !LOG_LEVELS.has(logLevel.toLowerCase())) r.report(["log_level"], "acquis.log-level", `Not a valid logrus Level: "${logLevel}"`);
  const name = r.string(v.name, ["name"]) ?? "";
  const useTimeMachine = r.bool(v.use_time_machine, ["use_time_machine"]) ?? false;
  r.string(v.unique_id, ["unique_id"]); // overwritten below, as upstream does
  const transform = r.string(v.transform, ["transform"]);
  if (local.length > 0) return finish(undefined);
  const unavailable = module.unavailable?.(opts);
  if (unavailable) {
    opts.onWarning?.(problem("acquis.unavailable", `Datasource "${source}" skipped: ${unavailable}`, { file: doc.file, line: doc.locate([])?.line }));
    return undefined;
  }
  r.checkKeys(v, new Set([...COMMON_KEYS, ...module.keys]), [], `a ${source} datasource`);
  const common: CommonConfig = { source, mode, labels, logLevel, name, useTimeMachine, uniqueId: crypto.randomUUID(), transform, file: doc.file, index: doc.index };
  if (transform !== undefined && transform !== "") {
    const program = compileExpr(transform, { env: PARSER_ENV, helpers: opts.helpers });
    if (!program.ok) r.report(["transform"], "acquis.transform", `Cannot compile transform: ${program.error.message}`, { snippet: program.error.snippet });
    else transformPrograms.set(common, program.value);
  }
  if (local.length > 0) return finish(undefined);
  return finish(module.configure({ value: v, reader: r, common }, opts));
}

/**
 * One datasource from a DSN (`file:///var/log/auth.log`, `journalctl://filters=…`, `docker://name`,
 * or `-` for stdin), in cat mode, labelled with `labels` (which must carry `type`).
 */
export function acquisitionFromDsn(dsn: string, labels: Readonly<Record<string, string>>, opts: LoadAcquisitionOptions & { transform?: string } = {}): Result<DataSource, Problem[]> {
  if (!labels.type) return err([problem("acquis.dsn", "-dsn requires a -type argument")]);
  const scheme = dsn === "-" ? "stdin" : dsn.includes(":") ? dsn.slice(0, dsn.indexOf(":")) : undefined;
  if (scheme === undefined) return err([problem("acquis.dsn", `Invalid DSN "${dsn}": expected <source>://…`)]);
  const module = SOURCES[scheme];
  if (!module) return err([problem("acquis.dsn", UPSTREAM_ONLY.has(scheme) ? `Datasource "${scheme}" is not supported by picket` : `Unknown data source "${scheme}" in DSN "${dsn}"`)]);
  if (!module.fromDsn) return err([problem("acquis.dsn", `Datasource "${scheme}" cannot be used with a DSN`)]);
  if (dsn !== "-" && !dsn.startsWith(`${scheme}://`)) return err([problem("acquis.dsn", `Invalid DSN "${dsn}": expected ${scheme}://…`)]);
  const shared = Object.assign(Object.create(null) as Record<string, string>, labels);
  const common: CommonConfig = { source: scheme, mode: "cat", labels: shared, name: "", useTimeMachine: true, uniqueId: crypto.randomUUID(), transform: opts.transform };
  if (opts.transform) {
    const program = compileExpr(opts.transform, { env: PARSER_ENV, helpers: opts.helpers });
    if (!program.ok) return err([problem("acquis.transform", `Cannot compile transform: ${program.error.message}`, { snippet: program.error.snippet })]);
    transformPrograms.set(common, program.value);
  }
  const r = module.fromDsn(dsn, common, opts);
  if (r.ok && opts.transform) {
    const program = transformPrograms.get(common);
    if (program) transformPrograms.set(r.value.config, program);
  }
  return r;
}
