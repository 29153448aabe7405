/**
 * XMLGetNodeValue and XMLGetAttributeValue (upstream xml.go): an etree path into an XML
 * document, "" when the path, the document or the match is missing. Windows event parsers
 * call them dozens of times on the same event, so parsed documents and compiled paths are
 * cached, as upstream does.
 */
import { asString } from "./args";
import { elementText, parseXml, type XmlElement } from "./xml-doc";
import { compileXmlPath, findFirst, type XmlPath } from "./xml-path";
import type { HelperDef } from "./types";

const DOC_CACHE_SIZE = 4;
const PATH_CACHE_SIZE = 512;

// Shared by every compiled program: the statics of one parser node are separate programs
// reading the same event, so a per-program cache would parse each event once per static.
const docTexts: string[] = [];
const docTrees: (XmlElement | undefined)[] = [];
let docNext = 0;
const paths = new Map<string, XmlPath | string>();

/** The parsed document for `text`, parsing it at most once while it stays among the last few. */
export function cachedXml(text: string): XmlElement | undefined {
  for (let i = 0; i < docTexts.length; i++) if (docTexts[i] === text) return docTrees[i];
  const doc = parseXml(text);
  docTexts[docNext] = text;
  docTrees[docNext] = doc;
  docNext = (docNext + 1) % DOC_CACHE_SIZE;
  return doc;
}

/** The compiled path, or the reason it does not compile. */
export function cachedXmlPath(text: string): XmlPath | string {
  let p = paths.get(text);
  if (p === undefined) {
    p = compileXmlPath(text);
    if (paths.size >= PATH_CACHE_SIZE) paths.clear(); // bounded: paths may come from event data
    paths.set(text, p);
  }
  return p;
}

function findElement(xml: string, path: string, warn: ((m: string) => void) | undefined): XmlElement | undefined {
  const compiled = cachedXmlPath(path);
  if (typeof compiled === "string") {
    warn?.(`Could not compile path ${path}: etree: ${compiled}`);
    return undefined;
  }
  const doc = cachedXml(xml);
  return doc && findFirst(compiled, doc);
}

export const XML_HELPERS: readonly HelperDef[] = [
  {
    name: "XMLGetNodeValue",
    signatures: ["func(string, string) string"],
    make: (ctx) => (xml, path) => {
      const e = findElement(asString(xml), asString(path), ctx.warn);
      return e ? elementText(e) : "";
    },
  },
  {
    name: "XMLGetAttributeValue",
    signatures: ["func(string, string, string) string"],
    make: (ctx) => (xml, path, attr) => {
      const name = asString(attr);
      const e = findElement(asString(xml), asString(path), ctx.warn);
      if (!e) return "";
      // etree SelectAttr: "ns:key" or a bare key, which matches any prefix
      const colon = name.indexOf(":");
      const space = colon < 0 ? "" : name.slice(0, colon);
      const key = colon < 0 ? name : name.slice(colon + 1);
      for (const a of e.attrs) if ((space === "" || space === a.space) && key === a.key) return a.value;
      return "";
    },
  },
];
