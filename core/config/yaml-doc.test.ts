import { describe, expect, test } from "bun:test";
import { parseYamlStream } from "./yaml-doc";

describe("parseYamlStream syntax errors carry a position", () => {
  const cases: { name: string; text: string; line: number }[] = [
    { name: "unclosed flow sequence", text: "name: a\nfilters: [a, b\nother: 1\n", line: 3 },
    { name: "duplicate key", text: "a: 1\nb: 2\na: 3\n", line: 3 },
    { name: "bad indentation in second document", text: "a: 1\n---\nb:\n  c: 1\n d: 2\n", line: 5 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { problems } = parseYamlStream(c.text, "x.yaml", { strict: true });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0]?.file).toBe("x.yaml");
      expect(problems[0]?.line).toBe(c.line);
    });
  }
});
