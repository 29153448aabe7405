import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { renderProblem } from "../result";
import { loadScenarios } from "./load";

const doc = (name: string, extra = "") => `type: trigger\nname: ${name}\ndescription: d\nfilter: "true"\nlabels: {}\n${extra}`;

describe("loadScenarios()", () => {
  test("loads every document of a file in order, with the file's sha256 and hub version", () => {
    const text = `${doc("a/one")}---\n${doc("a/two")}`;
    const r = loadScenarios([{ path: "x.yaml", text }], { versionOf: (file, hash) => (file === "x.yaml" && hash.length === 64 ? "0.3" : undefined) });
    expect(r.problems).toEqual([]);
    expect(r.scenarios.map((s) => [s.config.name, s.version])).toEqual([
      ["a/one", "0.3"],
      ["a/two", "0.3"],
    ]);
    expect(r.scenarios[0]!.hash).toBe(createHash("sha256").update(text).digest("hex"));
  });

  test.each([
    { format: "2.0", loaded: ["a/f"], warnings: [] as string[] },
    { format: "3.0", loaded: ["a/f"], warnings: [] },
    { format: "3.1", loaded: [], warnings: ['Scenario "a/f" skipped: format "3.1" is not supported (>= 1.0, <= 3.0)'] },
    { format: "0.9", loaded: [], warnings: ['Scenario "a/f" skipped: format "0.9" is not supported (>= 1.0, <= 3.0)'] },
  ])("format $format", ({ format, loaded, warnings }) => {
    const r = loadScenarios([{ path: "f.yaml", text: doc("a/f", `format: "${format}"\n`) }]);
    expect(r.scenarios.map((s) => s.config.name)).toEqual([...loaded]);
    expect(r.warnings.map((w) => w.message)).toEqual([...warnings]);
    expect(r.problems).toEqual([]);
  });

  test("a format that is not a version is a problem", () => {
    const r = loadScenarios([{ path: "f.yaml", text: doc("a/f", 'format: "new"\n') }]);
    expect(r.problems.map(renderProblem)).toEqual(['f.yaml:6:9 format: Cannot load scenario "a/f": format "new" is not a version']);
  });

  test("one bad document does not hide the next", () => {
    const r = loadScenarios([{ path: "b.yaml", text: `type: leaky\nname: a/bad\ndescription: d\nfilter: "true"\ncapacity: 0\nleakspeed: 10s\n---\n${doc("a/good")}` }]);
    expect(r.scenarios.map((s) => s.config.name)).toEqual(["a/good"]);
    expect(r.problems.map((p) => p.message)).toEqual(['Scenario "a/bad": invalid capacity 0: must be > 0']);
  });
});
