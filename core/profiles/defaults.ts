/** The default profiles, embedded in the executable. */
import { unwrap } from "../result";
import text from "./default-profiles.yaml" with { type: "text" };
import { loadProfiles, type Profiles } from "./profiles";

/** Where problems and golden files say the default profiles come from. */
export const DEFAULT_PROFILES_PATH = "builtin:profiles.yaml";

/** The YAML text of the default profiles (to write a profiles.yaml, or show it). */
export const DEFAULT_PROFILES_YAML: string = text;

/**
 * CrowdSec's default profile: an alert with `remediation: true` on an Ip source gets a 4h ban,
 * and no later profile runs.
 */
export function defaultProfiles(): Profiles {
  return unwrap(loadProfiles({ path: DEFAULT_PROFILES_PATH, text }));
}
