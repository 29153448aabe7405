/**
 * The subset of nuclei templates the hub's .appsec-tests use (APPSEC.md §4.2, §4.4): `http:` /
 * `requests:` blocks of raw requests or method+path forms, template variables and a few helpers
 * made deterministic, and status / dsl `status_code_N == X` matchers.
 */
import { parse } from "yaml";
import { err, ok, problem, type Result } from "../result";

export interface NucleiRequest {
  readonly method: string;
  /** Request-target (`/path?query`). */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
}

export type NucleiMatcher =
  | { readonly type: "status"; readonly status: readonly number[]; readonly negative: boolean }
  | { readonly type: "dsl"; readonly dsl: readonly { index: number; op: "==" | "!="; status: number }[]; readonly condition: "and" | "or"; readonly negative: boolean };

export interface NucleiBlock {
  readonly requests: readonly NucleiRequest[];
  readonly matchers: readonly NucleiMatcher[];
  readonly condition: "and" | "or";
}

export interface NucleiTemplate {
  readonly id: string;
  readonly blocks: readonly NucleiBlock[];
}

/** Where the template's target lives: what `{{Hostname}}` and `{{BaseURL}}` mean. */
export const NUCLEI_HOST = "127.0.0.1:7822";
const BASE_URL = `http://${NUCLEI_HOST}`;

/** What the hub's templates get from nuclei's random helpers: fixed, so runs are reproducible. */
const FIXED_ALNUM = "k2Qm9ZxT4bLw7RcN1vHs8JdF3yPgE6uAoW5iMnBqXrVtYhKe0jCzSlDaGfU";

type Vars = Map<string, string>;

