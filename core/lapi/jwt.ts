/**
 * Watcher tokens as CrowdSec's LAPI issues them (gin-jwt, LAPI.md §2.1): HS256, claims `id`
 * (machine_id), `exp` and `orig_iat` (unix seconds), one hour of life, refreshable for one hour
 * after `orig_iat`. Verification errors carry the texts jwt-go uses.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { goJsonKind, readGoJson } from "./go-json";

export const TOKEN_LIFETIME_MS = 3600_000;
export const MAX_REFRESH_MS = 3600_000;

export interface TokenClaims {
  id: string;
  exp: number;
  orig_iat: number;
}

const HEADER = base64url(Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })));

function base64url(buf: Buffer): string {
  return buf.toString("base64url");
}

function sign(secret: Uint8Array, data: string): Buffer {
  return createHmac("sha256", secret).update(data).digest();
}

/** A signed token and its expiry. */
export function issueToken(secret: Uint8Array, machineId: string, now: Date, origIat?: number): { token: string; expire: Date } {
  const nowSec = Math.floor(now.getTime() / 1000);
  const expire = new Date((nowSec + TOKEN_LIFETIME_MS / 1000) * 1000);
  const claims: TokenClaims = { exp: nowSec + TOKEN_LIFETIME_MS / 1000, id: machineId, orig_iat: origIat ?? nowSec };
  const payload = base64url(Buffer.from(JSON.stringify({ exp: claims.exp, id: claims.id, orig_iat: claims.orig_iat })));
  const data = `${HEADER}.${payload}`;
  return { token: `${data}.${base64url(sign(secret, data))}`, expire };
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; message: string };

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodeSegment(seg: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!B64URL.test(seg) || seg.length % 4 === 1) {
    const bad = seg.search(/[^A-Za-z0-9_-]/);
    return { ok: false, message: `illegal base64 data at input byte ${bad < 0 ? seg.length - 1 : bad}` };
  }
  return readGoJson(new Uint8Array(Buffer.from(seg, "base64url")));
}

/**
 * Checks a token: shape, HS256, signature, then expiry. `allowExpiredForMs` lets the refresh route
 * accept a token expired less than that long ago (its own orig_iat check follows).
 */
export function verifyToken(secret: Uint8Array, token: string, now: Date, allowExpiredForMs = 0): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, message: "token contains an invalid number of segments" };
  const [h, p, s] = parts as [string, string, string];
  const header = decodeSegment(h);
  if (!header.ok) return header;
  if (typeof header.value !== "object" || header.value === null || Array.isArray(header.value)) {
    return { ok: false, message: `json: cannot unmarshal ${goJsonKind(header.value)} into Go value of type map[string]interface {}` };
  }
  const payload = decodeSegment(p);
  if (!payload.ok) return payload;
  if (typeof payload.value !== "object" || payload.value === null || Array.isArray(payload.value)) {
    return { ok: false, message: `json: cannot unmarshal ${goJsonKind(payload.value)} into Go value of type jwt.MapClaims` };
  }
  const alg = (header.value as Record<string, unknown>).alg;
  if (alg !== "HS256") return { ok: false, message: "signing method (alg) is unavailable." };
  const want = sign(secret, `${h}.${p}`);
  const got = B64URL.test(s) ? Buffer.from(s, "base64url") : Buffer.alloc(0);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, message: "signature is invalid" };
  const claims = payload.value as Record<string, unknown>;
  const exp = claims.exp;
  if (typeof exp !== "number") return { ok: false, message: "missing exp field" };
  if (Math.floor((now.getTime() - allowExpiredForMs) / 1000) > exp) return { ok: false, message: "Token is expired" };
  const id = claims.id;
  if (typeof id !== "string") return { ok: false, message: "identity claim is missing" };
  const origIat = typeof claims.orig_iat === "number" ? claims.orig_iat : 0;
  return { ok: true, claims: { id, exp, orig_iat: origIat } };
}
