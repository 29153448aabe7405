import { describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderProblem, unwrap } from "../result";
import { compileGrok, createPatternLibrary, loadPatternDirectory, loadPatternText } from "./index";

const lib = createPatternLibrary();

describe("compileGrok() captures", () => {
  const cases: { pattern: string; line: string; want: Record<string, string> | null }[] = [
    { pattern: "%{IPV4:ip}", line: "from 10.0.0.1 port", want: { ip: "10.0.0.1" } },
    { pattern: "%{INT:n}s", line: "42s", want: { n: "42" } },
    { pattern: "%{WORD:w}", line: "", want: null },
    { pattern: "^%{WORD:w}$", line: "two words", want: null },
    // Groups that did not take part still give their key, with "".
    { pattern: "%{WORD:a}(?: %{INT:b})?", line: "abc", want: { a: "abc", b: "" } },
    // The last same-level semantic wins even when it did not take part (verified on 1.4.6).
    { pattern: "^(?:%{IP:ip}|%{WORD:ip})", line: "1.2.3.4 hello", want: { ip: "" } },
    { pattern: "^(?:%{IP:ip}|%{WORD:ip})", line: "hello 1.2.3.4", want: { ip: "hello" } },
    // Outer beats inner: URIHOST's own "port" is replaced by ours.
    { pattern: "%{URIHOST:port}", line: "example.org:8080", want: { port: "example.org:8080" } },
    { pattern: "%{URIHOST:h}", line: "example.org:8080", want: { h: "example.org:8080", port: "8080" } },
    // Logstash type suffixes are literal text: the pattern wants "%{INT:n:int}" itself.
    { pattern: "%{INT:n:int}", line: "42", want: null },
    { pattern: "x %{INT:n:int} %{INT:m}", line: "x %{INT:n:int} 7", want: { m: "7" } },
    // A dash in the semantic makes it literal too (amavis, junos).
    { pattern: "%{IP:src-ip} %{INT:n}", line: "1.2.3.4 7", want: null },
    // No semantics at all: the regex matches, grok still fails.
    { pattern: "(?P<x>[0-9]+)", line: "42", want: null },
    { pattern: "%{INT}", line: "42", want: null },
    { pattern: "%{SYSLOGHOST:logsource}+ ", line: "host-1.example.org x", want: { logsource: "host-1.example.org" } },
    { pattern: "%{QS:q}", line: 'say "a \\" b" now', want: { q: '"a \\" b"' } },
    { pattern: "%{MONTH:m} ", line: "12 M\u00e4r 2020", want: { m: "M\u00e4r" } },
    { pattern: "%{LOGLEVEL:l}", line: "[WARNING] x", want: { l: "WARNING" } },
    { pattern: "%{IP:ip}", line: "fe80::1%eth0 x", want: { ip: "fe80::1%eth0 x" } },
    { pattern: "%{HTTPDATE:t}", line: "[10/Oct/2000:13:55:36 -0700]", want: { t: "10/Oct/2000:13:55:36 -0700" } },
    { pattern: "%{TIMESTAMP_ISO8601:t}", line: "at 2024-03-01T12:00:00.123+02:00", want: { t: "2024-03-01T12:00:00.123+02:00" } },
    { pattern: "ANSIC %{ANSIC:t}", line: 'ANSIC Mon Jan 12 15:04:05 2006"', want: { t: 'Mon Jan 12 15:04:05 2006"' } },
  ];
  test.each(cases)("$pattern on $line", ({ pattern, line, want }) => {
    expect(unwrap(compileGrok(pattern, lib)).match(line)).toEqual(want);
  });
});

// GROK.md §5: the worked SYSLOGLINE example.
test("compileGrok() expands ^%{SYSLOGLINE} to 8 semantics, three of them empty", () => {
  const g = unwrap(compileGrok("^%{SYSLOGLINE}", lib));
  expect([...g.semantics].sort()).toEqual(["facility", "logsource", "message", "pid", "priority", "program", "timestamp", "timestamp8601"]);
  expect(g.match("Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid user pascal from 35.188.49.176 port 53502")).toEqual({
    timestamp: "Feb 12 14:10:21",
    timestamp8601: "",
    facility: "",
    priority: "",
    logsource: "sd-126005",
    program: "sshd",
    pid: "16378",
    message: "Invalid user pascal from 35.188.49.176 port 53502",
  });
});

