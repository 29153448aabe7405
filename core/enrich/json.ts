/**
 * The UnmarshalJSON enricher, as upstream pkg/parser/enrich_unmarshal.go: it ignores its value
 * and decodes evt.Line.Raw into evt.Unmarshaled with Go's json.Unmarshal into an existing map.
 */
import type { EnrichTarget } from "./target";

/** Where an enricher reports a failure it does not return (upstream logs it at error level). */
export type EnrichErrorSink = (method: string, message: string) => void;

/** Go's wording for a JSON value that is not an object, for the error log. */
function goKindName(v: unknown): string {
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "value";
  }
}

export function createUnmarshalJson(onError: EnrichErrorSink) {
  return function UnmarshalJSON(_value: string, evt: EnrichTarget): null {
    let decoded: unknown;
    // JSON.parse reports invalid input only by throwing; this runs once per JSON line, and the
    // catch is taken only for lines that are not JSON.
    try {
      decoded = JSON.parse(evt.Line.Raw);
    } catch (e) {
      onError("UnmarshalJSON", `could not parse JSON: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    const target = evt.Unmarshaled;
    if (decoded === null) {
      // json.Unmarshal of `null` sets the map to nil: every key goes
      for (const k of Object.keys(target)) delete target[k];
      return null;
    }
    if (typeof decoded !== "object" || Array.isArray(decoded)) {
      onError(
        "UnmarshalJSON",
        `could not parse JSON: json: cannot unmarshal ${goKindName(decoded)} into Go value of type map[string]interface {}`,
      );
      return null;
    }
    // Top-level keys merge into the existing map; nested objects replace, as Go decodes them fresh.
    const source = decoded as Record<string, unknown>;
    for (const k of Object.keys(source)) {
      if (k === "__proto__") Object.defineProperty(target, k, { value: source[k], enumerable: true, writable: true, configurable: true });
      else target[k] = source[k];
    }
    return null;
  };
}
