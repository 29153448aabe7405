import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Problem } from "../result";
import { decodeProfiles, readProfileTexts } from "./config";

const ONE = "name: main\nfilters:\n - Alert.Remediation == true\ndecisions:\n - type: ban\n   duration: 4h\n";

function decode(text: string): { names: string[]; problems: string[] } {
  const problems: Problem[] = [];
  const configs = decodeProfiles([{ path: "p.yaml", text }], problems);
  return { names: configs.map((c) => c.name), problems: problems.map((p) => `${p.line}:${p.column} ${p.field ?? ""} ${p.message}${p.hint ? ` (${p.hint})` : ""}`) };
}

const cases = [
  { what: "one document", text: ONE, names: ["main"], problems: [] },
  { what: "several documents in file order", text: `${ONE}---\nname: second\n---\nname: third\n`, names: ["main", "second", "third"], problems: [] },
  { what: "empty documents skipped", text: `---\n${ONE}---\n# nothing\n`, names: ["main"], problems: [] },
  { what: "empty file", text: "# only comments\n", names: [], problems: [] },
  {
    what: "unknown key with its line",
    text: `${ONE}---\nname: two\nfilter:\n - true\n`,
    names: ["main", "two"],
    problems: ['9:1 filter Unknown key "filter" in profile (did you mean "filters"?)'],
  },
  {
    what: "unknown decision key",
    text: "name: a\ndecisions:\n - type: ban\n   durtion: 4h\n",
    names: ["a"],
    problems: ['4:4 decisions[0].durtion Unknown key "durtion" in decision (did you mean "duration"?)'],
  },
  {
    what: "decision fields upstream ignores are known keys",
    text: "name: a\ndecisions:\n - {type: ban, duration: 4h, value: 9.9.9.9, scenario: x, until: y, uuid: z, id: 3}\n",
    names: ["a"],
    problems: [],
  },
  {
    what: "bad on_success",
    text: "name: a\non_success: stop\n",
    names: ["a"],
    problems: ['2:13 on_success Invalid on_success "stop" for profile "a": expected "break" or "continue"'],
  },
  {
    what: "bad on_failure",
    text: "name: a\non_failure: stop\n",
    names: ["a"],
    problems: ['2:13 on_failure Invalid on_failure "stop" for profile "a": expected "break", "continue" or "apply"'],
  },
  { what: "any on_error value", text: "name: a\non_error: whatever\non_failure: apply\non_success: continue\n", names: ["a"], problems: [] },
  {
    what: "filters must be a list",
    text: "name: a\nfilters: Alert.Remediation\n",
    names: ["a"],
    problems: ['2:10 filters Expected a list, got "Alert.Remediation"'],
  },
  {
    what: "a decision without type",
    text: "name: a\ndecisions:\n - duration: 4h\n",
    names: ["a"],
    problems: ['3:4 decisions[0] Decision has no "type" (add type: ban)'],
  },
  {
    what: "a document that is not a map",
    text: "- name: a\n",
    names: [],
    problems: ["1:1  Expected a profile to be a map, got a list"],
  },
  {
    what: "duplicate keys, as yaml.v3 refuses them",
    text: "name: a\nname: b\n",
    names: [],
    problems: ["2:1  Cannot parse YAML: Map keys must be unique"],
  },
  {
    what: "bad YAML",
    text: "name: a\nfilters:\n - [unclosed\n",
    names: [],
    problems: ["4:1  Cannot parse YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
  },
] as const;

describe("decodeProfiles()", () => {
  test.each(cases)("$what", ({ text, names, problems }) => {
    expect(decode(text)).toEqual({ names: [...names], problems: [...problems] });
  });

  test("decodes every field", () => {
    const problems: Problem[] = [];
    const [c] = decodeProfiles(
      [
        {
          path: "p.yaml",
          text: [
            "name: full",
            "debug: true",
            "filters: [a, b]",
            "decisions:",
            " - {type: captcha, duration: 1h, scope: Range, origin: custom, simulated: true}",
            "duration_expr: \"'4h'\"",
            "on_success: break",
            "on_failure: continue",
            "on_error: apply",
            "notifications: [slack_default, http_default]",
          ].join("\n"),
        },
      ],
      problems,
    );
    expect(problems).toEqual([]);
    expect({ ...c, doc: undefined }).toEqual({
      doc: undefined,
      name: "full",
      debug: true,
      filters: ["a", "b"],
      decisions: [{ at: ["decisions", 0], type: "captcha", duration: "1h", scope: "Range", origin: "custom", simulated: true }],
      durationExpr: "'4h'",
      onSuccess: "break",
      onFailure: "continue",
      onError: "apply",
      notifications: ["slack_default", "http_default"],
    });
  });
});

describe("readProfileTexts()", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "picket-profiles-"));
    writeFileSync(join(dir, "with-local.yaml"), "name: main\n");
    writeFileSync(join(dir, "with-local.yaml.local"), "name: local\n");
    writeFileSync(join(dir, "alone.yaml"), "name: main\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const names = (problems: Problem[], texts: ReturnType<typeof readProfileTexts>) => decodeProfiles(texts, problems).map((c) => c.name);

  test("a path is read with its .local first", () => {
    const problems: Problem[] = [];
    const texts = readProfileTexts(join(dir, "with-local.yaml"), problems);
    expect(texts.map((t) => t.path)).toEqual([join(dir, "with-local.yaml.local"), join(dir, "with-local.yaml")]);
    expect(names(problems, texts)).toEqual(["local", "main"]);
    expect(problems).toEqual([]);
  });

  test("a path without .local is read alone", () => {
    const problems: Problem[] = [];
    expect(readProfileTexts(join(dir, "alone.yaml"), problems).map((t) => t.text)).toEqual(["name: main\n"]);
  });

  test("a given text comes after the .local it names", () => {
    const problems: Problem[] = [];
    const texts = readProfileTexts({ path: "p.yaml", text: "name: main\n", local: { path: "p.yaml.local", text: "name: l1\n---\nname: l2\n" } }, problems);
    expect(names(problems, texts)).toEqual(["l1", "l2", "main"]);
  });

  test("a missing file is a problem naming it", () => {
    const problems: Problem[] = [];
    const path = join(dir, "missing.yaml");
    expect(readProfileTexts(path, problems)).toEqual([]);
    expect(problems.map((p) => [p.code, p.file, p.message.startsWith("Cannot read profiles file: ")])).toEqual([["profiles.read", path, true]]);
  });
});
