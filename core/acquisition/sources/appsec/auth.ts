/**
 * Bouncer API keys as the AppSec endpoint checks them (APPSEC.md §1.5, upstream checkAuth): a key
 * is asked to the Local API once, then trusted for `auth_cache_duration`; on expiry it is asked
 * again, kept when the Local API cannot answer, dropped when it says no. A never-seen key the
 * Local API cannot confirm is refused.
 */

/** True when the key is valid; a rejection means the check could not be made (LAPI down). */
export type KeyCheck = (key: string) => Promise<boolean>;

/** Upstream's check: HEAD <lapi>/v1/decisions/stream with X-Api-Key; 200 means valid. */
export function lapiKeyCheck(lapiUrl: string, timeoutMs = 200): KeyCheck {
  const base = lapiUrl.endsWith("/") ? lapiUrl : `${lapiUrl}/`;
  const url = new URL("v1/decisions/stream", base).href;
  return async (key) => {
    const r = await fetch(url, { method: "HEAD", headers: { "X-Api-Key": key, "User-Agent": "appsec/picket" }, signal: AbortSignal.timeout(timeoutMs) });
    return r.status === 200;
  };
}

/** Keys already confirmed, with their expiry; one check in flight per key. */
export class KeyCache {
  private readonly expiry = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly check: KeyCheck,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** Resolves true when the request may go on (the synchronous fast path is `fresh`). */
  allowed(key: string): boolean | Promise<boolean> {
    if (key === "") return false;
    const until = this.expiry.get(key);
    if (until !== undefined && this.now() <= until) return true;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.recheck(key, until !== undefined).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async recheck(key: string, known: boolean): Promise<boolean> {
    let valid: boolean;
    try {
      valid = await this.check(key);
    } catch (e) {
      this.onError(`Error checking auth for API key: ${e instanceof Error ? e.message : String(e)}${known ? ", extending cache duration" : ""}`);
      if (!known) return false;
      this.expiry.set(key, this.now() + this.ttlMs);
      return true;
    }
    if (valid) this.expiry.set(key, this.now() + this.ttlMs);
    else this.expiry.delete(key);
    return valid;
  }
}
