import { describe, expect, test } from "bun:test";
import { helperFn } from "./testing";
import { XML_HELPERS } from "./xml";

const fn = (name: string) => helperFn(XML_HELPERS, name);

const EVENT = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>
<System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625}'/><EventID>4625</EventID>
<TimeCreated SystemTime='2024-01-02T03:04:05.000Z'/><Channel>Security</Channel></System>
<EventData><Data Name='SubjectUserName'>-</Data><Data Name='TargetUserName'>bob</Data>
<Data Name='IpAddress'>10.0.0.1</Data><Data Name='Empty'></Data></EventData></Event>`;

describe("XMLGetNodeValue()", () => {
  // upstream TestXMLGetNodeValue, then Windows event paths and etree's rules
  const cases = [
    { xml: `<root><child>foobar</child></root>`, path: "/root/child", want: "foobar" },
    { xml: `<root><child>foobar</child></root>`, path: "/foo/bar", want: "" },
    { xml: `<root><`, path: "/foo/bar", want: "" },
    { xml: `<root><child>foobar</child></root>`, path: "/foo/bar[@", want: "" },
    { xml: EVENT, path: "/Event/System/EventID", want: "4625" },
    { xml: EVENT, path: "/Event/System/Channel", want: "Security" },
    { xml: EVENT, path: "//Data[@Name='IpAddress']", want: "10.0.0.1" },
    { xml: EVENT, path: `//Data[@Name="TargetUserName"]`, want: "bob" },
    { xml: EVENT, path: "//Data[@Name='Empty']", want: "" },
    { xml: EVENT, path: "/Event/EventData/Data[2]", want: "bob" },
    { xml: EVENT, path: "/Event/EventData/Data[-2]", want: "10.0.0.1" }, // counted from the end
    { xml: EVENT, path: "//EventData/*[1]", want: "-" },
    { xml: EVENT, path: "//Data[text()='bob']", want: "bob" },
    { xml: EVENT, path: "//System[EventID='4625']/Channel", want: "Security" },
    { xml: EVENT, path: "//Provider/../EventID", want: "4625" },
    { xml: `<a>x<!-- c -->y<b/>z</a>`, path: "/a", want: "xy" }, // text up to the first child element
    { xml: `<a><![CDATA[<raw> & ]]>t</a>`, path: "/a", want: "<raw> & t" },
    { xml: `<a>1 &lt; 2 &amp;&#65;&#x42;</a>`, path: "/a", want: "1 < 2 &AB" },
    { xml: `<a>x\r\ny\rz</a>`, path: "/a", want: "x\ny\nz" },
    { xml: `<a>&nbsp;</a>`, path: "/a", want: "" }, // unknown entity: invalid in strict mode
    { xml: `<a>x & y</a>`, path: "/a", want: "" },
    { xml: `<a><b></a></b>`, path: "/a", want: "" }, // mismatched end tag
    { xml: `<a x=1>t</a>`, path: "/a", want: "" }, // unquoted attribute
    { xml: `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a>t</a>`, path: "/a", want: "t" },
    { xml: `<?xml version="2.0"?><a>t</a>`, path: "/a", want: "" },
    { xml: `<ns:a xmlns:ns="u"><ns:b>t</ns:b></ns:a>`, path: "/ns:a/b", want: "t" },
    { xml: `<ns:a xmlns:ns="u"><ns:b>t</ns:b></ns:a>`, path: "//b[namespace-uri()='u']", want: "t" },
    { xml: `<a><b>1</b></a><c>2</c>`, path: "/c", want: "2" }, // several roots are accepted
    { xml: `<a>t</a>`, path: "/a[foo()]", want: "" }, // unknown function: path error
  ];
  test.each(cases)("XMLGetNodeValue(…, $path) is $want", ({ xml, path, want }) => {
    expect(fn("XMLGetNodeValue")(xml, path)).toBe(want);
  });
});

describe("XMLGetAttributeValue()", () => {
  // upstream TestXMLGetAttributeValue, then Windows event paths
  const cases = [
    { xml: `<root><child attr="value"/></root>`, path: "/root/child", attr: "attr", want: "value" },
    { xml: `<root><child attr="value"/></root>`, path: "/root/child", attr: "asdasd", want: "" },
    { xml: `<root><child attr="value"/></root>`, path: "/foo/bar", attr: "asdasd", want: "" },
    { xml: `<root><`, path: "/foo/bar", attr: "asdasd", want: "" },
    { xml: `<root><child attr="value"/></root>`, path: "/foo/bar[@", attr: "asdasd", want: "" },
    { xml: EVENT, path: "/Event/System/Provider", attr: "Name", want: "Microsoft-Windows-Security-Auditing" },
    { xml: EVENT, path: "/Event/System/TimeCreated", attr: "SystemTime", want: "2024-01-02T03:04:05.000Z" },
    { xml: `<a x="1" x="2"/>`, path: "/a", attr: "x", want: "2" }, // a repeated attribute: last value
    { xml: `<a p:x="1"/>`, path: "/a", attr: "x", want: "1" }, // a bare name matches any prefix
    { xml: `<a x="&quot;q&quot;"/>`, path: "/a", attr: "x", want: `"q"` },
    { xml: `<a x="<"/>`, path: "/a", attr: "x", want: "" }, // "<" inside a quoted value
  ];
  test.each(cases)("XMLGetAttributeValue(…, $path, $attr) is $want", ({ xml, path, attr, want }) => {
    expect(fn("XMLGetAttributeValue")(xml, path, attr)).toBe(want);
  });

  test("reports a path that does not compile", () => {
    const warnings: string[] = [];
    helperFn(XML_HELPERS, "XMLGetAttributeValue", { warn: (m) => warnings.push(m) })("<a/>", "/a[@x='1]", "x");
    expect(warnings).toEqual(["Could not compile path /a[@x='1]: etree: path has mismatched filter quotes."]);
  });
});