describe("GrokPattern.matchInto()", () => {
  test("overwrites existing keys, empty strings included", () => {
    const g = unwrap(compileGrok("%{WORD:a}(?: %{INT:b})?", lib));
    const target: Record<string, string> = { a: "old", b: "old", c: "kept" };
    expect(g.matchInto("xyz", target)).toBe(true);
    expect(target).toEqual({ a: "xyz", b: "", c: "kept" });
  });

  test("writes nothing when there is no match", () => {
    const g = unwrap(compileGrok("^%{INT:n}$", lib));
    const target: Record<string, string> = { n: "old" };
    expect(g.matchInto("abc", target)).toBe(false);
    expect(target).toEqual({ n: "old" });
  });

  test("writes nothing and fails when the pattern has no semantics", () => {
    const g = unwrap(compileGrok("(?P<n>[0-9]+)", lib));
    const target: Record<string, string> = {};
    expect(g.matchInto("42", target)).toBe(false);
    expect(target).toEqual({});
  });
});

describe("compileGrok() errors", () => {
  const cases = [
    { pattern: "x %{IPV5:ip}", want: 'Cannot compile pattern: unknown name "IPV5"\n  x %{IPV5:ip}\n    ^\n  hint: did you mean "IPV4"?' },
    { pattern: "%{NOTAPATTERNATALLXYZ}", want: 'Cannot compile pattern: unknown name "NOTAPATTERNATALLXYZ"\n  %{NOTAPATTERNATALLXYZ}\n  ^' },
    { pattern: "%{IP:ip} (?=x)", want: "Cannot compile pattern: invalid or unsupported Perl syntax: `(?=` (RE2 has no lookaround)\n  %{IP:ip} (?=x)\n           ^" },
    { pattern: "%{IP:ip} (x", want: "Cannot compile pattern: missing closing ): `(x`\n  %{IP:ip} (x\n           ^" },
    { pattern: "", want: "Cannot compile pattern: the pattern is empty" },
  ];
  test.each(cases)("$pattern", ({ pattern, want }) => {
    const r = compileGrok(pattern, lib);
    expect(r.ok ? "compiled" : renderProblem(r.error)).toBe(want);
  });

  test("reports the column of the unknown name", () => {
    const r = compileGrok("ab %{IP:ip} %{NOPE}", lib);
    expect(r.ok ? 0 : r.error.column).toBe(13);
    expect(r.ok ? "" : r.error.code).toBe("grok.unknown-pattern");
  });
});

