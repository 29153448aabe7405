/**
 * Responses in the shapes CrowdSec's gin handlers write: JSON with
 * `Content-Type: application/json; charset=utf-8` and Go's HTML-safe escaping, `{"message":…}`
 * errors, `{"code":401,"message":…}` with `Www-Authenticate` from the JWT layer, and empty bodies
 * for router 404/405 and for the 201/200 answers that carry none.
 */

export const JSON_TYPE = "application/json; charset=utf-8";
const JWT_REALM = "JWT realm=Crowdsec API local";

const HTML_UNSAFE = /[<>&\u2028\u2029]/;
const HTML_UNSAFE_ALL = /[<>&\u2028\u2029]/g;
const ESCAPES: Readonly<Record<string, string>> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** JSON text as Go's encoding/json writes it (`<`, `>`, `&` escaped). */
export function goJson(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return HTML_UNSAFE.test(text) ? text.replace(HTML_UNSAFE_ALL, (c) => ESCAPES[c]!) : text;
}

export function jsonText(status: number, text: string, headers?: Record<string, string>): Response {
  return new Response(text, { status, headers: { "Content-Type": JSON_TYPE, ...headers } });
}

export function json(status: number, value: unknown): Response {
  return jsonText(status, goJson(value));
}

/** `{"message":text}`: every error outside the JWT layer. */
export function message(status: number, text: string): Response {
  return jsonText(status, goJson({ message: text }));
}

/** The JWT layer's 401. */
export function unauthorized(text: string): Response {
  return jsonText(401, goJson({ code: 401, message: text }), { "Www-Authenticate": JWT_REALM });
}

export const forbidden = (): Response => message(403, "access forbidden");

/** A status with no body (router 404/405, register 201, heartbeat 200). */
export function empty(status: number): Response {
  return new Response(null, { status });
}
