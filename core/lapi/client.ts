/**
 * A client of CrowdSec's Local API as a machine (watcher): log in with machine id and password,
 * keep the JWT, log in again when the server answers 401 (tokens die with a LAPI restart), and make
 * the requests cscli 1.4.6 and the agent make (LAPI-CLIENTS.md §1, §3, §4). Used by the admin
 * commands (decisions, alerts) and by the daemon when it pushes alerts to a remote LAPI.
 *
 * Failures are values: `LapiProblem` carries the HTTP status (0 when the server could not be
 * reached) and the server's message, rendered like cscli's `API error: <message>`.
 */
import type { WireAlert } from "../alerts";
import { err, ok, type Problem, type Result } from "../result";

export interface LapiClientOptions {
  /** `http://127.0.0.1:8080`, with or without a trailing `/`; a path starting with `/` is a unix socket. */
  url: string;
  machineId: string;
  password: string;
  /** Must split on `/` into exactly two parts (`picket/v0.1.0`): the LAPI refuses the login otherwise. */
  userAgent: string;
  /** Scenario names announced at login (the agent sends its loaded scenarios; cscli sends null). */
  scenarios?: readonly string[] | null;
  /** Per-request time limit; default 30 s. */
  timeoutMs?: number;
  /** For tests: the fetch to use. */
  fetch?: typeof fetch;
}

/** `status` is the HTTP status, 0 when no answer came (connection refused, timeout, bad URL). */
export interface LapiProblem extends Problem {
  status: number;
}

/** Query parameters as cscli sends them; undefined values are left out, keys go out sorted. */
export type LapiQuery = Readonly<Record<string, string | number | boolean | undefined>>;

/** What the admin commands need from a Local API, remote (this client) or in-process. */
export interface AlertsApi {
  /** POST /v1/alerts: the new alert ids, as the server sent them (strings), in input order. */
  pushAlerts(alerts: readonly WireAlert[]): Promise<Result<string[], LapiProblem>>;
  /** GET /v1/alerts?…: `null` answers become an empty list. */
  findAlerts(query: LapiQuery): Promise<Result<WireAlert[], LapiProblem>>;
  /** GET /v1/alerts/{id}. */
  getAlert(id: number): Promise<Result<WireAlert, LapiProblem>>;
  /** DELETE /v1/alerts?…: how many alerts went. */
  deleteAlerts(query: LapiQuery): Promise<Result<number, LapiProblem>>;
  /** DELETE /v1/alerts/{id}. */
  deleteAlert(id: number): Promise<Result<number, LapiProblem>>;
  /** DELETE /v1/decisions?…: how many decisions were expired. */
  deleteDecisions(query: LapiQuery): Promise<Result<number, LapiProblem>>;
  /** DELETE /v1/decisions/{id}. */
  deleteDecision(id: number): Promise<Result<number, LapiProblem>>;
}

export interface LapiClient extends AlertsApi {
  /** POST /v1/watchers/login; the other calls log in by themselves when they need to. */
  login(): Promise<Result<LapiToken, LapiProblem>>;
  /** GET /v1/heartbeat. */
  heartbeat(): Promise<Result<true, LapiProblem>>;
}

export interface LapiToken {
  token: string;
  /** When the server says the token expires. */
  expire: Date;
}

/** Renew a little before the server's expiry so a request never races it. */
const RENEW_MARGIN_MS = 60_000;

