/**
 * The two credentials (LAPI.md §2): machines send a JWT (Authorization: Bearer, 1.4.6's
 * `?token=`, or the `jwt` cookie) and get `{"code":401,…}` on failure; bouncers send X-Api-Key,
 * looked up by its SHA-512, and get 403 `{"message":"access forbidden"}`.
 */
import { createHash } from "node:crypto";
import type { BouncerAuth, LapiContext, LapiRequest, MachineAuth } from "./context";
import { verifyToken } from "./jwt";
import { forbidden, unauthorized } from "./respond";

/** Lowercase hex SHA-512 of a bouncer key, as CrowdSec stores it. */
export function hashApiKey(key: string): string {
  return createHash("sha512").update(key).digest("hex");
}

function cookie(req: Request, name: string): string {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return "";
}

/**
 * The token, looked up as gin-jwt does: header, then query, then cookie; when all are empty the
 * error is the last lookup's (`cookie token is empty`).
 */
export function findToken(r: LapiRequest): { ok: true; token: string } | { ok: false; message: string } {
  const header = r.req.headers.get("authorization") ?? "";
  const parts = header.split(" ");
  if (parts.length >= 2 && parts[0] === "Bearer") {
    const token = header.slice("Bearer ".length);
    if (token !== "") return { ok: true, token };
  }
  const query = r.url.searchParams.get("token") ?? "";
  if (query !== "") return { ok: true, token: query };
  const fromCookie = cookie(r.req, "jwt");
  if (fromCookie !== "") return { ok: true, token: fromCookie };
  return { ok: false, message: "cookie token is empty" };
}

export function authenticateMachine(ctx: LapiContext, r: LapiRequest): MachineAuth {
  const found = findToken(r);
  if (!found.ok) return { ok: false, response: unauthorized(found.message) };
  const checked = verifyToken(ctx.secret, found.token, ctx.now());
  if (!checked.ok) return { ok: false, response: unauthorized(checked.message) };
  return { ok: true, machineId: checked.claims.id };
}

/** `type/version` from a two-part User-Agent, else the whole UA and `N/A`. */
export function bouncerAgent(ua: string): { type: string; version: string } {
  const parts = ua.split("/");
  return parts.length === 2 ? { type: parts[0]!, version: parts[1]! } : { type: ua, version: "N/A" };
}

/**
 * X-Api-Key → the bouncer. On success its IP, type and version are refreshed when they changed
 * (1.4.6 overwrites the IP); HEAD only checks the key, as current versions do.
 */
export async function authenticateBouncer(ctx: LapiContext, r: LapiRequest): Promise<BouncerAuth> {
  const key = r.req.headers.get("x-api-key");
  if (!key) return { ok: false, response: forbidden() };
  const bouncer = await ctx.store.findBouncerByKeyHash(hashApiKey(key));
  if (!bouncer || bouncer.revoked || bouncer.authType !== "api-key") return { ok: false, response: forbidden() };
  if (r.method !== "HEAD") {
    const changes: { ipAddress?: string; type?: string; version?: string } = {};
    if (bouncer.ipAddress !== r.clientIp) {
      if (bouncer.ipAddress !== "") ctx.log(`bouncer ${bouncer.name} (${bouncer.ipAddress}) now comes from ${r.clientIp}`);
      changes.ipAddress = r.clientIp;
    }
    const agent = bouncerAgent(r.req.headers.get("user-agent") ?? "");
    if (agent.type !== bouncer.type) changes.type = agent.type;
    if (agent.version !== bouncer.version) changes.version = agent.version;
    if (changes.ipAddress !== undefined || changes.type !== undefined || changes.version !== undefined) {
      await ctx.store.updateBouncerSeen(bouncer.id, changes);
    }
  }
  return { ok: true, bouncer };
}
