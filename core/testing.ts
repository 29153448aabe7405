/** Shared test helpers: where ../shared and testdata live, and golden files. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "bun:test";

export const REPO_ROOT = join(import.meta.dir, "..");
export const TESTDATA = join(REPO_ROOT, "testdata");
/** The shared hub snapshot and specs, beside the repository. */
export const SHARED = join(REPO_ROOT, "..", "shared");
export const HAS_SHARED = existsSync(join(SHARED, "hub", ".index.json"));

if (!HAS_SHARED && !process.env.PICKET_QUIET_SKIPS) {
  console.warn(`note: ${SHARED} is missing: tests that use the shared hub snapshot are skipped`);
}

/** Compares `actual` with testdata/golden/NAME; PICKET_UPDATE_GOLDEN=1 rewrites it. */
export function expectGolden(name: string, actual: string): void {
  const file = join(TESTDATA, "golden", name);
  if (process.env.PICKET_UPDATE_GOLDEN === "1" || !existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, "utf8"));
}
