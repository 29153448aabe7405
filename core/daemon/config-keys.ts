/**
 * The keys of CrowdSec's config.yaml (pkg/csconfig at a88b497, a superset of 1.4.6's), and which
 * of them picket reads. CrowdSec decodes the file strictly: a key it does not know is fatal, so it
 * is fatal here too, named with file, line and path; a key it knows and picket ignores is fine.
 */
import { existsSync, readFileSync } from "node:fs";
import { expandEnv, parseYamlStream } from "../config";
import { problem, type Problem } from "../result";

/** `true`: picket reads it; `false`: CrowdSec knows it, picket accepts and ignores it; a map: a section. */
type KeyTree = { readonly [key: string]: boolean | KeyTree };

const TLS: KeyTree = {
  cert_file: true, key_file: true, client_verification: false, server_name: false, ca_cert_path: false,
  agents_allowed_ou: false, bouncers_allowed_ou: false, crl_path: false, cache_expiration: false,
};
const AUTH_GC: KeyTree = { cert: false, api_key: false, login_password: false };

export const CROWDSEC_KEYS: KeyTree = {
  common: {
    daemonize: false, pid_dir: false, working_dir: false, force_color_logs: false, log_level: false, log_media: false, log_dir: false,
    compress_logs: false, log_max_size: false, log_format: false, log_max_age: false, log_max_files: false,
  },
  prometheus: { enabled: true, level: true, listen_addr: true, listen_port: true },
  crowdsec_service: {
    enable: true, acquisition_path: true, acquisition_dir: true, console_context_path: false, console_context_value_length: false,
    parser_routines: false, buckets_routines: false, output_routines: false, state_input_file: false, state_output_dir: false,
    dns_cache: { ttl: false, negative_ttl: false, size: false },
  },
  cscli: { output: false, color: false, hub_branch: false, __hub_url_template__: false, hub_with_content: false, prometheus_uri: true },
  db_config: {
    user: true, password: true, db_name: true, sslmode: true, ssl_ca_cert: false, ssl_client_cert: false, ssl_client_key: false, host: true, port: true,
    db_path: true, type: true, log_level: false, max_open_conns: false, use_wal: false, decision_bulk_size: false,
    flush: { max_items: true, max_age: true, bouncers_autodelete: AUTH_GC, agents_autodelete: AUTH_GC, metrics_max_age: false },
  },
  api: {
    client: { credentials_path: true, insecure_skip_verify: false, unregister_on_exit: false },
    server: {
      enable: true, listen_uri: true, listen_socket: true, tls: TLS, profiles_path: true, console_path: false, log_level: false,
      use_forwarded_for_headers: false, trusted_proxies: false, trusted_ips: true, papi_log_level: false, disable_remote_lapi_registration: false,
      capi_whitelists_path: false, disable_usage_metrics_export: false,
      online_client: { credentials_path: false, pull: { community: false, blocklists: false }, sharing: false },
      auto_registration: { enabled: false, token: false, allowed_ranges: false },
    },
    cti: { key: false, cache_timeout: false, cache_size: false, enabled: false, log_level: false },
  },
  config_paths: {
    config_dir: true, data_dir: true, simulation_path: true, index_path: false, hub_dir: true, plugin_dir: false, notification_dir: false, pattern_dir: false,
  },
  plugin_config: { user: false, group: false },
};

export interface KeyCheck {
  /** Keys CrowdSec would refuse: fatal. */
  readonly problems: Problem[];
  /** Dotted paths of keys present, known to CrowdSec, that picket ignores. */
  readonly unused: string[];
}

/** Checks config.yaml and its `.local` overlay against CrowdSec's keys. */
export function checkConfigKeys(file: string, env: Record<string, string | undefined> = process.env): KeyCheck {
  const problems: Problem[] = [];
  const unused = new Set<string>();
  for (const path of [file, `${file}.local`]) {
    if (path !== file && !existsSync(path)) continue;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue; // reading errors are reported by the config reader
    }
    const { docs } = parseYamlStream(expandEnv(text, env), path, { strict: true });
    for (const doc of docs) walk(doc.value, CROWDSEC_KEYS, [], (at, kind) => {
      if (kind === "unused") {
        unused.add(at.join("."));
        return;
      }
      const pos = doc.locate(at, { key: true });
      problems.push(problem("config.unknown-key", `Unknown key "${String(at[at.length - 1])}": CrowdSec would refuse this config`, {
        file: path, line: pos?.line, column: pos?.column, field: at.join("."),
      }));
    });
  }
  return { problems, unused: [...unused].sort() };
}

function walk(value: unknown, tree: KeyTree, at: string[], report: (path: string[], kind: "unknown" | "unused") => void): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const spec = Object.hasOwn(tree, key) ? tree[key] : undefined;
    const path = [...at, key];
    if (spec === undefined) report(path, "unknown");
    else if (spec === false) report(path, "unused");
    else if (spec !== true) walk(child, spec, path, report);
  }
}
