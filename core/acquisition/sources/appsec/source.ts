/**
 * The `appsec` datasource: the HTTP endpoint remediation components query (APPSEC.md §1). Per
 * call: API key (401), body read within its deadline and size, the forwarded request rebuilt
 * (500 when it cannot be inspected), the in-band verdict answered as CrowdSec does
 * (`{"action":…,"http_status":…}` with the bouncer status), then the out-of-band phase after the
 * reply. What a match emits (APPSEC alert events, then LOG events for the parsers) goes to the
 * sink. Evaluation is synchronous on one thread, so `routines` has nothing to spread over.
 */
import { existsSync, rmSync } from "node:fs";
import type { Server } from "bun";
import { evaluateInBand, evaluateOutOfBand, requestFromForwarded, type AppsecEmitted, type AppsecRuntime, type PendingRequest } from "../../../appsec";
import type { Event } from "../../../event";
import { pushWarning, SourceCounters, type CommonConfig, type DataSource, type EventSink } from "../types";
import { KeyCache, type KeyCheck } from "./auth";

export interface AppsecListen {
  readonly hostname: string;
  /** 0 picks a free port (tests); `urls()` tells which. */
  readonly port: number;
}

export interface AppsecSourceConfig {
  /** TCP listener (`listen_addr`), when set. */
  readonly listen?: AppsecListen;
  /** Unix socket (`listen_socket`), when set. */
  readonly socket?: string;
  /** TLS of the TCP listener. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Mount path with Go ServeMux meaning: `/` everything, `/x` exactly, `/x/` the subtree. */
  readonly path: string;
  /** Accepted for compatibility: one thread evaluates every request. */
  readonly routines: number;
  readonly authCacheMs: number;
  /** Deadline for the forwarded body; 0 waits as long as the bouncer sends. */
  readonly bodyReadTimeoutMs: number;
}

/** Services of the endpoint: the compiled WAF and the key check, and test seams. */
export interface AppsecSourceHost {
  readonly runtime: AppsecRuntime;
  readonly checkKey: KeyCheck;
  /** Runs the out-of-band phase after the reply (default: setImmediate). */
  readonly defer?: (run: () => void) => void;
  readonly now?: () => number;
}

const EMPTY = new Uint8Array(0);
const deferImmediate = (run: () => void): void => void setImmediate(run);

type BodyRead = { readonly bytes: Uint8Array; readonly exceeded: boolean } | { readonly error: string };

/**
 * Reads the forwarded body up to `max + 1` bytes (Content-Length is not trusted). A deadline
 * keeps what arrived, as upstream treats a read timeout; another read error is an error.
 */
