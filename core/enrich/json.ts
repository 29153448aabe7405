/**
 * The UnmarshalJSON enricher, as upstream pkg/parser/enrich_unmarshal.go: it ignores its value
 * and decodes evt.Line.Raw into evt.Unmarshaled with Go's json.Unmarshal into an existing map.
 */
import { newMap, type Event } from "../event";

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
  return function UnmarshalJSON(_value: string, evt: Event): null {
    let decoded: unknown;
    // JSON.parse reports invalid input only by throwing; this runs once per JSON line, and the
    // catch is taken only for lines that are not JSON.
    try {
      decoded = JSON.parse(evt.Line.Raw);
    } catch (e) {
      onError("UnmarshalJSON", `could not parse JSON: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
    if (decoded === null) {
      evt.Unmarshaled = null; // json.Unmarshal of `null` sets the map to nil
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
    const target = (evt.Unmarshaled ??= newMap<unknown>()); // a nil map gets allocated, as Go does
    const source = decoded as Record<string, unknown>;
    for (const k of Object.keys(source)) {
      if (k === "__proto__") Object.defineProperty(target, k, { value: source[k], enumerable: true, writable: true, configurable: true });
      else target[k] = source[k];
    }
    return null;
  };
}
