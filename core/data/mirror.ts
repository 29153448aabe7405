// Where a data file's source_url lives in a local mirror laid out by URL path
// (https://hub-data.crowdsec.net/web/x.txt → <mirror>/web/x.txt), as ../shared/hub-data is.

import { join } from "node:path";
import { err, ok, problem, type Result } from "../result";

export function resolveMirrorPath(mirrorDir: string, sourceUrl: string): Result<string> {
  let url: URL;
  try {
    url = new URL(sourceUrl);
  } catch {
    return err(problem("data.bad-source-url", `Cannot map source_url ${JSON.stringify(sourceUrl)} to a file: not a URL`));
  }
  const segments: string[] = [];
  for (const raw of url.pathname.split("/")) {
    if (raw === "") continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      seg = raw;
    }
    if (seg === "." || seg === ".." || seg.includes("/") || seg.includes("\\")) {
      return err(problem("data.bad-source-url", `Cannot map source_url ${JSON.stringify(sourceUrl)} to a file: path segment ${JSON.stringify(seg)}`));
    }
    segments.push(seg);
  }
  if (segments.length === 0) return err(problem("data.bad-source-url", `Cannot map source_url ${JSON.stringify(sourceUrl)} to a file: empty path`));
  return ok(join(mirrorDir, ...segments));
}

/** Where a data entry's file is read from in a mirror: by its source_url, else by its dest_file. */
export function mirrorResolver(mirrorDir: string): (entry: { readonly sourceUrl?: string; readonly destFile: string }) => string {
  return (entry) => {
    const r = entry.sourceUrl ? resolveMirrorPath(mirrorDir, entry.sourceUrl) : undefined;
    return r?.ok ? r.value : join(mirrorDir, entry.destFile);
  };
}
