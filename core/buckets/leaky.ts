/**
 * The token bucket behind leaky buckets: golang.org/x/time/rate as the crowdsecurity/time fork
 * (v0.13.0-crowdsec) keeps it, reproduced operation by operation in float64 so that boundary
 * cases round as they do in Go (BUCKETS.md §6.1).
 */
import type { GoTime } from "../expr";

/** The limiter part of a bucket: tokens left, and when they were last counted (null: Go's zero time). */
export interface LimiterState {
  tokens: number;
  limiterLast: GoTime | null;
}

/** Go's `time.Duration.Seconds()`: whole seconds plus the nanosecond remainder / 1e9. */
export function durationSeconds(ns: number): number {
  const nsec = ns % 1e9;
  return (ns - nsec) / 1e9 + nsec / 1e9;
}

/** `rate.Every(leakspeed)`: tokens per second as a float64. */
export function rateEvery(leakspeedNs: number): number {
  return leakspeedNs <= 0 ? Infinity : 1 / durationSeconds(leakspeedNs);
}

// Go's t.Sub(zero time) saturates at the largest Duration: a fresh limiter has waited "forever".
const MAX_DURATION_SECONDS = durationSeconds(9223372036854775807);

/** Tokens the limiter would hold at `t` (rate.Limiter.advance), without changing it. */
export function tokensAt(state: LimiterState, t: GoTime, limit: number, burst: number): number {
  const last = state.limiterLast;
  let elapsedSeconds: number;
  if (last === null) elapsedSeconds = MAX_DURATION_SECONDS;
  else elapsedSeconds = t.Before(last) ? 0 : durationSeconds(t.Sub(last));
  const tokens = state.tokens + elapsedSeconds * limit;
  return tokens > burst ? burst : tokens;
}

/**
 * `Limiter.AllowN(t, 1)`: takes one token if the wait for it would be under a nanosecond.
 * An event older than the last update gets no refill, and still moves `last` back to its time.
 */
export function allowAt(state: LimiterState, t: GoTime, limit: number, burst: number): boolean {
  if (limit === Infinity) return true;
  const tokens = tokensAt(state, t, limit, burst) - 1;
  // reserveN: waitDuration = Duration((-tokens / limit) * 1e9), truncated toward zero
  const ok = burst >= 1 && (tokens >= 0 || Math.trunc((-tokens / limit) * 1e9) <= 0);
  if (ok) {
    state.limiterLast = t;
    state.tokens = tokens;
  }
  return ok;
}
