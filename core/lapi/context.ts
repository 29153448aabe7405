/** What every route handler reads: the store, the profiles, the token secret, the clock. */
import type { BouncerRecord, Store } from "../db";
import type { GoIPNet } from "../net";
import type { Profiles } from "../profiles";
import type { BodyLimits } from "./body";

export interface LapiContext {
  readonly store: Store;
  readonly profiles: Profiles;
  readonly secret: Uint8Array;
  /** Networks allowed to delete alerts, besides 127.0.0.1 and ::1. */
  readonly trusted: readonly GoIPNet[];
  readonly limits: BodyLimits;
  readonly log: (line: string) => void;
  readonly now: () => Date;
}

/** One request as the handlers see it. */
export interface LapiRequest {
  readonly req: Request;
  readonly url: URL;
  readonly method: string;
  /** The peer address, IPv4-mapped IPv6 shown as IPv4. */
  readonly clientIp: string;
}

export type BouncerAuth = { ok: true; bouncer: BouncerRecord } | { ok: false; response: Response };
export type MachineAuth = { ok: true; machineId: string } | { ok: false; response: Response };
