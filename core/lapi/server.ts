/** The Local API on a socket: Bun.serve around the request handler. */
import { randomBytes } from "node:crypto";
import type { FlushPolicy, Store } from "../db";
import type { Profiles } from "../profiles";
import { err, ok, problem, type Problem, type Result } from "../result";
import { parseTrustedIps } from "./alerts";
import { DEFAULT_BODY_LIMITS, type BodyLimits } from "./body";
import type { LapiContext } from "./context";
import { createLapiHandler, type LapiHandler } from "./handler";

export type LapiListen = { host: string; port: number } | { unix: string };

export interface LapiOptions {
  store: Store;
  profiles: Profiles;
  listen: LapiListen;
  /** IPs or CIDRs allowed to delete alerts, besides 127.0.0.1 and ::1 (api.server.trusted_ips). */
  trustedIps?: readonly string[];
  tls?: { certFile: string; keyFile: string };
  /** Token signing secret; else CS_LAPI_SECRET (at least 64 bytes), else 64 random bytes. */
  jwtSecret?: string;
  bodyLimits?: Partial<BodyLimits>;
  log?: (line: string) => void;
  now?: () => Date;
  /** Called after each answer (metrics): method, URL path, status, seconds spent. */
  observe?: (method: string, path: string, status: number, seconds: number) => void;
  /** db_config.flush: applied at start and then every `flushEveryMs` (default one minute). */
  flush?: FlushPolicy;
  flushEveryMs?: number;
}

const FLUSH_EVERY_MS = 60_000;

/** The flush job: max_items / max_age applied now and then periodically; stop() ends it. */
function startFlushJob(store: Store, policy: FlushPolicy, everyMs: number, now: () => Date, log: (line: string) => void): () => void {
  if (policy.maxItems === undefined && policy.maxAgeMs === undefined) return () => undefined;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const n = await store.flush(policy, now());
      if (n > 0) log(`flush: ${n} alert(s) deleted (max_items ${policy.maxItems ?? "-"}, max_age ${policy.maxAgeMs === undefined ? "-" : `${policy.maxAgeMs / 1000}s`})`);
    } catch (e) {
      log(`flush failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export interface LapiServer {
  /** `http://127.0.0.1:8080`, `https://…`, or `unix:/path`. */
  readonly url: string;
  /** The handler the socket serves, for in-process calls. */
  readonly handle: LapiHandler;
  /** Stops listening; requests under way finish (at most `graceMs`, then connections are closed). */
  stop(graceMs?: number): Promise<void>;
}

const MIN_SECRET_BYTES = 64;

/** The signing secret as upstream picks it; a CS_LAPI_SECRET shorter than 64 bytes is refused. */
export function tokenSecret(explicit: string | undefined, env: Record<string, string | undefined> = process.env): Result<Uint8Array> {
  const text = explicit ?? env.CS_LAPI_SECRET;
  if (text === undefined || text === "") return ok(new Uint8Array(randomBytes(MIN_SECRET_BYTES)));
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < MIN_SECRET_BYTES) {
    return err(problem("lapi.secret", `The JWT secret is too short: ${bytes.length} bytes, at least ${MIN_SECRET_BYTES} are needed`, { hint: "set CS_LAPI_SECRET to 64 random characters or more, or unset it" }));
  }
  return ok(bytes);
}

/** Everything the handlers need, from the server options (also used by tests without a socket). */
export function lapiContext(options: Omit<LapiOptions, "listen" | "tls">): Result<LapiContext> {
  const secret = tokenSecret(options.jwtSecret);
  if (!secret.ok) return secret;
  const trusted = parseTrustedIps(options.trustedIps ?? []);
  if (trusted.invalid.length > 0) return err(problem("lapi.trusted-ips", `Invalid trusted IP or range "${trusted.invalid[0]}"`, { field: "api.server.trusted_ips" }));
  return ok({
    store: options.store,
    profiles: options.profiles,
    secret: secret.value,
    trusted: trusted.networks,
    limits: { ...DEFAULT_BODY_LIMITS, ...options.bodyLimits },
    log: options.log ?? (() => undefined),
    now: options.now ?? (() => new Date()),
  });
}

export async function createLapiServer(options: LapiOptions): Promise<Result<LapiServer, Problem>> {
  const ctx = lapiContext(options);
  if (!ctx.ok) return ctx;
  const handle = createLapiHandler(ctx.value);
  const log = ctx.value.log;
  let tls: { cert: ReturnType<typeof Bun.file>; key: ReturnType<typeof Bun.file> } | undefined;
  if (options.tls) {
    for (const f of [options.tls.certFile, options.tls.keyFile]) {
      if (!(await Bun.file(f).exists())) return err(problem("lapi.tls", `Cannot read TLS file "${f}"`, { file: f }));
    }
    tls = { cert: Bun.file(options.tls.certFile), key: Bun.file(options.tls.keyFile) };
  }
  const where = "unix" in options.listen ? { unix: options.listen.unix } : { hostname: options.listen.host, port: options.listen.port };
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      ...where,
      ...(tls ? { tls } : {}),
      // bodies are bounded per route by readBody; this is only the outer guard
      maxRequestBodySize: ctx.value.limits.authenticatedBytes + 1024 * 1024,
      fetch(req, srv) {
        const observe = options.observe;
        const t0 = observe ? performance.now() : 0;
        const answer = handle(req, srv.requestIP(req)?.address ?? "127.0.0.1");
        if (!observe) return answer;
        return answer.then((res) => {
          observe(req.method, new URL(req.url).pathname, res.status, (performance.now() - t0) / 1000);
          return res;
        });
      },
      error(e) {
        log(`request failed: ${e.message}`);
        return new Response(JSON.stringify({ message: "internal server error" }), { status: 500, headers: { "Content-Type": "application/json; charset=utf-8" } });
      },
    });
  } catch (e) {
    const where = "unix" in options.listen ? options.listen.unix : `${options.listen.host}:${options.listen.port}`;
    return err(problem("lapi.listen", `Cannot listen on ${where}: ${e instanceof Error ? e.message : String(e)}`));
  }
  const stopFlush = startFlushJob(options.store, options.flush ?? {}, options.flushEveryMs ?? FLUSH_EVERY_MS, ctx.value.now, log);
  const url = "unix" in options.listen ? `unix:${options.listen.unix}` : `${tls ? "https" : "http"}://${hostForUrl(server.hostname ?? options.listen.host)}:${server.port}`;
  return ok({
    url,
    handle,
    async stop(graceMs = 3000) {
      stopFlush();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          void server.stop(true);
          resolve();
        }, graceMs);
      });
      await Promise.race([server.stop(false), forced]);
      clearTimeout(timer);
    },
  });
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
