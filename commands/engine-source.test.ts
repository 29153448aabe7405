import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEngine } from "./engine-source";

const dir = mkdtempSync(join(tmpdir(), "picket-engine-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, withParser: boolean): string {
  const root = join(dir, name);
  mkdirSync(join(root, "parsers", "s01-parse"), { recursive: true });
  if (withParser) {
    writeFileSync(
      join(root, "parsers", "s01-parse", "mine.yaml"),
      "name: me/mine\nfilter: \"evt.Line.Labels.type == 'x'\"\nonsuccess: next_stage\nnodes:\n  - grok:\n      pattern: '%{IP:ip}'\n      apply_on: message\n",
    );
  }
  const file = join(root, "config.yaml");
  writeFileSync(file, `config_paths:\n  config_dir: ${root}\n  data_dir: ${join(root, "data")}\n`);
  return file;
}

describe("loadEngine with -c", () => {
  const cases = [
    { name: "installed parsers are used", withParser: true, origin: "config" },
    { name: "a config with no parser installed falls back to the built-in collection", withParser: false, origin: "builtin" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { origin, problems } = loadEngine({ config: config(c.name.replace(/\W+/g, "-"), c.withParser), parsersOnly: true });
      expect(problems).toEqual([]);
      expect(origin).toBe(c.origin as typeof origin);
    });
  }

  test("an unreadable config is a problem, not a fallback", () => {
    const { origin, problems } = loadEngine({ config: join(dir, "missing.yaml") });
    expect(origin).toBeUndefined();
    expect(problems.length).toBe(1);
  });
});
