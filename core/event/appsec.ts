/**
 * The AppSec part of an event (upstream pkg/pipeline/appsec_event.go): the rules a request
 * matched, as maps, with the getters and filters expressions call (`evt.Appsec.GetName()`,
 * `evt.Appsec.ByTag("CVE")`, …). MatchedRules methods are promoted to AppsecEvent, as Go's
 * embedding does.
 */
import { ANY, arrayOf, BOOL, ExprRuntimeError, INT, mapOf, method, STRING, STRUCT_TYPE, structType, type ExprType, type MethodTable, type StructType } from "../expr";
import { compileRe2 } from "../regex";

/** One matched rule: id, name, msg, tags, kind, severity, severity_int, uri, method, hash, version, matched_zones, disruptive … */
export type MatchedRule = Record<string, unknown>;

export class AppsecEvent {
  HasInBandMatches = false;
  HasOutBandMatches = false;
  MatchedRules: MatchedRule[] | null = null;
  Vars: Record<string, string> | null = null;
  HookVars: Record<string, string> | null = null;

  get [STRUCT_TYPE](): StructType {
    return APPSEC_EVENT_TYPE;
  }
}

function goString(v: unknown): string {
  if (typeof v === "string") return v;
  // upstream asserts `rule["name"].(string)`, which panics on anything else
  throw new ExprRuntimeError(`interface conversion: interface {} is ${v === null || v === undefined ? "nil" : typeof v}, not string`);
}

function firstString(rules: readonly MatchedRule[] | null, key: string): string {
  const rule = rules?.[0];
  return rule ? goString(rule[key]) : "";
}

function stringList(v: unknown): readonly string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw new ExprRuntimeError(`interface conversion: interface {} is ${v === null || v === undefined ? "nil" : "[]interface {}"}, not []string`);
}

const SEVERITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"];

/** Coraza's RuleSeverity: an int whose String() names the level. */
export const RULE_SEVERITY: ExprType = {
  kind: "int",
  name: "types.RuleSeverity",
  methods: { String: method([], STRING, (s: number) => SEVERITIES[s] ?? "unknown") },
};

type Rules = readonly MatchedRule[] | null;

/** The MatchedRules methods, taking the rule list first. */
const rulesMethods = (self: (v: never) => Rules): MethodTable => {
  const r = (impl: (rules: Rules, ...args: never[]) => unknown) => (v: never, ...args: never[]) => impl(self(v), ...args);
  return {
    GetField: method([STRING], arrayOf(ANY), r((rules: Rules, f: string) => (rules ?? []).map((x) => x[f] ?? null))),
    GetURI: method([], STRING, r((rules: Rules) => firstString(rules, "uri"))),
    GetHash: method([], STRING, r((rules: Rules) => firstString(rules, "hash"))),
    GetVersion: method([], STRING, r((rules: Rules) => firstString(rules, "version"))),
    GetName: method([], STRING, r((rules: Rules) => firstString(rules, "name"))),
    GetMethod: method([], STRING, r((rules: Rules) => firstString(rules, "method"))),
    GetNames: method([], arrayOf(STRING), r((rules: Rules) => (rules ?? []).map((x) => x.name).filter((n): n is string => typeof n === "string"))),
    GetRuleIDs: method([], arrayOf(INT), r((rules: Rules) => (rules ?? []).map((x) => {
      if (typeof x.id !== "number") throw new ExprRuntimeError(`interface conversion: interface {} is ${x.id === undefined || x.id === null ? "nil" : typeof x.id}, not int`);
      return x.id;
    }))),
    Kinds: method([], arrayOf(STRING), r((rules: Rules) => {
      const out: string[] = [];
      for (const x of rules ?? []) {
        if (!out.includes(x.kind as string)) out.push(goString(x.kind));
      }
      return out;
    })),
    GetMatchedZones: method([], arrayOf(STRING), r((rules: Rules) => {
      const out: string[] = [];
      for (const x of rules ?? []) for (const z of stringList(x.matched_zones)) if (!out.includes(z)) out.push(z);
      return out;
    })),
    ByID: method([INT], MATCHED_RULES, r((rules: Rules, id: number) => (rules ?? []).filter((x) => x.id === id))),
    ByKind: method([STRING], MATCHED_RULES, r((rules: Rules, k: string) => (rules ?? []).filter((x) => x.kind === k))),
    ByTags: method([arrayOf(STRING)], MATCHED_RULES, r((rules: Rules, match: readonly string[]) => {
      // upstream appends a rule once per matching tag
      const out: MatchedRule[] = [];
      for (const x of rules ?? []) for (const t of stringList(x.tags)) if ((match ?? []).includes(t)) out.push(x);
      return out;
    })),
    ByTag: method([STRING], MATCHED_RULES, r((rules: Rules, tag: string) => (rules ?? []).filter((x) => stringList(x.tags).includes(tag)))),
    ByTagRx: method([STRING], MATCHED_RULES, r((rules: Rules, rx: string) => {
      const re = compileRe2(rx);
      if (!re.ok) throw new ExprRuntimeError(`regexp: Compile(${JSON.stringify(rx)}): ${re.error.message}`);
      return (rules ?? []).filter((x) => stringList(x.tags).some((t) => re.value.test(t)));
    })),
    ByDisruptiveness: method([BOOL], MATCHED_RULES, r((rules: Rules, b: boolean) => (rules ?? []).filter((x) => x.disruptive === b))),
    BySeverity: method([STRING], MATCHED_RULES, r((rules: Rules, s: string) => (rules ?? []).filter((x) => x.severity === s))),
    ByAccuracy: method([STRING], MATCHED_RULES, r((rules: Rules, a: string) => (rules ?? []).filter((x) => x.accuracy === a))),
    GetHighestSeverity: method([], RULE_SEVERITY, r((rules: Rules) => {
      let highest = 255;
      for (const x of rules ?? []) if (typeof x.severity_int === "number" && x.severity_int < highest) highest = x.severity_int;
      return highest;
    })),
  };
};

/** `pipeline.MatchedRules`: a list of rule maps with getters and filters. */
export const MATCHED_RULES: ExprType = arrayOf(mapOf(ANY), "pipeline.MatchedRules", () => rulesMethods((v: Rules) => v));

interface AppsecLike { readonly MatchedRules?: Rules; readonly Vars?: Readonly<Record<string, string>> | null }

export const APPSEC_EVENT_TYPE: StructType = structType(
  "pipeline.AppsecEvent",
  () => ({ HasInBandMatches: BOOL, HasOutBandMatches: BOOL, MatchedRules: MATCHED_RULES, Vars: mapOf(STRING), HookVars: mapOf(STRING) }),
  () => ({
    ...rulesMethods((a: AppsecLike | null) => a?.MatchedRules ?? null),
    GetVar: method([STRING], STRING, (a: AppsecLike | null, name: string) => {
      const vars = a?.Vars;
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? (vars[name] ?? "") : "";
    }),
  }),
);
