import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileGlob } from "./glob";

describe("compileGlob().matches (Go filepath.Match)", () => {
  test.each([
    { pattern: "/var/log/*.log", path: "/var/log/auth.log", want: true },
    { pattern: "/var/log/*.log", path: "/var/log/nginx/access.log", want: false }, // * does not cross /
    { pattern: "/var/log/*.log", path: "/var/log/.hidden.log", want: true }, // dot files are not special
    { pattern: "/var/log/**.log", path: "/var/log/a/b.log", want: false }, // no **
    { pattern: "/var/log/a?.log", path: "/var/log/ab.log", want: true },
    { pattern: "/var/log/a?.log", path: "/var/log/a/.log", want: false },
    { pattern: "/var/log/[ab].log", path: "/var/log/b.log", want: true },
    { pattern: "/var/log/[^ab].log", path: "/var/log/c.log", want: true },
    { pattern: "/var/log/[^ab].log", path: "/var/log/a.log", want: false },
    { pattern: "/var/log/[a-c]x", path: "/var/log/bx", want: true },
    { pattern: "/var/log/{a,b}.log", path: "/var/log/a.log", want: false }, // no braces
    { pattern: "/var/log/\\*.log", path: "/var/log/*.log", want: true },
    { pattern: "/var/log/auth.log", path: "/var/log/auth.log", want: true },
  ])("$pattern on $path → $want", ({ pattern, path, want }) => {
    expect(compileGlob(pattern)!.matches(path)).toBe(want);
  });

  test.each(["/var/log/[abc", "/var/log/x\\"])("refuses the malformed pattern %p", (pattern) => {
    expect(compileGlob(pattern)).toBeUndefined();
  });
});

describe("compileGlob().expand (Go filepath.Glob)", () => {
  test("lists matching paths per directory level, sorted, globs in directories too", () => {
    const root = mkdtempSync(join(tmpdir(), "picket-glob-"));
    try {
      for (const d of ["a", "b", "c.log"]) mkdirSync(join(root, d));
      for (const f of ["a/x.log", "a/y.txt", "b/z.log", "top.log"]) writeFileSync(join(root, f), "");
      expect(compileGlob(`${root}/*/*.log`)!.expand()).toEqual([`${root}/a/x.log`, `${root}/b/z.log`]);
      expect(compileGlob(`${root}/*.log`)!.expand()).toEqual([`${root}/c.log`, `${root}/top.log`]);
      expect(compileGlob(`${root}/top.log`)!.expand()).toEqual([`${root}/top.log`]);
      expect(compileGlob(`${root}/missing.log`)!.expand()).toEqual([]);
      expect(compileGlob(`${root}/nope/*.log`)!.expand()).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
