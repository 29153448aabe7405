/**
 * appsec-config hooks (APPSEC.md §2.2–§2.3): `filter` + `apply` expressions compiled once per
 * stage against that stage's environment (upstream pkg/appsec/waf_helpers.go), run per request
 * with processHooks' semantics. Helper functions are bound once to a HookHost; the host knows the
 * request being evaluated, so nothing is allocated per call.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENT_TYPE } from "../event";
import {
  ANY, arrayOf, BOOL, compileExpr, ExprRuntimeError, INT, mapOf, method, pointerTo, STRING, STRUCT_TYPE, structType,
  type EnvSpec, type ExprProgram, type ExprType, type HelperDef, type MethodTable, type StructType,
} from "../expr";
import type { Problem } from "../result";
import type { HookConfig } from "./config";
import { parseQuery } from "./query";
import { canonicalHeaderName, type AppsecRequest } from "./request";

export type HookStage = "on_load" | "pre_eval" | "post_eval" | "on_match";

/** What the hook helpers act on: the runtime (on_load) or the request being evaluated. */
export interface HookHost {
  removeRuleById(band: "inband" | "outofband", id: number): void;
  removeRuleByTag(band: "inband" | "outofband", tag: string): void;
  setRemediationByTag(tag: string, action: string): void;
  setRemediationById(id: number, action: string): void;
  setRemediation(action: string): void;
  setReturnCode(code: number): void;
  dropRequest(reason: string): void;
  disableBodyInspection(): void;
  setEventEmission(kind: "event" | "alert", on: boolean): void;
  setMaxBodySize(size: number): void;
  setBodySizeExceededAction(action: string): void;
  /** The request `DumpRequest()` dumps. */
  currentRequest(): AppsecRequest | undefined;
  warn(message: string): void;
}

// ---- req: the original request as Go's *http.Request ----

function headerGet(h: Record<string, string[]> | null, name: string): string {
  return h?.[canonicalHeaderName(name)]?.[0] ?? "";
}

const HEADER_TYPE: ExprType = {
  kind: "map",
  elem: arrayOf(STRING),
  name: "http.Header",
  methods: {
    Get: method([STRING], STRING, headerGet),
    Values: method([STRING], arrayOf(STRING), (h: Record<string, string[]> | null, n: string) => h?.[canonicalHeaderName(n)] ?? null),
  },
};

interface UrlValue { readonly Scheme: string; readonly Host: string; readonly Path: string; readonly RawQuery: string; readonly String_: string }

const URL_TYPE: StructType = structType("url.URL", () => ({ Scheme: STRING, Host: STRING, Path: STRING, RawPath: STRING, RawQuery: STRING, Fragment: STRING }), () => ({
  Query: method([], mapOf(arrayOf(STRING)), (u: UrlValue | null) => {
    const values = Object.create(null) as Record<string, string[]>;
    const p = parseQuery(u?.RawQuery ?? "");
    for (let i = 0; i < p.keys.length; i++) (values[p.keys[i]!] ??= []).push(p.values[i]!);
    return values;
  }),
  String: method([], STRING, (u: UrlValue | null) => u?.String_ ?? ""),
  EscapedPath: method([], STRING, (u: UrlValue | null) => u?.Path ?? ""),
}));

interface ReqValue { readonly Header: Record<string, string[]> }

export const HTTP_REQUEST_TYPE: StructType = structType(
  "http.Request",
  () => ({
    Method: STRING, Host: STRING, RemoteAddr: STRING, RequestURI: STRING, Proto: STRING, ContentLength: INT,
    URL: pointerTo(URL_TYPE), Header: HEADER_TYPE,
  }),
  (): MethodTable => ({
    UserAgent: method([], STRING, (r: ReqValue | null) => headerGet(r?.Header ?? null, "User-Agent")),
    Referer: method([], STRING, (r: ReqValue | null) => headerGet(r?.Header ?? null, "Referer")),
  }),
);

/** The `req` value of a request (built once per request, only when a hook runs). */
export function requestValue(r: AppsecRequest): Record<string, unknown> {
  const header = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i < r.headers.keys.length; i++) {
    const k = r.headers.keys[i]!;
    if (k === "Host") continue;
    (header[k] ??= []).push(r.headers.values[i]!);
  }
  return {
    Method: r.method, Host: r.host, RemoteAddr: r.clientIp, RequestURI: r.uri, Proto: r.proto, ContentLength: r.body.length,
    URL: { Scheme: "", Host: "", Path: r.path, RawPath: "", RawQuery: r.rawQuery, Fragment: "", String_: r.requestUri },
    Header: header,
  };
}

