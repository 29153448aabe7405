/**
 * The appsec items the endpoint runs: installed appsec-configs (by the `name` in each file under
 * config_dir/appsec-configs) and installed appsec-rules (config_dir/appsec-rules), as upstream
 * resolves `appsec_config(s)` against the installed items only. Hub items are symlinks into
 * hub_dir; following them lets the hub index give each rule its hash and version.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { globToRegExp } from "../../../appsec";
import { loadHubIndex, type HubIndex } from "../../../hub";

export interface InstalledAppsec {
  /** appsec-config name → file. */
  readonly configs: ReadonlyMap<string, string>;
  /** Installed appsec-rule files (symlinks followed). */
  readonly ruleFiles: readonly string[];
  /** The hub index, when hub_dir has one (hash and version of rules). */
  readonly index?: HubIndex;
}

function yamlFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue; // dangling symlink
      }
      if (isDir) {
        if (!name.startsWith(".")) walk(path);
      } else if (/\.ya?ml$/.test(name)) out.push(path);
    }
  };
  walk(root);
  return out;
}

function nameOf(path: string): string | undefined {
  try {
    const doc: unknown = parse(readFileSync(path, "utf8"));
    if (typeof doc === "object" && doc !== null && "name" in doc && typeof doc.name === "string") return doc.name;
  } catch {
    // an unreadable config is reported when (if) it is asked for
  }
  return undefined;
}

/** Reads what is installed under configDir (and the index of hubDir). */
export function installedAppsec(configDir: string, hubDir: string): InstalledAppsec {
  const configs = new Map<string, string>();
  for (const path of yamlFiles(join(configDir, "appsec-configs"))) {
    const name = nameOf(path);
    if (name !== undefined && !configs.has(name)) configs.set(name, path);
  }
  const ruleFiles = yamlFiles(join(configDir, "appsec-rules")).map((p) => realpathSync(p));
  const index = existsSync(join(hubDir, ".index.json")) ? loadHubIndex(hubDir) : undefined;
  return { configs, ruleFiles, index: index?.ok ? index.value : undefined };
}

/**
 * `appsec_config(s)` entries → config files: literal names as given, `*`/`?` entries matched
 * against the installed configs (none matching is an error); duplicates dropped, first seen kept.
 */
export function resolveConfigEntries(entries: readonly string[], installed: InstalledAppsec): { paths: string[]; errors: string[] } {
  const paths: string[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const names = [...installed.configs.keys()].sort();
  for (const entry of entries) {
    let matches: string[] = [entry];
    if (/[*?]/.test(entry)) {
      const re = globToRegExp(entry);
      matches = names.filter((n) => re.test(n));
      if (matches.length === 0) {
        errors.push(`unable to resolve appsec_config "${entry}": no installed appsec-config matches pattern "${entry}"`);
        continue;
      }
    }
    for (const name of matches) {
      if (seen.has(name)) continue;
      seen.add(name);
      const path = installed.configs.get(name);
      if (path === undefined) errors.push(`unable to load appsec_config: no appsec-config named "${name}" is installed`);
      else paths.push(path);
    }
  }
  return { paths, errors };
}
