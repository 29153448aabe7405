/** The `docker` datasource module: keys, validation, DSN (`docker://name-or-id?…`). */
import { compileRe2, type Re2Regex } from "../../../regex";
import { parseDuration } from "../../../expr";
import { err, ok, problem, type Problem } from "../../../result";
import type { DataSourceModule, ModuleOptions, SourceDocument } from "../types";
import { DockerSource } from "./source";

export { Demuxer, DockerSource, type DockerSourceConfig } from "./source";

const DEFAULT_HOST = "unix:///var/run/docker.sock";
/** 1.4.6 polled the container list every second. */
const POLL_MS = 1000;

/** Docker's `since`: unix seconds, RFC 3339, or a duration back from now; undefined when unreadable. */
export function dockerSince(text: string, nowMs = Date.now()): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text));
  const d = parseDuration(text);
  if (d.ok) return Math.floor((nowMs - d.ns / 1e6) / 1000);
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

function hostFrom(opts: ModuleOptions, configured: string | undefined): string {
  return configured || (opts.env ?? process.env).DOCKER_HOST || DEFAULT_HOST;
}

export const dockerModule: DataSourceModule = {
  name: "docker",
  keys: [
    "check_interval", "follow_stdout", "follow_stderr", "until", "since", "docker_host", "container_name", "container_id", "container_name_regexp", "container_id_regexp",
    "service_name", "service_id", "service_name_regexp", "service_id_regexp", "use_service_labels", "use_container_labels",
  ],
  labelsOptional: true,
  configure(doc: SourceDocument, opts: ModuleOptions): DockerSource | undefined {
    const { value: v, reader: r, common } = doc;
    const before = r.problems.length;
    const names = r.stringList(v.container_name, ["container_name"]) ?? [];
    const ids = r.stringList(v.container_id, ["container_id"]) ?? [];
    const regexps = (key: "container_name_regexp" | "container_id_regexp"): Re2Regex[] => {
      const out: Re2Regex[] = [];
      (r.stringList(v[key], [key]) ?? []).forEach((src, i) => {
        const re = compileRe2(src);
        if (re.ok) out.push(re.value);
        else r.report([key, i], "acquis.docker.bad-regexp", `Cannot compile ${key} "${src}": ${re.error.message}`);
      });
      return out;
    };
    const nameRe = regexps("container_name_regexp");
    const idRe = regexps("container_id_regexp");
    const useLabels = r.bool(v.use_container_labels, ["use_container_labels"]) ?? false;
    const services = ["service_name", "service_id", "service_name_regexp", "service_id_regexp", "use_service_labels"].filter((k) => v[k] !== undefined && v[k] !== null && v[k] !== false);
    const hasContainers = names.length + ids.length + nameRe.length + idRe.length > 0 || useLabels;
    if (!hasContainers && services.length === 0) r.report([], "acquis.docker.no-selector", "No containers or services configuration provided");
    if (useLabels && names.length + ids.length + nameRe.length + idRe.length > 0) {
      r.report(["use_container_labels"], "acquis.docker.exclusive", "use_container_labels and container_name, container_id, container_id_regexp, container_name_regexp are mutually exclusive");
    }
    if (services.length > 0) r.report([services[0]!], "acquis.docker.swarm", "Swarm services are not supported by picket: select containers instead");
    if (common.mode !== "tail" && common.mode !== "cat") r.report(["mode"], "acquis.mode", `Unsupported mode "${common.mode}" for docker datasource`);
    const followStdout = r.bool(v.follow_stdout, ["follow_stdout"]) ?? true;
    const followStderr = r.bool(v.follow_stderr, ["follow_stderr"]) ?? true;
    r.string(v.check_interval, ["check_interval"]); // deprecated upstream, accepted and ignored
    const sinceText = r.string(v.since, ["since"]);
    const since = sinceText ? dockerSince(sinceText) : Math.floor(Date.now() / 1000);
    if (since === undefined) r.report(["since"], "acquis.docker.since", `Cannot read since "${sinceText}": expected a unix time, an RFC 3339 date or a duration`);
    const until = r.string(v.until, ["until"]);
    const host = hostFrom(opts, r.string(v.docker_host, ["docker_host"]));
    if (r.problems.length > before || since === undefined) return undefined;
    return new DockerSource(common, {
      containerName: names, containerId: ids, containerNameRegexp: nameRe, containerIdRegexp: idRe, useContainerLabels: useLabels,
      followStdout, followStderr, host, sinceSeconds: since, until, pollIntervalMs: opts.pollIntervalMs ?? POLL_MS,
    });
  },
  fromDsn(dsn, common, opts) {
    const rest = dsn.slice("docker://".length);
    const q = rest.indexOf("?");
    const target = q >= 0 ? rest.slice(0, q) : rest;
    const problems: Problem[] = [];
    if (target === "") problems.push(problem("acquis.dsn", `Empty container name in DSN "${dsn}"`));
    let since = 0;
    let until: string | undefined;
    let followStdout = true;
    let followStderr = true;
    let host: string | undefined;
    for (const [key, value] of new URLSearchParams(q >= 0 ? rest.slice(q + 1) : "")) {
      if (key === "since") {
        const s = dockerSince(value);
        if (s === undefined) problems.push(problem("acquis.dsn", `Cannot read since "${value}" in DSN "${dsn}"`));
        else since = s;
      } else if (key === "until") until = value;
      else if (key === "follow_stdout") followStdout = value === "true";
      else if (key === "follow_stderr") followStderr = value === "true";
      else if (key === "docker_host") host = value;
      else if (key !== "log_level") problems.push(problem("acquis.dsn", `Unknown parameter "${key}" in DSN "${dsn}"`));
    }
    if (problems.length > 0) return err(problems);
    return ok(
      new DockerSource(
        { ...common, mode: "cat" },
        {
          containerName: [target], containerId: [target], containerNameRegexp: [], containerIdRegexp: [], useContainerLabels: false,
          followStdout, followStderr, host: hostFrom(opts, host), sinceSeconds: since, until, pollIntervalMs: opts.pollIntervalMs ?? POLL_MS,
        },
      ),
    );
  },
};
