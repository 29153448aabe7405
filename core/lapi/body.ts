/**
 * Request bodies with a size limit (upstream body_limit.go: 2 MiB before authentication, 50 MiB
 * after, applied to the decompressed body) and `Content-Encoding: gzip` support.
 */
import { gunzipSync } from "node:zlib";

export interface BodyLimits {
  /** Register and login. */
  unauthenticatedBytes: number;
  /** Every authenticated route. */
  authenticatedBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { unauthenticatedBytes: 2 * 1024 * 1024, authenticatedBytes: 50 * 1024 * 1024 };

export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; status: 400 | 413; message: string };

const TOO_LARGE = { ok: false, status: 413, message: "http: request body too large" } as const;

/** Reads the whole body, stopping as soon as it passes `limit` bytes (compressed or not). */
export async function readBody(req: Request, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  let bytes: Uint8Array;
  if (!req.body) bytes = new Uint8Array(0);
  else {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return TOO_LARGE;
      }
      chunks.push(value);
    }
    bytes = chunks.length === 1 ? chunks[0]! : concat(chunks, total);
  }
  const encoding = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (encoding === "gzip") {
    try {
      bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: limit }));
    } catch (e) {
      const code = typeof e === "object" && e !== null && "code" in e ? (e as { code: unknown }).code : undefined;
      if (code === "ERR_BUFFER_TOO_LARGE") return TOO_LARGE;
      return { ok: false, status: 400, message: "gzip: invalid header" };
    }
  }
  return { ok: true, bytes };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
