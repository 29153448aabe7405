import { describe, expect, test } from "bun:test";
import type { HtmlContext } from "./html5";
import { tokenizeHTML } from "./xss";

// A representative subset of libinjection's tests/test-html5-*.txt, restated.
const cases: Array<{ input: string; want: Array<[string, string]> }> = [
  { input: "foo", want: [["dataText", "foo"]] },
  { input: "aa<foo>", want: [["dataText", "aa"], ["tagNameOpen", "foo"], ["tagNameClose", ">"]] },
  { input: "<foo   />", want: [["tagNameOpen", "foo"], ["tagNameSelfClose", "/>"]] },
  { input: "<foo  bar>", want: [["tagNameOpen", "foo"], ["attrName", "bar"], ["tagNameClose", ">"]] },
  { input: "<foo  bar=yes  ", want: [["tagNameOpen", "foo"], ["attrName", "bar"], ["attrValue", "yes"]] },
  { input: "<foo  bar =  >", want: [["tagNameOpen", "foo"], ["attrName", "bar"], ["attrValue", ""], ["tagNameClose", ">"]] },
  { input: "<foo a='x y' b=\"z\">", want: [["tagNameOpen", "foo"], ["attrName", "a"], ["attrValue", "x y"], ["attrName", "b"], ["attrValue", "z"], ["tagNameClose", ">"]] },
  { input: "</foo>", want: [["tagClose", "foo"]] },
  { input: "<?foo", want: [["tagComment", "foo"]] },
  { input: "<!-- -x -- -! -->", want: [["tagComment", " -x -- -! "]] },
  { input: "<!---\u0000->", want: [["tagComment", ""]] }, // NULs between the dashes are skipped
  { input: "<!DOCTYPE>", want: [["docType", "DOCTYPE"]] },
  { input: "<![CDATA[foobar", want: [["dataText", "foobar"]] },
  { input: "<![CDATA[a]]>b", want: [["dataText", "a"], ["dataText", "b"]] },
  { input: "<![CDATA[a]a]", want: [["dataText", "a]a]"]] }, // Go indexes past the end here; C's reading
  { input: "<![CDATA foo>", want: [["tagComment", "[CDATA foo"]] },
  { input: "<foo =_=xxx", want: [["tagNameOpen", "foo"], ["attrName", "=_"], ["attrValue", "xxx"]] },
  { input: "<div   ", want: [["tagNameOpen", "div"]] },
  { input: "<%foo%>", want: [["tagComment", "foo"]] },
  // libinjection-go checks the wrong byte after a second "%": CrowdSec's verdicts follow it
  { input: "<%x%y>%z", want: [["tagComment", "x%"]] },
  { input: "<%a%b%>x", want: [["tagComment", "a%b%>x"]] },
  { input: "a < b", want: [["dataText", "a "], ["dataText", "<"], ["dataText", " b"]] },
];

describe("tokenizeHTML()", () => {
  test.each(cases.map((c) => ({ ...c, shown: JSON.stringify(c.input) })))("tokenizes $shown", ({ input, want }) => {
    expect(tokenizeHTML(input)).toEqual(want);
  });

  const contexts: Array<{ input: string; context: HtmlContext; want: Array<[string, string]> }> = [
    { input: "x onload=y>", context: "value-no-quote", want: [["attrName", "x"], ["attrName", "onload"], ["attrValue", "y"], ["tagNameClose", ">"]] },
    { input: "x' onload='y", context: "value-single-quote", want: [["attrValue", "x"], ["attrName", "onload"], ["attrValue", "y"]] },
    { input: "x\" a=b", context: "value-double-quote", want: [["attrValue", "x"], ["attrName", "a"], ["attrValue", "b"]] },
    { input: "x` a", context: "value-back-quote", want: [["attrValue", "x"], ["attrName", "a"]] },
  ];

  test.each(contexts)("starts $context on $input", ({ input, context, want }) => {
    expect(tokenizeHTML(input, context)).toEqual(want);
  });
});
