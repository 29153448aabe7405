import { describe, expect, test } from "bun:test";
import { unwrap } from "../result";
import { blockMatches, parseNucleiTemplate, type NucleiBlock } from "./nuclei";

const RAW = `id: t
variables:
  user: "{{rand_base(4)}}"
  b64: "{{base64(user)}}"
http:
  - raw:
      - |
        @timeout: 10s
        POST {{BaseURL}}/login?u={{user}} HTTP/1.1
        Host: {{Hostname}}
        Content-Type: application/x-www-form-urlencoded
        Content-Length: 999

        a={{b64}}&r={{randstr}}
      - |
        GET /x HTTP/1.1

    matchers:
      - type: dsl
        condition: and
        dsl:
          - 'status_code_1 == 403'
          - "status_code_2 == 404"
`;

describe("parseNucleiTemplate()", () => {
  test("raw requests: variables, helpers, annotation line, Content-Length recomputed, Host added", () => {
    const t = unwrap(parseNucleiTemplate(RAW, "t.yaml"));
    const [a, b] = t.blocks[0]!.requests;
    expect(a).toEqual({
      method: "POST",
      target: "/login?u=k2Qm",
      headers: [["Host", "127.0.0.1:7822"], ["Content-Type", "application/x-www-form-urlencoded"], ["Content-Length", "40"]],
      body: "a=azJRbQ==&r=k2Qm9ZxT4bLw7RcN1vHs8JdF3yP",
    });
    expect(b).toEqual({ method: "GET", target: "/x", headers: [["Host", "127.0.0.1:7822"]], body: "" });
  });

  test("method/path form", () => {
    const t = unwrap(parseNucleiTemplate("id: p\nhttp:\n  - method: post\n    path: ['{{BaseURL}}', '{{BaseURL}}/a?b=1']\n    headers: {X-A: '1'}\n    body: 'x=1'\n    matchers: [{type: status, status: [403]}]\n", "p.yaml"));
    expect(t.blocks[0]!.requests.map((r) => `${r.method} ${r.target} ${r.body}`)).toEqual(["POST / x=1", "POST /a?b=1 x=1"]);
  });

  test("helpers picket cannot run make the test skip", () => {
    const r = parseNucleiTemplate("id: s\nhttp:\n  - raw:\n      - |\n        GET /{{interactsh-url}} HTTP/1.1\n    matchers: [{type: status, status: [403]}]\n", "s.yaml");
    expect(r.ok ? "" : r.error.message).toBe('Nuclei helper "{{interactsh-url}}" is not supported in-process');
  });

  test("skip-variables-check keeps unknown markers verbatim", () => {
    const t = unwrap(parseNucleiTemplate("id: s\nhttp:\n  - raw:\n      - |\n        GET /?x={{var a.b()}} HTTP/1.1\n    skip-variables-check: true\n    matchers: [{type: status, status: [403]}]\n", "s.yaml"));
    expect(t.blocks[0]!.requests[0]!.target).toBe("/?x={{var");
  });
});

describe("blockMatches()", () => {
  const block = (matchers: NucleiBlock["matchers"], condition: "and" | "or" = "or"): NucleiBlock => ({ requests: [], matchers, condition });
  const cases = [
    { name: "status 403, one blocked response is enough", b: block([{ type: "status", status: [403], negative: false }]), r: [{ blocked: false }, { blocked: true, status: 403 }], want: true },
    { name: "status 403, nothing blocked", b: block([{ type: "status", status: [403], negative: false }]), r: [{ blocked: false }], want: false },
    { name: "dsl and: 403 then an allowed 404", b: block([{ type: "dsl", condition: "and", negative: false, dsl: [{ index: 1, op: "==", status: 403 }, { index: 2, op: "==", status: 404 }] }]), r: [{ blocked: true, status: 403 }, { blocked: false }], want: true },
    { name: "dsl and: the second was blocked but 404 expected", b: block([{ type: "dsl", condition: "and", negative: false, dsl: [{ index: 1, op: "==", status: 403 }, { index: 2, op: "==", status: 404 }] }]), r: [{ blocked: true, status: 403 }, { blocked: true, status: 403 }], want: false },
    { name: "negative status", b: block([{ type: "status", status: [403], negative: true }]), r: [{ blocked: false }], want: true },
  ] as const;
  test.each(cases)("$name", ({ b, r, want }) => expect(blockMatches(b, r)).toBe(want));
});
