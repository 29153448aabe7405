/**
 * The Local API's alert and decision routes run in-process against a store, for the admin
 * commands' database mode: the same query parsing, validation and output the server applies
 * (core/lapi), so `--db` and `--url` give the same answers. Failures carry the status and message
 * the server would have answered.
 */
import { alertRecordToWire, decodeAlertsBody, parseAlertFilter, parseDecisionDeleteFilter, wireToNewAlert } from "../../core/lapi";
import type { AlertsApi, LapiProblem, LapiQuery } from "../../core/lapi";
import type { Store } from "../../core/db";
import { err, ok, type Result } from "../../core/result";

export function createLocalApi(store: Store, clock: () => Date = () => new Date()): AlertsApi {
  const fail = (status: number, message: string): Result<never, LapiProblem> => err({ code: "lapi.http", status, message: `API error: ${message}` });
  const params = (query: LapiQuery): URLSearchParams => {
    const p = new URLSearchParams();
    for (const key of Object.keys(query).sort()) if (query[key] !== undefined) p.append(key, String(query[key]));
    return p;
  };
  return {
    async pushAlerts(alerts) {
      const now = clock();
      const decoded = decodeAlertsBody(JSON.parse(JSON.stringify(alerts)));
      if (!decoded.ok) return fail(decoded.status, decoded.message);
      const rows = [];
      for (const alert of decoded.alerts) {
        // admin alerts always carry their decisions, so no profile runs (LAPI.md §5.1 step 4)
        const row = wireToNewAlert(alert, null, now, []);
        if (!row.ok) return fail(500, row.error);
        rows.push(row.value);
      }
      const ids = await store.insertAlerts(rows, now);
      return ok(ids.map(String));
    },
    async findAlerts(query) {
      const now = clock();
      const filter = parseAlertFilter(params(query), now);
      if (!filter.ok) return fail(500, filter.error);
      const records = await store.findAlerts(filter.value, now);
      return ok(records.map((r) => alertRecordToWire(r, now)));
    },
    async getAlert(id) {
      const record = await store.getAlert(id);
      return record ? ok(alertRecordToWire(record, clock())) : fail(404, "object not found");
    },
    async deleteAlerts(query) {
      const now = clock();
      const filter = parseAlertFilter(params(query), now);
      if (!filter.ok) return fail(500, filter.error);
      return ok(await store.deleteAlerts(filter.value, now));
    },
    async deleteAlert(id) {
      const done = await store.deleteAlert(id);
      return done.ok ? ok(1) : fail(500, "ent: alert not found");
    },
    async deleteDecisions(query) {
      const filter = parseDecisionDeleteFilter(params(query));
      if (!filter.ok) return fail(500, filter.error);
      return ok(await store.expireDecisions(filter.value, clock()));
    },
    async deleteDecision(id) {
      const done = await store.expireDecision(id, clock());
      return done.ok ? ok(1) : fail(500, `decision with id '${id}' doesn't exist: unable to delete`);
    },
  };
}
