import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WireAlert } from "../alerts";
import { err, ok, type Problem, type Result } from "../result";
import { startDelivery } from "./delivery";
import { AlertQueue } from "./queue";

const dir = mkdtempSync(join(tmpdir(), "picket-delivery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wireAlert = (ip: string): WireAlert => ({
  capacity: 5, events: [], events_count: 6, leakspeed: "10s", message: `${ip} triggered`, scenario: "test/scenario", scenario_hash: "h", scenario_version: "",
  simulated: false, source: { scope: "Ip", value: ip, ip }, start_at: "2026-11-23T10:00:00Z", stop_at: "2026-11-23T10:00:01Z",
});

type Answer = Result<unknown, Problem & { status: number }>;
const down: Answer = err({ code: "lapi.unreachable", message: "connection refused", status: 0 });
const invalid: Answer = err({ code: "lapi.http", message: "API error: invalid alert", status: 422 });

/** A Local API that answers from a script, then 201 for everything; it records what it accepted. */
function fakeApi(script: ((alerts: readonly WireAlert[]) => Answer)[]) {
  const accepted: string[] = [];
  let calls = 0;
  const push = async (alerts: readonly WireAlert[]) => {
    const step = script[calls++];
    const r = step ? step(alerts) : ok(null);
    if (r.ok) accepted.push(...alerts.map((a) => a.source.value));
    return r;
  };
  return { push, accepted, calls: () => calls };
}

describe("startDelivery()", () => {
  test("an unreachable API is retried until it answers; nothing is lost and nothing sent twice", async () => {
    const queue = new AlertQueue(join(dir, "retry.db"));
    const api = fakeApi([() => down, () => down, () => down]);
    const logs: string[] = [];
    const d = startDelivery({ queue, push: api.push, minBackoffMs: 1, maxBackoffMs: 4, log: (l) => logs.push(l) });
    queue.push([wireAlert("192.0.2.1"), wireAlert("192.0.2.2")]);
    d.kick();
    expect(await d.drain(5000)).toBe(true);
    await d.stop();
    expect(api.accepted).toEqual(["192.0.2.1", "192.0.2.2"]);
    expect(api.calls()).toBe(4);
    expect(logs).toEqual(["Cannot deliver alerts: connection refused; 2 queued on disk, retrying", "Local API reachable again: delivering 2 queued alert(s)"]);
    expect(queue.length).toBe(0);
    queue.close();
  });

  test("an alert the API refuses as invalid is set aside; the others are delivered", async () => {
    const queue = new AlertQueue(join(dir, "invalid.db"));
    const api = fakeApi([() => invalid, () => ok(null), () => invalid, () => ok(null)]);
    const d = startDelivery({ queue, push: api.push, minBackoffMs: 1 });
    queue.push([wireAlert("192.0.2.1"), wireAlert("192.0.2.2"), wireAlert("192.0.2.3")]);
    d.kick();
    expect(await d.drain(5000)).toBe(true);
    await d.stop();
    expect(api.accepted).toEqual(["192.0.2.1", "192.0.2.3"]);
    expect(queue.rejectedCount()).toBe(1);
    queue.close();
  });

  test("alerts queued before the start are delivered without a kick", async () => {
    const queue = new AlertQueue(join(dir, "earlier.db"));
    queue.push([wireAlert("192.0.2.7")]);
    const api = fakeApi([]);
    const d = startDelivery({ queue, push: api.push });
    expect(await d.drain(5000)).toBe(true);
    await d.stop();
    expect(api.accepted).toEqual(["192.0.2.7"]);
    queue.close();
  });
});
