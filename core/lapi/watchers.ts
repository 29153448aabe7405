/**
 * Machine routes (LAPI.md §2.1, §2.2, §4, §9): register, login, refresh_token, heartbeat,
 * self-delete, and usage metrics (accepted and dropped: picket has no CAPI to forward them to).
 */
import { goJsonKind, readGoJson } from "./go-json";
import { authenticateBouncer, authenticateMachine, findToken } from "./auth";
import { readBody } from "./body";
import type { LapiContext, LapiRequest } from "./context";
import { rfc3339Seconds } from "./format";
import { issueToken, MAX_REFRESH_MS, verifyToken } from "./jwt";
import { empty, json, message, unauthorized } from "./respond";

/** bcrypt cost of CrowdSec (Go's bcrypt.DefaultCost). */
const BCRYPT_COST = 10;

interface StringFields {
  values: Record<string, string>;
  /** Go's unmarshal error, when a field has the wrong JSON type. */
  typeError?: string;
  /** Required fields that are missing or null, in order. */
  missing: string[];
}

function stringFields(body: unknown, goStruct: string, required: readonly string[], optional: readonly string[] = []): StringFields {
  const out: StringFields = { values: {}, missing: [] };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    if (body !== null) out.typeError = `json: cannot unmarshal ${goJsonKind(body)} into Go value of type models.${goStruct}`;
    out.missing.push(...required);
    return out;
  }
  const obj = body as Record<string, unknown>;
  for (const key of [...required, ...optional]) {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (required.includes(key)) out.missing.push(key);
      continue;
    }
    if (typeof v !== "string") {
      out.typeError ??= `json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${goStruct}.${key} of type string`;
      continue;
    }
    out.values[key] = v;
  }
  return out;
}

/** POST /v1/watchers: a pending (not validated) machine. */
export async function registerWatcher(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const body = await readBody(r.req, ctx.limits.unauthenticatedBytes);
  if (!body.ok) return message(body.status, body.message);
  const decoded = readGoJson(body.bytes);
  if (!decoded.ok) return message(400, decoded.message);
  const fields = stringFields(decoded.value, "WatcherRegistrationRequest", ["machine_id", "password"]);
  if (fields.typeError) return message(400, fields.typeError);
  if (fields.missing.length > 0) return message(500, `validation failure list:\n${fields.missing.map((f) => `${f} in body is required`).join("\n")}`);
  const machineId = fields.values.machine_id!;
  const passwordHash = await Bun.password.hash(fields.values.password!, { algorithm: "bcrypt", cost: BCRYPT_COST });
  const added = await ctx.store.addMachine({ machineId, passwordHash, ipAddress: r.clientIp, isValidated: false, authType: "password" });
  if (!added.ok) {
    if (added.error.code === "exists") return message(403, `user '${machineId}': user already exist`);
    return message(500, added.error.message);
  }
  ctx.log(`machine ${machineId} registered from ${r.clientIp}, waiting for validation`);
  return empty(201);
}

