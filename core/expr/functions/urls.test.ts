import { describe, expect, test } from "bun:test";
import { helperFn } from "./testing";
import { URL_HELPERS } from "./urls";

const fn = (name: string) => helperFn(URL_HELPERS, name);

describe("PathUnescape()", () => {
  const cases = [
    { s: "%2Ffoo%3Fa=1&b=%3C%3E%27%22", want: "/foo?a=1&b=<>'\"" },
    { s: "/$%7Bjndi", want: "/${jndi" },
    { s: "a+b", want: "a+b" }, // "+" stays in paths
    { s: "%C3%A9t%C3%A9", want: "été" },
    { s: "100%", want: "100%" }, // bad escape: input unchanged
    { s: "%zz/x", want: "%zz/x" },
    { s: "%4", want: "%4" },
  ];
  test.each(cases)("PathUnescape($s) is $want", ({ s, want }) => {
    expect(fn("PathUnescape")(s)).toBe(want);
  });
});

describe("QueryUnescape()", () => {
  const cases = [
    { s: "%2Ffoo%3Fa=1&b=%3C%3E%27%22", want: "/foo?a=1&b=<>'\"" },
    { s: "/$%7Bjndi", want: "/${jndi" },
    { s: "a+b%20c", want: "a b c" },
    { s: "a+b%zz", want: "a+b%zz" }, // bad escape: input unchanged, "+" included
  ];
  test.each(cases)("QueryUnescape($s) is $want", ({ s, want }) => {
    expect(fn("QueryUnescape")(s)).toBe(want);
  });
});

describe("QueryEscape() and PathEscape()", () => {
  const cases = [
    { name: "QueryEscape", s: "/foo?a=1&b=2", want: "%2Ffoo%3Fa%3D1%26b%3D2" },
    { name: "QueryEscape", s: "/foo?a=1&&b=<>'\"", want: "%2Ffoo%3Fa%3D1%26%26b%3D%3C%3E%27%22" },
    { name: "QueryEscape", s: "a b~c_d.e-f", want: "a+b~c_d.e-f" },
    { name: "QueryEscape", s: "é", want: "%C3%A9" },
    { name: "PathEscape", s: "/foo?a=1&b=2", want: "%2Ffoo%3Fa=1&b=2" },
    { name: "PathEscape", s: "/foo?a=1&&b=<>'\"", want: "%2Ffoo%3Fa=1&&b=%3C%3E%27%22" },
    { name: "PathEscape", s: "a b;c,d:e@f$g+h", want: "a%20b%3Bc%2Cd:e@f$g+h" },
  ];
  test.each(cases)("$name($s) is $want", ({ name, s, want }) => {
    expect(fn(name)(s)).toBe(want);
  });
});

describe("ParseUri()", () => {
  // upstream TestParseUri, then url.Parse and url.ParseQuery failures
  const cases = [
    { uri: "/foo?a=1&b=2", want: { a: ["1"], b: ["2"] } },
    { uri: "/foo", want: {} },
    { uri: "/foo?a=1&b=2?", want: { a: ["1"], b: ["2?"] } },
    { uri: "/foo?&?&&&&?=123", want: { "?": ["", "123"] } },
    { uri: "/foo?a=%%F", want: {} },
    { uri: "/foo?a=1&a=2&b", want: { a: ["1", "2"], b: [""] } },
    { uri: "/foo?a=1;b=2", want: {} }, // a semicolon separator is an error
    { uri: "/foo?a=x+y#frag", want: { a: ["x y"] } },
    { uri: "http://host:80/p?a=1", want: { a: ["1"] } },
    { uri: "http://host:port/p?a=1", want: {} }, // invalid port
    { uri: "/p%zz?a=1", want: {} }, // bad escape in the path
    { uri: "a:b/c?x=1", want: { x: ["1"] } }, // opaque URL with a scheme
    { uri: "1a:b?x=1", want: {} }, // colon in the first path segment
    { uri: ":foo?x=1", want: {} }, // missing protocol scheme
    { uri: "/foo?a=1\n", want: {} }, // control character
  ];
  test.each(cases)("ParseUri($uri)", ({ uri, want }) => {
    expect({ ...(fn("ParseUri")(uri) as object) }).toEqual(want);
  });
});

describe("ParseQuery()", () => {
  // upstream TestParseQuery (waf.go's lenient parser)
  const cases = [
    { q: "/foobar/toto?ab=cd&ef=gh", want: { "/foobar/toto?ab": ["cd"], ef: ["gh"] } },
    { q: "foo=bar", want: { foo: ["bar"] } },
    { q: "foo=bar&foo=baz", want: { foo: ["bar", "baz"] } },
    { q: "foo=", want: { foo: [""] } },
    { q: "=bar", want: { "": ["bar"] } },
    { q: "", want: {} },
    { q: "foo=bar&baz=qux&quux=&=quuz&foo=baz", want: { foo: ["bar", "baz"], baz: ["qux"], quux: [""], "": ["quuz"] } },
    { q: "foo=bar%20baz&foo=bar%3Bbaz&foo=bar%26baz", want: { foo: ["bar baz", "bar;baz", "bar&baz"] } },
    { q: "foo=ba;r&baz=qu;;x&quux=x\\&ww&xx=qu?uz&", want: { foo: ["ba;r"], baz: ["qu;;x"], quux: ["x\\"], ww: [""], xx: ["qu?uz"] } },
    { q: "foo=Ba%42%42&bar=w%2f%2F", want: { foo: ["BaBB"], bar: ["w//"] } },
    { q: "foo=bar%20baz%2", want: { foo: ["bar baz%2"] } },
    { q: "foo=bar%xx", want: { foo: ["bar%xx"] } },
    { q: "foo=bar%2x", want: { foo: ["bar%2x"] } },
    { q: "foo=bar+x", want: { foo: ["bar x"] } },
    { q: "foo=bar&&lol=bur", want: { foo: ["bar"], lol: ["bur"] } },
  ];
  test.each(cases)("ParseQuery($q)", ({ q, want }) => {
    expect({ ...(fn("ParseQuery")(q) as object) }).toEqual(want);
  });
});

describe("ExtractQueryParam()", () => {
  // upstream TestExtractQueryParam
  const cases = [
    { uri: "/foobar/toto?ab=cd&ef=gh", param: "ab", want: ["cd"] },
    { uri: "/foobar?foo=bar&foo=baz", param: "foo", want: ["bar", "baz"] },
    { uri: "/foobar/toto?ab=cd;ef=gh", param: "ab", want: ["cd;ef=gh"] },
    { uri: "foo=bar", param: "foo", want: [] },
    { uri: "/foobar", param: "foo", want: [] },
    { uri: "/foobar/toto?ab=cd&ef=gh", param: "baz", want: [] },
    { uri: "/foobar?", param: "foo", want: [] },
  ];
  test.each(cases)("ExtractQueryParam($uri, $param)", ({ uri, param, want }) => {
    expect(fn("ExtractQueryParam")(uri, param)).toEqual(want);
  });
});
