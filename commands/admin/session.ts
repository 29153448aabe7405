/**
 * One admin command's connection: the store opened directly, or a Local API client logged in as a
 * machine, behind the same `AlertsApi`; closed when the action ends.
 */
import type { ExitCode } from "../../cli/exit";
import type { Io } from "../../cli/io";
import { openConfiguredStore, openStore, type Store } from "../../core/db";
import { createLapiClient, type AlertsApi } from "../../core/lapi";
import { problem, err, ok, type Problem, type Result } from "../../core/result";
import pkg from "../../package.json" with { type: "json" };
import { resolveAccess, resolveStore, type StoreTarget } from "./access";
import { reportSetupProblem } from "./cscli";
import type { Flags } from "./flags";
import { createLocalApi } from "./local-api";

/** `picket/v0.1.0`: the Local API wants exactly one `/` in a machine's User-Agent. */
export const USER_AGENT = `picket/v${pkg.version}`;

export interface AdminSession {
  readonly api: AlertsApi;
  /** The machine the requests are made as (cscli's `manual 'ban' from '<machine>'`); "picket" on the database. */
  readonly machine: string;
  close(): Promise<void>;
}

export async function openAdminStore(target: StoreTarget): Promise<Result<Store, Problem>> {
  try {
    if (!target.fromConfig) return await openStore(target);
    const opened = await openConfiguredStore(target);
    return opened.ok ? ok(opened.value.store) : opened;
  } catch (e) {
    const where = target.kind === "sqlite" ? target.path : target.url;
    return err(problem("db.open", `Cannot open the database "${where}": ${e instanceof Error ? e.message : String(e)}`));
  }
}

export async function openSession(flags: Flags, defaultConfig?: string): Promise<Result<AdminSession, Problem>> {
  const access = resolveAccess(flags, defaultConfig);
  if (!access.ok) return access;
  if (access.value.kind === "api") {
    const { url, machineId, password } = access.value.api;
    const api = createLapiClient({ url, machineId, password, userAgent: USER_AGENT });
    return ok({ api, machine: machineId, close: async () => {} });
  }
  const store = await openAdminStore(access.value.store);
  if (!store.ok) return store;
  return ok({ api: createLocalApi(store.value), machine: "picket", close: () => store.value.close() });
}

/** Runs an action with a session, reporting setup problems, and always closes it. */
export async function withSession(flags: Flags, io: Io, body: (session: AdminSession) => Promise<ExitCode>): Promise<ExitCode> {
  const session = await openSession(flags);
  if (!session.ok) return reportSetupProblem(io, session.error);
  try {
    return await body(session.value);
  } finally {
    await session.value.close();
  }
}

/** Runs an action on the store named by --db / -c (machines, bouncers, alerts flush). */
export async function withStore(flags: Flags, io: Io, body: (store: Store) => Promise<ExitCode>): Promise<ExitCode> {
  const target = resolveStore(flags);
  if (!target.ok) return reportSetupProblem(io, target.error);
  const store = await openAdminStore(target.value);
  if (!store.ok) return reportSetupProblem(io, store.error);
  try {
    return await body(store.value);
  } finally {
    await store.value.close();
  }
}
