/**
 * Grok patterns as CrowdSec runs them (its grokky fork on RE2): the standard pattern library,
 * `pattern_syntax` additions, pattern directories, and compiled patterns whose per-line cost is
 * bounded (every regex goes through core/regex).
 */
import { type LibraryOptions, PatternLibrary } from "./library";

export { compileGrok, type GrokPattern } from "./compile";
export { loadPatternDirectory, loadPatternText } from "./load-dir";
export type { AddOutcome, LibraryOptions, PatternLibrary } from "./library";

/**
 * A new pattern host holding grokky's base patterns and the standard CrowdSec pattern files.
 * Each parser tree (parsers, postoverflows) gets its own: `pattern_syntax` entries are global
 * to the tree that loads them.
 */
export function createPatternLibrary(opts: LibraryOptions = {}): PatternLibrary {
  return new PatternLibrary(opts);
}
