/** Exit codes, defined once. Documented in README ("Exit codes"). */
export const EXIT = {
  /** Done, and the answer is "yes" (no errors, every test passed, every line parsed). */
  OK: 0,
  /** Ran, and the answer is "failed" (lint errors, failing tests, unparsed lines, alerts found). */
  FAILED: 1,
  /** Usage: unknown flag, missing argument. */
  USAGE: 2,
  /** Input or configuration could not be loaded. */
  CONFIG: 3,
  /** Interrupted (SIGINT); what was already written stays valid. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
