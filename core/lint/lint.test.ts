import { describe, expect, test } from "bun:test";
import { join, relative } from "node:path";
import { lintAssertFiles, lintItems } from ".";
import { renderProblem } from "../result";
import { HAS_SHARED, REPO_ROOT, SHARED, TESTDATA, expectGolden } from "../testing";

describe("lintItems()", () => {
  test("loads the bundled sample items without a problem", () => {
    const report = lintItems([join(TESTDATA, "samples", "items")]);
    expect(report.problems.map(renderProblem)).toEqual([]);
    expect(report.files).toBe(6);
  });

  test("reports each mistake of the broken items at its line", () => {
    const report = lintItems([join(TESTDATA, "lint", "broken")]);
    const found = report.problems.map((p) => `${relative(TESTDATA, p.file ?? "")}:${p.line} ${p.code}`).sort();
    expect(found).toEqual([
      "lint/broken/parsers/s01-parse/picket/broken.yaml:15 expr.compile",
      "lint/broken/parsers/s01-parse/picket/broken.yaml:16 parser.static",
      "lint/broken/parsers/s01-parse/picket/broken.yaml:17 yaml.unknown-key",
      "lint/broken/parsers/s01-parse/picket/broken.yaml:4 expr.syntax",
      "lint/broken/parsers/s01-parse/picket/broken.yaml:8 grok.unknown-pattern",
      "lint/broken/scenarios/picket/broken.yaml:6 scenario.invalid",
      "lint/broken/scenarios/picket/broken.yaml:7 scenario.duration",
    ]);
  });

  test("renders the broken items' problems as the golden file shows", () => {
    const report = lintItems([join(TESTDATA, "lint", "broken")]);
    const text = report.problems
      .map((p) => renderProblem({ ...p, file: relative(REPO_ROOT, p.file ?? "") }))
      .join("\n");
    expectGolden("lint-broken.txt", text + "\n");
  });
});

describe.skipIf(!HAS_SHARED)("lintItems() on the shared hub", () => {
  test("finds no error in the hub's parsers, scenarios and postoverflows", () => {
    const hub = join(SHARED, "hub");
    const report = lintItems([join(hub, "parsers"), join(hub, "scenarios"), join(hub, "postoverflows")]);
    expect(report.problems.map(renderProblem)).toEqual([]);
    expect(report.files).toBeGreaterThan(400);
  });

  test("compiles every line of the hub's assert files", () => {
    const report = lintAssertFiles([join(SHARED, "hub", ".tests")]);
    expect(report.problems.map(renderProblem)).toEqual([]);
    expect(report.files).toBeGreaterThan(500);
  });
});
