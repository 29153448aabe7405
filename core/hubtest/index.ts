/**
 * `cscli hubtest` in-process: discover tests, run each against its items and log, judge its
 * parser.assert / scenario.assert lines (HUBTEST.md).
 */
export { discoverTests, readTestConfig, type HubtestConfig } from "./test-config";
export { runHubtest, type HubtestEnv } from "./run-test";
export { type HubtestOutcome, type HubtestStatus, type AssertFailure } from "./runner";
export { compileAssertFile, compileAssertion, BASENAME, type AssertKind } from "./asserts";
export { runHubtestsInWorkers } from "./parallel";
