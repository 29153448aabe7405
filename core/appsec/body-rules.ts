/**
 * SecLang in appsec-rules: picket has no SecLang engine. The one exception is the body-processor
 * selection of `crowdsecurity/base-config` (rules that only set `ctl:requestBodyProcessor` from a
 * Content-Type prefix, plus the RAW fallback), recognised line by line; anything else is refused.
 */
import type { BodyProcessor } from "./variables";

export interface BodyProcessorRule {
  /** Case-sensitive Content-Type prefix (`@rx ^application/json`). */
  readonly prefix: string;
  readonly processor: BodyProcessor;
}

const CONTENT_TYPE_RULE = /^secrule\s+REQUEST_HEADERS:Content-Type\s+"@rx \^([A-Za-z0-9.+/_-]+)"\s+"id:\d+,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=(URLENCODED|MULTIPART|XML|JSON|RAW)"\s*(#.*)?$/i;
const RAW_FALLBACK = /^secrule\s+REQBODY_PROCESSOR\s+"!@rx \(\?:URLENCODED\|MULTIPART\|XML\|JSON\)"\s+"id:\d+,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=RAW"\s*(#.*)?$/i;

/** The body-processor rules of SecLang lines, or the first line that is anything else. */
export function readBodyProcessorRules(lines: readonly string[]): { rules: BodyProcessorRule[]; unsupported?: string } {
  const rules: BodyProcessorRule[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const m = CONTENT_TYPE_RULE.exec(line);
    if (m) {
      rules.push({ prefix: m[1]!, processor: m[2]! as BodyProcessor });
      continue;
    }
    if (RAW_FALLBACK.test(line)) continue;
    return { rules, unsupported: line };
  }
  return { rules };
}

/**
 * The processor of a request. Coraza's AddRequestHeader already picks URLENCODED (the lower-cased
 * Content-Type is exactly `application/x-www-form-urlencoded`) and MULTIPART (it starts with
 * `multipart/form-data`) by itself; base-config's phase-1 rules then override by prefix (the
 * last matching one wins) and fall back to RAW.
 */
export function selectProcessor(rules: readonly BodyProcessorRule[] | undefined, contentType: string): BodyProcessor {
  const lower = contentType.toLowerCase();
  let p: BodyProcessor = lower === "application/x-www-form-urlencoded" ? "URLENCODED" : lower.startsWith("multipart/form-data") ? "MULTIPART" : "none";
  if (!rules) return p;
  for (const r of rules) if (contentType.startsWith(r.prefix)) p = r.processor;
  return p === "none" ? "RAW" : p;
}