// ---- DumpRequest(): a filter builder whose ToJSON writes the request to a temp file ----

interface DumpFilter {
  readonly req: AppsecRequest | undefined;
  body: boolean;
  headers: boolean;
  headerNameFilters: string[];
  warn: (m: string) => void;
}

const DUMP_TYPE: StructType = structType("appsec.ReqDumpFilter", () => ({}), () => {
  const chain = (f: (d: DumpFilter, arg: string) => void) => method([STRING], ANY, (d: DumpFilter, a: string) => (f(d, a), d));
  const chain0 = (f: (d: DumpFilter) => void) => method([], ANY, (d: DumpFilter) => (f(d), d));
  return {
    NoFilters: chain0((d) => { d.body = true; d.headers = true; d.headerNameFilters = []; }),
    WithBody: chain0((d) => { d.body = true; }),
    WithNoBody: chain0((d) => { d.body = false; }),
    WithHeaders: chain0((d) => { d.headers = true; }),
    WithNoHeaders: chain0((d) => { d.headers = false; }),
    WithEmptyHeadersFilters: chain0((d) => { d.headerNameFilters = []; }),
    WithEmptyArgsFilters: chain0(() => {}),
    WithHeadersNameFilter: chain((d, re) => { d.headerNameFilters.push(re); }),
    WithHeadersContentFilter: chain(() => {}),
    WithArgsNameFilter: chain(() => {}),
    WithArgsContentFilter: chain(() => {}),
    ToJSON: method([], ANY, (d: DumpFilter) => {
      const r = d.req;
      if (!r) return null;
      const headers: Record<string, string[]> = {};
      if (d.headers) {
        for (let i = 0; i < r.headers.keys.length; i++) {
          const k = r.headers.keys[i]!;
          if (d.headerNameFilters.some((f) => new RegExp(f, "i").test(k))) continue;
          (headers[k] ??= []).push(r.headers.values[i]!);
        }
      }
      const dump = { host: r.host, client_ip: r.clientIp, uri: r.uri, method: r.method, proto: r.proto, uuid: r.uuid, headers, body: d.body ? Buffer.from(r.body).toString("base64") : undefined };
      try {
        const dir = mkdtempSync(join(tmpdir(), "crowdsec_req_dump_"));
        writeFileSync(join(dir, "request.json"), JSON.stringify(dump));
      } catch (e) {
        d.warn(`unable to dump request: ${e instanceof Error ? e.message : String(e)}`);
      }
      return null;
    }),
  };
});

// ---- environments per stage ----

/** Where the helpers find the host of the current evaluation (set before each hook stage runs). */
export interface HostSlot {
  host: HookHost;
}

const REQUEST_VARS = { IsInBand: BOOL, IsOutBand: BOOL, req: pointerTo(HTTP_REQUEST_TYPE), hook_vars: mapOf(STRING) };

/** The variables each stage's expressions see (upstream Get*Env); helpers come from hookFunctions. */
export const APPSEC_HOOK_ENVS: Readonly<Record<HookStage, EnvSpec>> = {
  on_load: Object.freeze({}),
  pre_eval: Object.freeze({ ...REQUEST_VARS }),
  post_eval: Object.freeze({ ...REQUEST_VARS }),
  on_match: Object.freeze({ ...REQUEST_VARS, evt: pointerTo(EVENT_TYPE) }),
};

class DumpRequestFilter implements DumpFilter {
  body = false;
  headers = true;
  headerNameFilters = ["cookie", "authorization"];
  constructor(
    readonly req: AppsecRequest | undefined,
    readonly warn: (m: string) => void,
  ) {}

  get [STRUCT_TYPE](): StructType {
    return DUMP_TYPE;
  }
}

type Impl = (...args: never[]) => unknown;

function helper(name: string, signature: string, impl: Impl): HelperDef {
  return { name, signatures: [signature], make: () => impl as (...args: unknown[]) => unknown };
}

