/** Runs hubtests on worker threads, reporting outcomes in the order of `names` as they complete. */
import type { HubtestEnv } from "./run-test";
import type { HubtestOutcome } from "./runner";
import type { WorkerRequest } from "./worker";

export async function runHubtestsInWorkers(
  names: readonly string[],
  env: Omit<HubtestEnv, "index">,
  testsDir: string,
  jobs: number,
  report: (outcome: HubtestOutcome) => void,
): Promise<void> {
  const count = Math.max(1, Math.min(jobs, names.length));
  const done = new Map<number, HubtestOutcome>();
  let nextToReport = 0;
  let nextToSend = 0;
  const flush = () => {
    while (done.has(nextToReport)) {
      report(done.get(nextToReport)!);
      done.delete(nextToReport++);
    }
  };
  await Promise.all(
    Array.from({ length: count }, () => {
      const worker = new Worker(workerEntry());
      const send = (req: WorkerRequest) => worker.postMessage(req);
      send({ kind: "init", env, testsDir });
      return new Promise<void>((resolve, reject) => {
        let current = -1;
        const next = () => {
          if (nextToSend >= names.length) {
            worker.terminate();
            resolve();
            return;
          }
          current = nextToSend++;
          send({ kind: "run", name: names[current]! });
        };
        worker.onmessage = (e: MessageEvent<HubtestOutcome>) => {
          done.set(current, e.data);
          flush();
          next();
        };
        worker.onerror = (e) => {
          worker.terminate();
          reject(new Error(`hubtest worker failed: ${e.message}`));
        };
        next();
      });
    }),
  );
  flush();
}

/**
 * In the compiled executable, entry points live in Bun's embedded file system under their path from
 * the project root (package.json's build script adds this worker as one); from source, beside this file.
 */
function workerEntry(): string {
  return import.meta.url.startsWith("file:///$bunfs/") ? "./core/hubtest/worker.ts" : new URL("./worker.ts", import.meta.url).href;
}