describe("PatternLibrary", () => {
  test("add(): the first definition wins, later ones are ignored (pattern_syntax)", () => {
    const l = createPatternLibrary();
    expect(unwrap(l.add("MY_TS", "%{INT:a}"))).toBe("added");
    expect(unwrap(l.add("MY_TS", "%{WORD:b}"))).toBe("ignored-duplicate");
    expect(unwrap(l.add("IPV4", "x"))).toBe("ignored-duplicate");
    expect(unwrap(compileGrok("%{MY_TS}", l)).match("12")).toEqual({ a: "12" });
    expect(unwrap(compileGrok("%{IPV4:ip}", l)).match("1.2.3.4")).toEqual({ ip: "1.2.3.4" });
  });

  test("add(): a definition may only use names defined before it", () => {
    const l = createPatternLibrary();
    const r = l.add("A_FIRST", "%{B_LATER:x}");
    expect(r.ok ? "" : r.error.message).toBe('Cannot compile pattern: unknown name "B_LATER"');
    expect(l.has("A_FIRST")).toBe(false);
  });

  test("add(): an invalid regex is refused", () => {
    const r = createPatternLibrary().add("BAD", "%{INT:a}(");
    expect(r.ok ? "" : r.error.message).toBe("Cannot compile pattern: missing closing ): `(`");
  });

  test("libraries are independent", () => {
    const a = createPatternLibrary();
    const b = createPatternLibrary();
    unwrap(a.add("ONLY_A", "%{INT:n}"));
    expect(b.has("ONLY_A")).toBe(false);
    // The same text compiles against each library's own definitions.
    unwrap(b.add("ONLY_A", "%{WORD:w}"));
    expect(unwrap(compileGrok("%{ONLY_A}", a)).match("x 1")).toEqual({ n: "1" });
    expect(unwrap(compileGrok("%{ONLY_A}", b)).match("x 1")).toEqual({ w: "x" });
  });

  test("compileNamed() compiles a definition, and names unknown ones", () => {
    expect(unwrap(lib.compileNamed("SSHD_FAIL")).semantics).toContain("sshd_invalid_user");
    const r = lib.compileNamed("SSHD_FAILL");
    expect(r.ok ? "" : renderProblem(r.error)).toBe('Cannot compile pattern: unknown name "SSHD_FAILL"\n  hint: did you mean "SSHD_FAIL"?');
  });

  test("every built-in pattern compiles", () => {
    const failures: string[] = [];
    for (const name of lib.names()) {
      const r = lib.compileNamed(name);
      if (!r.ok) failures.push(`${name}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(lib.names().length).toBeGreaterThan(390);
  });

  test("standardFiles: false gives grokky's base set only", () => {
    const base = createPatternLibrary({ standardFiles: false });
    expect(base.has("IPORHOST")).toBe(true);
    expect(base.has("SYSLOGLINE")).toBe(false);
  });
});

describe("loadPatternText() / loadPatternDirectory()", () => {
  test("defines NAME<spaces>PATTERN lines and skips the rest", () => {
    const l = createPatternLibrary({ standardFiles: false });
    const text = "# comment\n\nMY_A [a-z]+\r\n  INDENTED x\nMY_B %{MY_A:word}\t%{INT:n}  \n";
    unwrap(loadPatternText(l, text, "mine"));
    expect(l.has("INDENTED")).toBe(false);
    expect(l.definition("MY_A")).toBe("[a-z]+");
    expect(l.definition("MY_B")).toBe("%{MY_A:word}\t%{INT:n}  ");
  });

  const failures = [
    { text: "MY_A x\nMY_A y\n", want: 'f:2:1: Cannot load pattern "MY_A": the name is already defined' },
    { text: "IPV4 x\n", want: 'f:1:1: Cannot load pattern "IPV4": the name is already defined' },
    { text: "MY_A %{MY_B}\nMY_B x\n", want: 'f:1:6: Cannot compile pattern: unknown name "MY_B"' },
  ];
  test.each(failures)("refuses $text", ({ text, want }) => {
    const r = loadPatternText(createPatternLibrary({ standardFiles: false }), text, "f");
    expect(r.ok ? "" : renderProblem(r.error).split("\n")[0]).toBe(want);
  });

  test("reads files without a dot, in name order, skipping directories", () => {
    const dir = mkdtempSync(join(tmpdir(), "picket-grok-"));
    writeFileSync(join(dir, "b_second"), "MY_SECOND %{MY_FIRST:x}\n");
    writeFileSync(join(dir, "a_first"), "MY_FIRST [0-9]+\n");
    writeFileSync(join(dir, "ignored.txt"), "IGNORED x\n");
    mkdirSync(join(dir, "subdir"));
    const l = createPatternLibrary({ standardFiles: false });
    unwrap(loadPatternDirectory(l, dir));
    expect(l.has("IGNORED")).toBe(false);
    expect(unwrap(l.compileNamed("MY_SECOND")).match("n 42")).toEqual({ x: "42" });
  });

  test("a missing directory is a problem, not a throw", () => {
    const r = loadPatternDirectory(createPatternLibrary(), "/nonexistent/picket/patterns");
    expect(r.ok ? "" : r.error.code).toBe("grok.pattern-dir");
  });
});
