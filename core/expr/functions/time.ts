/**
 * Time helpers (upstream helpers.go): MedianInterval and AverageInterval over event times,
 * TimeNow, ParseUnix. Times are GoTime values; durations are numbers of nanoseconds.
 */
import { ExprRuntimeError } from "../errors";
import { GoTime } from "../time";
import { asString } from "./args";
import type { HelperDef } from "./types";

const RFC3339 = "2006-01-02T15:04:05Z07:00";
const INT64_TEXT = /^[+-]?\d+$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** The last second a JS Date can hold. */
const MAX_DATE_SECONDS = 8.64e12;

/** The times of `v` sorted ascending, or the error upstream reports for that argument. */
function sortedTimes(helper: string, v: unknown): GoTime[] {
  if (!Array.isArray(v)) throw new ExprRuntimeError(`${helper} expects a slice of times`);
  const times: GoTime[] = [];
  for (let i = 0; i < v.length; i++) {
    const t: unknown = v[i];
    if (!(t instanceof GoTime)) throw new ExprRuntimeError(`element at index ${i} is not a time.Time`);
    times.push(t);
  }
  return times.sort((a, b) => a.Compare(b));
}

/** Gaps between consecutive sorted times, in nanoseconds. */
function gaps(times: readonly GoTime[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push(times[i]!.Sub(times[i - 1]!));
  return out;
}

export function medianIntervalNs(v: unknown): number {
  const times = sortedTimes("MedianInterval", v);
  if (times.length < 2) throw new ExprRuntimeError("need at least two times to calculate a median");
  const g = gaps(times).sort((a, b) => a - b);
  const n = g.length;
  return n % 2 === 1 ? g[n >> 1]! : Math.trunc((g[n / 2 - 1]! + g[n / 2]!) / 2);
}

export function averageIntervalNs(v: unknown): number {
  const times = sortedTimes("AverageInterval", v);
  if (times.length < 2) throw new ExprRuntimeError("need at least two times to calculate an average interval");
  let total = 0;
  for (const g of gaps(times)) total += g;
  return Math.trunc(total / (times.length - 1));
}

/** RFC 3339 text of a Unix time in the process's local zone, as Go's time.Unix(…).Format does. */
export function formatUnixLocal(seconds: number): string {
  const ms = seconds * 1000;
  const offsetSeconds = -new Date(ms).getTimezoneOffset() * 60;
  return new GoTime(ms, offsetSeconds).Format(RFC3339);
}

/** Upstream ParseUnix: the integer part of `value` as Unix seconds, "" unless it is a positive int64. */
export function parseUnix(value: string): string | undefined {
  const intPart = value.split(".")[0]!;
  if (!INT64_TEXT.test(intPart)) return undefined;
  const big = BigInt(intPart);
  if (big <= 0n || big > INT64_MAX || big < INT64_MIN) return undefined;
  const seconds = Number(big);
  if (seconds > MAX_DATE_SECONDS) return undefined; // beyond what a Date can format
  return formatUnixLocal(seconds);
}

export const TIME_HELPERS: readonly HelperDef[] = [
  {
    name: "MedianInterval",
    signatures: ["func([]time.Time) (time.Duration, error)", "func([]any) (time.Duration, error)"],
    make: () => (times) => medianIntervalNs(times),
  },
  {
    name: "AverageInterval",
    signatures: ["func([]time.Time) (time.Duration, error)", "func([]any) (time.Duration, error)"],
    make: () => (times) => averageIntervalNs(times),
  },
  {
    name: "TimeNow",
    signatures: ["func() string"],
    make: (ctx) => () => new GoTime(ctx.now?.() ?? Date.now()).Format(RFC3339),
  },
  {
    name: "ParseUnix",
    signatures: ["func(string) string"],
    make: (ctx) => (v) => {
      const text = asString(v);
      const out = parseUnix(text);
      if (out === undefined) {
        ctx.warn?.(`unable to parse ${text} as unix timestamp`);
        return "";
      }
      return out;
    },
  },
];
