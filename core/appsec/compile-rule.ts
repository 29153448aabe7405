/**
 * One appsec-rule file → compiled rules (APPSEC.md §3.7): each element of `rules` is flattened
 * to disjunctive normal form; each AND-group is one Coraza chain whose id is the FNV-1a hash
 * upstream computes, so events carry the same rule ids. The SecLang text upstream would generate
 * is kept too: it is the dedup key across files and what a failing test prints.
 */
import { compileRe2, type Re2Regex } from "../regex";
import type { Problem } from "../result";
import { fnv1a32 } from "./fnv";
import { compileOperator, isMatchType, type Operator, type OperatorContext } from "./operators";
import type { AppsecRuleFile, RuleNode } from "./rule-file";
import { TRANSFORMS, type Transform } from "./transforms";
import type { VariableName } from "./variables";
import { BODY_TYPES, MATCH_SECLANG, SEVERITIES, TRANSFORM_SECLANG, ZONES } from "./zones";

const MAX_DNF_GROUPS = 50;

export interface Target {
  readonly variable: VariableName;
  /** Selected key, lower-cased (Coraza's collections look keys up case-insensitively); undefined for the whole collection. */
  readonly key: string | undefined;
  /** `VAR:/regex/`: tested against the lower-cased keys, as Coraza's case-insensitive collections store them. */
  readonly keyRegex: Re2Regex | undefined;
  /** The key as written, for `&VAR:key` matched zones. */
  readonly keyText: string;
  /** `&VAR:key`: the number of values instead of the values. */
  readonly count: boolean;
}

export interface CompiledLeaf {
  readonly id: number;
  readonly targets: readonly Target[];
  readonly transforms: readonly Transform[];
  readonly operator: Operator;
  readonly negate: boolean;
  /** The SecLang line upstream generates. */
  readonly seclang: string;
}

/** One AND-group: a Coraza chain, identified by its first rule. */
export interface CompiledChain {
  readonly id: number;
  readonly leaves: readonly CompiledLeaf[];
}

/** One element of an appsec-rule's `rules`: it matches when any of its chains does. */
export interface CompiledRule {
  /** appsec-rule name. */
  readonly name: string;
  readonly msg: string;
  readonly tags: readonly string[];
  readonly severity: string;
  readonly severityInt: number;
  readonly chains: readonly CompiledChain[];
  readonly hash: string;
  readonly version: string;
  /** SecLang text with ids blanked: identical rules across files are kept once. */
  readonly dedupKey: string;
  readonly seclang: string;
}

type Dnf = RuleNode[][];

function flatten(node: RuleNode, problems: Problem[], src: AppsecRuleFile): Dnf | undefined {
  if (node.and.length === 0 && node.or.length === 0) {
    if (node.zones === undefined) {
      problems.push(src.src.problem("appsec.bad-rule", "Leaf rule must have zones", node.at));
      return undefined;
    }
    return [[node]];
  }
  const parts: Dnf[] = [];
  if (node.zones !== undefined) parts.push([[{ ...node, and: [], or: [] }]]);
  for (const child of node.and) {
    const d = flatten(child, problems, src);
    if (!d) return undefined;
    parts.push(d);
  }
  if (node.or.length > 0) {
    const union: Dnf = [];
    for (const child of node.or) {
      const d = flatten(child, problems, src);
      if (!d) return undefined;
      union.push(...d);
    }
    parts.push(union);
  }
  let result = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const next: Dnf = [];
    for (const a of result) for (const b of parts[i]!) next.push([...a, ...b]);
    if (next.length > MAX_DNF_GROUPS) {
      problems.push(src.src.problem("appsec.bad-rule", `Rule expansion produced ${next.length} groups, exceeding maximum of ${MAX_DNF_GROUPS}`, node.at));
      return undefined;
    }
    result = next;
  }
  return result;
}

function severityOf(s: string): { name: string; int: number } | undefined {
  const lower = s.toLowerCase();
  const i = SEVERITIES.indexOf(lower as (typeof SEVERITIES)[number]);
  if (i >= 0) return { name: SEVERITIES[i]!, int: i };
  if (/^[0-7]$/.test(s)) return { name: SEVERITIES[Number(s)]!, int: Number(s) };
  return undefined;
}