/** POST /v1/watchers/login, in upstream's order of checks. */
export async function loginWatcher(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const body = await readBody(r.req, ctx.limits.unauthenticatedBytes);
  if (!body.ok) return message(body.status, body.message);
  const decoded = readGoJson(body.bytes);
  if (!decoded.ok) return unauthorized(`missing: ${decoded.message}`);
  const fields = stringFields(decoded.value, "WatcherAuthRequest", ["machine_id", "password"]);
  if (fields.typeError) return unauthorized(`missing: ${fields.typeError}`);
  const raw = decoded.value as Record<string, unknown> | null;
  const scenariosValue = raw?.scenarios;
  if (scenariosValue !== undefined && scenariosValue !== null && (!Array.isArray(scenariosValue) || scenariosValue.some((s) => typeof s !== "string"))) {
    return unauthorized(`missing: json: cannot unmarshal ${goJsonKind(scenariosValue)} into Go struct field WatcherAuthRequest.scenarios of type []string`);
  }
  if (fields.missing.length > 0) return unauthorized("input format error");
  const machineId = fields.values.machine_id!;
  const machine = await ctx.store.getMachine(machineId);
  if (!machine) return unauthorized("ent: machine not found");
  if (machine.authType !== "password") return unauthorized(`machine ${machineId} attempted to auth with password but it is configured to use ${machine.authType}`);
  if (!machine.isValidated) return unauthorized(`machine ${machineId} not validated`);
  let matches = false;
  try {
    matches = await Bun.password.verify(fields.values.password!, machine.passwordHash);
  } catch {
    matches = false;
  }
  if (!matches) return unauthorized("incorrect Username or Password");
  const changes: { scenarios?: string; ipAddress?: string; version?: string } = {};
  const scenarios = Array.isArray(scenariosValue) ? (scenariosValue as string[]) : [];
  if (scenarios.length > 0 && scenarios.join(",") !== machine.scenarios) changes.scenarios = scenarios.join(",");
  if (machine.ipAddress !== r.clientIp) changes.ipAddress = r.clientIp;
  const ua = (r.req.headers.get("user-agent") ?? "").split("/");
  if (ua.length === 2 && ua[1] !== machine.version) changes.version = ua[1]!;
  if (Object.keys(changes).length > 0) await ctx.store.updateMachineLogin(machineId, changes);
  if (ua.length !== 2) return unauthorized("incorrect Username or Password");
  const { token, expire } = issueToken(ctx.secret, machineId, ctx.now());
  return json(200, { code: 200, expire: rfc3339Seconds(expire), token });
}

/** GET /v1/refresh_token: a new token of the same shape, within an hour of the original login. */
export function refreshToken(ctx: LapiContext, r: LapiRequest): Response {
  const found = findToken(r);
  if (!found.ok) return unauthorized(found.message);
  const now = ctx.now();
  const checked = verifyToken(ctx.secret, found.token, now, MAX_REFRESH_MS);
  if (!checked.ok) return unauthorized(checked.message);
  if ((checked.claims.orig_iat * 1000) + MAX_REFRESH_MS < now.getTime()) return unauthorized("token is expired");
  const { token, expire } = issueToken(ctx.secret, checked.claims.id, now, checked.claims.orig_iat);
  return json(200, { code: 200, expire: rfc3339Seconds(expire), token });
}

/** GET /v1/heartbeat: 200 with an empty body. */
export async function heartbeat(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  await ctx.store.touchMachine(auth.machineId, "lastHeartbeat", ctx.now());
  return empty(200);
}

/** DELETE /v1/watchers/self (current versions): the caller's machine row goes. */
export async function deleteSelf(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const deleted = await ctx.store.deleteMachine(auth.machineId);
  if (!deleted.ok) return message(deleted.error.code === "not-found" ? 404 : 500, deleted.error.code === "not-found" ? "object not found" : deleted.error.message);
  ctx.log(`machine ${auth.machineId} deleted itself`);
  return empty(200);
}

/**
 * POST /v1/usage-metrics (current versions): machines or bouncers, chosen as upstream does
 * (X-Api-Key → key, Authorization → JWT, a `crowdsec/` UA → JWT, else key). Answered 201.
 */
export async function usageMetrics(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const h = r.req.headers;
  const useKey = h.has("x-api-key") || (!h.has("authorization") && !(h.get("user-agent") ?? "").startsWith("crowdsec/"));
  if (useKey) {
    const auth = await authenticateBouncer(ctx, r);
    if (!auth.ok) return auth.response;
  } else {
    const auth = authenticateMachine(ctx, r);
    if (!auth.ok) return auth.response;
  }
  const body = await readBody(r.req, ctx.limits.authenticatedBytes);
  if (!body.ok) return message(body.status, body.message);
  const decoded = readGoJson(body.bytes);
  if (!decoded.ok) return message(400, decoded.message);
  const v = decoded.value;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return message(400, `json: cannot unmarshal ${goJsonKind(v)} into Go value of type models.AllMetrics`);
  const obj = v as Record<string, unknown>;
  const count = (k: string) => (Array.isArray(obj[k]) ? (obj[k] as unknown[]).length : 0);
  const lp = count("log_processors");
  const rc = count("remediation_components");
  if (lp > 0 && rc > 0) return message(400, "Payload has both LP and RC data");
  if (lp > 1) return message(400, "Payload has more than one LP item");
  if (rc > 1) return message(400, "Payload has more than one RC item");
  return empty(201);
}
