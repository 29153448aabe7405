/**
 * The `docker` datasource (ACQUISITION.md §7): lists running containers through the Docker
 * Engine HTTP API (unix socket by default), streams the logs of each one the selectors match
 * (`follow=1` in tail mode), and polls the list to pick up containers that start later and to
 * let go of those that stopped. Non-TTY log streams are multiplexed (8-byte frame headers) and
 * demultiplexed here; TTY streams are raw.
 */
import type { Re2Regex } from "../../../regex";
import { ByteLines } from "../byte-lines";
import { emit, lineEvent, nowTime, pause, pushWarning, SourceCounters, type CommonConfig, type DataSource, type EventSink } from "../types";

export interface DockerSourceConfig {
  readonly containerName: readonly string[];
  readonly containerId: readonly string[];
  readonly containerNameRegexp: readonly Re2Regex[];
  readonly containerIdRegexp: readonly Re2Regex[];
  readonly useContainerLabels: boolean;
  readonly followStdout: boolean;
  readonly followStderr: boolean;
  /** `unix:///var/run/docker.sock` or `tcp://host:port` / `http://host:port`. */
  readonly host: string;
  /** Unix seconds: logs before it are not read. */
  readonly sinceSeconds: number;
  readonly until?: string;
  readonly pollIntervalMs: number;
}

interface ContainerSummary {
  readonly id: string;
  readonly names: readonly string[];
  readonly labels: Record<string, string>;
}

interface Followed {
  readonly name: string;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** Upstream reads container logs with a 64 KiB line scanner. */
const MAX_LINE = 64 * 1024;

export class DockerSource implements DataSource {
  readonly module = "docker";
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  private readonly followed = new Map<string, Followed>();
  /** When a container's stream ended: a later re-attach starts there, not at `since` again. */
  private readonly detachedAt = new Map<string, number>();
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    readonly config: CommonConfig,
    readonly docker: DockerSourceConfig,
  ) {}

  /** Names of the containers being read. */
  containers(): string[] {
    return [...this.followed.values()].map((f) => f.name);
  }

  start(sink: EventSink, signal: AbortSignal): Promise<void> {
    this.running = this.run(sink, AbortSignal.any([signal, this.stopper.signal]));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running?.catch(() => undefined);
  }

