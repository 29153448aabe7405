import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIMEMACHINE } from "../../../event";
import { parseAcquisition } from "../../acquis";
import { collect, runSourceContract, waitFor } from "../contract";
import { Demuxer, DockerSource } from "./source";

interface FakeContainer {
  id: string;
  names: string[];
  tty: boolean;
  labels?: Record<string, string>;
  /** Open log streams, one per logs request. */
  streams: ReadableStreamDefaultController<Uint8Array>[];
  /** Lines already in the log, sent first on every request. */
  backlog: string[];
}

/** A Docker Engine on a unix socket: list, inspect, logs (multiplexed unless TTY). */
class FakeDocker {
  readonly containers = new Map<string, FakeContainer>();
  readonly requests: string[] = [];
  readonly server: ReturnType<typeof Bun.serve>;

  constructor(readonly socket: string) {
    this.server = Bun.serve({ unix: socket, fetch: (req) => this.handle(req) });
  }

  add(c: Omit<FakeContainer, "streams" | "backlog"> & { backlog?: string[] }): FakeContainer {
    const full = { ...c, streams: [], backlog: c.backlog ?? [] };
    this.containers.set(c.id, full);
    return full;
  }

  remove(id: string): void {
    const c = this.containers.get(id);
    this.containers.delete(id);
    for (const s of c?.streams ?? []) closeQuietly(s);
  }

  write(id: string, line: string, stream: 1 | 2 = 1): void {
    const c = this.containers.get(id)!;
    for (const s of c.streams) if (s.desiredSize !== null) s.enqueue(c.tty ? new TextEncoder().encode(`${line}\n`) : frame(stream, `${line}\n`));
  }

  private handle(req: Request): Response {
    const url = new URL(req.url);
    this.requests.push(url.pathname + url.search);
    if (url.pathname === "/containers/json") {
      return Response.json([...this.containers.values()].map((c) => ({ Id: c.id, Names: c.names, Labels: c.labels ?? {} })));
    }
    const m = /^\/containers\/([^/]+)\/(json|logs)$/.exec(url.pathname);
    const c = m ? this.containers.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !c) return new Response("not found", { status: 404 });
    if (m[2] === "json") return Response.json({ Id: c.id, Config: { Tty: c.tty } });
    const follow = url.searchParams.get("follow") === "1";
    const body = new ReadableStream<Uint8Array>({
      start: (ctl) => {
        for (const l of c.backlog) ctl.enqueue(c.tty ? new TextEncoder().encode(`${l}\n`) : frame(1, `${l}\n`));
        if (follow) c.streams.push(ctl);
        else ctl.close();
      },
    });
    return new Response(body);
  }

  stop(): void {
    for (const c of this.containers.values()) for (const s of c.streams) closeQuietly(s);
    void this.server.stop(true);
  }
}

/** The client may have cancelled the stream already (aborted request). */
function closeQuietly(s: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    s.close();
  } catch {
    // already closed or cancelled
  }
}

function frame(stream: number, text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "picket-docker-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fake(): FakeDocker {
  return new FakeDocker(join(root, `docker${n++}.sock`));
}

function dockerSource(yaml: string, docker: FakeDocker): DockerSource {
  const r = parseAcquisition(`${yaml}docker_host: unix://${docker.socket}\n`, "acquis.yaml", { pollIntervalMs: 15 });
  if (r.problems.length > 0) throw new Error(r.problems.map((p) => p.message).join("; "));
  const s = r.sources[0];
  if (!(s instanceof DockerSource)) throw new Error("not a docker source");
  return s;
}

const streamsOpen = (c: FakeContainer, k = 1) => () => c.streams.length >= k;

runSourceContract("docker", async () => {
  const docker = fake();
  const web = docker.add({ id: "abc123", names: ["/web"], tty: false });
  const source = dockerSource("source: docker\ncontainer_name: [web]\nlabels: {type: nginx}\n", docker);
  return {
    source,
    ready: () => waitFor(streamsOpen(web), "log stream"),
    produce: async (lines) => {
      for (const l of lines) docker.write("abc123", l);
    },
    cleanup: async () => docker.stop(),
  };
});

