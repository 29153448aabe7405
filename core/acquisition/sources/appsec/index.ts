/**
 * The `appsec` datasource module (APPSEC.md §1.1): keys decoded strictly, defaults and checks as
 * upstream's UnmarshalConfig/Configure, the appsec-configs resolved against the installed items
 * and compiled once with their rules. Needs the host's hub (`ModuleOptions.hub`) and a way to
 * check bouncer keys (`checkApiKey`, or `lapiUrl` for upstream's HEAD /v1/decisions/stream).
 */
import { isIP } from "node:net";
import { loadAppsecRuntime } from "../../../appsec";
import { parseDuration } from "../../../expr";
import type { DataSourceModule, ModuleOptions, SourceDocument } from "../types";
import { pushWarning } from "../types";
import { lapiKeyCheck, type KeyCheck } from "./auth";
import { installedAppsec, resolveConfigEntries } from "./items";
import { AppsecSource, type AppsecListen } from "./source";

export { AppsecSource, type AppsecListen, type AppsecSourceConfig, type AppsecSourceHost } from "./source";
export { KeyCache, lapiKeyCheck, type KeyCheck } from "./auth";
export { installedAppsec, resolveConfigEntries, type InstalledAppsec } from "./items";

export const DEFAULT_APPSEC_LISTEN = "127.0.0.1:7422";
const DEFAULT_AUTH_CACHE_MS = 60_000;
const DEFAULT_BODY_READ_TIMEOUT_MS = 1_000;

/** `host:port`, `[v6]:port`, `:port` (every interface) → listen address; a message when invalid. */
export function parseListenAddr(text: string): AppsecListen | string {
  const colon = text.lastIndexOf(":");
  if (colon < 0) return `missing port in address "${text}"`;
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  else if (host.includes(":")) return `too many colons in address "${text}"`;
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) return `invalid port "${portText}" in address "${text}"`;
  if (host !== "" && isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) return `invalid host "${host}" in address "${text}"`;
  return { hostname: host === "" ? "0.0.0.0" : host, port: Number(portText) };
}

export const appsecModule: DataSourceModule = {
  name: "appsec",
  keys: [
    "listen_addr", "listen_socket", "cert_file", "key_file", "path", "routines", "appsec_config", "appsec_configs", "appsec_config_path",
    "auth_cache_duration", "body_read_timeout",
  ],
  configure(doc: SourceDocument, opts: ModuleOptions): AppsecSource | undefined {
    const { value: v, reader: r, common } = doc;
    const before = r.problems.length;
    let listenAddr = r.string(v.listen_addr, ["listen_addr"]) ?? "";
    const socket = r.string(v.listen_socket, ["listen_socket"]) ?? "";
    if (listenAddr === "" && socket === "") listenAddr = DEFAULT_APPSEC_LISTEN;
    let listen: AppsecListen | undefined;
    if (listenAddr !== "") {
      const l = parseListenAddr(listenAddr);
      if (typeof l === "string") r.report(["listen_addr"], "acquis.appsec.listen", `Invalid listen_addr: ${l}`);
      else listen = l;
    }
    const certFile = r.string(v.cert_file, ["cert_file"]) ?? "";
    const keyFile = r.string(v.key_file, ["key_file"]) ?? "";
    if ((certFile === "") !== (keyFile === "")) {
      r.report([certFile === "" ? "key_file" : "cert_file"], "acquis.appsec.tls", "cert_file and key_file must be set together");
    }
    let path = r.string(v.path, ["path"]) ?? "";
    if (path === "") path = "/";
    if (!path.startsWith("/")) path = `/${path}`;
    const routines = r.int(v.routines, ["routines"]) ?? 0;
    if (routines < 0) r.report(["routines"], "acquis.appsec.routines", `Invalid routines ${routines}`);
    const duration = (key: "auth_cache_duration" | "body_read_timeout", fallback: number): number => {
      const text = r.string(v[key], [key]);
      if (text === undefined) return fallback;
      const d = parseDuration(text);
      if (!d.ok) {
        r.report([key], "acquis.appsec.duration", `Invalid ${key}: ${d.message}`);
        return fallback;
      }
      return Math.max(0, d.ns / 1e6);
    };
    const authCacheMs = duration("auth_cache_duration", DEFAULT_AUTH_CACHE_MS);
    const bodyReadTimeoutMs = duration("body_read_timeout", DEFAULT_BODY_READ_TIMEOUT_MS);
    const one = r.string(v.appsec_config, ["appsec_config"]) ?? "";
    const configPath = r.string(v.appsec_config_path, ["appsec_config_path"]) ?? "";
    const many = r.stringList(v.appsec_configs, ["appsec_configs"]) ?? [];
    if (one === "" && configPath === "" && many.length === 0) {
      r.report([], "acquis.appsec.no-config", "appsec_config or appsec_config_path must be set", { hint: "add `appsec_configs: [crowdsecurity/appsec-default]`" });
    } else if ((one !== "" || configPath !== "") && many.length > 0) {
      r.report(["appsec_configs"], "acquis.appsec.config", "appsec_config and appsec_config_path are mutually exclusive with appsec_configs");
    }
    let checkKey: KeyCheck | undefined = opts.checkApiKey;
    if (!checkKey && opts.lapiUrl) checkKey = lapiKeyCheck(opts.lapiUrl);
    if (!checkKey) r.report([], "acquis.appsec.lapi", "The appsec datasource needs the Local API to check bouncer keys: missing lapi client credentials");
    if (!opts.hub) r.report([], "acquis.appsec.hub", "The appsec datasource needs the hub (config_dir and hub_dir) to load appsec-configs and appsec-rules");
    if (r.problems.length > before || !checkKey || !opts.hub) return undefined;

    const installed = installedAppsec(opts.hub.configDir, opts.hub.hubDir);
    let configPaths: string[];
    // as upstream: appsec_config_path wins over appsec_config
    if (configPath !== "") configPaths = [configPath];
    else {
      const field = one !== "" ? "appsec_config" : "appsec_configs";
      const resolved = resolveConfigEntries(one !== "" ? [one] : many, installed);
      for (const e of resolved.errors) r.report([field], "acquis.appsec.config", e);
      configPaths = resolved.paths;
    }
    if (r.problems.length > before) return undefined;
    const warnings: string[] = [];
    const loaded = loadAppsecRuntime({
      hubRoot: opts.hub.hubDir,
      index: installed.index,
      configPaths,
      ruleFiles: installed.ruleFiles,
      labels: common.labels,
      warn: (m) => pushWarning(warnings, m),
    });
    const where = configPath !== "" ? "appsec_config_path" : one !== "" ? "appsec_config" : "appsec_configs";
    for (const p of loaded.problems) r.report([where], p.code, `Unable to build appsec_config: ${p.message}${p.file ? ` (${p.file})` : ""}`, { hint: p.hint });
    for (const w of loaded.warnings) pushWarning(warnings, w.message);
    if (!loaded.runtime || r.problems.length > before) return undefined;
    return new AppsecSource(
      common,
      {
        listen, socket: socket === "" ? undefined : socket, tls: certFile !== "" ? { certFile, keyFile } : undefined, path,
        routines: routines === 0 ? 1 : routines, authCacheMs, bodyReadTimeoutMs,
      },
      { runtime: loaded.runtime, checkKey },
      warnings,
    );
  },
};
