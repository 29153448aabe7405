/**
 * Simulation (simulation.yaml, PROFILES.md §6): a scenario is simulated when the global switch
 * and its presence in `exclusions` disagree; its alerts then carry `simulated: true`.
 */

export interface SimulationConfig {
  /** The global switch (`simulation: on|off`). */
  readonly simulation: boolean;
  /** Scenario names whose mode is the opposite of the global one. */
  readonly exclusions: readonly string[];
}

/** Current upstream looks scenarios up by their `name:`. */
export function isSimulated(config: SimulationConfig, scenario: string): boolean {
  return config.simulation !== config.exclusions.includes(scenario);
}

/** The simulated names among `scenarios`, for the bucket engine's `simulated` option. */
export function simulatedScenarios(config: SimulationConfig, scenarios: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of scenarios) if (isSimulated(config, name)) out.add(name);
  return out;
}
