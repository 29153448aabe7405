import { describe, expect, test } from "bun:test";
import { KV_HELPERS } from "./kv";
import { helperFn, runtimeError } from "./testing";

const fn = (name: string) => helperFn(KV_HELPERS, name);

function parse(name: string, blob: string): unknown {
  const out: Record<string, unknown> = {};
  expect(fn(name)(blob, out, "a")).toBeNull();
  return { ...(out.a as object) };
}

describe("ParseKV()", () => {
  // upstream TestParseKv, then the regex's edges
  const cases = [
    { blob: "foo=bar", want: { foo: "bar" } },
    { blob: "foo=bar bar=foo", want: { foo: "bar", bar: "foo" } },
    { blob: "foo=bar bar=foo foo=foo", want: { foo: "foo", bar: "foo" } },
    { blob: `foo="bar=toto"`, want: { foo: "bar=toto" } },
    { blob: `foo= bar=toto`, want: { bar: "toto", foo: "" } },
    { blob: `foo="" bar=toto`, want: { bar: "toto", foo: "" } },
    { blob: `msg="say \\"hi\\"" x=1`, want: { msg: `say \\"hi\\"`, x: "1" } }, // escapes kept as written
    { blob: `a=1,b=2`, want: { a: "1,b" } },
    { blob: `src=1.2.3.4 spaces  dst=5.6.7.8`, want: { src: "1.2.3.4", dst: "5.6.7.8" } },
    { blob: `k="unterminated v=1`, want: { k: `"unterminated`, v: "1" } },
  ];
  test.each(cases)("ParseKV($blob)", ({ blob, want }) => {
    expect(parse("ParseKV", blob)).toEqual(want);
  });

  test("a line without pairs is a run-time error and leaves the target alone", () => {
    const out: Record<string, unknown> = {};
    expect(runtimeError(() => fn("ParseKV")("no pairs here", out, "a"))).toBe("invalid input format");
    expect(out).toEqual({});
  });

  test("adds to an existing string map", () => {
    const out: Record<string, unknown> = { a: { old: "1" } };
    fn("ParseKV")("new=2", out, "a");
    expect(out.a).toEqual({ old: "1", new: "2" });
  });

  test("refuses a target entry that is not a string map", () => {
    expect(runtimeError(() => fn("ParseKV")("x=1", { a: { n: 1 } }, "a"))).toBe("ParseKV: target is not a map[string]string");
  });
});

describe("ParseKVLax()", () => {
  // upstream TestParseKvLax
  const cases = [
    { blob: "foo=bar", want: { foo: "bar" } },
    { blob: "foo=bar bar=foo", want: { foo: "bar", bar: "foo" } },
    { blob: `foo="bar=toto"`, want: { foo: "bar=toto" } },
    { blob: `foo= bar=toto`, want: { bar: "toto", foo: "" } },
    { blob: `foo="" bar=toto`, want: { bar: "toto", foo: "" } },
    { blob: `UNIFIhost=Express 7 port=443`, want: { UNIFIhost: "Express 7", port: "443" } },
    { blob: `msg="Hello World" host=My Server name=test`, want: { msg: "Hello World", host: "My Server", name: "test" } },
    { blob: `msg="He said \\"Hello\\"" status=ok`, want: { msg: `He said "Hello"`, status: "ok" } },
    { blob: `path="C:\\\\Program Files\\\\App" status=running`, want: { path: `C:\\Program Files\\App`, status: "running" } },
    { blob: `host=server port=443 debug=`, want: { host: "server", port: "443", debug: "" } },
    {
      blob: `src=192.168.1.100 duser=admin msg=User login successful UNIFIhost=Express 7 UNIFIport=443`,
      want: { src: "192.168.1.100", duser: "admin", msg: "User login successful", UNIFIhost: "Express 7", UNIFIport: "443" },
    },
    { blob: `RES=0x00 SYN URGP=0 ID=25029 DF PROTO=TCP`, want: { RES: "0x00 SYN", URGP: "0", ID: "25029 DF", PROTO: "TCP" } },
    {
      blob: `error=user_not_found, code_id=e44d80b4-058d-4b45-b2ee-fac3d174e10c, userId=null, type=LOGIN_ERROR`,
      want: { error: "user_not_found,", code_id: "e44d80b4-058d-4b45-b2ee-fac3d174e10c,", userId: "null,", type: "LOGIN_ERROR" },
    },
    { blob: `msg="say \\"fake=val\\" here" real=value`, want: { msg: `say "fake=val" here`, real: "value" } },
    { blob: `path="C:\\\\" next=val`, want: { path: `C:\\`, next: "val" } },
    { blob: `k="open value`, want: { k: "open value" } },
  ];
  test.each(cases)("ParseKVLax($blob)", ({ blob, want }) => {
    expect(parse("ParseKVLax", blob)).toEqual(want);
  });

  test("a line without pairs is a run-time error, after creating the target map as upstream does", () => {
    const out: Record<string, unknown> = {};
    expect(runtimeError(() => fn("ParseKVLax")("no pairs here", out, "a"))).toBe("invalid input format");
    expect({ ...(out.a as object) }).toEqual({});
  });
});