  private async run(sink: EventSink, signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        const list = await this.list(signal);
        if (list) {
          const alive = new Set<string>();
          for (const c of list) {
            alive.add(c.id);
            if (this.followed.has(c.id)) continue;
            const match = this.evaluate(c);
            if (match) this.follow(c.id, match.name, match.labels, sink, signal);
          }
          for (const [id, f] of this.followed) if (!alive.has(id)) f.controller.abort();
        }
        if (this.config.mode === "cat") {
          await Promise.all([...this.followed.values()].map((f) => f.done));
          return;
        }
        await pause(this.docker.pollIntervalMs, signal);
      }
    } finally {
      for (const f of this.followed.values()) f.controller.abort();
      await Promise.all([...this.followed.values()].map((f) => f.done));
    }
  }

  /** Which containers to read, as upstream's EvalContainer: ID, name, ID regexp, name regexp, labels. */
  private evaluate(c: ContainerSummary): { name: string; labels: Record<string, string> } | undefined {
    const d = this.docker;
    const first = c.names[0] ?? c.id;
    if (d.containerId.includes(c.id)) return { name: first, labels: this.config.labels };
    for (const wanted of d.containerName) {
      for (const n of c.names) {
        const bare = n.startsWith("/") ? n.slice(1) : n;
        if (bare === wanted || n === wanted) return { name: bare, labels: this.config.labels };
      }
    }
    for (const re of d.containerIdRegexp) if (re.test(c.id)) return { name: first, labels: this.config.labels };
    for (const re of d.containerNameRegexp) for (const n of c.names) if (re.test(n)) return { name: n, labels: this.config.labels };
    if (d.useContainerLabels) {
      if (c.labels["crowdsec.enable"] !== "true") return undefined;
      const labels: Record<string, string> = Object.create(null) as Record<string, string>;
      let any = false;
      for (const [k, v] of Object.entries(c.labels)) {
        if (k.startsWith("crowdsec.labels.") && k.length > "crowdsec.labels.".length) {
          labels[k.slice("crowdsec.labels.".length)] = v;
          any = true;
        }
      }
      if (!any) {
        pushWarning(this.warnings, `Container "${first}" has crowdsec.enable=true but no crowdsec.labels.*: skipped`);
        return undefined;
      }
      return { name: first, labels };
    }
    return undefined;
  }

  private follow(id: string, name: string, labels: Record<string, string>, sink: EventSink, parent: AbortSignal): void {
    const controller = new AbortController();
    const signal = AbortSignal.any([parent, controller.signal]);
    const config = labels === this.config.labels ? this.config : { ...this.config, labels };
    const done = this.stream(id, name, config, sink, signal)
      .catch((e: unknown) => {
        if (!signal.aborted) pushWarning(this.warnings, `Cannot read logs of container "${name}": ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.detachedAt.set(id, Math.floor(Date.now() / 1000));
        // cat mode reads each container once; tail mode lets the next listing re-attach a live one.
        if (this.config.mode !== "cat") this.followed.delete(id);
      });
    this.followed.set(id, { name, controller, done });
  }

  private async stream(id: string, name: string, config: CommonConfig, sink: EventSink, signal: AbortSignal): Promise<void> {
    const info = await this.get(`/containers/${encodeURIComponent(id)}/json`, signal);
    const tty = isRecord(info) && isRecord(info.Config) && info.Config.Tty === true;
    const q = new URLSearchParams();
    if (this.config.mode !== "cat") q.set("follow", "1");
    q.set("stdout", this.docker.followStdout ? "1" : "0");
    q.set("stderr", this.docker.followStderr ? "1" : "0");
    q.set("since", String(this.detachedAt.get(id) ?? this.docker.sinceSeconds));
    if (this.docker.until) q.set("until", this.docker.until);
    const res = await this.request(`/containers/${encodeURIComponent(id)}/logs?${q}`, signal);
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    let batch: string[] = [];
    const lines = new ByteLines({ maxLineBytes: MAX_LINE, stripCr: true }, (line, tooLong) => {
      if (tooLong) this.counters.drop("line-too-long");
      else if (line !== "") batch.push(line);
    });
    const demux = tty ? undefined : new Demuxer();
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) lines.flush();
        else if (demux) demux.push(value, (payload) => lines.push(payload));
        else lines.push(value);
        const out = batch;
        batch = [];
        for (const line of out) {
          this.counters.hit(name);
          // Upstream marks docker events time-machine in its one-shot reader only; live follows use_time_machine.
          await emit(sink, lineEvent(line, name, config, this.module, nowTime(), this.config.mode === "cat" || config.useTimeMachine));
        }
        if (done) return;
      }
    } finally {
      reader.releaseLock();
    }
  }

  private async list(signal: AbortSignal): Promise<ContainerSummary[] | undefined> {
    let body: unknown;
    try {
      body = await this.get("/containers/json", signal);
    } catch (e) {
      if (!signal.aborted) pushWarning(this.warnings, `Cannot list containers on ${this.docker.host}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    if (!Array.isArray(body)) return undefined;
    const out: ContainerSummary[] = [];
    for (const item of body) {
      if (!isRecord(item) || typeof item.Id !== "string") continue;
      const names = Array.isArray(item.Names) ? item.Names.filter((n): n is string => typeof n === "string") : [];
      const labels: Record<string, string> = {};
      if (isRecord(item.Labels)) for (const [k, v] of Object.entries(item.Labels)) if (typeof v === "string") labels[k] = v;
      out.push({ id: item.Id, names, labels });
    }
    return out;
  }

  private async get(path: string, signal: AbortSignal): Promise<unknown> {
    const res = await this.request(path, signal);
    if (!res.ok) throw new Error(`HTTP ${res.status} on ${path}`);
    return (await res.json()) as unknown;
  }

  private request(path: string, signal: AbortSignal): Promise<Response> {
    const host = this.docker.host;
    if (host.startsWith("unix://")) return fetch(`http://docker${path}`, { unix: host.slice("unix://".length), signal });
    const base = host.startsWith("tcp://") ? `http://${host.slice("tcp://".length)}` : host;
    return fetch(`${base.replace(/\/$/, "")}${path}`, { signal });
  }
}

/** Docker's multiplexed log format: [stream, 0, 0, 0, size (big-endian u32)] then `size` bytes. */
export class Demuxer {
  private header = new Uint8Array(8);
  private headerLen = 0;
  private remaining = 0;

  push(chunk: Uint8Array, onPayload: (bytes: Uint8Array) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - pos);
        onPayload(chunk.subarray(pos, pos + n));
        this.remaining -= n;
        pos += n;
        continue;
      }
      const n = Math.min(8 - this.headerLen, chunk.length - pos);
      this.header.set(chunk.subarray(pos, pos + n), this.headerLen);
      this.headerLen += n;
      pos += n;
      if (this.headerLen === 8) {
        const h = this.header;
        this.remaining = ((h[4]! << 24) >>> 0) + (h[5]! << 16) + (h[6]! << 8) + h[7]!;
        this.headerLen = 0;
      }
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
