/**
 * Where an alert comes from (pkg/leakybucket/overflows.go SourceFromEvent): the source of each
 * queued event under the scenario's scope, merged into one map keyed by the source value.
 */
import { cloneSource, newMap, OVFLW, Source, type Event } from "../event";
import { ExprRuntimeError, type ExprProgram } from "../expr";
import { formatGoAddr, parseGoCIDR, parseGoIP } from "../net";

export interface ScopeSpec {
  /** `Ip` (default), `Range`, or a custom scope name. */
  readonly type: string;
  /** `scope.expression`, compiled against `{evt}`. */
  readonly expression?: ExprProgram;
}

/** The sources of one event, or the reason none can be had (which drops the whole alert). */
export type SourcesResult = { readonly ok: true; readonly sources: Record<string, Source> } | { readonly ok: false; readonly error: string };

const EMPTY: Record<string, string> = Object.freeze(newMap<string>());

function has(m: Record<string, string> | null, key: string): boolean {
  return m !== null && Object.prototype.hasOwnProperty.call(m, key);
}

/** Go strconv.ParseFloat(v, 32) as upstream uses it: a bad number gives 0 (and a warning). */
function parseFloat32(v: string): number {
  if (v === "" || v.trim() !== v) return 0;
  const n = Number(v);
  return Number.isNaN(n) && v !== "NaN" ? 0 : Math.fround(n);
}

/** net.ParseCIDR(v) then IPNet.String(): the network address and its prefix length. */
function cidrString(v: string): string | undefined {
  const net = parseGoCIDR(v);
  if (!net) return undefined;
  let bits = 0;
  for (const b of net.mask) for (let x = b; x & 0x80; x = (x << 1) & 0xff) bits++;
  if (net.ip.length === 4) return `${net.ip[0]}.${net.ip[1]}.${net.ip[2]}.${net.ip[3]}/${bits}`;
  return `${formatGoAddr(net.ip, false)}/${bits}`;
}

/** Runs scope.expression; a non-string result is "" (as upstream's failed type assertion). */
function scopeValue(expression: ExprProgram, evt: Event): string | ExprRuntimeError {
  const v = expression.run({ evt });
  if (v instanceof ExprRuntimeError) return v;
  return typeof v === "string" ? v : "";
}

/** The sources of a log event (eventSources upstream). */
function logEventSources(evt: Event, scope: ScopeSpec): SourcesResult {
  const sources = newMap<Source>();
  const src = new Source();
  if (scope.type === "Ip" || scope.type === "Range") {
    const meta = evt.Meta;
    if (!has(meta, "source_ip")) return { ok: false, error: `scope is ${scope.type} but Meta[source_ip] doesn't exist` };
    const ip = meta!.source_ip!;
    if (!parseGoIP(ip)) return { ok: false, error: `scope is ${scope.type} but '${ip}' isn't a valid ip` };
    src.IP = ip;
    src.Scope = scope.type;
    const enriched = evt.Enriched ?? EMPTY;
    if (has(enriched, "ASNumber")) src.AsNumber = enriched.ASNumber!;
    else if (has(enriched, "ASNNumber")) src.AsNumber = enriched.ASNNumber!;
    if (has(enriched, "IsoCode")) src.Cn = enriched.IsoCode!;
    if (has(enriched, "ASNOrg")) src.AsName = enriched.ASNOrg!;
    if (has(enriched, "Latitude")) src.Latitude = parseFloat32(enriched.Latitude!);
    if (has(enriched, "Longitude")) src.Longitude = parseFloat32(enriched.Longitude!);
    const declared = has(meta, "SourceRange") ? meta!.SourceRange! : "";
    if (declared !== "") {
      const range = cidrString(declared);
      if (range === undefined) return { ok: false, error: `declared range ${declared} of ${ip} can't be parsed` };
      src.Range = range;
    }
    if (scope.type === "Ip") src.Value = src.IP;
    else {
      src.Value = src.Range;
      if (scope.expression) {
        const v = scopeValue(scope.expression, evt);
        if (v instanceof ExprRuntimeError) return { ok: false, error: `while running scope filter: ${v.message}` };
        src.Value = v;
      }
    }
    sources[src.Value] = src;
    return { ok: true, sources };
  }
  if (!scope.expression) return { ok: false, error: "empty scope information" };
  const v = scopeValue(scope.expression, evt);
  if (v instanceof ExprRuntimeError) return { ok: false, error: `while running scope filter: ${v.message}` };
  src.Value = v;
  src.Scope = scope.type;
  sources[v] = src;
  return { ok: true, sources };
}

/**
 * The sources of an overflow poured again (reprocess): kept when the scopes agree; an Ip source
 * becomes a Range source for a Range scenario; anything else is dropped (upstream warns).
 */
function overflowEventSources(evt: Event, scope: ScopeSpec): SourcesResult {
  const sources = newMap<Source>();
  const incoming = evt.Overflow.Sources;
  if (!incoming) return { ok: true, sources };
  for (const k in incoming) {
    const v = incoming[k]!;
    if (scope.type === (v.Scope ?? "")) {
      sources[k] = cloneSource(v);
      continue;
    }
    if (scope.type !== "Range" || v.Scope !== "Ip") continue;
    const src = new Source();
    src.AsName = v.AsName;
    src.AsNumber = v.AsNumber;
    src.Cn = v.Cn;
    src.Latitude = v.Latitude;
    src.Longitude = v.Longitude;
    src.Range = v.Range;
    src.Scope = scope.type;
    src.Value = v.Range;
    if (scope.expression) {
      const value = scopeValue(scope.expression, evt);
      if (value instanceof ExprRuntimeError) return { ok: false, error: `while running scope filter: ${value.message}` };
      src.Value = value;
    }
    if (src.Value === "") continue;
    sources[src.Value] = src;
  }
  return { ok: true, sources };
}

/** SourceFromEvent: the sources one queued event contributes under `scope`. */
export function sourcesFromEvent(evt: Event, scope: ScopeSpec): SourcesResult {
  return evt.Type === OVFLW ? overflowEventSources(evt, scope) : logEventSources(evt, scope);
}

/**
 * alertFormatSource: every queued event's sources merged (a later event's source replaces an
 * earlier one with the same value); all must share one scope.
 */
export function sourcesFromQueue(queue: readonly Event[], scope: ScopeSpec): { ok: true; sources: Record<string, Source>; scope: string } | { ok: false; error: string } {
  const sources = newMap<Source>();
  let sourceScope = "";
  for (const evt of queue) {
    const r = sourcesFromEvent(evt, scope);
    if (!r.ok) return { ok: false, error: `while extracting scope from bucket: ${r.error}` };
    for (const key in r.sources) {
      const src = r.sources[key]!;
      const s = src.Scope ?? "";
      if (sourceScope === "") sourceScope = s;
      if (s !== sourceScope) return { ok: false, error: `event has multiple source types : ${s} != ${sourceScope}` };
      sources[key] = src;
    }
  }
  return { ok: true, sources, scope: sourceScope };
}
