/**
 * profiles.yaml as upstream pkg/csconfig/profiles.go decodes it: every document of the stream is
 * one profile, `<file>.local` documents come first, unknown keys are errors.
 */
import { existsSync, readFileSync } from "node:fs";
import { LineCounter, parseAllDocuments } from "yaml";
import { DocReader, parseYamlStream, type SourceDoc, type YamlPath } from "../config";
import { problem, type Problem } from "../result";

/** One profiles file given as text (tests, embedded defaults, a file read by the caller). */
export interface ProfileText {
  readonly path: string;
  readonly text: string;
}

/** A profiles file with its optional `.local` companion already read. */
export interface ProfileSource extends ProfileText {
  readonly local?: ProfileText;
}

export interface DecisionTemplate {
  readonly at: YamlPath;
  /** Undefined only when the template has no `type` (reported at load). */
  readonly type: string | undefined;
  readonly duration: string | undefined;
  readonly scope: string | undefined;
  /** Present (even empty) → the decision origin is `crowdsec/<origin>`. */
  readonly origin: string | undefined;
  readonly simulated: boolean;
}

export interface ProfileConfig {
  readonly doc: SourceDoc;
  readonly name: string;
  readonly debug: boolean;
  readonly filters: readonly string[];
  readonly decisions: readonly DecisionTemplate[];
  readonly durationExpr: string | undefined;
  readonly onSuccess: string;
  readonly onFailure: string;
  readonly onError: string;
  readonly notifications: readonly string[];
}

const PROFILE_KEYS: ReadonlySet<string> = new Set([
  "name", "debug", "filters", "decisions", "duration_expr", "on_success", "on_failure", "on_error", "notifications",
]);

// models.Decision has only JSON tags, so yaml.v3 decodes it under the lowercased field names
const DECISION_KEYS: ReadonlySet<string> = new Set(["duration", "id", "origin", "scenario", "scope", "simulated", "type", "until", "uuid", "value"]);

const ON_SUCCESS: ReadonlySet<string> = new Set(["", "continue", "break"]);
const ON_FAILURE: ReadonlySet<string> = new Set(["", "continue", "break", "apply"]);

/**
 * The texts to decode, `.local` first. A path is read from disk with its `.local` if present;
 * a given text is taken as is, with the `.local` it names.
 */
export function readProfileTexts(source: string | ProfileSource, problems: Problem[]): ProfileText[] {
  if (typeof source !== "string") return source.local ? [source.local, source] : [source];
  const out: ProfileText[] = [];
  const local = `${source}.local`;
  if (existsSync(local)) {
    const text = readText(local, problems);
    if (text !== undefined) out.push({ path: local, text });
  }
  const text = readText(source, problems);
  if (text !== undefined) out.push({ path: source, text });
  return out;
}

function readText(path: string, problems: Problem[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    problems.push(problem("profiles.read", `Cannot read profiles file: ${reason}`, { file: path }));
    return undefined;
  }
}

/** Decodes every document of every text into profile configs, recording each problem found. */
export function decodeProfiles(texts: readonly ProfileText[], problems: Problem[]): ProfileConfig[] {
  const out: ProfileConfig[] = [];
  for (const t of texts) {
    const parsed = parseYamlStream(t.text, t.path, { strict: true });
    problems.push(...withSyntaxPositions(parsed.problems, t.text));
    for (const doc of parsed.docs) {
      // an empty document (a trailing `---`, comments only) holds no profile
      if (doc.value === null || doc.value === undefined) continue;
      const p = decodeProfile(new DocReader(doc, problems));
      if (p) out.push(p);
    }
  }
  return out;
}

/**
 * core/config's syntax problems come without line and column (the yaml package fills `linePos`
 * only for pretty errors): take them from the error offsets, in the same order.
 */
function withSyntaxPositions(found: readonly Problem[], text: string): Problem[] {
  if (found.every((p) => p.code !== "yaml.syntax" || p.line !== undefined)) return [...found];
  const lineCounter = new LineCounter();
  const offsets = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false }).flatMap((d) => d.errors.map((e) => e.pos[0]));
  let i = 0;
  return found.map((p) => {
    if (p.code !== "yaml.syntax") return p;
    const offset = offsets[i++];
    if (p.line !== undefined || offset === undefined) return p;
    const pos = lineCounter.linePos(offset);
    return { ...p, line: pos.line, column: pos.col };
  });
}

function decodeProfile(r: DocReader): ProfileConfig | undefined {
  const m = r.map(r.doc.value, [], "a profile");
  if (!m) return undefined;
  r.checkKeys(m, PROFILE_KEYS, [], "profile");
  const name = r.string(m.name, ["name"]) ?? "";
  const onSuccess = r.string(m.on_success, ["on_success"]) ?? "";
  if (!ON_SUCCESS.has(onSuccess)) {
    r.report(["on_success"], "profiles.on-success", `Invalid on_success "${onSuccess}" for profile "${name}": expected "break" or "continue"`);
  }
  const onFailure = r.string(m.on_failure, ["on_failure"]) ?? "";
  if (!ON_FAILURE.has(onFailure)) {
    r.report(["on_failure"], "profiles.on-failure", `Invalid on_failure "${onFailure}" for profile "${name}": expected "break", "continue" or "apply"`);
  }
  return {
    doc: r.doc,
    name,
    debug: r.bool(m.debug, ["debug"]) ?? false,
    filters: strings(r, m.filters, ["filters"]),
    decisions: (r.list(m.decisions, ["decisions"]) ?? []).flatMap((d, i) => decodeDecision(r, d, ["decisions", i]) ?? []),
    durationExpr: r.string(m.duration_expr, ["duration_expr"]) || undefined,
    onSuccess,
    onFailure,
    onError: r.string(m.on_error, ["on_error"]) ?? "",
    notifications: strings(r, m.notifications, ["notifications"]),
  };
}

/** A `[]string` field: a list of scalars (a lone string is a decode error, as in Go). */
function strings(r: DocReader, value: unknown, at: YamlPath): string[] {
  const list = r.list(value, at) ?? [];
  const out: string[] = [];
  list.forEach((item, i) => {
    const s = r.string(item, [...at, i]);
    if (s !== undefined) out.push(s);
  });
  return out;
}

function decodeDecision(r: DocReader, value: unknown, at: YamlPath): DecisionTemplate | undefined {
  const m = r.map(value, at, "a decision");
  if (!m) {
    if (value === null) r.report(at, "yaml.type", "Expected a decision, got nothing");
    return undefined;
  }
  r.checkKeys(m, DECISION_KEYS, at, "decision");
  // ignored as upstream ignores them, but still type-checked by the Go decoder
  r.string(m.value, [...at, "value"]);
  r.string(m.scenario, [...at, "scenario"]);
  r.string(m.until, [...at, "until"]);
  r.string(m.uuid, [...at, "uuid"]);
  r.int(m.id, [...at, "id"]);
  const type = r.string(m.type, [...at, "type"]);
  // upstream dereferences the missing type when the profile first matches (a crash): refuse it at load
  if (type === undefined && (m.type === undefined || m.type === null)) r.report(at, "profiles.decision-type", 'Decision has no "type"', { hint: "add type: ban" });
  return {
    at,
    type,
    duration: r.string(m.duration, [...at, "duration"]),
    scope: r.string(m.scope, [...at, "scope"]),
    origin: r.string(m.origin, [...at, "origin"]),
    simulated: r.bool(m.simulated, [...at, "simulated"]) ?? false,
  };
}
