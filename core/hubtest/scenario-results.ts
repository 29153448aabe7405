/**
 * `results` of scenario.assert (pkg/hubtest/scenario_assert.go): the overflow events of
 * bucket-dump.yaml — each overflow that produced an alert, after postoverflows, whitelisted ones
 * included — sorted descending by `Alert.GetScenario() + join(Overflow.GetSources(), "@")`.
 */
import type { Event } from "../event";
import { goSortArray } from "./go-sort";

function sortKey(evt: Event): string {
  const scenario = evt.Overflow.Alert?.Scenario ?? "";
  return scenario + evt.Overflow.GetSources().join("@");
}

/**
 * In dump (emission) order, then sorted as upstream does with Go's sort.Sort — not stable, so
 * results with equal keys (same scenario and source overflowing twice) keep Go's order.
 */
export function scenarioResults(dump: readonly Event[]): Event[] {
  const keyed = dump.filter((e) => e.Overflow.Alert !== null).map((evt) => ({ evt, key: sortKey(evt) }));
  goSortArray(keyed, (a, b) => a.key > b.key);
  return keyed.map((k) => k.evt);
}
