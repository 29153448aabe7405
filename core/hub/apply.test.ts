import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { HAS_SHARED, SHARED } from "../testing";
import { applyPlan, updateIndex } from "./apply";
import type { HubItemKind } from "./hub-index";
import { planInstall, planRemove, planUpgrade, type ItemRef } from "./plan";
import { dataSource, hubSource } from "./source";
import { installFake, makeFakeHub, stateOf, type FakeHub, type FakeItem } from "./test-hub";

/** Every file under a directory, relative to it (symlinks listed, not followed). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const webData = { source_url: "https://hub-data.example/web/paths.txt", dest_file: "paths.txt" };
const parser: FakeItem = { kind: "parsers", name: "acme/web-logs", stage: "s01-parse", inline: false };
const scenario: FakeItem = { kind: "scenarios", name: "acme/web-probing", versions: 2, data: [webData] };
const coll: FakeItem = { kind: "collections", name: "acme/web", deps: { parsers: ["acme/web-logs"], scenarios: ["acme/web-probing"] } };
const WEB = [parser, scenario, coll];
const web: ItemRef[] = [{ kind: "collections", name: "acme/web" }];

function dataMirror(hub: FakeHub): string {
  const dir = join(hub.root, "data-mirror");
  mkdirSync(join(dir, "web"), { recursive: true });
  writeFileSync(join(dir, "web", "paths.txt"), "/admin\n");
  return dir;
}

describe("applyPlan() on a directory mirror", () => {
  test("installs items, their data files, and leaves no staging directory", async () => {
    const hub = makeFakeHub(WEB);
    const r = await installFake(hub, web, dataMirror(hub));
    if (!r.ok) throw new Error(r.error.message);
    expect(tree(hub.layout.configDir)).toEqual(["collections/web.yaml", "config.yaml", "parsers/s01-parse/web-logs.yaml", "scenarios/web-probing.yaml"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json", "collections/acme/web.yaml", "parsers/s01-parse/acme/web-logs.yaml", "scenarios/acme/web-probing.yaml"]);
    expect(readFileSync(join(hub.layout.dataDir, "paths.txt"), "utf8")).toBe("/admin\n");
    expect(r.value.dataFiles).toEqual(["paths.txt"]);
  });

  test("refuses a file whose digest is not the index's, and installs nothing", async () => {
    const hub = makeFakeHub(WEB);
    writeFileSync(join(hub.mirror, "parsers", "s01-parse", "acme", "web-logs.yaml"), "name: acme/web-logs\n# changed on the mirror\n");
    const r = await installFake(hub, web, dataMirror(hub));
    expect(r.ok ? "" : r.error.message).toStartWith(`Hash mismatch for "parsers:acme/web-logs" from ${join(hub.mirror, "parsers/s01-parse/acme/web-logs.yaml")}: expected sha256 `);
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json"]);
    expect(tree(hub.layout.dataDir)).toEqual([]);
  });

  test("installs nothing when a data file is missing from the mirror", async () => {
    const hub = makeFakeHub(WEB);
    const emptyMirror = join(hub.root, "empty");
    mkdirSync(emptyMirror);
    const r2 = await installFake(hub, web, emptyMirror);
    expect(r2.ok ? "" : r2.error.message).toBe(`Cannot read "${join(emptyMirror, "web", "paths.txt")}": no such file (data of scenarios:acme/web-probing)`);
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json"]);
  });

  test("a failure while linking undoes everything already moved into place", async () => {
    const hub = makeFakeHub(WEB);
    writeFileSync(join(hub.layout.configDir, "scenarios"), "a file where CrowdSec expects a directory\n");
    const r = await installFake(hub, web, dataMirror(hub));
    expect(r.ok ? "" : r.error.message).toBe(`Cannot install: EEXIST: file already exists, mkdir '${join(hub.layout.configDir, "scenarios")}'`);
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml", "scenarios"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json"]);
    expect(tree(hub.layout.dataDir)).toEqual([]);
  });

  test("upgrades in place: new content behind the same symlink, data refreshed", async () => {
    const hub = makeFakeHub([parser, { ...scenario, versions: 1 }, coll]);
    const mirror = dataMirror(hub);
    const first = await installFake(hub, web, mirror);
    if (!first.ok) throw new Error(first.error.message);
    hub.publish(WEB);
    writeFileSync(join(mirror, "web", "paths.txt"), "/admin\n/wp-login.php\n");
    await installFake(hub, []);
    const state = stateOf(hub);
    expect(state.get("scenarios", "acme/web-probing")?.isUpToDate).toBe(false);
    const plan = planUpgrade(state, [{ kind: "scenarios", name: "acme/web-probing" }]);
    if (!plan.ok) throw new Error(plan.error.message);
    const src = hubSource(hub.mirror, "master");
    const data = dataSource(mirror);
    if (!src.ok || !data.ok) throw new Error("bad source");
    const r = await applyPlan(hub.layout, plan.value, { hub: src.value, data: data.value, refreshData: true });
    if (!r.ok) throw new Error(r.error.message);
    const after = stateOf(hub).get("scenarios", "acme/web-probing")!;
    expect([after.localVersion, after.isUpToDate, lstatSync(after.localPath!).isSymbolicLink()]).toEqual(["0.2", true, true]);
    expect(readFileSync(join(hub.layout.dataDir, "paths.txt"), "utf8")).toBe("/admin\n/wp-login.php\n");
  });

  test("remove --purge deletes the links and the downloaded files", async () => {
    const hub = makeFakeHub(WEB);
    const r = await installFake(hub, web, dataMirror(hub));
    if (!r.ok) throw new Error(r.error.message);
    const plan = planRemove(stateOf(hub), web, { purge: true });
    if (!plan.ok) throw new Error(plan.error.message);
    const src = hubSource(hub.mirror, "master");
    const data = dataSource(undefined);
    if (!src.ok || !data.ok) throw new Error("bad source");
    const removed = await applyPlan(hub.layout, plan.value, { hub: src.value, data: data.value });
    expect(removed.ok && removed.value.disabled.length).toBe(3);
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json"]);
  });
});

// The shared hub snapshot, served over a loopback HTTP server the way a mirror would serve it.
describe.skipIf(!HAS_SHARED)("the shared hub over HTTP (skipped without ../shared)", () => {
  const HUB = join(SHARED, "hub");
  const DATA = join(SHARED, "hub-data");
  const GEOIP: Record<string, string> = {
    "/data/mmdb_update/GeoLite2-City.mmdb": join(SHARED, "geoip", "GeoLite2-City-Test.mmdb"),
    "/data/mmdb_update/GeoLite2-ASN.mmdb": join(SHARED, "geoip", "GeoLite2-ASN-Test.mmdb"),
  };
  type RawItem = { path: string; content?: string; versions: Record<string, { digest: string }>; version: string } & Partial<Record<HubItemKind, string[]>>;
  let raw: Record<string, Record<string, RawItem>> = {};
  let server: ReturnType<typeof Bun.serve>;
  let base = "";
  /** The index without inline content (items fetched by path), and one with a wrong digest. */
  const variants: Record<string, string> = {};

  beforeAll(() => {
    if (!HAS_SHARED) return;
    raw = JSON.parse(readFileSync(join(HUB, ".index.json"), "utf8"));
    const stripped = structuredClone(raw);
    for (const kind of Object.values(stripped)) for (const item of Object.values(kind)) delete item.content;
    variants["/bare/.index.json"] = JSON.stringify(stripped);
    const bad = structuredClone(stripped);
    const sshd = bad.parsers!["crowdsecurity/sshd-logs"]!;
    sshd.versions[sshd.version] = { digest: "0".repeat(64) };
    variants["/bad/.index.json"] = JSON.stringify(bad);
    server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req) {
        const path = decodeURIComponent(new URL(req.url).pathname);
        if (path.includes("..")) return new Response("no", { status: 400 });
        if (variants[path]) return new Response(variants[path]);
        if (GEOIP[path]) return new Response(Bun.file(GEOIP[path]!));
        const m = /^\/(bare|bad|data)\/(.+)$/.exec(path);
        const file = m ? join(m[1] === "data" ? DATA : HUB, m[2]!) : "";
        return file && existsSync(file) ? new Response(Bun.file(file)) : new Response("not found", { status: 404 });
      },
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server?.stop(true));

  /** The closure of collections, walked straight from the raw index. */
  function closure(names: string[]): { kind: HubItemKind; name: string; item: RawItem }[] {
    const out = new Map<string, { kind: HubItemKind; name: string; item: RawItem }>();
    const visit = (kind: HubItemKind, name: string): void => {
      if (out.has(`${kind}:${name}`)) return;
      const item = raw[kind]![name]!;
      out.set(`${kind}:${name}`, { kind, name, item });
      for (const k of ["parsers", "postoverflows", "scenarios", "contexts", "appsec-configs", "appsec-rules", "collections"] as const) for (const d of item[k] ?? []) visit(k, d);
    };
    for (const n of names) visit("collections", n);
    return [...out.values()];
  }

  async function install(hubUrl: string, refs: ItemRef[]) {
    const hub = makeFakeHub([]);
    const src = hubSource(hubUrl, "master");
    const data = dataSource(`${base}/data/`);
    if (!src.ok || !data.ok) throw new Error("bad source");
    const updated = await updateIndex(hub.layout, src.value);
    if (!updated.ok) return { hub, result: updated };
    const plan = planInstall(stateOf(hub), refs);
    if (!plan.ok) return { hub, result: plan };
    return { hub, result: await applyPlan(hub.layout, plan.value, { hub: src.value, data: data.value }) };
  }

  test("installs crowdsecurity/linux and nginx: exactly their closure, in CrowdSec's layout, with their data files", async () => {
    const names = ["crowdsecurity/linux", "crowdsecurity/nginx"];
    const { hub, result } = await install(`${base}/bare/`, names.map((name) => ({ kind: "collections", name })));
    if (!result.ok) throw new Error(result.error.message);
    const items = closure(names);
    const installName = (kind: string, path: string) => {
      const parts = path.split("/");
      return kind === "parsers" || kind === "postoverflows" ? `${kind}/${parts[1]}/${basename(path)}` : `${kind}/${basename(path)}`;
    };
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml", ...items.map((i) => installName(i.kind, i.item.path))].sort());
    expect(tree(hub.layout.hubDir)).toEqual([".index.json", ...items.map((i) => i.item.path)].sort());
    for (const i of items) {
      expect(readFileSync(join(hub.layout.hubDir, i.item.path))).toEqual(readFileSync(join(HUB, i.item.path)));
    }
    const dataFiles = new Set<string>();
    for (const i of items) {
      for (const doc of parseAllDocuments(readFileSync(join(HUB, i.item.path), "utf8"))) {
        const data = (doc.toJS() as { data?: { dest_file?: string; source_url?: string }[] } | null)?.data ?? [];
        for (const d of data) if (d.source_url && d.dest_file) dataFiles.add(d.dest_file);
      }
    }
    expect(tree(hub.layout.dataDir)).toEqual([...dataFiles].sort());
    expect(readFileSync(join(hub.layout.dataDir, "GeoLite2-City.mmdb"))).toEqual(readFileSync(GEOIP["/data/mmdb_update/GeoLite2-City.mmdb"]!));
    expect(readFileSync(join(hub.layout.dataDir, "http_path_traversal.txt"))).toEqual(readFileSync(join(DATA, "web", "path_traversal.txt")));
    const state = stateOf(hub);
    expect(state.warnings).toEqual([]);
    expect(items.every((i) => state.get(i.kind, i.name)?.isUpToDate && state.get(i.kind, i.name)?.localPath)).toBe(true);
  });

  test("installs from a plain directory mirror with inline content the same files", async () => {
    const { hub, result } = await install(HUB, [{ kind: "collections", name: "crowdsecurity/sshd" }]);
    if (!result.ok) throw new Error(result.error.message);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json", ...closure(["crowdsecurity/sshd"]).map((i) => i.item.path)].sort());
  });

  test("a wrong digest in the index stops the install before anything is written", async () => {
    const { hub, result } = await install(`${base}/bad/`, [{ kind: "collections", name: "crowdsecurity/linux" }]);
    expect(result.ok ? "" : result.error.message).toStartWith(
      `Hash mismatch for "parsers:crowdsecurity/sshd-logs" from ${base}/bad/parsers/s01-parse/crowdsecurity/sshd-logs.yaml: expected sha256 ${"0".repeat(64)}, got `,
    );
    expect(tree(hub.layout.configDir)).toEqual(["config.yaml"]);
    expect(tree(hub.layout.hubDir)).toEqual([".index.json"]);
    expect(tree(hub.layout.dataDir)).toEqual([]);
  });

  test("an unreachable mirror is a clear error, and the index is not touched", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    const url = `http://127.0.0.1:${closed.port}/hub/`;
    closed.stop(true);
    const { hub, result } = await install(url, []);
    expect(result.ok ? "" : `${result.error.code} ${result.error.message}`).toStartWith(`hub.unreachable Cannot download "${url}.index.json": `);
    expect(existsSync(hub.layout.indexPath)).toBe(false);
  });

  test("a mirror without the file answers 404, said as such", async () => {
    const { result } = await install(`${base}/nothing-here/`, []);
    expect(result.ok ? "" : result.error.message).toBe(`Cannot download "${base}/nothing-here/.index.json": HTTP 404 Not Found`);
  });
});
