/** `picket hubtest run`: the hub's test suites, in-process, one line per test and a closing count. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { EXIT, type ExitCode } from "../cli/exit";
import type { Io } from "../cli/io";
import { isAppsecTest, runAppsecTest } from "../core/appsec";
import { loadHubIndex } from "../core/hub";
import { discoverTests, readTestConfig, runHubtest, runHubtestsInWorkers, type HubtestOutcome } from "../core/hubtest";

export interface HubtestRunOptions {
  readonly hub: string;
  readonly tests?: string;
  readonly data?: string;
  readonly geoip?: string;
  readonly json: boolean;
  readonly jobs?: number;
  readonly names: readonly string[];
  /** Fixed clock for reproducible runs (ms since epoch); default now. */
  readonly nowMs?: number;
}

export async function hubtestRun(opts: HubtestRunOptions, io: Io): Promise<ExitCode> {
  const testsDir = resolve(opts.tests ?? join(resolve(opts.hub), ".tests"));
  // `--tests <hub>/.appsec-tests` alone: the hub is the tests directory's parent
  const hubRoot = !existsSync(join(resolve(opts.hub), ".index.json")) && existsSync(join(dirname(testsDir), ".index.json")) ? dirname(testsDir) : resolve(opts.hub);
  if (!existsSync(testsDir)) {
    io.err(`picket hubtest: no tests directory at "${testsDir}"`);
    return EXIT.CONFIG;
  }
  const index = loadHubIndex(hubRoot);
  if (!index.ok) {
    io.problems([index.error]);
    return EXIT.CONFIG;
  }
  const all = discoverTests(testsDir);
  const unknown = opts.names.filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    io.err(`picket hubtest: no such test: ${unknown.join(", ")}`);
    return EXIT.USAGE;
  }
  const names = opts.names.length > 0 ? [...opts.names] : all;
  const env = {
    hubRoot,
    index: index.value,
    dataMirror: opts.data && resolve(opts.data),
    geoipDir: opts.geoip && resolve(opts.geoip),
    nowMs: opts.nowMs ?? Date.now(),
  };
  const c = io.color;
  let passed = 0;
  let failed = 0;
  const report = (result: HubtestOutcome) => {
    if (result.status === "pass") passed++;
    else failed++;
    if (opts.json) io.json(result);
    else if (result.status === "pass") io.out(`${c.green("PASS")} ${result.name}`);
    else io.out(`${c.red("FAIL")} ${result.name}: ${result.reason ?? "failed"}`);
  };
  const jobs = opts.jobs ?? navigator.hardwareConcurrency;
  // AppSec tests (a nuclei template) run in-process through core/appsec, sequentially as upstream
  const hasAppsec = names.some((n) => {
    const c = readTestConfig(join(testsDir, n), n);
    return c.ok && isAppsecTest(c.value);
  });
  if (jobs > 1 && names.length > 1 && !hasAppsec) {
    const { index: _index, ...workerEnv } = env;
    await runHubtestsInWorkers(names, workerEnv, testsDir, jobs, report);
  } else {
    for (const name of names) {
      const config = readTestConfig(join(testsDir, name), name);
      report(config.ok ? (isAppsecTest(config.value) ? runAppsecTest(config.value, env) : runHubtest(config.value, env)) : { name, status: "error", reason: config.error.message, failures: [], parserAsserts: 0, scenarioAsserts: 0, lines: 0 });
    }
  }
  const summary = `hubtest: ${passed} passed, ${failed} failed`;
  if (opts.json) io.err(summary);
  else io.out(summary);
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}
