/**
 * The life timer of live buckets (bucket.go LeakRoutine): started at the first pour, reset by
 * each pour unless the scenario has a `duration` (counter). When it fires, a `duration` bucket
 * overflows with what it holds; any other bucket underflows and disappears silently. Upstream's
 * timer is wall-clock in both modes; replayed buckets expire by event time instead (§10.2).
 */
import { GoTime } from "../expr";
import type { Bucket } from "./bucket";

/** When the timer of a live bucket fires (ms), or NaN when it runs no timer. */
export function timerDeadlineMs(bucket: Bucket): number {
  return bucket.Duration > 0 ? bucket.timerStartMs + bucket.Duration / 1e6 : Number.NaN;
}

/** True when the timer fired before `nowMs`. */
export function isTimerDue(bucket: Bucket, nowMs: number): boolean {
  return nowMs > timerDeadlineMs(bucket);
}

/** Restarts the timer after an accepted pour: always for plain buckets, only the first time for counters. */
export function restartTimer(bucket: Bucket, isTimed: boolean, nowMs: number): void {
  if (!isTimed || Number.isNaN(bucket.timerStartMs)) bucket.timerStartMs = nowMs;
}

/** The overflow time of a counter whose timer fired: the deadline itself. */
export function timerOverflowTime(bucket: Bucket): GoTime {
  return new GoTime(timerDeadlineMs(bucket));
}