/** Compiles every element of a file's `rules`; problems name the element and field. */
export function compileRuleFile(file: AppsecRuleFile, ctx: OperatorContext, problems: Problem[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  const sev = severityOf(file.severity === "" ? "emergency" : file.severity);
  if (!sev) {
    problems.push(file.src.problem("appsec.bad-severity", `Unknown severity "${file.severity}"`, ["severity"]));
    return out;
  }
  const msg = file.description !== "" ? file.description : file.name;
  const tags = [`crowdsec-${file.name}`, "cs-custom-rule"];
  file.rules.forEach((element, index) => {
    if (element.zones === undefined && element.and.length === 0 && element.or.length === 0) {
      problems.push(file.src.problem("appsec.bad-rule", "No zones defined", element.at));
      return;
    }
    if (element.and.length === 0 && element.or.length === 0) {
      if (element.match.type === "") return void problems.push(file.src.problem("appsec.bad-rule", "No match type defined", element.at));
      if (element.match.value === "") return void problems.push(file.src.problem("appsec.bad-rule", "No match value defined", element.at));
    }
    const dnf = flatten(element, problems, file);
    if (!dnf) return;
    const chains: CompiledChain[] = [];
    const lines: string[] = [];
    const keyLines: string[] = [];
    let position = 0;
    let failed = false;
    dnf.forEach((group, g) => {
      const leaves: CompiledLeaf[] = [];
      group.forEach((leaf, l) => {
        const compiled = compileLeaf(leaf, {
          file, ctx, problems, position, index, msg, severity: position === 0 ? sev.name : "",
          starter: l === 0, chain: l < group.length - 1, skip: l === 0 ? dnf.length - g - 1 : 0,
        });
        position++;
        if (!compiled) {
          failed = true;
          return;
        }
        leaves.push(compiled);
        lines.push(compiled.seclang);
        keyLines.push(compiled.seclang.replace(/"id:\d+,phase:/, '"id:,phase:'));
      });
      if (leaves.length > 0) chains.push({ id: leaves[0]!.id, leaves });
    });
    if (failed) return;
    // Only the first SecLang line carries `severity`; the other chain starters keep Coraza's
    // zero severity, which is emergency too, so reporting the file's severity is exact for the hub.
    out.push({
      name: file.name, msg, tags, severity: sev.name, severityInt: sev.int, chains, hash: file.hash, version: file.version,
      dedupKey: keyLines.join("\n"), seclang: lines.join("\n"),
    });
  });
  return out;
}

interface LeafContext {
  readonly file: AppsecRuleFile;
  readonly ctx: OperatorContext;
  readonly problems: Problem[];
  readonly position: number;
  readonly index: number;
  readonly msg: string;
  readonly severity: string;
  readonly starter: boolean;
  readonly chain: boolean;
  readonly skip: number;
}

function compileLeaf(leaf: RuleNode, c: LeafContext): CompiledLeaf | undefined {
  const { file, problems } = c;
  const zones = leaf.zones ?? [];
  const hasCount = leaf.transform.includes("count");
  const targets: Target[] = [];
  const targetText: string[] = [];
  for (const [zi, zone] of zones.entries()) {
    const variable = ZONES[zone];
    if (!variable) {
      problems.push(file.src.problem("appsec.unknown-zone", `Unknown zone "${zone}"`, [...leaf.at, "zones", zi]));
      return undefined;
    }
    if (leaf.variables.length === 0) {
      targets.push({ variable, key: undefined, keyRegex: undefined, keyText: "", count: false });
      targetText.push(variable);
    } else {
      for (const [vi, v] of leaf.variables.entries()) {
        let keyRegex: Re2Regex | undefined;
        if (v.length > 2 && v.startsWith("/") && v.endsWith("/")) {
          const re = compileRe2(v.slice(1, -1));
          if (!re.ok) {
            problems.push(file.src.problem("appsec.bad-regex", `Cannot compile variable regex "${v}": ${re.error.message}`, [...leaf.at, "variables", vi]));
            return undefined;
          }
          keyRegex = re.value;
        }
        targets.push({ variable, key: keyRegex ? undefined : v.toLowerCase(), keyRegex, keyText: v, count: hasCount });
        targetText.push(`${hasCount ? "&" : ""}${variable}:${v}`);
      }
    }
  }
  const transforms: Transform[] = [];
  const transformText: string[] = [];
  for (const [ti, t] of leaf.transform.entries()) {
    if (t === "" || (hasCount && t === "count")) continue;
    const fn = TRANSFORMS[t];
    if (!fn) {
      problems.push(file.src.problem("appsec.unknown-transform", `Unknown transform "${t}"`, [...leaf.at, "transform", ti]));
      return undefined;
    }
    transforms.push(fn);
    transformText.push(TRANSFORM_SECLANG[t]!);
  }
  const type = leaf.match.type;
  let operator: Operator = () => false;
  let opText = "";
  if (type !== "") {
    if (!isMatchType(type)) {
      problems.push(file.src.problem("appsec.unknown-match", `Unknown match type "${type}"`, [...leaf.at, "match", "type"]));
      return undefined;
    }
    const op = compileOperator(type, leaf.match.value, c.ctx);
    if (!op.ok) {
      problems.push(file.src.problem(op.error.code, op.error.message, [...leaf.at, "match"]));
      return undefined;
    }
    operator = op.value;
    opText = ` "${leaf.match.not ? "!" : ""}${MATCH_SECLANG[type]} ${leaf.match.value}"`;
  }
  if (leaf.bodyType !== "" && !BODY_TYPES[leaf.bodyType]) {
    problems.push(file.src.problem("appsec.unknown-body-type", `Unknown body type "${leaf.bodyType}"`, [...leaf.at, "body_type"]));
    return undefined;
  }
  const idParts = [file.name, type, leaf.match.value, String(c.position), `rule:${c.index}`, ...zones];
  for (const t of leaf.transform) if (t !== "count") idParts.push(t);
  const id = fnv1a32(idParts);
  let text = `SecRule ${targetText.join("|")}${opText} "id:${id},phase:2${c.starter ? ",deny" : ""},log,msg:'${c.msg}',tag:'crowdsec-${file.name}',tag:'cs-custom-rule'`;
  if (c.severity !== "") text += `,severity:'${c.severity}'`;
  for (const t of transformText) text += "," + t;
  if (leaf.bodyType !== "") text += `,ctl:requestBodyProcessor=${BODY_TYPES[leaf.bodyType]}`;
  if (c.chain) text += ",chain";
  if (c.skip > 0) text += `,skip:${c.skip}`;
  text += '"';
  return { id, targets, transforms, operator, negate: leaf.match.not, seclang: text };
}
