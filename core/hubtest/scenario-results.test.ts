import { describe, expect, test } from "bun:test";
import { Alert, Event, newMap, OVFLW, RuntimeAlert, Source } from "../event";
import { scenarioResults } from "./scenario-results";

function overflow(scenario: string | null, ...sources: string[]): Event {
  const e = new Event();
  e.Type = OVFLW;
  e.Overflow = new RuntimeAlert();
  e.Overflow.Sources = newMap<Source>();
  for (const s of sources) e.Overflow.Sources[s] = new Source();
  if (scenario !== null) {
    e.Overflow.Alert = new Alert();
    e.Overflow.Alert.Scenario = scenario;
  }
  return e;
}

describe("scenarioResults()", () => {
  test("sorts descending by scenario + sources joined with @, and drops overflows without alert", () => {
    const dump = [
      overflow("crowdsecurity/ssh-bf", "35.188.49.176"),
      overflow("crowdsecurity/ssh-bf_user-enum", "35.188.49.176"),
      overflow(null),
      overflow("crowdsecurity/CVE-2022-26134", "1.2.3.4"),
      overflow("crowdsecurity/CVE-2022-26134", "1.2.3.5"),
      overflow("a/multi", "1.1.1.1", "2.2.2.2"),
    ];
    const keys = scenarioResults(dump).map((e) => `${e.Overflow.Alert!.Scenario}${e.Overflow.GetSources().join("@")}`);
    expect(keys).toEqual([
      "crowdsecurity/ssh-bf_user-enum35.188.49.176",
      "crowdsecurity/ssh-bf35.188.49.176",
      "crowdsecurity/CVE-2022-261341.2.3.5",
      "crowdsecurity/CVE-2022-261341.2.3.4",
      "a/multi1.1.1.1@2.2.2.2",
    ]);
  });

  test("keeps whitelisted overflows (current upstream dumps them after postoverflows)", () => {
    const e = overflow("a/x", "1.1.1.1");
    e.Overflow.Whitelisted = true;
    expect(scenarioResults([e])).toEqual([e]);
  });
});
