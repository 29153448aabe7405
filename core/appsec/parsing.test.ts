import { describe, expect, test } from "bun:test";
import { unwrap } from "../result";
import { flattenJson } from "./body-json";
import { multipartBoundary, parseMultipart } from "./body-multipart";
import { parseQuery, unescapeQuery, type Pairs } from "./query";
import { canonicalHeaderName, parseAppsecRequest, requestFromForwarded } from "./request";
import { parseTarget } from "./url";
import { parseCookies } from "./variables";

const pairs = (p: Pairs) => p.keys.map((k, i) => [k, p.values[i]]);

describe("parseQuery()", () => {
  const cases = [
    { q: "a=1&b=2", want: [["a", "1"], ["b", "2"]] },
    { q: "a=1;b=2", want: [["a", "1;b=2"]] },
    { q: "a=x+y&&b", want: [["a", "x y"], ["b", ""]] },
    { q: "a=%27%2527&k%zz=%4", want: [["a", "'%27"], ["k%zz", "%4"]] },
    { q: "a=1&a=2", want: [["a", "1"], ["a", "2"]] },
    { q: "x=%C3%A9", want: [["x", "é"]] },
  ];
  test.each(cases)("$q", ({ q, want }) => expect(pairs(parseQuery(q))).toEqual(want));
  test("unescapeQuery keeps + when asked", () => expect(unescapeQuery("a+b%20", false)).toBe("a+b "));
});

describe("parseTarget()", () => {
  const cases = [
    { uri: "/a%2Fb?x=1#frag", want: { path: "/a/b", rawQuery: "x=1", requestUri: "/a%2Fb?x=1", host: "" } },
    { uri: "//evil/x", want: { path: "/x", rawQuery: "", requestUri: "//evil/x", host: "evil" } },
    { uri: '/a"b c', want: { path: '/a"b c', rawQuery: "", requestUri: "/a%22b%20c", host: "" } },
    { uri: "/a+b", want: { path: "/a+b", rawQuery: "", requestUri: "/a+b", host: "" } },
    { uri: "http://h:1/p?q", want: { path: "/p", rawQuery: "q", requestUri: "http://h:1/p?q", host: "h:1" } },
  ];
  test.each(cases)("$uri", ({ uri, want }) => expect(unwrap(parseTarget(uri))).toMatchObject(want));
  test.each(["/a%zz", "/a\u0001b", "%"])("refuses %p as Go does", (uri) => expect(parseTarget(uri).ok).toBe(false));
});

describe("flattenJson()", () => {
  const cases = [
    { body: '{"a":{"b":"x"},"n":1.0,"t":true,"z":null}', want: [["json.a.b", "x"], ["json.n", "1.0"], ["json.t", "true"], ["json.z", ""]] },
    { body: '{"arr":[1,{"k":"v"}]}', want: [["json.arr", "2"], ["json.arr.0", "1"], ["json.arr.1.k", "v"]] },
    { body: '["a"]', want: [["json", "1"], ["json.0", "a"]] },
    { body: '{"s":"\\u0027\\n"}', want: [["json.s", "'\n"]] },
    { body: "{}", want: [] },
  ];
  test.each(cases)("$body", ({ body, want }) => {
    const out: Pairs = { keys: [], values: [] };
    expect(flattenJson(body, out)).toBe(true);
    expect(pairs(out)).toEqual(want);
  });
  test.each(['{"a":1', "{a:1}", '{"a":1} x', "[1,]"])("invalid %p gives no args", (body) => {
    const out: Pairs = { keys: [], values: [] };
    expect(flattenJson(body, out)).toBe(false);
    expect(out.keys).toEqual([]);
  });
});

describe("parseMultipart()", () => {
  const crlf = '--XX\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--XX\r\nContent-Disposition: form-data; name="f"; filename="../x.php"\r\nContent-Type: text/plain\r\n\r\n<?php ?>\r\n--XX--\r\n';
  const lfOnly = 'preamble\n--XX\nContent-Disposition: form-data; name="a"\n\nline1\nline2\n--XX\nContent-Disposition: form-data; name="b"\n\nno closing boundary\n';
  test("CRLF body: fields and files apart, file name kept as sent", () => {
    const m = parseMultipart(crlf, "XX")!;
    expect(pairs(m.fields)).toEqual([["a", "value"]]);
    expect(pairs(m.files)).toEqual([["f", "../x.php"]]);
    expect(m.filesSize).toBe(8);
  });
  test("LF-only body without closing boundary", () => {
    const m = parseMultipart(lfOnly, "XX")!;
    expect(pairs(m.fields)).toEqual([["a", "line1\nline2"], ["b", "no closing boundary\n"]]);
  });
  test("no boundary line at all", () => expect(parseMultipart("hello", "XX")).toBeUndefined());
  test.each([
    ["multipart/form-data; boundary=abc", "abc"],
    ['multipart/form-data; boundary="a b"', "a b"],
    ["multipart/form-data", undefined],
  ])("boundary of %p", (ct, want) => expect(multipartBoundary(ct)).toBe(want));
});

describe("request model", () => {
  test.each([
    ["x-atlassian-token", "X-Atlassian-Token"],
    ["CONTENT-type", "Content-Type"],
    ["bad header", "bad header"],
  ])("canonicalHeaderName(%p)", (name, want) => expect(canonicalHeaderName(name)).toBe(want));

  test("an empty User-Agent is absent; Host comes from the host field", () => {
    const r = unwrap(parseAppsecRequest({ clientIp: "1.2.3.4", method: "GET", uri: "/?a=1", host: "h", headers: [["user-agent", ""], ["Host", "other"], ["x-y", "1"]] }));
    expect(pairs(r.headers)).toEqual([["X-Y", "1"], ["Host", "h"]]);
    expect(pairs(r.args)).toEqual([["a", "1"]]);
  });

  test("requestFromForwarded drops the X-Crowdsec-Appsec-* headers and applies them", () => {
    const r = unwrap(requestFromForwarded([
      ["X-Crowdsec-Appsec-Ip", "1.2.3.4"], ["X-Crowdsec-Appsec-Uri", "/x"], ["X-Crowdsec-Appsec-Verb", "POST"], ["X-Crowdsec-Appsec-Host", "example.com"],
      ["X-Crowdsec-Appsec-Api-Key", "k"], ["X-Crowdsec-Appsec-Http-Version", "20"], ["User-Agent", "bouncer"], ["Accept", "*/*"],
    ], new Uint8Array(), "10.0.0.1"));
    expect([r.clientIp, r.method, r.uri, r.host, r.proto, r.remoteAddr]).toEqual(["1.2.3.4", "POST", "/x", "example.com", "HTTP/2", "10.0.0.1"]);
    expect(pairs(r.headers)).toEqual([["Accept", "*/*"], ["Host", "example.com"]]);
  });

  test("missing headers and bad URIs are errors", () => {
    expect(requestFromForwarded([["X-Crowdsec-Appsec-Uri", "/"]], new Uint8Array(), "").ok).toBe(false);
    expect(parseAppsecRequest({ clientIp: "1.1.1.1", method: "GET", uri: "/%zz" }).ok).toBe(false);
  });

  test("cookies: ; separated, trimmed, first = splits", () => {
    expect(pairs(parseCookies({ keys: ["Cookie", "Cookie"], values: ["a=1; b=x=y;;c", "d=4"] }))).toEqual([["a", "1"], ["b", "x=y"], ["c", ""], ["d", "4"]]);
  });
});
