import { describe, expect, test } from "bun:test";
import { unwrap, type Problem } from "../result";
import { readBodyProcessorRules } from "./body-rules";
import { compileRuleFile } from "./compile-rule";
import { runEngine, type Engine } from "./engine";
import { LIBINJECTION } from "./injection";
import { parseAppsecRequest, type AppsecRequestInit } from "./request";
import { parseRuleFile } from "./rule-file";
import { RequestVariables } from "./variables";

const BASE_CONFIG = [
  'Secrule REQUEST_HEADERS:Content-Type "@rx ^application/x-www-form-urlencoded" "id:100,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=URLENCODED"',
  'Secrule REQUEST_HEADERS:Content-Type "@rx ^multipart/form-data" "id:101,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=MULTIPART"',
  'Secrule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:103,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=JSON"',
  'SecRule REQBODY_PROCESSOR "!@rx (?:URLENCODED|MULTIPART|XML|JSON)" "id:105,phase:1,pass,nolog,noauditlog,ctl:requestBodyProcessor=RAW" #raw',
];

function engine(leaf: string, baseConfig = true): Engine {
  const file = parseRuleFile(`name: t/rule\nrules:\n${leaf}`, "rule.yaml");
  if (!file.ok) throw new Error(file.error[0]!.message);
  const problems: Problem[] = [];
  const rules = compileRuleFile(file.value, { injection: LIBINJECTION }, problems);
  if (problems.length > 0) throw new Error(problems[0]!.message);
  return { rules, bodyRules: baseConfig ? readBodyProcessorRules(BASE_CONFIG).rules : undefined, disableBodyInspection: false };
}

function zones(leaf: string, req: Partial<AppsecRequestInit>, baseConfig = true): string[] | null {
  const request = unwrap(parseAppsecRequest({ clientIp: "1.2.3.4", method: "GET", uri: "/", ...req }));
  const hit = runEngine(engine(leaf, baseConfig), new RequestVariables(request), true, undefined);
  return hit ? [...hit.matchedZones] : null;
}

const leaf = (zone: string, type: string, value: string, extra = "") => ` - zones: [${zone}]\n${extra}   match: {type: ${type}, value: '${value}'}\n`;
const form = { method: "POST", headers: [["Content-Type", "application/x-www-form-urlencoded"]] as [string, string][] };

