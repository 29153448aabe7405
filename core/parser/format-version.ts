/**
 * The `format:` of a parser node against the versions this engine runs: upstream checks it with
 * hashicorp/go-version against the constraint ">= 1.0, <= 3.0" (pkg/cwversion/constraint).
 */

// go-version's VersionRegexpRaw: segments, then an optional pre-release, then optional metadata.
const VERSION = /^v?([0-9]+(?:\.[0-9]+)*?)(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|(-?[A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*))?(?:\+[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*)?$/;

const MIN = [1, 0, 0];
const MAX = [3, 0, 0];

export type FormatCheck = "supported" | "unsupported" | "invalid";

/**
 * "invalid": not a version at all (upstream fails the whole file); "unsupported": outside the
 * range, or a pre-release, which go-version never lets satisfy a plain constraint (upstream skips
 * the node with an error log).
 */
export function checkParserFormat(text: string): FormatCheck {
  const m = VERSION.exec(text);
  if (!m) return "invalid";
  if (m[2] !== undefined || m[3] !== undefined) return "unsupported";
  const segments = m[1]!.split(".").map(Number);
  while (segments.length < 3) segments.push(0);
  return compare(segments, MIN) >= 0 && compare(segments, MAX) <= 0 ? "supported" : "unsupported";
}

function compare(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