describe("DockerSource", () => {
  test("reads matching containers only, demultiplexes stdout and stderr, Src is the container name", async () => {
    const docker = fake();
    try {
      const web = docker.add({ id: "aaa111", names: ["/web"], tty: false });
      docker.add({ id: "bbb222", names: ["/db"], tty: false });
      const source = dockerSource("source: docker\ncontainer_name: [web]\nlabels: {type: nginx}\n", docker);
      const { events, running } = collect(source, new AbortController().signal);
      await waitFor(streamsOpen(web), "log stream");
      docker.write("aaa111", "GET / 200");
      docker.write("aaa111", "an error", 2);
      docker.write("bbb222", "never read");
      await waitFor(() => events.length >= 2, "two lines");
      await source.stop();
      await running;
      expect(events.map((e) => [e.Line.Src, e.Line.Raw])).toEqual([["web", "GET / 200"], ["web", "an error"]]);
      expect(docker.requests.some((r) => r.startsWith("/containers/bbb222/logs"))).toBe(false);
      const logs = docker.requests.find((r) => r.startsWith("/containers/aaa111/logs"))!;
      expect(logs).toContain("follow=1");
      expect(logs).toContain("stdout=1");
      expect(logs).toContain("stderr=1");
    } finally {
      docker.stop();
    }
  });

  test("follows containers started later (name regexp, TTY raw stream), and lets go of stopped ones", async () => {
    const docker = fake();
    try {
      const source = dockerSource('source: docker\ncontainer_name_regexp: ["^/app-"]\nlabels: {type: nginx}\n', docker);
      const { events, running } = collect(source, new AbortController().signal);
      await waitFor(() => docker.requests.includes("/containers/json"), "first listing");
      const app = docker.add({ id: "ccc333", names: ["/app-1"], tty: true });
      await waitFor(streamsOpen(app), "log stream of the new container");
      docker.write("ccc333", "tty line");
      await waitFor(() => events.length >= 1, "line");
      docker.remove("ccc333");
      await waitFor(() => source.containers().length === 0, "container let go");
      await source.stop();
      await running;
      expect(events.map((e) => [e.Line.Src, e.Line.Raw])).toEqual([["/app-1", "tty line"]]);
    } finally {
      docker.stop();
    }
  });

  test("use_container_labels takes the labels from crowdsec.labels.* of enabled containers", async () => {
    const docker = fake();
    try {
      const on = docker.add({ id: "ddd444", names: ["/proxy"], tty: false, labels: { "crowdsec.enable": "true", "crowdsec.labels.type": "traefik" } });
      docker.add({ id: "eee555", names: ["/other"], tty: false, labels: { "crowdsec.labels.type": "x" } });
      const source = dockerSource("source: docker\nuse_container_labels: true\n", docker);
      const { events, running } = collect(source, new AbortController().signal);
      await waitFor(streamsOpen(on), "log stream");
      docker.write("ddd444", "labelled");
      await waitFor(() => events.length >= 1, "line");
      await source.stop();
      await running;
      expect(events[0]!.Line.Labels).toEqual(Object.assign(Object.create(null), { type: "traefik" }));
      expect(source.containers()).toEqual([]);
      expect(docker.requests.some((r) => r.startsWith("/containers/eee555"))).toBe(false);
    } finally {
      docker.stop();
    }
  });

  test("cat mode reads each matching container's log once (by ID) and ends, time-machine", async () => {
    const docker = fake();
    try {
      docker.add({ id: "fff666", names: ["/job"], tty: false, backlog: ["done 1", "done 2"] });
      const source = dockerSource("source: docker\nmode: cat\ncontainer_id: [fff666]\nlabels: {type: x}\n", docker);
      const { events, running } = collect(source, new AbortController().signal);
      await running;
      expect(events.map((e) => [e.Line.Src, e.Line.Raw])).toEqual([["/job", "done 1"], ["/job", "done 2"]]);
      expect(events.every((e) => e.ExpectMode === TIMEMACHINE)).toBe(true);
    } finally {
      docker.stop();
    }
  });

  test("an unreachable daemon is a warning, not a crash", async () => {
    const source = dockerSource("source: docker\ncontainer_name: [x]\nlabels: {type: x}\n", { socket: join(root, "absent.sock") } as FakeDocker);
    const { running } = collect(source, new AbortController().signal);
    await waitFor(() => source.warnings.length > 0, "a warning");
    await source.stop();
    await running;
    expect(source.warnings[0]).toContain("Cannot list containers");
  });
});

describe("Demuxer", () => {
  test("reassembles frames split at any byte", () => {
    const bytes = new Uint8Array([...frame(1, "ab\n"), ...frame(2, "cd\n")]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new Demuxer();
      let text = "";
      const onPayload = (p: Uint8Array) => (text += new TextDecoder().decode(p));
      d.push(bytes.subarray(0, cut), onPayload);
      d.push(bytes.subarray(cut), onPayload);
      expect(text).toBe("ab\ncd\n");
    }
  });
});
