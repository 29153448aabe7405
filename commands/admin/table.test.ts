import { describe, expect, test } from "bun:test";
import pc from "picocolors";
import { boxTable, csvLine, lightTable } from "./table";

const plain = pc.createColors(false);

describe("boxTable()", () => {
  test("draws ASCII borders, centred headers and left-aligned cells without colour", () => {
    expect(boxTable(["ID", "Scope:Value"], [["1", "Ip:1.2.3.4"], ["12", "Country:FR"]], plain)).toEqual([
      "+----+-------------+",
      "| ID | Scope:Value |",
      "+----+-------------+",
      "| 1  | Ip:1.2.3.4  |",
      "| 12 | Country:FR  |",
      "+----+-------------+",
    ]);
  });

  test("draws rounded Unicode borders with colour", () => {
    const lines = boxTable(["Key", "Value"], [["a", "b"]], pc.createColors(true)).map((l) => Bun.stripANSI(l));
    expect(lines).toEqual(["╭─────┬───────╮", "│ Key │ Value │", "├─────┼───────┤", "│ a   │ b     │", "╰─────┴───────╯"]);
  });

  test("puts a rule between rows when asked", () => {
    expect(boxTable(["K"], [["a"], ["b"]], plain, { rowLines: true })).toEqual(["+---+", "| K |", "+---+", "| a |", "+---+", "| b |", "+---+"]);
  });
});

describe("lightTable()", () => {
  test("has no side borders and counts emoji as two columns", () => {
    expect(lightTable(["Name", "Valid"], [["b1", "✔️"], ["bouncer-2", "🚫"]], plain)).toEqual([
      "-------------------",
      " Name        Valid",
      "-------------------",
      " b1          ✔️",
      " bouncer-2   🚫",
      "-------------------",
    ]);
  });
});

describe("csvLine()", () => {
  const cases = [
    { fields: ["1", "cscli", "Ip:1.2.3.4"], want: "1,cscli,Ip:1.2.3.4" },
    { fields: ["a,b", 'say "x"', ""], want: '"a,b","say ""x""",' },
    { fields: [" lead", "line\nbreak"], want: '" lead","line\nbreak"' },
  ];
  test.each(cases)("$want", ({ fields, want }) => {
    expect(csvLine(fields)).toBe(want);
  });
});