describe("zones", () => {
  const cases: { name: string; rule: string; req: Partial<AppsecRequestInit>; want: string[] | null; baseConfig?: boolean }[] = [
    { name: "URI is the decoded path", rule: leaf("URI", "equals", "/a b"), req: { uri: "/a%20b?x=1" }, want: ["REQUEST_FILENAME"] },
    { name: "URI_FULL keeps the query and escapes", rule: leaf("URI_FULL", "contains", "%20b?x=1"), req: { uri: "/a%20b?x=1" }, want: ["REQUEST_URI"] },
    { name: "ARGS is the query only", rule: leaf("ARGS", "equals", "1"), req: { ...form, uri: "/", body: "a=1" }, want: null },
    { name: "ARGS value, every value tested", rule: leaf("ARGS", "equals", "2"), req: { uri: "/?a=1&a=2" }, want: ["ARGS_GET.a"] },
    { name: "ARGS with variables is case-insensitive on keys", rule: leaf("ARGS", "equals", "1", "   variables: [FOO]\n"), req: { uri: "/?foo=1" }, want: ["ARGS_GET.foo"] },
    { name: "ARGS_NAMES", rule: leaf("ARGS_NAMES", "equals", "foo"), req: { uri: "/?foo=1" }, want: ["ARGS_GET_NAMES.foo"] },
    { name: "BODY_ARGS urlencoded", rule: leaf("BODY_ARGS", "equals", "x y"), req: { ...form, body: "a=x+y" }, want: ["ARGS_POST.a"] },
    { name: "BODY_ARGS urlencoded without base-config (Coraza picks it)", rule: leaf("BODY_ARGS", "equals", "1"), req: { ...form, body: "a=1" }, want: ["ARGS_POST.a"], baseConfig: false },
    { name: "BODY_ARGS json needs base-config", rule: leaf("BODY_ARGS", "equals", "1"), req: { method: "POST", headers: [["Content-Type", "application/json"]], body: '{"a":1}' }, want: null, baseConfig: false },
    { name: "BODY_ARGS json flattened", rule: leaf("BODY_ARGS", "equals", "v", "   variables: [json.a.b]\n"), req: { method: "POST", headers: [["Content-Type", "application/json"]], body: '{"a":{"b":"v"}}' }, want: ["ARGS_POST.json.a.b"] },
    { name: "BODY_ARGS Content-Type match is case-sensitive", rule: leaf("BODY_ARGS", "equals", "v"), req: { method: "POST", headers: [["Content-Type", "Application/JSON"]], body: '{"a":"v"}' }, want: null },
    { name: "BODY_ARGS_NAMES", rule: leaf("BODY_ARGS_NAMES", "equals", "pw"), req: { ...form, body: "pw=1" }, want: ["ARGS_POST_NAMES.pw"] },
    { name: "FILENAMES multipart", rule: leaf("FILENAMES", "endsWith", ".php"), req: { method: "POST", headers: [["Content-Type", "multipart/form-data; boundary=B"]], body: '--B\nContent-Disposition: form-data; name="f"; filename="x.php"\n\n<?php\n--B--\n' }, want: ["FILES.f"] },
    { name: "HEADERS by name", rule: leaf("HEADERS", "equals", "no-check", "   variables: [x-atlassian-token]\n"), req: { headers: [["X-Atlassian-Token", "no-check"]] }, want: ["REQUEST_HEADERS.X-Atlassian-Token"] },
    { name: "HEADERS_NAMES canonical", rule: leaf("HEADERS_NAMES", "equals", "X-Forwarded-For"), req: { headers: [["x-forwarded-for", "1"]] }, want: ["REQUEST_HEADERS_NAMES.X-Forwarded-For"] },
    { name: "METHOD", rule: leaf("METHOD", "equals", "PUT"), req: { method: "PUT" }, want: ["REQUEST_METHOD"] },
    { name: "PROTOCOL", rule: leaf("PROTOCOL", "equals", "HTTP/1.1"), req: {}, want: ["REQUEST_PROTOCOL"] },
    { name: "RAW_BODY", rule: leaf("RAW_BODY", "contains", "<?php"), req: { method: "POST", body: "<?php phpinfo();" }, want: ["RAW_REQUEST_BODY"] },
    { name: "COOKIES", rule: leaf("COOKIES", "equals", "1", "   variables: [sid]\n"), req: { headers: [["Cookie", "a=2; sid=1"]] }, want: ["REQUEST_COOKIES.sid"] },
    { name: "count of an absent header is 0", rule: leaf("HEADERS", "equals", "0", "   variables: [User-Agent]\n   transform: [count]\n"), req: {}, want: ["REQUEST_HEADERS.User-Agent"] },
    { name: "count of repeated body args", rule: leaf("BODY_ARGS", "gte", "2", "   variables: ['user[email][]']\n   transform: [count]\n"), req: { ...form, body: "user[email][]=a&user[email][]=b" }, want: ["ARGS_POST.user[email][]"] },
    { name: "double decoding with urldecode", rule: ` - zones: [ARGS]\n   transform: [urldecode]\n   match: {type: contains, value: "'"}\n`, req: { uri: "/?q=%2527" }, want: ["ARGS_GET.q"] },
    { name: "regex variable selects keys", rule: leaf("ARGS", "equals", "1", "   variables: ['/^f.o$/']\n"), req: { uri: "/?FOO=1" }, want: ["ARGS_GET.FOO"] },
    { name: "not inverts each value", rule: ` - zones: [METHOD]\n   match: {type: equals, value: GET, not: true}\n`, req: { method: "POST" }, want: ["REQUEST_METHOD"] },
  ];
  test.each(cases)("$name", ({ rule, req, want, baseConfig }) => expect(zones(rule, req, baseConfig ?? true)).toEqual(want));

  test("and: every leaf must match; zones of all leaves are reported", () => {
    const rule = " - and:\n   - zones: [URI]\n     match: {type: endsWith, value: /x}\n   - zones: [METHOD]\n     match: {type: equals, value: POST}\n";
    expect(zones(rule, { uri: "/x", method: "POST" })).toEqual(["REQUEST_FILENAME", "REQUEST_METHOD"]);
    expect(zones(rule, { uri: "/x", method: "GET" })).toBeNull();
  });

  test("or: any group matches", () => {
    const rule = " - or:\n   - zones: [URI]\n     match: {type: endsWith, value: /x}\n   - zones: [URI]\n     match: {type: endsWith, value: /y}\n";
    expect(zones(rule, { uri: "/y" })).toEqual(["REQUEST_FILENAME"]);
  });

  test("removed rules are skipped", () => {
    const e = engine(leaf("METHOD", "equals", "GET"));
    const vars = new RequestVariables(unwrap(parseAppsecRequest({ clientIp: "1.2.3.4", method: "GET", uri: "/" })));
    expect(runEngine(e, vars, true, { ids: new Set(), tags: new Set(["crowdsec-t/rule"]) })).toBeUndefined();
    expect(runEngine(e, vars, true, { ids: new Set([e.rules[0]!.chains[0]!.id]), tags: new Set() })).toBeUndefined();
  });
});