class UnknownMarker {
  constructor(readonly marker: string) {}
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let cur = "";
  for (const c of s) {
    if (quote) {
      cur += c;
      if (c === quote) quote = "";
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== "") out.push(cur.trim());
  return out;
}

/** Evaluates the inside of a `{{…}}` marker; UnknownMarker for what picket does not implement. */
function evalMarker(expr: string, vars: Vars): string | UnknownMarker {
  const e = expr.trim();
  const lit = /^(['"])(.*)\1$/s.exec(e);
  if (lit) return lit[2]!;
  if (/^-?[0-9]+$/.test(e)) return e;
  const v = vars.get(e);
  if (v !== undefined) return v;
  const call = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s.exec(e);
  if (!call) return e === "randstr" || e.startsWith("randstr_") ? FIXED_ALNUM.slice(0, 27) : new UnknownMarker(e);
  const args: string[] = [];
  for (const a of splitArgs(call[2]!)) {
    const r = evalMarker(a, vars);
    if (r instanceof UnknownMarker) return r;
    args.push(r);
  }
  const num = (i: number, d: number) => (args[i] !== undefined && /^-?[0-9]+$/.test(args[i]!) ? Number(args[i]) : d);
  switch (call[1]) {
    case "base64": return Buffer.from(args[0] ?? "", "utf8").toString("base64");
    case "base64_decode": return Buffer.from(args[0] ?? "", "base64").toString("latin1");
    case "hex_decode": return Buffer.from(args[0] ?? "", "hex").toString("latin1");
    case "hex_encode": return Buffer.from(args[0] ?? "", "latin1").toString("hex");
    case "url_encode": return encodeURIComponent(args[0] ?? "");
    case "to_lower": return (args[0] ?? "").toLowerCase();
    case "to_upper": return (args[0] ?? "").toUpperCase();
    case "rand_base": case "rand_text_alphanumeric": return FIXED_ALNUM.slice(0, Math.min(num(0, 8), FIXED_ALNUM.length)).padEnd(num(0, 8), "x");
    case "rand_text_alpha": return "abcdefghijklmnopqrstuvwxyz".repeat(4).slice(0, num(0, 8));
    case "rand_text_numeric": return "1234567890".repeat(8).slice(0, num(0, 8));
    case "rand_int": return String(num(0, 0));
    default: return new UnknownMarker(e);
  }
}

function substitute(text: string, vars: Vars, lenient: boolean): string | UnknownMarker {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("{{", at);
    if (open < 0) return out + text.slice(at);
    const close = text.indexOf("}}", open + 2);
    if (close < 0) return out + text.slice(at);
    const r = evalMarker(text.slice(open + 2, close), vars);
    if (r instanceof UnknownMarker) {
      if (!lenient) return r;
      out += text.slice(at, close + 2);
    } else out += text.slice(at, open) + r;
    at = close + 2;
  }
}

/** `http://host/x?y` or `/x?y` → `/x?y`; "" → `/`. */
function requestTarget(t: string): string {
  let target = t;
  const abs = /^https?:\/\/[^/?#]*/i.exec(target);
  if (abs) target = target.slice(abs[0].length);
  if (target === "") return "/";
  return target.startsWith("/") ? target : "/" + target;
}

function withLength(headers: [string, string][], body: string): [string, string][] {
  const out = headers.filter(([k]) => k.toLowerCase() !== "content-length");
  if (body !== "") out.push(["Content-Length", String(Buffer.byteLength(body, "utf8"))]);
  if (!out.some(([k]) => k.toLowerCase() === "host")) out.unshift(["Host", NUCLEI_HOST]);
  return out;
}

function parseRaw(raw: string): NucleiRequest | undefined {
  let text = raw.replace(/^\s+/, "");
  while (text.startsWith("@")) text = text.slice(text.indexOf("\n") + 1 || text.length);
  const lines = text.split("\n");
  const first = (lines.shift() ?? "").replace(/\r$/, "");
  const m = /^(\S+)\s+(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return undefined;
  const headers: [string, string][] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (line === "") break;
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  let body = lines.slice(i + 1).join("\n");
  if (body.endsWith("\n")) body = body.slice(0, -1);
  if (body.endsWith("\r")) body = body.slice(0, -1);
  return { method: m[1]!, target: requestTarget(m[2]!), headers: withLength(headers, body), body };
}

function readMatchers(v: unknown): NucleiMatcher[] {
  const out: NucleiMatcher[] = [];
  for (const m of Array.isArray(v) ? v : []) {
    if (typeof m !== "object" || m === null) continue;
    const o = m as Record<string, unknown>;
    const negative = o.negative === true;
    if (o.type === "status") out.push({ type: "status", status: (Array.isArray(o.status) ? o.status : []).map(Number), negative });
    else if (o.type === "dsl") {
      const dsl: { index: number; op: "==" | "!="; status: number }[] = [];
      for (const d of Array.isArray(o.dsl) ? o.dsl : []) {
        const x = /^\s*status_code(?:_(\d+))?\s*(==|!=)\s*(\d+)\s*$/.exec(String(d));
        if (x) dsl.push({ index: x[1] ? Number(x[1]) : 1, op: x[2] as "==" | "!=", status: Number(x[3]) });
        else dsl.push({ index: -1, op: "==", status: -1 });
      }
      out.push({ type: "dsl", dsl, condition: o.condition === "and" ? "and" : "or", negative });
    } else out.push({ type: "status", status: [-1], negative });
  }
  return out;
}

/** Parses a template; an error says why it cannot run in-process (the test is then skipped). */
export function parseNucleiTemplate(text: string, file: string): Result<NucleiTemplate> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return err(problem("nuclei.syntax", `Cannot parse nuclei template: ${e instanceof Error ? e.message : String(e)}`, { file }));
  }
  if (typeof doc !== "object" || doc === null) return err(problem("nuclei.empty", "Nuclei template is empty", { file }));
  const t = doc as Record<string, unknown>;
  const vars: Vars = new Map([["Hostname", NUCLEI_HOST], ["Host", "127.0.0.1"], ["Port", "7822"], ["BaseURL", BASE_URL], ["RootURL", BASE_URL], ["Scheme", "http"]]);
  const tplVars = typeof t.variables === "object" && t.variables !== null ? (t.variables as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(tplVars)) {
    const r = substitute(String(v), vars, false);
    if (r instanceof UnknownMarker) return err(problem("nuclei.unsupported", `Nuclei helper "{{${r.marker}}}" is not supported in-process`, { file, field: `variables.${k}` }));
    vars.set(k, r);
  }
  const rawBlocks = t.http ?? t.requests;
  if (!Array.isArray(rawBlocks)) return err(problem("nuclei.no-requests", "Nuclei template has no http requests", { file }));
  const blocks: NucleiBlock[] = [];
  for (const [bi, b] of rawBlocks.entries()) {
    if (typeof b !== "object" || b === null) continue;
    const block = b as Record<string, unknown>;
    const lenient = block["skip-variables-check"] === true;
    const sub = (s: string, field: string): Result<string> => {
      const r = substitute(s, vars, lenient);
      return r instanceof UnknownMarker ? err(problem("nuclei.unsupported", `Nuclei helper "{{${r.marker}}}" is not supported in-process`, { file, field })) : ok(r);
    };
    const requests: NucleiRequest[] = [];
    if (Array.isArray(block.raw)) {
      for (const [ri, raw] of block.raw.entries()) {
        const s = sub(String(raw), `http[${bi}].raw[${ri}]`);
        if (!s.ok) return s;
        const r = parseRaw(s.value);
        if (!r) return err(problem("nuclei.bad-raw", "Cannot read raw request line", { file, field: `http[${bi}].raw[${ri}]` }));
        requests.push(r);
      }
    } else if (Array.isArray(block.path)) {
      const method = typeof block.method === "string" ? block.method.toUpperCase() : "GET";
      const headersIn = typeof block.headers === "object" && block.headers !== null ? (block.headers as Record<string, unknown>) : {};
      const bodyIn = block.body === undefined ? "" : String(block.body);
      for (const [pi, p] of block.path.entries()) {
        const path = sub(String(p), `http[${bi}].path[${pi}]`);
        if (!path.ok) return path;
        const headers: [string, string][] = [];
        for (const [k, v] of Object.entries(headersIn)) {
          const hv = sub(String(v), `http[${bi}].headers.${k}`);
          if (!hv.ok) return hv;
          headers.push([k, hv.value]);
        }
        const body = sub(bodyIn, `http[${bi}].body`);
        if (!body.ok) return body;
        requests.push({ method, target: requestTarget(path.value), headers: withLength(headers, body.value), body: body.value });
      }
    }
    blocks.push({ requests, matchers: readMatchers(block.matchers), condition: block["matchers-condition"] === "and" ? "and" : "or" });
  }
  return ok({ id: typeof t.id === "string" ? t.id : "", blocks });
}

/** A response as the nuclei target (nginx + bouncer) would give it: the block status, or "allowed" (nginx content). */
export type NucleiResponse = { readonly blocked: true; readonly status: number } | { readonly blocked: false };

function statusIs(r: NucleiResponse | undefined, op: "==" | "!=", status: number, blockedStatus: number): boolean {
  if (!r) return false;
  // an allowed request gets nginx's own answer (404 missing file, 405, 200 …): any status but the block page's
  const equal = r.blocked ? r.status === status : status !== blockedStatus && status >= 0;
  return op === "==" ? equal : !equal;
}

/** Whether nuclei would report a match for the block, given one response per request. */
export function blockMatches(block: NucleiBlock, responses: readonly NucleiResponse[], blockedStatus = 403): boolean {
  const one = (m: NucleiMatcher): boolean => {
    let v: boolean;
    if (m.type === "status") v = responses.some((r) => m.status.some((s) => statusIs(r, "==", s, blockedStatus)));
    else {
      const results = m.dsl.map((d) => statusIs(responses[d.index - 1], d.op, d.status, blockedStatus));
      v = m.condition === "and" ? results.every(Boolean) : results.some(Boolean);
    }
    return m.negative ? !v : v;
  };
  if (block.matchers.length === 0) return false;
  return block.condition === "and" ? block.matchers.every(one) : block.matchers.some(one);
}
