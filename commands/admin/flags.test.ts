import { describe, expect, test } from "bun:test";
import { Flags, formatFlagHelp, parseFlags, type FlagSpec } from "./flags";

const SPECS: readonly FlagSpec[] = [
  { name: "ip", short: "i", kind: "string", description: "ip" },
  { name: "all", short: "a", kind: "bool", description: "all" },
  { name: "print-machine", short: "m", kind: "bool", description: "machine column" },
  { name: "limit", short: "l", kind: "int", default: 100, description: "limit" },
  { name: "key", short: "k", kind: "string", description: "key" },
];

describe("parseFlags()", () => {
  const cases: { argv: string[]; want: unknown }[] = [
    { argv: ["--ip", "1.2.3.4"], want: { args: [], given: { ip: "1.2.3.4" } } },
    { argv: ["--ip=1.2.3.4", "x"], want: { args: ["x"], given: { ip: "1.2.3.4" } } },
    { argv: ["-i", "1.2.3.4"], want: { args: [], given: { ip: "1.2.3.4" } } },
    { argv: ["-i1.2.3.4"], want: { args: [], given: { ip: "1.2.3.4" } } },
    { argv: ["-am"], want: { args: [], given: { all: true, "print-machine": true } } },
    { argv: ["--all=false"], want: { args: [], given: { all: false } } },
    { argv: ["-l", "0"], want: { args: [], given: { limit: 0 } } },
    // digits stay text: a key or password is never turned into a number
    { argv: ["--key", "00123456789012345678901234567890"], want: { args: [], given: { key: "00123456789012345678901234567890" } } },
    { argv: ["NAME", "--", "--ip"], want: { args: ["NAME", "--ip"], given: {} } },
    { argv: ["-"], want: { args: ["-"], given: {} } },
  ];
  test.each(cases)("$argv", ({ argv, want }) => {
    const r = parseFlags(argv, SPECS);
    const got: unknown = r.ok ? { args: r.value.args, given: Object.fromEntries(r.value.given) } : r.error;
    expect(got).toEqual(want);
  });

  const errors = [
    { argv: ["--nope"], want: "unknown flag: --nope" },
    { argv: ["-x"], want: "unknown shorthand flag: 'x' in -x" },
    { argv: ["--ip"], want: "flag needs an argument: --ip" },
    { argv: ["-l", "ten"], want: 'invalid argument "ten" for "-l" flag: expected an integer' },
    { argv: ["--all=maybe"], want: 'invalid argument "maybe" for "--all" flag: expected true or false' },
  ];
  test.each(errors)("refuses $argv", ({ argv, want }) => {
    const r = parseFlags(argv, SPECS);
    expect(r.ok ? "parsed" : r.error).toBe(want);
  });
});

describe("Flags", () => {
  test("falls back to defaults and reports what was given", () => {
    const r = parseFlags(["-a"], SPECS);
    if (!r.ok) throw new Error(r.error);
    const f = new Flags(r.value);
    expect([f.int("limit"), f.bool("all"), f.optional("ip"), f.has("all"), f.has("limit")]).toEqual([100, true, undefined, true, false]);
  });
});

describe("formatFlagHelp()", () => {
  test("aligns descriptions and shows defaults", () => {
    expect(formatFlagHelp(SPECS.slice(2, 4))).toEqual(["  -m, --print-machine   machine column", "  -l, --limit int       limit (default 100)"]);
  });
});
