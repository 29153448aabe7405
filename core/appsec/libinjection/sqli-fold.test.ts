import { describe, expect, test } from "bun:test";
import { fingerprintSQL, type SqliToken } from "./sqli";

function render(t: SqliToken): string {
  return `${t.type} ${t.type === "s" || t.type === "v" ? t.open + t.value + t.close : t.value}`;
}

// A representative subset of libinjection's tests/test-folding-*.txt, restated.
const cases: Array<{ input: string; want: string[] }> = [
  { input: "SELECT \"first\" \"second\";", want: ["E SELECT", "s \"first\"", "; ;"] }, // strings merge
  { input: "- SELECT 1;", want: ["E SELECT", "1 1", "; ;"] }, // leading unary dropped
  { input: "- /* foo */ ( /* bar */ -SELECT 1 );", want: ["E SELECT", "1 1", ") )", "; ;"] },
  { input: "123 /* junk */;", want: ["1 123", "; ;"] },
  { input: "1+-+1", want: ["1 1"] },
  { input: "foo OR zap AND bar", want: ["n foo", "& OR", "n bar"] },
  { input: "'foo' + zap + 'bar'", want: ["s 'foo'", "o +", "s 'bar'"] },
  { input: "", want: [] },
  { input: "UNION ALL", want: ["U UNION ALL"] },
  { input: "select !! 1;", want: ["E select", "1 1", "; ;"] },
  { input: "select user;", want: ["E select", "n user", "; ;"] },
  { input: "select foobar();", want: ["E select", "n foobar", "( (", ") )", "; ;"] },
  { input: "select if(1)", want: ["E select", "f if", "( (", "1 1", ") )"] },
  { input: "SELECT character varying '1';", want: ["E SELECT", "s '1'", "; ;"] },
  { input: "SELECT '1'::money, 2;", want: ["E SELECT", "s '1'", "; ;"] },
  { input: "SELECT float @@version;", want: ["E SELECT", "v @@version", "; ;"] },
  { input: "select current_user;", want: ["E select", "v current_user", "; ;"] },
  { input: "select 1 not IN (2,3,4);", want: ["E select", "1 1", "o not IN", "( (", "1 2"] },
  { input: "1 group by -2", want: ["1 1", "B group by", "1 2"] },
  { input: "1 UNION DISTINCT ALL 1;", want: ["1 1", "U UNION DISTINCT ALL", "1 1", "; ;"] },
  { input: "select 1,-1;", want: ["E select", "1 1", "; ;"] },
  { input: "SELECT \\ % 0 ;", want: ["E SELECT", "1 \\", "; ;"] },
  { input: "SELECT 1 COLLATE papers;", want: ["E SELECT", "1 1", "A COLLATE", "n papers", "; ;"] },
  { input: "1))))))))))))))+1", want: ["1 1", ") )", "o +", "1 1"] },
  { input: "IN YOUR FACE", want: ["n IN", "n YOUR", "n FACE"] },
  { input: "IF NOT EXISTS(1)", want: ["f IF NOT EXISTS", "( (", "1 1", ") )"] },
  { input: "SELECT 1.e.table_name", want: ["E SELECT", "n table_name"] },
  { input: "SELECT . `foo`", want: ["E SELECT", "n foo"] },
  { input: "1-(1-1)-2 --", want: ["1 1", "c --"] }, // a trailing comment is kept
  { input: "1 - binary binary (2)", want: ["1 1"] },
  { input: "SELECT LIKE(\"foo\",\"bar\")", want: ["E SELECT", "f LIKE", "( (", "s \"foo\"", ") )"] },
  { input: "1 USER()", want: ["1 1", "f USER", "( (", ") )"] },
  // the five-token arithmetic shapes restart folding: "1,(1)" and "foo-(bar)" say nothing
  { input: "1,(2) UNION SELECT 1", want: ["1 1", "U UNION", "E SELECT", "1 1"] },
];

describe("fingerprintSQL() folding", () => {
  test.each(cases)("folds $input", ({ input, want }) => {
    const { fingerprint, tokens } = fingerprintSQL(input);
    expect(tokens.map(render)).toEqual(want);
    expect(fingerprint).toBe(want.map((t) => t[0]).join(""));
  });

  test("an unparseable token makes the whole fingerprint X", () => {
    expect(fingerprintSQL("{``.``.id} UNION SELECT TABLE").fingerprint).toBe("X");
    expect(fingerprintSQL("1 /*!50000 UNION*/ SELECT").fingerprint).toBe("X");
  });
});