async function readBody(req: Request, max: number, timeoutMs: number): Promise<BodyRead> {
  const stream = req.body;
  if (!stream) return { bytes: EMPTY, exceeded: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timedOut = false;
  const timer = timeoutMs > 0 ? setTimeout(() => {
    timedOut = true;
    void reader.cancel().catch(() => {});
  }, timeoutMs) : undefined;
  try {
    while (total <= max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
    if (total > max) void reader.cancel().catch(() => {});
  } catch (e) {
    if (!timedOut) return { error: `cannot read the request body: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    if (timer) clearTimeout(timer);
  }
  const bytes = chunks.length === 1 ? chunks[0]! : concat(chunks, total);
  return { bytes, exceeded: total > max };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** RemoteAddr without port; an IPv4-mapped IPv6 address as Go shows an IPv4 peer. */
function peerAddress(server: Server<undefined>, req: Request): string {
  const a = server.requestIP(req)?.address ?? "";
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

export class AppsecSource implements DataSource {
  readonly module = "appsec";
  readonly counters = new SourceCounters();
  readonly warnings: string[];
  /** Requests answered, per answer (`allow`, `ban`, …, and `401`, `500`). */
  readonly answers = new Map<string, number>();
  private readonly keys: KeyCache;
  private readonly defer: (run: () => void) => void;
  private readonly replies = new Map<string, string>();
  private servers: Server<undefined>[] = [];
  private sink: EventSink | undefined;
  private finished: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly config: CommonConfig,
    readonly appsec: AppsecSourceConfig,
    private readonly host: AppsecSourceHost,
    warnings: string[] = [],
  ) {
    this.warnings = warnings;
    this.keys = new KeyCache(host.checkKey, appsec.authCacheMs, host.now, (m) => this.warn(m));
    this.defer = host.defer ?? deferImmediate;
  }

  /** Where the endpoint listens, once started: `http://127.0.0.1:7422`, `unix:/run/appsec.sock`. */
  urls(): string[] {
    return this.servers.map((s) => (s.url.protocol === "unix:" ? `unix:${this.appsec.socket}` : s.url.origin));
  }

  async start(sink: EventSink, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.stopped) return;
    this.sink = sink;
    const fetch = (req: Request, server: Server<undefined>) => this.handle(req, server);
    const { listen, socket, tls } = this.appsec;
    try {
      if (listen) {
        this.servers.push(Bun.serve({
          hostname: listen.hostname, port: listen.port, fetch,
          tls: tls ? { cert: Bun.file(tls.certFile), key: Bun.file(tls.keyFile) } : undefined,
        }));
      }
      if (socket) {
        if (existsSync(socket)) rmSync(socket, { force: true });
        this.servers.push(Bun.serve({ unix: socket, fetch }));
      }
    } catch (e) {
      await this.stop();
      throw new Error(`appsec datasource "${this.config.name}": cannot listen: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (signal.aborted || this.stopped) {
      await this.stop();
      return;
    }
    await new Promise<void>((resolve) => {
      this.finished = resolve;
      signal.addEventListener("abort", () => void this.stop(), { once: true });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const servers = this.servers;
    this.servers = [];
    for (const s of servers) s.stop(true);
    if (servers.length > 0 && this.appsec.socket) rmSync(this.appsec.socket, { force: true });
    this.finished?.();
    this.finished = undefined;
  }

  private warn(message: string): void {
    pushWarning(this.warnings, message);
  }

  private count(answer: string): void {
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
  }

  /** Go ServeMux: `/` catches every path, `/x/` its subtree, `/x` only itself. */
  private mounted(url: string): boolean {
    const mount = this.appsec.path;
    if (mount === "/") return true;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    if (start < 0) return false;
    let end = url.indexOf("?", start);
    if (end < 0) end = url.length;
    const path = url.slice(start, end);
    return mount.endsWith("/") ? path.startsWith(mount) : path === mount;
  }

  private reply(action: string, userStatus: number, status: number): Response {
    const key = `${status} ${userStatus} ${action}`;
    let body = this.replies.get(key);
    if (body === undefined) {
      body = JSON.stringify({ action, http_status: userStatus });
      this.replies.set(key, body);
    }
    return new Response(body, { status });
  }

  private async handle(req: Request, server: Server<undefined>): Promise<Response> {
    if (!this.mounted(req.url)) return new Response("404 page not found\n", { status: 404 });
    const remote = peerAddress(server, req);
    const key = req.headers.get("x-crowdsec-appsec-api-key") ?? "";
    const allowed = this.keys.allowed(key);
    if (allowed !== true && !(await allowed)) {
      this.warn(`Unauthorized request from '${remote}' (real IP = ${req.headers.get("x-crowdsec-appsec-ip") ?? ""}): ${key === "" ? "missing API key" : "invalid API key"}`);
      this.count("401");
      return new Response(null, { status: 401 });
    }
    const runtime = this.host.runtime;
    const settings = runtime.bodySettings;
    const body = await readBody(req, settings.maxSize, this.appsec.bodyReadTimeoutMs);
    if ("error" in body) return this.failed(body.error);
    const headers: [string, string][] = [];
    req.headers.forEach((value, name) => void headers.push([name, value]));
    const parsed = requestFromForwarded(headers, body.exceeded && settings.action !== "partial" ? EMPTY : body.bytes.subarray(0, settings.maxSize), remote);
    if (!parsed.ok) return this.failed(parsed.error.message);
    const request = body.exceeded && settings.action === "drop" ? { ...parsed.value, bodySizeExceeded: true } : parsed.value;
    this.counters.hit(request.remoteAddr);
    const nowMs = this.host.now?.() ?? Date.now();
    const inband = evaluateInBand(runtime, request, { nowMs });
    if (inband.emitted.events.length > 0 || inband.emitted.alerts.length > 0) await this.emitAll(inband.emitted);
    this.defer(() => this.outOfBand(inband.pending));
    const v = inband.verdict;
    this.count(v.action);
    return this.reply(v.action, v.httpStatus, v.bouncerStatus);
  }

  private failed(message: string): Response {
    this.warn(message);
    this.count("500");
    return new Response(null, { status: 500 });
  }

  private outOfBand(pending: PendingRequest): void {
    try {
      const r = evaluateOutOfBand(pending);
      if (r.emitted.events.length > 0 || r.emitted.alerts.length > 0) void this.emitAll(r.emitted);
    } catch (e) {
      this.warn(`out-of-band evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Alerts first, then the LOG events, as upstream's runner sends them. */
  private async emitAll(emitted: AppsecEmitted): Promise<void> {
    const sink = this.sink;
    if (!sink || this.stopped) return;
    for (const a of emitted.alerts) await this.send(sink, a);
    for (const e of emitted.events) {
      e.Line.Labels = this.config.labels;
      await this.send(sink, e);
    }
  }

  private async send(sink: EventSink, event: Event): Promise<void> {
    try {
      const wait = sink(event);
      if (wait) await wait;
    } catch (e) {
      this.counters.drop("sink");
      this.warn(`appsec event not delivered: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
