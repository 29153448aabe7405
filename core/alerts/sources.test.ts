import { describe, expect, test } from "bun:test";
import { newLogEvent, newMap, OVFLW, RuntimeAlert, Source, type Event } from "../event";
import { compileExpr, type ExprProgram } from "../expr";
import { SCENARIO_ENV } from "../event";
import { unwrap } from "../result";
import { sourcesFromEvent, sourcesFromQueue, type ScopeSpec } from "./sources";

function logEvent(meta: Record<string, string>, enriched: Record<string, string> = {}): Event {
  const e = newLogEvent({ raw: "" });
  e.Meta = Object.assign(newMap<string>(), meta);
  e.Enriched = Object.assign(newMap<string>(), enriched);
  return e;
}

const expr = (source: string): ExprProgram => unwrap(compileExpr(source, { env: SCENARIO_ENV }));

function plain(sources: Record<string, Source>): Record<string, Partial<Source>> {
  const out: Record<string, Partial<Source>> = {};
  for (const k in sources) {
    const s = sources[k]!;
    out[k] = { IP: s.IP, Range: s.Range, Scope: s.Scope, Value: s.Value, AsNumber: s.AsNumber, AsName: s.AsName, Cn: s.Cn, Latitude: s.Latitude, Longitude: s.Longitude };
  }
  return out;
}

const blank = { IP: "", Range: "", AsNumber: "", AsName: "", Cn: "", Latitude: 0, Longitude: 0 };

describe("sourcesFromEvent() on log events", () => {
  const cases: { name: string; scope: ScopeSpec; meta: Record<string, string>; enriched?: Record<string, string>; want: Record<string, Partial<Source>> | string }[] = [
    {
      name: "Ip scope takes source_ip and the geo fields of Enriched",
      scope: { type: "Ip" },
      meta: { source_ip: "1.2.3.4", SourceRange: "1.2.3.4/24" },
      enriched: { ASNNumber: "4242", ASNOrg: "Test", IsoCode: "FR", Latitude: "48.85", Longitude: "2.35" },
      want: { "1.2.3.4": { IP: "1.2.3.4", Range: "1.2.3.0/24", Scope: "Ip", Value: "1.2.3.4", AsNumber: "4242", AsName: "Test", Cn: "FR", Latitude: Math.fround(48.85), Longitude: Math.fround(2.35) } },
    },
    {
      name: "ASNumber wins over ASNNumber; a bad latitude is 0",
      scope: { type: "Ip" },
      meta: { source_ip: "2001:db8::1" },
      enriched: { ASNumber: "1", ASNNumber: "2", Latitude: "north" },
      want: { "2001:db8::1": { ...blank, IP: "2001:db8::1", Scope: "Ip", Value: "2001:db8::1", AsNumber: "1" } },
    },
    {
      name: "Range scope takes the network of SourceRange",
      scope: { type: "Range" },
      meta: { source_ip: "2001:db8:1:2::5", SourceRange: "2001:db8:1:2::5/48" },
      want: { "2001:db8:1::/48": { ...blank, IP: "2001:db8:1:2::5", Range: "2001:db8:1::/48", Scope: "Range", Value: "2001:db8:1::/48" } },
    },
    { name: "Ip scope without source_ip fails", scope: { type: "Ip" }, meta: {}, want: "scope is Ip but Meta[source_ip] doesn't exist" },
    { name: "Ip scope with a bad IP fails", scope: { type: "Ip" }, meta: { source_ip: "01.2.3.4" }, want: "scope is Ip but '01.2.3.4' isn't a valid ip" },
    { name: "a bad SourceRange fails", scope: { type: "Ip" }, meta: { source_ip: "1.2.3.4", SourceRange: "1.2.3.4/33" }, want: "declared range 1.2.3.4/33 of 1.2.3.4 can't be parsed" },
    {
      name: "a custom scope takes its expression's string",
      scope: { type: "username", expression: expr("evt.Meta.user") },
      meta: { user: "bob", source_ip: "1.2.3.4" },
      want: { bob: { ...blank, Scope: "username", Value: "bob" } },
    },
    {
      name: "a custom scope whose expression is not a string gives the value \"\"",
      scope: { type: "count", expression: expr("len(evt.Meta)") },
      meta: { user: "bob" },
      want: { "": { ...blank, Scope: "count", Value: "" } },
    },
    { name: "a custom scope without expression fails", scope: { type: "username" }, meta: { user: "bob" }, want: "empty scope information" },
  ];
  test.each(cases)("$name", ({ scope, meta, enriched, want }) => {
    const r = sourcesFromEvent(logEvent(meta, enriched), scope);
    if (typeof want === "string") expect(r.ok ? "ok" : r.error).toBe(want);
    else {
      expect(r.ok).toBe(true);
      const got = r.ok ? plain(r.sources) : {};
      for (const k of Object.keys(want)) expect(got[k]).toMatchObject(want[k]!);
      expect(Object.keys(got)).toEqual(Object.keys(want));
    }
  });
});

describe("sourcesFromEvent() on reprocessed overflows", () => {
  function overflowEvent(...sources: Source[]): Event {
    const e = newLogEvent({ raw: "" });
    e.Type = OVFLW;
    e.Overflow = new RuntimeAlert();
    e.Overflow.Sources = newMap<Source>();
    for (const s of sources) e.Overflow.Sources[s.Value!] = s;
    return e;
  }
  function ipSource(ip: string, range: string): Source {
    const s = new Source();
    s.IP = ip;
    s.Range = range;
    s.Scope = "Ip";
    s.Value = ip;
    s.Cn = "FR";
    return s;
  }

  test("keeps sources of the same scope", () => {
    const r = sourcesFromEvent(overflowEvent(ipSource("1.2.3.4", "1.2.3.0/24")), { type: "Ip" });
    expect(r.ok && Object.keys(r.sources)).toEqual(["1.2.3.4"]);
  });

  test("turns Ip sources into their range for a Range scenario, dropping those without one", () => {
    const r = sourcesFromEvent(overflowEvent(ipSource("1.2.3.4", "1.2.3.0/24"), ipSource("5.6.7.8", "")), { type: "Range" });
    expect(r.ok && plain(r.sources)).toEqual({ "1.2.3.0/24": { ...blank, Cn: "FR", Range: "1.2.3.0/24", Scope: "Range", Value: "1.2.3.0/24" } });
  });

  test("drops sources it cannot convert", () => {
    const r = sourcesFromEvent(overflowEvent(ipSource("1.2.3.4", "1.2.3.0/24")), { type: "username", expression: expr("'x'") });
    expect(r.ok && Object.keys(r.sources)).toEqual([]);
  });
});

describe("sourcesFromQueue()", () => {
  test("merges sources by value", () => {
    const r = sourcesFromQueue([logEvent({ source_ip: "1.1.1.1" }), logEvent({ source_ip: "2.2.2.2" }), logEvent({ source_ip: "1.1.1.1" })], { type: "Ip" });
    expect(r.ok && Object.keys(r.sources)).toEqual(["1.1.1.1", "2.2.2.2"]);
    expect(r.ok && r.scope).toBe("Ip");
  });

  test("fails on one event without a source", () => {
    const r = sourcesFromQueue([logEvent({ source_ip: "1.1.1.1" }), logEvent({})], { type: "Ip" });
    expect(r.ok ? "" : r.error).toBe("while extracting scope from bucket: scope is Ip but Meta[source_ip] doesn't exist");
  });
});
