// Where the hub client reads and writes, from CrowdSec's config.yaml (CONFIG.md §2.2, §2.4): the
// index and downloaded items under hub_dir, installed items (symlinks) under config_dir, data files
// under data_dir; and where the hub is fetched from (cscli's URL template and branch).

import { isAbsolute, join, resolve } from "node:path";
import { crowdsecPaths, readCrowdsecConfig } from "../config";
import { ok, type Result } from "../result";

/** As upstream pkg/csconfig/cscli.go: `%s` are the branch, then the file relative to the hub root. */
export const DEFAULT_HUB_URL_TEMPLATE = "https://cdn-hub.crowdsec.net/crowdsecurity/%s/%s";
/** picket follows the hub's master branch (cscli picks it from the CrowdSec version). */
export const DEFAULT_HUB_BRANCH = "master";

export interface HubLayout {
  readonly configDir: string;
  readonly hubDir: string;
  readonly dataDir: string;
  readonly indexPath: string;
}

export interface HubSettings {
  readonly layout: HubLayout;
  /** `cscli.__hub_url_template__`, else the public hub. */
  readonly urlTemplate: string;
  readonly branch: string;
  /** `cscli.hub_with_content`: ask the hub for an index with every item's content inline. */
  readonly withContent: boolean;
}

/** Reads the paths and cscli settings of a CrowdSec config.yaml (+ .local overlay). */
export function loadHubSettings(configFile: string): Result<HubSettings> {
  const raw = readCrowdsecConfig(configFile);
  if (!raw.ok) return raw;
  const paths = crowdsecPaths(configFile, raw.value);
  if (!paths.ok) return paths;
  const section = raw.value.config_paths;
  const indexPath = isRecord(section) && typeof section.index_path === "string" && section.index_path !== "" ? section.index_path : undefined;
  const cscli = isRecord(raw.value.cscli) ? raw.value.cscli : {};
  const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  return ok({
    layout: {
      configDir: paths.value.configDir,
      hubDir: paths.value.hubDir,
      dataDir: paths.value.dataDir,
      indexPath: indexPath ? (isAbsolute(indexPath) ? indexPath : resolve(indexPath)) : join(paths.value.hubDir, ".index.json"),
    },
    urlTemplate: text(cscli.__hub_url_template__) ?? DEFAULT_HUB_URL_TEMPLATE,
    branch: text(cscli.hub_branch) ?? DEFAULT_HUB_BRANCH,
    withContent: cscli.hub_with_content === true,
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