export function createLapiClient(options: LapiClientOptions): LapiClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const socket = options.url.startsWith("/") ? options.url : undefined;
  const base = socket ? "http://localhost/" : options.url.endsWith("/") ? options.url : `${options.url}/`;
  let current: LapiToken | null = null;

  type Answer = { status: number; body: unknown; text: string };

  async function send(method: string, path: string, body: unknown, token: string | null): Promise<Result<Answer, LapiProblem>> {
    const headers: Record<string, string> = { "User-Agent": options.userAgent, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    let url: string;
    try {
      url = new URL(path, base).href;
    } catch {
      return err(lapiProblem(0, "lapi.url", `Invalid Local API URL "${options.url}"`));
    }
    const init: RequestInit & { unix?: string } = {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    };
    if (socket) init.unix = socket;
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return err(lapiProblem(0, "lapi.unreachable", `Cannot reach the Local API at ${options.url}: ${why}`));
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return ok({ status: response.status, body: parsed, text });
  }

  async function login(): Promise<Result<LapiToken, LapiProblem>> {
    const answer = await send("POST", "v1/watchers/login", { machine_id: options.machineId, password: options.password, scenarios: options.scenarios ?? null }, null);
    if (!answer.ok) return answer;
    const { status, body } = answer.value;
    if (status !== 200) {
      return err(lapiProblem(status, "lapi.login", `Failed to authenticate to Local API (LAPI) : API error: ${messageOf(answer.value)}`));
    }
    const token = isRecord(body) && typeof body.token === "string" ? body.token : "";
    const expire = isRecord(body) && typeof body.expire === "string" ? new Date(body.expire) : new Date(NaN);
    if (token === "" || Number.isNaN(expire.getTime())) {
      return err(lapiProblem(status, "lapi.login", "Failed to authenticate to Local API (LAPI) : unable to parse jwt expiration"));
    }
    current = { token, expire };
    return ok(current);
  }

  /** One authenticated request; a 401 (expired or unknown token) gets one fresh login and a retry. */
  async function authed(method: string, path: string, body?: unknown): Promise<Result<Answer, LapiProblem>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (current === null || current.expire.getTime() - Date.now() < RENEW_MARGIN_MS) {
        const l = await login();
        if (!l.ok) return l;
      }
      const answer = await send(method, path, body, current!.token);
      if (!answer.ok) return answer;
      if (answer.value.status === 401 && attempt === 0) {
        current = null;
        continue;
      }
      return answer;
    }
    throw new Error("authed(): the retry loop always returns");
  }

  function expectStatus(answer: Answer, wanted: number): Result<Answer, LapiProblem> {
    if (answer.status === wanted) return ok(answer);
    return err(lapiProblem(answer.status, "lapi.http", `API error: ${messageOf(answer)}`));
  }

  async function nbDeleted(method: string, path: string): Promise<Result<number, LapiProblem>> {
    const answer = await authed(method, path);
    if (!answer.ok) return answer;
    const checked = expectStatus(answer.value, 200);
    if (!checked.ok) return checked;
    const body = checked.value.body;
    const n = isRecord(body) ? Number(body.nbDeleted) : NaN;
    if (!Number.isInteger(n)) return err(lapiProblem(200, "lapi.answer", `Unexpected answer from the Local API: ${clip(checked.value.text)}`));
    return ok(n);
  }

  return {
    login,
    async heartbeat() {
      const answer = await authed("GET", "v1/heartbeat");
      if (!answer.ok) return answer;
      const checked = expectStatus(answer.value, 200);
      return checked.ok ? ok(true) : checked;
    },
    async pushAlerts(alerts) {
      const answer = await authed("POST", "v1/alerts", alerts);
      if (!answer.ok) return answer;
      const checked = expectStatus(answer.value, 201);
      if (!checked.ok) return checked;
      const body = checked.value.body;
      if (!Array.isArray(body) || !body.every((id) => typeof id === "string")) {
        return err(lapiProblem(201, "lapi.answer", `Unexpected answer from the Local API: ${clip(checked.value.text)}`));
      }
      return ok(body as string[]);
    },
    async findAlerts(query) {
      const answer = await authed("GET", `v1/alerts${encodeQuery(query)}`);
      if (!answer.ok) return answer;
      const checked = expectStatus(answer.value, 200);
      if (!checked.ok) return checked;
      const body = checked.value.body;
      if (body === null) return ok([]);
      if (!Array.isArray(body)) return err(lapiProblem(200, "lapi.answer", `Unexpected answer from the Local API: ${clip(checked.value.text)}`));
      return ok(body as WireAlert[]);
    },
    async getAlert(id) {
      const answer = await authed("GET", `v1/alerts/${id}`);
      if (!answer.ok) return answer;
      const checked = expectStatus(answer.value, 200);
      if (!checked.ok) return checked;
      const body = checked.value.body;
      if (!isRecord(body)) return err(lapiProblem(200, "lapi.answer", `Unexpected answer from the Local API: ${clip(checked.value.text)}`));
      return ok(body as unknown as WireAlert);
    },
    deleteAlerts: (query) => nbDeleted("DELETE", `v1/alerts${encodeQuery(query)}`),
    deleteAlert: (id) => nbDeleted("DELETE", `v1/alerts/${id}`),
    deleteDecisions: (query) => nbDeleted("DELETE", `v1/decisions${encodeQuery(query)}`),
    deleteDecision: (id) => nbDeleted("DELETE", `v1/decisions/${id}`),
  };
}

/** `?a=1&b=x` with keys sorted, as Go's url.Values.Encode writes them; empty when nothing is set. */
export function encodeQuery(query: LapiQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

function lapiProblem(status: number, code: string, message: string): LapiProblem {
  return { code, message, status };
}

/** The server's `{"message": …}` (or the bare status when the body has none). */
function messageOf(answer: { status: number; body: unknown; text: string }): string {
  if (isRecord(answer.body) && typeof answer.body.message === "string") return answer.body.message;
  return answer.text === "" ? `http ${answer.status}` : `http ${answer.status}: ${clip(answer.text)}`;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
