import { describe, expect, test } from "bun:test";
import { Alert, Event, newLogEvent, OVFLW, Source } from "../event";
import { resolveTarget, setTarget } from "./target";

describe("resolveTarget()", () => {
  const cases = [
    { text: "evt.StrTime", want: { fields: ["StrTime"] } },
    { text: "StrTime", want: { fields: ["StrTime"] } },
    { text: "evt.Line.Module", want: { fields: ["Line", "Module"] } },
    { text: "evt.Parsed.x", want: { fields: ["Parsed"], mapKey: "x" } },
    { text: "evt.Meta.x.ignored", want: { fields: ["Meta"], mapKey: "x" } },
    { text: "evt.Unmarshaled.u", want: { fields: ["Unmarshaled"], mapKey: "u" } },
    { text: "evt.Line.Labels.type", want: { fields: ["Line", "Labels"], mapKey: "type" } },
    { text: "evt.Overflow.Alert.Source.Value", want: { fields: ["Overflow", "Alert", "Source", "Value"] } },
    { text: "evt.Overflow.Mapkey", want: { fields: ["Overflow", "Mapkey"] } },
    { text: "evt.evt.StrTime", want: undefined },
    { text: "evt", want: undefined },
    { text: "evt.Parsed", want: undefined },
    { text: "evt.Line", want: undefined },
    { text: "evt.line.raw", want: undefined },
    { text: "evt.Type", want: undefined },
    { text: "evt.Whitelisted", want: undefined },
    { text: "evt.Time", want: undefined },
    { text: "evt.Time.wall", want: undefined },
    { text: "evt.StrTime.x", want: undefined },
    { text: "evt.Overflow.Sources.x", want: undefined },
    { text: "evt.Overflow.APIAlerts.0", want: undefined },
  ];
  test.each(cases)("$text", ({ text, want }) => {
    const plan = resolveTarget(text);
    expect(plan && { fields: plan.fields, ...(plan.mapKey !== undefined ? { mapKey: plan.mapKey } : {}) }).toEqual(want);
  });
});

describe("setTarget()", () => {
  const set = (evt: Event, text: string, value: string) => setTarget(evt, resolveTarget(text)!, value);

  test("writes through struct fields and into maps", () => {
    const evt = newLogEvent({ raw: "x", labels: { type: "t" } });
    evt.Parsed = Object.create(null) as Record<string, string>;
    const written = [set(evt, "evt.StrTime", "a"), set(evt, "evt.Line.Raw", "b"), set(evt, "evt.Parsed.k", "c"), set(evt, "Line.Labels.type", "d")];
    expect([written, evt.StrTime, evt.Line.Raw, { ...evt.Parsed }, { ...evt.Line.Labels }]).toEqual([[true, true, true, true], "a", "b", { k: "c" }, { type: "d" }]);
  });

  test("writes nothing through a nil map or a nil pointer, as upstream", () => {
    const evt = new Event();
    evt.Type = OVFLW;
    const nilMap = set(evt, "evt.Meta.k", "v");
    const nilAlert = set(evt, "evt.Overflow.Alert.Source.Value", "v");
    evt.Overflow.Alert = new Alert();
    const nilSource = set(evt, "evt.Overflow.Alert.Source.Value", "v");
    evt.Overflow.Alert.Source = new Source();
    const nilString = set(evt, "evt.Overflow.Alert.Source.Value", "v");
    evt.Overflow.Alert.Source.Value = "1.2.3.4";
    const written = set(evt, "evt.Overflow.Alert.Source.Value", "1.2.3.0/24");
    expect([nilMap, nilAlert, nilSource, nilString, written, evt.Meta, evt.Overflow.Alert.Source.Value]).toEqual([false, false, false, false, true, null, "1.2.3.0/24"]);
  });
});
