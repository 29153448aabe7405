/**
 * Delivery of queued alerts to the Local API: oldest first, in batches; removed from the queue
 * only on 201. An unreachable or failing API is retried with exponential backoff (no alert is
 * dropped); alerts the API refuses as invalid (400/422) are tried one by one and the refused
 * ones set aside, so one bad alert never blocks the rest.
 */
import type { WireAlert } from "../alerts";
import type { Problem, Result } from "../result";
import type { AlertQueue } from "./queue";

/** What delivery needs from a Local API client: POST /v1/alerts. */
export type PushAlerts = (alerts: readonly WireAlert[]) => Promise<Result<unknown, Problem & { status: number }>>;

export interface DeliveryOptions {
  readonly queue: AlertQueue;
  readonly push: PushAlerts;
  /** Alerts per request. Default 50. */
  readonly batchSize?: number;
  /** First retry delay, ms (doubles up to maxBackoffMs). Default 500. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly log?: (line: string) => void;
  /** After each request: how many alerts went, how long it took, whether it succeeded. */
  readonly onRequest?: (count: number, seconds: number, ok: boolean) => void;
}

export interface Delivery {
  /** New alerts are in the queue: deliver now (unless backing off). */
  kick(): void;
  /** Waits until the queue is empty or `timeoutMs` passed; true when empty. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops after the request under way. */
  stop(): Promise<void>;
  /** Alerts delivered since start. */
  readonly delivered: number;
  /** The API answered the last attempt (false while backing off). */
  readonly healthy: boolean;
}

const INVALID = new Set([400, 422]);

export function startDelivery(opts: DeliveryOptions): Delivery {
  const batchSize = opts.batchSize ?? 50;
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const log = opts.log ?? (() => undefined);
  let stopped = false;
  let kicked = false;
  let backoff = 0;
  let delivered = 0;
  let healthy = true;
  const drained: (() => void)[] = [];
  /** Ends an idle wait (kick or stop); `anyWake` ends a backoff too (stop only). */
  let idleWake: (() => void) | undefined;
  let anyWake: (() => void) | undefined;

  /** Idle (no ms): until kicked. Backing off (ms): until the delay is over; stop() ends both. */
  const wait = (ms?: number): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (ms === undefined && kicked) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        idleWake = anyWake = undefined;
        resolve();
      }
      anyWake = done;
      if (ms === undefined) idleWake = done;
    });
  };

  const send = async (alerts: readonly WireAlert[]) => {
    const t0 = performance.now();
    const r = await opts.push(alerts);
    opts.onRequest?.(alerts.length, (performance.now() - t0) / 1000, r.ok);
    return r;
  };

  const loop = (async () => {
    while (!stopped) {
      const batch = opts.queue.peek(batchSize);
      if (batch.length === 0) {
        for (const d of drained.splice(0)) d();
        await wait();
        continue;
      }
      const r = await send(batch.map((q) => q.alert));
      if (r.ok) {
        opts.queue.ack(batch.map((q) => q.id));
        delivered += batch.length;
        if (!healthy) log(`Local API reachable again: delivering ${opts.queue.length + batch.length} queued alert(s)`);
        healthy = true;
        backoff = 0;
        continue;
      }
      if (INVALID.has(r.error.status)) {
        // find the refused ones: each alert alone
        for (const q of batch) {
          if (stopped) break;
          const one = await send([q.alert]);
          if (one.ok) {
            opts.queue.ack([q.id]);
            delivered++;
          } else if (INVALID.has(one.error.status)) {
            log(`Local API refused alert ${q.id} (${q.alert.scenario} on ${q.alert.source?.value ?? "?"}): ${one.error.message}; set aside`);
            opts.queue.setAside([q.id], one.error.message);
          } else break;
        }
        continue;
      }
      if (healthy) log(`Cannot deliver alerts: ${r.error.message}; ${opts.queue.length} queued on disk, retrying`);
      healthy = false;
      backoff = backoff === 0 ? minBackoff : Math.min(maxBackoff, backoff * 2);
      await wait(backoff);
    }
    for (const d of drained.splice(0)) d();
  })();

  return {
    kick() {
      kicked = true;
      if (idleWake) {
        kicked = false;
        idleWake();
      }
    },
    async drain(timeoutMs) {
      if (opts.queue.length === 0) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = await Promise.race([
        new Promise<boolean>((resolve) => drained.push(() => resolve(true))),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      return waited && opts.queue.length === 0;
    },
    async stop() {
      stopped = true;
      anyWake?.();
      await loop;
    },
    get delivered() {
      return delivered;
    },
    get healthy() {
      return healthy;
    },
  };
}
