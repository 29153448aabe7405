// Where hub files and data files are read from: the public hub (cscli's URL template), a mirror
// over http(s), or a plain directory laid out like the hub (items) or by source_url path (data).

import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { resolveMirrorPath } from "../data";
import { err, ok, problem, type Result } from "../result";

export type HubSource =
  | { readonly kind: "url"; readonly describe: string; readonly urlFor: (relPath: string) => string }
  | { readonly kind: "dir"; readonly root: string };

export type DataSource =
  /** Each data file from its own source_url, as cscli does. */
  | { readonly kind: "origin" }
  | { readonly kind: "url"; readonly base: string }
  | { readonly kind: "dir"; readonly root: string };

/** Downloads that hang get cut: a GeoIP database is the largest file (tens of MB). */
const FETCH_TIMEOUT_MS = 5 * 60_000;

/**
 * A hub location: a URL template with two `%s` (branch, then file: cscli's
 * `__hub_url_template__`), a base URL (`http://mirror/hub/`), or a directory (`file://` or a path).
 */
export function hubSource(spec: string, branch: string): Result<HubSource> {
  if (/^https?:\/\//i.test(spec)) {
    const holes = spec.split("%s").length - 1;
    if (holes === 2) return ok({ kind: "url", describe: spec, urlFor: (rel) => spec.replace("%s", branch).replace("%s", rel) });
    if (holes !== 0) return err(problem("hub.bad-url", `Invalid hub URL template "${spec}": expected two "%s" (branch, then file)`));
    const base = spec.endsWith("/") ? spec : `${spec}/`;
    return ok({ kind: "url", describe: base, urlFor: (rel) => new URL(rel, base).href });
  }
  const dir = directoryOf(spec, "hub");
  return dir.ok ? ok({ kind: "dir", root: dir.value }) : dir;
}

/** A data mirror laid out by the path of each source_url (like ../shared/hub-data); none: the origin. */
export function dataSource(spec: string | undefined): Result<DataSource> {
  if (spec === undefined || spec === "") return ok({ kind: "origin" });
  if (/^https?:\/\//i.test(spec)) return ok({ kind: "url", base: spec.endsWith("/") ? spec : `${spec}/` });
  const dir = directoryOf(spec, "data");
  return dir.ok ? ok({ kind: "dir", root: dir.value }) : dir;
}

/** Reads a file of the hub (`.index.json`, `parsers/s01-parse/a/b.yaml`). */
export async function readHubFile(source: HubSource, relPath: string): Promise<Result<Uint8Array>> {
  if (source.kind === "dir") return readLocalFile(resolve(source.root, relPath));
  return download(source.urlFor(relPath));
}

/** Where a hub file comes from, for messages. */
export function hubFileLocation(source: HubSource, relPath: string): string {
  return source.kind === "dir" ? resolve(source.root, relPath) : source.urlFor(relPath);
}

/** Reads a data file by its source_url, through the mirror when there is one. */
export async function readDataFile(source: DataSource, sourceUrl: string): Promise<Result<Uint8Array>> {
  const where = dataFileLocation(source, sourceUrl);
  if (!where.ok) return where;
  return source.kind === "dir" ? readLocalFile(where.value) : download(where.value);
}

/** The URL or path a source_url is read from. */
export function dataFileLocation(source: DataSource, sourceUrl: string): Result<string> {
  let url: URL;
  try {
    url = new URL(sourceUrl);
  } catch {
    return err(problem("hub.bad-source-url", `A valid URL was expected for source_url "${sourceUrl}"`));
  }
  switch (source.kind) {
    case "origin":
      return /^https?:$/.test(url.protocol) ? ok(url.href) : err(problem("hub.bad-source-url", `Cannot download source_url "${sourceUrl}": only http and https are supported`));
    case "dir":
      return resolveMirrorPath(source.root, sourceUrl);
    case "url": {
      // Same mapping as a directory mirror, so one tree serves both (checked by resolveMirrorPath).
      const checked = resolveMirrorPath("/", sourceUrl);
      if (!checked.ok) return checked;
      return ok(new URL(url.pathname.replace(/^\/+/, ""), source.base).href);
    }
    default: {
      const never: never = source;
      throw new Error(`unknown data source ${JSON.stringify(never)}`);
    }
  }
}

/** sha256 of bytes, lower-case hex: the digests of the hub index. */
export function sha256Hex(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

async function download(url: string): Promise<Result<Uint8Array>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "follow" });
  } catch (e) {
    return err(problem("hub.unreachable", `Cannot download "${url}": ${e instanceof Error ? e.message : String(e)}`, { hint: "check the network, or point --hub-url / --data-url at a mirror" }));
  }
  if (!response.ok) {
    await response.body?.cancel();
    return err(problem("hub.download", `Cannot download "${url}": HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`));
  }
  try {
    return ok(new Uint8Array(await response.arrayBuffer()));
  } catch (e) {
    return err(problem("hub.unreachable", `Cannot download "${url}": ${e instanceof Error ? e.message : String(e)}`));
  }
}

/** A local file's bytes, or a problem naming it. */
export function readLocalFile(path: string): Result<Uint8Array> {
  try {
    return ok(new Uint8Array(readFileSync(path)));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e);
    return err(problem("hub.download", `Cannot read "${path}": ${why}`));
  }
}

function directoryOf(spec: string, what: "hub" | "data"): Result<string> {
  let path = spec;
  if (/^file:\/\//i.test(spec)) path = decodeURIComponent(new URL(spec).pathname);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) return err(problem("hub.bad-url", `Unsupported ${what} URL "${spec}": use http://, https:// or a directory`));
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return err(problem("hub.unreachable", `Cannot use ${what} mirror "${spec}": not a directory`, { hint: `pass --${what}-url an http(s) URL or an existing directory` }));
  }
  return ok(dir);
}
