/**
 * `.appsec-tests` in-process (APPSEC.md §4.4): build a runtime from the upstream test profile
 * (`inband_rules: ["crowdsecurity/*"]`, ban) over only the rule files the test lists, send each
 * request of the nuclei template through the engine as the nginx bouncer would forward it, and
 * judge the template's matchers on the answers nginx would give.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { HubIndex } from "../hub";
import { renderProblem } from "../result";
import { emptyAppsecConfig } from "./config";
import { evaluateRequest } from "./evaluate";
import type { Injection } from "./injection";
import { blockMatches, parseNucleiTemplate, type NucleiRequest, type NucleiResponse } from "./nuclei";
import { parseAppsecRequest } from "./request";
import { loadAppsecRuntime, type AppsecRuntime } from "./runtime";

/** The fields of a hubtest config.yaml an AppSec test uses. */
export interface AppsecTestConfig {
  readonly name: string;
  readonly dir: string;
  readonly appsecRules: readonly string[];
  readonly nucleiTemplate?: string;
  readonly expectFailure: boolean;
}

export interface AppsecTestEnv {
  readonly hubRoot: string;
  readonly index?: HubIndex;
  readonly injection?: Injection;
  readonly nowMs?: number;
}

/** Shaped like core/hubtest's HubtestOutcome, so `picket hubtest run` reports both kinds alike. */
export interface AppsecTestOutcome {
  readonly name: string;
  readonly status: "pass" | "fail" | "error";
  readonly reason?: string;
  readonly failures: readonly never[];
  readonly parserAsserts: number;
  readonly scenarioAsserts: number;
  /** Requests sent. */
  readonly lines: number;
  /** On failure: what each request got and the compiled rules (what DumpRequest shows upstream). */
  readonly details?: string;
}

/** An AppSec test is one whose config.yaml names a nuclei template. */
export function isAppsecTest(config: { readonly nucleiTemplate?: string }): boolean {
  return config.nucleiTemplate !== undefined && config.nucleiTemplate !== "";
}

function outcome(name: string, status: AppsecTestOutcome["status"], reason?: string, lines = 0, details?: string): AppsecTestOutcome {
  return { name, status, reason, failures: [], parserAsserts: 0, scenarioAsserts: 0, lines, details };
}

/** `./appsec-rules/crowdsecurity/x` → `<hub>/appsec-rules/crowdsecurity/x.yaml`; a hub name through the index. */
function resolveRuleFile(ref: string, env: AppsecTestEnv, dir: string): string | undefined {
  const item = env.index?.get("appsec-rules", ref);
  if (item) return join(env.hubRoot, item.path);
  const candidates = isAbsolute(ref) ? [ref] : [resolve(env.hubRoot, ref), resolve(dir, ref)];
  for (const c of candidates) {
    if (existsSync(c) && c.endsWith(".yaml")) return c;
    if (existsSync(c + ".yaml")) return c + ".yaml";
  }
  return undefined;
}

/** The runtime of the upstream test profile over the listed rule files. */
export function testRuntime(config: AppsecTestConfig, env: AppsecTestEnv): { runtime?: AppsecRuntime; error?: string } {
  const files: string[] = [];
  for (const ref of config.appsecRules) {
    const f = resolveRuleFile(ref, env, config.dir);
    if (!f) return { error: `cannot find appsec-rule "${ref}"` };
    files.push(f);
  }
  const profile = emptyAppsecConfig();
  profile.name = "appsec-test";
  profile.inbandRules.push("crowdsecurity/*");
  profile.defaultRemediation = "ban";
  const r = loadAppsecRuntime({ hubRoot: env.hubRoot, index: env.index, config: profile, ruleFiles: files, injection: env.injection });
  if (!r.runtime) return { error: r.problems.map(renderProblem).join("\n") };
  const skipped = r.warnings.filter((w) => w.message.startsWith("Skipping appsec-rule"));
  if (skipped.length > 0) return { error: skipped.map(renderProblem).join("\n") };
  return { runtime: r.runtime };
}

function send(runtime: AppsecRuntime, req: NucleiRequest, nowMs: number): { response: NucleiResponse; line: string } {
  const host = req.headers.find(([k]) => k.toLowerCase() === "host")?.[1] ?? "";
  const parsed = parseAppsecRequest({
    clientIp: "127.0.0.1",
    method: req.method,
    uri: req.target,
    host,
    headers: req.headers.filter(([k]) => k.toLowerCase() !== "host"),
    body: req.body,
    proto: "HTTP/1.1",
    uuid: "00000000-0000-4000-8000-000000000000",
  });
  const label = `${req.method} ${req.target}`;
  // upstream answers 500 without evaluating; the bouncer then lets the request through
  if (!parsed.ok) return { response: { blocked: false }, line: `${label} → allowed (AppSec error: ${parsed.error.message})` };
  const r = evaluateRequest(runtime, parsed.value, { nowMs });
  if (r.inband.action === "allow") return { response: { blocked: false }, line: `${label} → allowed` };
  return { response: { blocked: true, status: r.inband.httpStatus }, line: `${label} → ${r.inband.action} ${r.inband.httpStatus} by ${r.inbandRule ?? "?"}` };
}

/** Runs one AppSec test; status "error" when it cannot run in-process (the reason says why). */
export function runAppsecTest(config: AppsecTestConfig, env: AppsecTestEnv): AppsecTestOutcome {
  const templatePath = join(config.dir, config.nucleiTemplate ?? "");
  if (!isAppsecTest(config) || !existsSync(templatePath)) return outcome(config.name, "error", `no nuclei template at "${templatePath}"`);
  const template = parseNucleiTemplate(readFileSync(templatePath, "utf8"), templatePath);
  if (!template.ok) return outcome(config.name, "error", `skipped: ${template.error.message}`);
  const built = testRuntime(config, env);
  if (!built.runtime) return outcome(config.name, "error", built.error);
  const nowMs = env.nowMs ?? Date.now();
  let matched = false;
  let sent = 0;
  const lines: string[] = [];
  for (const block of template.value.blocks) {
    const responses: NucleiResponse[] = [];
    for (const req of block.requests) {
      const r = send(built.runtime, req, nowMs);
      responses.push(r.response);
      lines.push(r.line);
      sent++;
    }
    if (blockMatches(block, responses)) matched = true;
  }
  const pass = matched !== config.expectFailure;
  if (pass) return outcome(config.name, "pass", undefined, sent);
  const rules = built.runtime.inband.rules.map((r) => r.seclang).join("\n");
  const reason = config.expectFailure ? "expected no match, but the matchers matched" : `matchers did not match: ${lines.join("; ")}`;
  return outcome(config.name, "fail", reason, sent, `requests:\n  ${lines.join("\n  ")}\nrules:\n${rules}`);
}
