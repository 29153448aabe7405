/**
 * The contract between the expression compiler and the hub-facing helper functions
 * (Upper, JsonExtract, IpInRange, File, …). A helper declares Go-style signatures, as
 * upstream registers them in pkg/exprhelpers/expr_lib.go, and a factory that binds it to
 * the engine's context once at compile time, so the per-event call allocates nothing.
 */

/**
 * Go-style signature text, e.g. "func(string, ...string) string",
 * "func(string, map[string]any, string) error", "func([]time.Time) (time.Duration, error)".
 * Types understood: string int float64 bool any error time.Time time.Duration,
 * []T, map[string]T, and the names of struct types known to the environment (e.g. "*http.Request").
 * A trailing `error` in a result pair means the helper may throw ExprRuntimeError.
 */
export type GoSignature = string;

/** Values crossing the helper boundary. Strings, numbers (int and float are both JS numbers),
 *  booleans, null for nil, arrays, null-prototype plain objects for maps, and struct objects. */
export type ExprValue = unknown;

/** What helpers may reach besides their arguments. Each field is optional: a missing one makes the
 *  helper behave as upstream does without that service (e.g. GetFromStash → ""). */
export interface HelperContext {
  /** Data files declared by the item being compiled (File, RegexpInFile, LookupFile …). */
  readonly dataFiles?: DataFileLookup;
  /** Named TTL caches written by parser `stash:` and read by GetFromStash. */
  readonly stash?: StashLookup;
  /** Wall clock in ms since epoch (fake clocks in tests). */
  readonly now?: () => number;
  /** Warnings a helper would log upstream (bad regex at run time, missing data file …). */
  readonly warn?: (message: string) => void;
  /** Info-level lines a helper logs on purpose (LogInfo); falls back to `warn` when absent. */
  readonly info?: (message: string) => void;
  /** Resolves a host name to addresses for LookupHost (sync; e.g. a pre-filled cache). Without
   *  it LookupHost only answers IP literals, as net.LookupHost does without DNS. */
  readonly lookupHost?: (host: string) => readonly string[] | undefined;
}

export interface DataFileLookup {
  /** Lines of a `type: string` data file, or undefined when the file was not loaded. */
  lines(name: string): readonly string[] | undefined;
  /** True if any regex of a `type: regexp` data file matches `text`; undefined when not loaded. */
  anyRegexMatches(name: string, text: string): boolean | undefined;
  /** Rows of a `type: map` data file, or undefined when not loaded. */
  mapRows(name: string): readonly Readonly<Record<string, string>>[] | undefined;
  /** LookupFile on a `type: map` file through its index built at load: the tag of the first
   *  matching row ("equals", then "contains", then "regex"), "" when none, undefined when not loaded. */
  lookupMap(name: string, text: string): string | undefined;
}

export interface StashLookup {
  get(cache: string, key: string): string | undefined;
}

export interface HelperDef {
  readonly name: string;
  /** One or more overloads; the first whose parameters fit the argument types is used. */
  readonly signatures: readonly GoSignature[];
  /**
   * Binds the helper to a context. Called once per compiled program, never per event.
   * Arguments arrive positionally; the compiler has checked them against the chosen overload
   * (statically, or at run time for any-typed values, except nil, which reaches array, map and
   * pointer parameters as null). Failures are thrown as ExprRuntimeError (../errors); `undefined`
   * returned is read as the zero value of the result type.
   */
  make(ctx: HelperContext): (...args: ExprValue[]) => ExprValue;
  /**
   * Same arguments, same result: no side effect, no read of the context or the clock, no
   * warning. The compiler may then run a call on constant arguments once at compile time, and
   * run a call on a data file's lines once per line instead of once per event.
   */
  readonly pure?: boolean;
  /**
   * For the same constant arguments, every call returns the same array object, never changed
   * (File: the lines of a loaded data file): what the compiler builds from its contents stays
   * valid while the call keeps returning that object.
   */
  readonly stable?: boolean;
  /**
   * `f(ip, range)` answers whether the address is in the network, as IpInRange: parseGoIP of
   * the first, parseGoCIDR of the second, goCIDRContains (core/net); false when either does not
   * parse. `any(File("ranges"), { f(ip, #) })` may then be answered by one index of the ranges.
   */
  readonly rangeMembership?: boolean;
}
