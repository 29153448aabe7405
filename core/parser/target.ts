/**
 * `target:` paths of statics (upstream SetTargetByName, pkg/parser/runtime.go), resolved against
 * the Event type once at load time so that per event a write is a few property reads.
 *
 * Upstream walks the event by reflection: struct fields by exact Go name, through pointers; once a
 * map is reached the next segment is the key and the rest of the path is ignored; the final field
 * must be a string. Anything else (unknown field, int, time.Time, a nil pointer or nil map on the
 * way) logs an error and writes nothing.
 */
import { EVENT_TYPE, type Event } from "../event";
import type { ExprType } from "../expr";

export interface TargetPlan {
  /** The path as written, for messages. */
  readonly text: string;
  /** Struct fields to walk from the event; the last one holds the string or the map. */
  readonly fields: readonly string[];
  /** Set when the last field is a map: the key written. */
  readonly mapKey?: string;
}

/** `evt.Meta.foo` → the plan writing Meta["foo"]; undefined when upstream would write nothing. */
export function resolveTarget(text: string): TargetPlan | undefined {
  // as upstream: only a leading "evt." is stripped
  const path = (text.startsWith("evt.") ? text.slice(4) : text).split(".");
  const fields: string[] = [];
  let type: ExprType = EVENT_TYPE;
  for (const segment of path) {
    if (type.kind === "map") {
      // SetMapIndex with a string value: only maps of string or of interface{} take it
      return type.elem.kind === "string" || type.elem.kind === "any" ? { text, fields, mapKey: segment } : undefined;
    }
    if (type.kind !== "struct") return undefined;
    const field: ExprType | undefined = type.fields[segment];
    if (!field) return undefined;
    fields.push(segment);
    type = field;
  }
  return type.kind === "string" ? { text, fields } : undefined;
}

/** Writes `value` where `plan` points; false when a nil pointer or nil map is on the way. */
export function setTarget(evt: Event, plan: TargetPlan, value: string): boolean {
  let holder = evt as unknown as Record<string, unknown>;
  const last = plan.fields.length - 1;
  for (let i = 0; i < last; i++) {
    const next = holder[plan.fields[i]!];
    if (next === null || typeof next !== "object") return false;
    holder = next as Record<string, unknown>;
  }
  const field = plan.fields[last]!;
  if (plan.mapKey !== undefined) {
    const map = holder[field];
    if (map === null || typeof map !== "object") return false;
    (map as Record<string, unknown>)[plan.mapKey] = value;
    return true;
  }
  // A Go *string that is nil reads as null here: upstream cannot set through it.
  if (typeof holder[field] !== "string") return false;
  holder[field] = value;
  return true;
}
