import { describe, expect, test } from "bun:test";
import { parseGoSignature } from "./signature";
import { STRING, structType, typeName } from "./types";

describe("parseGoSignature()", () => {
  test.each([
    ["func(string) string", "func(string) string"],
    ["func(string, ...string) string", "func(string, ...string) string"],
    ["func(string, ...any) string", "func(string, ...interface {}) string"],
    ["func([]time.Time) (time.Duration, error)", "func([]time.Time) (time.Duration, error)"],
    ["func(string, map[string]any, string) error", "func(string, map[string]interface {}, string) interface {}"],
    ["func(string) map[string][]string", "func(string) map[string][]string"],
    ["func(string) []map[string]string", "func(string) []map[string]string"],
    ["func(string, string, int) []string", "func(string, string, int) []string"],
    ["func() string", "func() string"],
    ["func(float64, float64) bool", "func(float64, float64) bool"],
    ["func(int32) int64", "func(int) int"],
    ["func(interface{}) string", "func(interface {}) string"],
    ["func(any any) string", "func(interface {}) string"],
    ["func(string) url.Values", "func(string) map[string][]string"],
    ["func(*http.Request) string", "func(interface {}) string"],
    ["func(string) (*cticlient.SmokeItem, error)", "func(string) (interface {}, error)"],
    ["func(string)", "func(string)"],
  ])("%s", (sig, want) => {
    expect(typeName(parseGoSignature(sig))).toBe(want);
  });

  test("variadic and failure flags", () => {
    const f = parseGoSignature("func(string, ...string) (string, error)");
    expect([f.variadic, f.canFail, f.params.length]).toEqual([true, true, 2]);
  });

  test("named types resolve through the environment", () => {
    const REQ = structType("http.Request", () => ({ Method: STRING }), undefined, { pointer: true });
    const f = parseGoSignature("func(*http.Request) string", (name) => (name === "*http.Request" ? REQ : undefined));
    expect(f.params[0]).toBe(REQ);
  });

  test.each(["func(string", "fun(string) string", "func(...string, string) string", "func(string) (string, int)"])("refuses %s", (sig) => {
    expect(() => parseGoSignature(sig)).toThrow(/Cannot parse helper signature/);
  });
});
