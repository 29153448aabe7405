/**
 * Profiles (profiles.yaml): how the Local API turns an alert without decisions into decisions,
 * and which notification plugins it goes to. Loaded and compiled once; evaluated per alert.
 */

/** loadProfiles(path | {path, text, local?}) → Result<Profiles>; readProfiles gives every problem. */
export { loadProfiles, readProfiles, type ProfileDecision, type ProfileOutcome, type Profiles } from "./profiles";
/** The embedded default profile (Ip + remediation → ban 4h, break) and its YAML text. */
export { DEFAULT_PROFILES_PATH, DEFAULT_PROFILES_YAML, defaultProfiles } from "./defaults";
/** A profiles file given as text, with its optional `.local` companion. */
export type { ProfileSource, ProfileText } from "./config";
/** Decision times per value, the source of GetDecisionsCount and the other history helpers. */
export type { DecisionHistory } from "./history";
/** Durations as profiles write them: Go syntax plus a leading day count (`1d12h`). */
export { parseDurationWithDays, type DurationParse } from "./duration";
/** The `{Alert}` environment of profile expressions, and the JSON alert → models.Alert conversion. */
export { alertFromWire, PROFILE_ENV } from "./alert-env";
