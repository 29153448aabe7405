/**
 * A hubtest worker thread: loads the hub index once, then runs the tests it is sent, one at a
 * time, and posts each outcome back. Outcomes are plain data, so they cross the thread boundary.
 */
import { join } from "node:path";
import { loadHubIndex, type HubIndex } from "../hub";
import { runHubtest, type HubtestEnv } from "./run-test";
import { outcome } from "./runner";
import { readTestConfig } from "./test-config";

export type WorkerRequest =
  | { readonly kind: "init"; readonly env: Omit<HubtestEnv, "index">; readonly testsDir: string }
  | { readonly kind: "run"; readonly name: string };

declare const self: Worker;

let env: HubtestEnv | undefined;
let testsDir = "";

self.onmessage = (message: MessageEvent<WorkerRequest>) => {
  const req = message.data;
  if (req.kind === "init") {
    const index = loadHubIndex(req.env.hubRoot);
    const hubIndex: HubIndex | undefined = index.ok ? index.value : undefined;
    env = { ...req.env, index: hubIndex };
    testsDir = req.testsDir;
    return;
  }
  if (!env) throw new Error("hubtest worker: run before init");
  const config = readTestConfig(join(testsDir, req.name), req.name);
  postMessage(config.ok ? runHubtest(config.value, env) : outcome(req.name, "error", { reason: config.error.message }));
};
