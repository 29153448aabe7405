/**
 * One WAF engine (in-band or out-of-band): the compiled rules in load order, evaluated over a
 * request's variables as Coraza evaluates the YAML rules' chains. Every value of every target is
 * transformed and tested; a leaf matches when one value does; a chain when all its leaves do;
 * the first matching chain interrupts (all YAML rules `deny`).
 */
import type { Re2Regex } from "../regex";
import type { BodyProcessorRule } from "./body-rules";
import type { CompiledChain, CompiledLeaf, CompiledRule } from "./compile-rule";
import type { RequestVariables, BodyProcessor } from "./variables";

export interface Engine {
  readonly rules: readonly CompiledRule[];
  /** base-config's body-processor rules, when selected for this engine. */
  readonly bodyRules: readonly BodyProcessorRule[] | undefined;
  readonly disableBodyInspection: boolean;
}

/** What stopped the transaction. */
export interface Interruption {
  readonly rule: CompiledRule;
  readonly chain: CompiledChain;
  /** `VARIABLE.key` per matched value, chain order (Coraza MatchData). */
  readonly matchedZones: readonly string[];
}

/** Rules removed for one request (RemoveInBandRuleBy* in pre_eval). */
export interface Removals {
  readonly ids: ReadonlySet<number>;
  readonly tags: ReadonlySet<string>;
}

function keyMatches(actual: string, wanted: string): boolean {
  return actual.length === wanted.length && (actual === wanted || actual.toLowerCase() === wanted);
}

function selected(k: string, key: string | undefined, keyRegex: Re2Regex | undefined): boolean {
  if (keyRegex) return keyRegex.test(k.toLowerCase());
  return key === undefined || keyMatches(k, key);
}

function test(leaf: CompiledLeaf, value: string): boolean {
  let v = value;
  for (let i = 0; i < leaf.transforms.length; i++) v = leaf.transforms[i]!(v);
  return leaf.operator(v) !== leaf.negate;
}

/** Appends the zones the leaf matched to `zones`; false when nothing matched. */
function matchLeaf(leaf: CompiledLeaf, vars: RequestVariables, processor: BodyProcessor, bodyInspected: boolean, zones: string[]): boolean {
  let matched = false;
  for (let t = 0; t < leaf.targets.length; t++) {
    const target = leaf.targets[t]!;
    const coll = vars.get(target.variable, processor, bodyInspected);
    const key = target.key;
    const keyRegex = target.keyRegex;
    if (target.count) {
      let n = 0;
      for (let i = 0; i < coll.keys.length; i++) if (selected(coll.keys[i]!, key, keyRegex)) n++;
      if (test(leaf, String(n))) {
        zones.push(`${target.variable}.${target.keyText}`);
        matched = true;
      }
      continue;
    }
    for (let i = 0; i < coll.keys.length; i++) {
      const k = coll.keys[i]!;
      if (!selected(k, key, keyRegex)) continue;
      if (test(leaf, coll.values[i]!)) {
        zones.push(k === "" ? target.variable : `${target.variable}.${k}`);
        matched = true;
      }
    }
  }
  return matched;
}

function isRemoved(rule: CompiledRule, chain: CompiledChain, removals: Removals | undefined): boolean {
  if (!removals) return false;
  if (removals.ids.has(chain.id)) return true;
  for (const t of rule.tags) if (removals.tags.has(t)) return true;
  return false;
}

/** Runs the engine's rules; undefined when nothing interrupts. */
export function runEngine(engine: Engine, vars: RequestVariables, bodyInspected: boolean, removals: Removals | undefined): Interruption | undefined {
  const processor = vars.processorFor(engine.bodyRules);
  const inspected = bodyInspected && !engine.disableBodyInspection;
  const zones: string[] = [];
  for (let r = 0; r < engine.rules.length; r++) {
    const rule = engine.rules[r]!;
    for (let c = 0; c < rule.chains.length; c++) {
      const chain = rule.chains[c]!;
      if (isRemoved(rule, chain, removals)) continue;
      zones.length = 0;
      let all = true;
      for (let l = 0; l < chain.leaves.length; l++) {
        if (!matchLeaf(chain.leaves[l]!, vars, processor, inspected, zones)) {
          all = false;
          break;
        }
      }
      if (all) return { rule, chain, matchedZones: zones.slice() };
    }
  }
  return undefined;
}
