/**
 * A tolerant multipart/form-data reader (APPSEC.md §3.8, pitfall P7): field parts go to
 * ARGS_POST, file parts (a `filename` parameter) to FILES (client file name, kept as sent, not
 * reduced to its base name) and FILES_NAMES (field name). Nuclei templates send sloppy bodies:
 * LF-only line ends, a missing closing boundary, trailing blanks; all are accepted.
 */
import type { Pairs } from "./query";

export interface MultipartResult {
  readonly fields: Pairs;
  /** Field name → client file name, one entry per file part. */
  readonly files: Pairs;
  /** Sum of the file parts' sizes in bytes. */
  readonly filesSize: number;
}

const ENCODER = new TextEncoder();

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function multipartBoundary(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2]) : undefined;
  return b ? b : undefined;
}

const PARAM_NAME = /(?:^|;)\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i;
const PARAM_FILENAME = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i;

function headerParam(header: string, re: RegExp): string | undefined {
  const m = re.exec(header);
  if (!m) return undefined;
  if (m[1] !== undefined) return m[1].replace(/\\(.)/g, "$1");
  return (m[2] ?? "").trim();
}

/** Splits a multipart body; undefined when no boundary line is found at all. */
export function parseMultipart(body: string, boundary: string): MultipartResult | undefined {
  const delimiter = "--" + boundary;
  let at = body.startsWith(delimiter) ? 0 : body.indexOf("\n" + delimiter);
  if (at < 0) return undefined;
  if (at > 0 || body[0] === "\n") at += 1;
  const fields: Pairs = { keys: [], values: [] };
  const files: Pairs = { keys: [], values: [] };
  let filesSize = 0;
  let pos = at + delimiter.length;
  for (;;) {
    if (body.startsWith("--", pos)) break;
    const eol = body.indexOf("\n", pos);
    if (eol < 0) break;
    pos = eol + 1;
    // headers up to the first empty line
    const headers: Record<string, string> = {};
    for (;;) {
      const end = body.indexOf("\n", pos);
      const line = (end < 0 ? body.slice(pos) : body.slice(pos, end)).replace(/\r$/, "");
      pos = end < 0 ? body.length : end + 1;
      if (line === "" || end < 0) break;
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let next = body.indexOf("\n" + delimiter, pos - 1);
    const last = next < 0;
    if (last) next = body.length;
    let content = body.slice(pos, Math.max(pos, next));
    if (!last && content.endsWith("\r")) content = content.slice(0, -1);
    const disposition = headers["content-disposition"] ?? "";
    const name = headerParam(disposition, PARAM_NAME);
    const filename = headerParam(disposition, PARAM_FILENAME);
    if (name !== undefined || filename !== undefined) {
      if (filename !== undefined && filename !== "") {
        files.keys.push(name ?? "");
        files.values.push(filename);
        filesSize += ENCODER.encode(content).length;
      } else {
        fields.keys.push(name ?? "");
        fields.values.push(content);
      }
    }
    if (last) break;
    pos = next + 1 + delimiter.length;
  }
  return { fields, files, filesSize };
}