/** The helper functions of a stage, bound to `slot` (upstream Get*Env's closures). */
export function hookFunctions(stage: HookStage, slot: HostSlot): HelperDef[] {
  const h = () => slot.host;
  const removers = (band: "inband" | "outofband", prefix: string) => [
    helper(`Remove${prefix}RuleByID`, "func(int) error", (id: number) => h().removeRuleById(band, id)),
    helper(`Remove${prefix}RuleByTag`, "func(string) error", (tag: string) => h().removeRuleByTag(band, tag)),
    helper(`Remove${prefix}RuleByName`, "func(string) error", (name: string) => h().removeRuleByTag(band, `crowdsec-${name}`)),
  ];
  const byHelpers = [
    helper("SetRemediationByTag", "func(string, string) error", (tag: string, a: string) => h().setRemediationByTag(tag, a)),
    helper("SetRemediationByID", "func(int, string) error", (id: number, a: string) => h().setRemediationById(id, a)),
    helper("SetRemediationByName", "func(string, string) error", (name: string, a: string) => h().setRemediationByTag(`crowdsec-${name}`, a)),
  ];
  const remediation = [
    helper("SetRemediation", "func(string) error", (a: string) => h().setRemediation(a)),
    helper("SetReturnCode", "func(int) error", (n: number) => h().setReturnCode(n)),
  ];
  const dump = helper("DumpRequest", "func(...any) any", () => new DumpRequestFilter(h().currentRequest(), (m) => h().warn(m)));
  switch (stage) {
    case "on_load":
      return [
        ...removers("inband", "InBand"), ...removers("outofband", "OutBand"), ...byHelpers,
        helper("SetMaxBodySize", "func(int) error", (n: number) => h().setMaxBodySize(n)),
        helper("SetBodySizeExceededAction", "func(string) error", (a: string) => h().setBodySizeExceededAction(a)),
      ];
    case "pre_eval":
      return [
        ...removers("inband", "InBand"), ...removers("outofband", "OutBand"), ...byHelpers, ...remediation,
        helper("DropRequest", "func(string) error", (reason: string) => h().dropRequest(reason)),
        helper("DisableBodyInspection", "func() error", () => h().disableBodyInspection()),
      ];
    case "post_eval":
      return [dump];
    case "on_match":
      return [
        dump, ...remediation,
        helper("CancelEvent", "func() error", () => h().setEventEmission("event", false)),
        helper("SendEvent", "func() error", () => h().setEventEmission("event", true)),
        helper("CancelAlert", "func() error", () => h().setEventEmission("alert", false)),
        helper("SendAlert", "func() error", () => h().setEventEmission("alert", true)),
      ];
    default: {
      const never: never = stage;
      throw new Error(`hook stage ${String(never)} has no helpers`);
    }
  }
}

/** The mutable variables of one stage's expressions; request fields are set before each run. */
export type StageVars = Record<string, unknown>;

export function stageVars(): StageVars {
  return Object.create(null) as StageVars;
}

export interface CompiledHook {
  readonly filter: ExprProgram | undefined;
  readonly apply: readonly ExprProgram[];
  readonly isBreak: boolean;
  readonly source: HookConfig;
}

/** Compiles a stage's hooks; an expression that does not compile is a problem (upstream: load error). */
export function compileHooks(hooks: readonly HookConfig[], stage: HookStage, functions: readonly HelperDef[], problems: Problem[]): CompiledHook[] {
  const env = APPSEC_HOOK_ENVS[stage];
  const out: CompiledHook[] = [];
  for (const h of hooks) {
    let failed = false;
    const compile = (source: string, path: readonly (string | number)[], expect: "bool" | "any") => {
      const r = compileExpr(source, { env, expect, functions });
      if (r.ok) return r.value;
      failed = true;
      problems.push(h.src.problem(r.error.code, `Cannot compile ${stage} hook: ${r.error.message}`, path, { snippet: r.error.snippet }));
      return undefined;
    };
    const filter = h.filter === "" ? undefined : compile(h.filter, [...h.at, "filter"], "any");
    const apply = h.apply.map((a, i) => compile(a, [...h.at, "apply", i], "any")).filter((p): p is ExprProgram => p !== undefined);
    if (!failed) out.push({ filter, apply, isBreak: h.onSuccess === "break", source: h });
  }
  return out;
}

/**
 * Runs hooks as upstream processHooks: a filter error stops the list (returned), a non-bool
 * filter skips its hook, apply errors are only reported; `on_success: break` stops once any
 * filter of the list has matched.
 */
export function runHooks(hooks: readonly CompiledHook[], vars: StageVars, stage: HookStage, warn: (m: string) => void): string | undefined {
  let hasMatch = false;
  for (const hook of hooks) {
    if (hook.filter) {
      const out = hook.filter.run(vars);
      if (out instanceof ExprRuntimeError) return `unable to run appsec ${stage} filter ${hook.source.filter}: ${out.message}`;
      if (typeof out !== "boolean") {
        warn(`${stage} filter must return a boolean, can't filter`);
        continue;
      }
      if (!out) continue;
      hasMatch = true;
    }
    for (const a of hook.apply) {
      const r = a.run(vars);
      if (r instanceof ExprRuntimeError) warn(`unable to apply appsec ${stage} expr: ${r.message}`);
    }
    if (hasMatch && hook.isBreak) break;
  }
  return undefined;
}
