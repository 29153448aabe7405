/**
 * trigger (pkg/leakybucket/trigger.go): every event that reaches the bucket overflows it at once,
 * alone. The trigger hook swallows the event before distinct and cancel_on can run.
 */
import type { Event } from "../event";
import type { GoTime } from "../expr";
import type { Bucket } from "./bucket";

/** First_ts = Last_ts = Ovflw_ts = `at` (the event time in replay, now in live mode); one event. */
export function pourTrigger(bucket: Bucket, evt: Event, at: GoTime): void {
  bucket.Last_ts = at;
  bucket.First_ts = at;
  bucket.Ovflw_ts = at;
  bucket.Total_count = 1;
  bucket.Queue.add(evt);
  bucket.pendingOverflow = true;
}
