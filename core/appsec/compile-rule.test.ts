import { describe, expect, test } from "bun:test";
import { renderProblem, type Problem } from "../result";
import { compileRuleFile } from "./compile-rule";
import { LIBINJECTION } from "./injection";
import { parseRuleFile } from "./rule-file";

function compile(yaml: string): { seclang: string[]; problems: string[] } {
  const file = parseRuleFile(yaml, "rule.yaml");
  if (!file.ok) return { seclang: [], problems: file.error.map(renderProblem) };
  const problems: Problem[] = [];
  const rules = compileRuleFile(file.value, { injection: LIBINJECTION }, problems);
  return { seclang: rules.map((r) => r.seclang), problems: problems.map(renderProblem) };
}

// Expected texts (and ids) from upstream pkg/appsec/appsec_rule/modsec_rule_test.go.
const upstream = [
  {
    yaml: "name: Collection count\ndescription: test rule\nrules:\n - zones: [ARGS]\n   variables: [foo]\n   match: {type: eq, value: 1}\n   transform: [count]\n",
    want: `SecRule &ARGS_GET:foo "@eq 1" "id:784839152,phase:2,deny,log,msg:'test rule',tag:'crowdsec-Collection count',tag:'cs-custom-rule',severity:'emergency'"`,
  },
  {
    yaml: "name: Base Rule\ndescription: test rule\nrules:\n - zones: [ARGS]\n   variables: [foo]\n   match: {type: regex, value: '[^a-zA-Z]'}\n   transform: [lowercase]\n",
    want: `SecRule ARGS_GET:foo "@rx [^a-zA-Z]" "id:426728273,phase:2,deny,log,msg:'test rule',tag:'crowdsec-Base Rule',tag:'cs-custom-rule',severity:'emergency',t:lowercase"`,
  },
  {
    yaml: "name: One zone, multi var\ndescription: test rule\nrules:\n - zones: [ARGS]\n   variables: [foo, bar]\n   match: {type: regex, value: '[^a-zA-Z]'}\n   transform: [lowercase]\n",
    want: `SecRule ARGS_GET:foo|ARGS_GET:bar "@rx [^a-zA-Z]" "id:3295043918,phase:2,deny,log,msg:'test rule',tag:'crowdsec-One zone, multi var',tag:'cs-custom-rule',severity:'emergency',t:lowercase"`,
  },
  {
    yaml: "name: 'Base Rule #2'\ndescription: test rule\nrules:\n - zones: [METHOD]\n   match: {type: startsWith, value: toto}\n",
    want: `SecRule REQUEST_METHOD "@beginsWith toto" "id:106084967,phase:2,deny,log,msg:'test rule',tag:'crowdsec-Base Rule #2',tag:'cs-custom-rule',severity:'emergency'"`,
  },
  {
    yaml: "name: Base Negative Rule\ndescription: test rule\nrules:\n - zones: [METHOD]\n   match: {type: startsWith, value: toto, not: true}\n",
    want: `SecRule REQUEST_METHOD "!@beginsWith toto" "id:1561051063,phase:2,deny,log,msg:'test rule',tag:'crowdsec-Base Negative Rule',tag:'cs-custom-rule',severity:'emergency'"`,
  },
];

describe("compileRuleFile()", () => {
  test.each(upstream)("$want", ({ yaml, want }) => {
    expect(compile(yaml)).toEqual({ seclang: [want], problems: [] });
  });

  test("an and-group is one chain: deny on the starter, chain on all but the last", () => {
    const { seclang } = compile("name: a/b\nrules:\n - and:\n   - zones: [URI]\n     match: {type: contains, value: x}\n   - zones: [METHOD]\n     match: {type: equals, value: POST}\n");
    const lines = seclang[0]!.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/,deny,log,msg:'a\/b',.*severity:'emergency',chain"$/);
    expect(lines[1]).not.toMatch(/deny|chain|severity/);
  });

  test("an or of two leaves gives two chains, the first with skip:1", () => {
    const { seclang } = compile("name: a/b\nrules:\n - or:\n   - zones: [URI]\n     match: {type: contains, value: x}\n   - zones: [URI]\n     match: {type: contains, value: y}\n");
    const lines = seclang[0]!.split("\n");
    expect(lines[0]).toEndWith(',skip:1"');
    expect(lines[1]).toMatch(/,deny,/);
    expect(lines[1]).not.toMatch(/skip/);
  });

  test("a YAML scalar keeps its source text (off, 1.0)", () => {
    const { seclang } = compile("name: a/b\nrules:\n - zones: [ARGS]\n   match: {type: equals, value: off}\n - zones: [ARGS]\n   match: {type: equals, value: 1.0}\n");
    expect(seclang[0]).toContain('"@streq off"');
    expect(seclang[1]).toContain('"@streq 1.0"');
  });

  const bad = [
    { yaml: "name: a/b\nrules:\n - zones: [NOPE]\n   match: {type: equals, value: x}\n", want: 'rule.yaml:3:12 rules[0].zones[0]: Unknown zone "NOPE"' },
    { yaml: "name: a/b\nrules:\n - zones: [URI]\n   transform: [rot13]\n   match: {type: equals, value: x}\n", want: 'rule.yaml:4:16 rules[0].transform[0]: Unknown transform "rot13"' },
    { yaml: "name: a/b\nrules:\n - zones: [URI]\n   match: {type: like, value: x}\n", want: 'rule.yaml:4:18 rules[0].match.type: Unknown match type "like"' },
    { yaml: "name: a/b\nrules:\n - zones: [URI]\n   match: {type: equals}\n", want: "rule.yaml:3:4 rules[0]: No match value defined" },
    { yaml: "name: a/b\nrules:\n - zones: [URI]\n   match: {type: regex, value: 'a(?=b)'}\n", want: 'rule.yaml:4:11 rules[0].match: Cannot compile regex "a(?=b)"' },
    { yaml: "name: a/b\nrules:\n - zones: [URI]\n   oops: 1\n   match: {type: equals, value: x}\n", want: 'rule.yaml:4:10 rules[0].oops: Unknown key "oops" in an appsec rule' },
  ];
  test.each(bad)("reports $want", ({ yaml, want }) => {
    const { problems } = compile(yaml);
    expect(problems[0]).toStartWith(want);
  });
});
