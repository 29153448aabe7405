/**
 * The agent and the Local API in one process: the agent logs in as a machine of the local store
 * (created or re-keyed at each start) and its requests go straight to the server's handler — the
 * same route, validation and profiles as alerts pushed over the network, without a socket.
 */
import { randomBytes } from "node:crypto";
import type { Store } from "../db";
import { createLapiClient, type LapiClient, type LapiHandler } from "../lapi";
import { err, ok, problem, type Result } from "../result";

export const LOCAL_MACHINE_ID = "picket-local-agent";

export async function localLapiClient(store: Store, handle: () => LapiHandler, userAgent: string, scenarios: readonly string[]): Promise<Result<LapiClient>> {
  const password = randomBytes(32).toString("base64url");
  const passwordHash = await Bun.password.hash(password, { algorithm: "bcrypt", cost: 4 });
  const added = await store.addMachine({ machineId: LOCAL_MACHINE_ID, passwordHash, ipAddress: "127.0.0.1", isValidated: true, authType: "password" }, { force: true });
  if (!added.ok) return err(problem("daemon.machine", `Cannot register the local agent: ${added.error.message}`));
  const inProcess = (input: string | URL | Request, init?: RequestInit) => {
    const req = typeof input === "string" || input instanceof URL ? new Request(input.toString(), init) : input;
    return handle()(req, "127.0.0.1");
  };
  return ok(createLapiClient({ url: "http://127.0.0.1/", machineId: LOCAL_MACHINE_ID, password, userAgent, scenarios, fetch: inProcess as typeof fetch }));
}
