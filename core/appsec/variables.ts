/**
 * Coraza's request variables for one request (the collections rules read): built lazily, once
 * per request and body processor, and shared by the in-band and out-of-band phases.
 */
import { flattenJson } from "./body-json";
import { selectProcessor, type BodyProcessorRule } from "./body-rules";
import { multipartBoundary, parseMultipart } from "./body-multipart";
import { parseQueryInto, type Pairs } from "./query";
import type { AppsecRequest } from "./request";

/** The Coraza variables a YAML rule zone maps to. */
export type VariableName =
  | "ARGS_GET" | "ARGS_GET_NAMES" | "ARGS_POST" | "ARGS_POST_NAMES" | "REQUEST_COOKIES" | "REQUEST_COOKIES_NAMES"
  | "FILES" | "FILES_NAMES" | "FILES_COMBINED_SIZE" | "REQUEST_HEADERS" | "REQUEST_HEADERS_NAMES"
  | "REQUEST_METHOD" | "REQUEST_PROTOCOL" | "REQUEST_FILENAME" | "REQUEST_URI" | "RAW_REQUEST_BODY";

/** What base-config's phase-1 rules choose from Content-Type; "none" when the engine has no such rules. */
export type BodyProcessor = "none" | "URLENCODED" | "MULTIPART" | "JSON" | "XML" | "RAW";

const DECODER = new TextDecoder("utf-8");
const EMPTY: Pairs = { keys: [], values: [] };

function single(value: string): Pairs {
  return { keys: [""], values: [value] };
}

function names(p: Pairs): Pairs {
  return { keys: p.keys, values: p.keys };
}



interface BodyVars {
  readonly post: Pairs;
  readonly files: Pairs;
  readonly filesSize: number;
  readonly error: boolean;
}

/** Coraza's cookie parsing of each Cookie header: `;`-separated, trimmed, split on the first `=`. */
export function parseCookies(headers: Pairs): Pairs {
  const out: Pairs = { keys: [], values: [] };
  for (let i = 0; i < headers.keys.length; i++) {
    if (headers.keys[i] !== "Cookie") continue;
    for (const piece of headers.values[i]!.split(";")) {
      const c = piece.trim();
      if (c === "") continue;
      const eq = c.indexOf("=");
      out.keys.push(eq < 0 ? c : c.slice(0, eq));
      out.values.push(eq < 0 ? "" : c.slice(eq + 1));
    }
  }
  return out;
}

/** The variables of one request; each collection is computed on first use. */
export class RequestVariables {
  private bodyText: string | undefined;
  private cookies: Pairs | undefined;
  private readonly bodies = new Map<BodyProcessor, BodyVars>();
  private readonly cache = new Map<VariableName, Pairs>();

  constructor(readonly request: AppsecRequest) {}

  get rawBody(): string {
    return (this.bodyText ??= this.request.body.length === 0 ? "" : DECODER.decode(this.request.body));
  }

  /** The processor Coraza and base-config's rules select for this request. */
  processorFor(rules: readonly BodyProcessorRule[] | undefined): BodyProcessor {
    return selectProcessor(rules, this.contentType());
  }

  /** Coraza keeps the last Content-Type header it was given. */
  private contentType(): string {
    const h = this.request.headers;
    for (let i = h.keys.length - 1; i >= 0; i--) if (h.keys[i] === "Content-Type") return h.values[i]!;
    return "";
  }

  /** Whether the body processor failed (REQBODY_ERROR). */
  bodyError(processor: BodyProcessor, bodyInspected: boolean): boolean {
    return this.body(processor, bodyInspected).error;
  }

  private body(processor: BodyProcessor, bodyInspected: boolean): BodyVars {
    const key: BodyProcessor = bodyInspected ? processor : "none";
    let b = this.bodies.get(key);
    if (b) return b;
    b = { post: EMPTY, files: EMPTY, filesSize: 0, error: false };
    const text = key === "none" ? "" : this.rawBody;
    if (key === "URLENCODED") b = { ...b, post: parseQueryInto({ keys: [], values: [] }, text) };
    else if (key === "JSON") {
      const post: Pairs = { keys: [], values: [] };
      b = flattenJson(text, post) ? { ...b, post } : { ...b, error: true };
    } else if (key === "MULTIPART") {
      const boundary = multipartBoundary(this.contentType());
      const m = boundary === undefined ? undefined : parseMultipart(text, boundary);
      b = m ? { post: m.fields, files: m.files, filesSize: m.filesSize, error: false } : { ...b, error: true };
    }
    this.bodies.set(key, b);
    return b;
  }

  /** A collection as the rules of an engine see it. */
  get(name: VariableName, processor: BodyProcessor, bodyInspected: boolean): Pairs {
    switch (name) {
      case "ARGS_POST": return this.body(processor, bodyInspected).post;
      case "ARGS_POST_NAMES": return names(this.body(processor, bodyInspected).post);
      case "FILES": return this.body(processor, bodyInspected).files;
      case "FILES_NAMES": {
        const f = this.body(processor, bodyInspected).files;
        return { keys: f.keys, values: f.keys };
      }
      case "FILES_COMBINED_SIZE": return single(String(this.body(processor, bodyInspected).filesSize));
      case "RAW_REQUEST_BODY": return bodyInspected ? single(this.rawBody) : single("");
      default: break;
    }
    let c = this.cache.get(name);
    if (c) return c;
    const r = this.request;
    switch (name) {
      case "ARGS_GET": c = r.args; break;
      case "ARGS_GET_NAMES": c = names(r.args); break;
      case "REQUEST_HEADERS": c = r.headers; break;
      case "REQUEST_HEADERS_NAMES": c = names(r.headers); break;
      case "REQUEST_COOKIES": c = this.cookies ??= parseCookies(r.headers); break;
      case "REQUEST_COOKIES_NAMES": c = names(this.cookies ??= parseCookies(r.headers)); break;
      case "REQUEST_METHOD": c = single(r.method); break;
      case "REQUEST_PROTOCOL": c = single(r.proto); break;
      case "REQUEST_FILENAME": c = single(r.path); break;
      case "REQUEST_URI": c = single(r.requestUri); break;
      default: {
        const never: never = name;
        throw new Error(`variable ${String(never)} has no source`);
      }
    }
    this.cache.set(name, c);
    return c;
  }
}
