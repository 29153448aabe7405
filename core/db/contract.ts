/**
 * The suite every Store back end passes (sqlite.test.ts, postgres.test.ts): one fixture of alerts
 * and decisions shaped to hit each LAPI rule (LAPI.md §5–§11), then tables of filters and the tags
 * of the rows they must return. Times come from a fixed clock; the store never reads the wall
 * clock for anything asserted here except machine/bouncer bookkeeping.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseIpOrRange, rangeForDecision } from "./ip-range";
import type { AlertFilter, DecisionDeleteFilter, DecisionFilter, NewAlert, NewDecision, RangeQuery, Store } from "./types";

const NOW = new Date("2026-11-23T18:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

interface DecisionSpec {
  tag: string;
  type: string;
  scope: string;
  value: string;
  origin: string;
  scenario: string;
  untilMs: number;
  simulated?: boolean;
}

interface AlertSpec {
  tag: string;
  scenario: string;
  scope: string;
  value: string;
  startedAt: string;
  machineId: string | null;
  simulated?: boolean;
  labels?: string[];
  decisions: DecisionSpec[];
}

function newDecision(d: DecisionSpec, alertSimulated: boolean): NewDecision {
  const range = rangeForDecision(d.scope, d.value);
  if (!range.ok) throw new Error(`bad fixture value ${d.value}`);
  return {
    type: d.type,
    scope: d.scope,
    value: d.value,
    origin: d.origin,
    scenario: d.scenario,
    simulated: d.simulated ?? alertSimulated,
    until: at(d.untilMs),
    range: range.value,
    uuid: d.tag,
  };
}

export function newAlert(a: AlertSpec): NewAlert {
  const simulated = a.simulated ?? false;
  return {
    machineId: a.machineId,
    scenario: a.scenario,
    scenarioHash: "hash",
    scenarioVersion: "0.1",
    message: `${a.scope} ${a.value} performed '${a.scenario}'`,
    eventsCount: 6,
    capacity: 5,
    leakSpeed: "10s",
    simulated,
    remediation: true,
    startedAt: a.startedAt,
    stoppedAt: a.startedAt,
    source: {
      scope: a.scope,
      value: a.value,
      ip: a.scope === "Ip" ? a.value : "",
      range: a.scope === "Range" ? a.value : "",
      asNumber: "64496",
      asName: "EXAMPLE",
      country: "FR",
      latitude: 48.85,
      longitude: 2.35,
    },
    labels: a.labels ?? null,
    events: [{ timestamp: a.startedAt, meta: [{ key: "source_ip", value: a.value }, { key: "tag", value: a.tag }] }],
    meta: [{ key: "tag", value: a.tag }],
    decisions: a.decisions.map((d) => newDecision(d, simulated)),
    uuid: a.tag,
    kind: "",
  };
}

const ban = (tag: string, scope: string, value: string, origin: string, scenario: string, untilMs: number): DecisionSpec => ({
  tag,
  type: "ban",
  scope,
  value,
  origin,
  scenario,
  untilMs,
});

const SSH_BF = "crowdsecurity/ssh-bf";
const SLOW_BF = "crowdsecurity/ssh-slow-bf";

/** Created at NOW - 2 h. */
const BATCH_1: AlertSpec[] = [
  {
    tag: "A1",
    scenario: SSH_BF,
    scope: "Ip",
    value: "1.2.3.4",
    startedAt: "2026-11-23T15:59:00.000000001Z",
    machineId: "m1",
    labels: ["ssh", "bf"],
    decisions: [ban("D1", "Ip", "1.2.3.4", "crowdsec", SSH_BF, 2 * HOUR)],
  },
  {
    tag: "A2",
    scenario: "crowdsecurity/http-probing",
    scope: "Range",
    value: "10.0.0.0/24",
    startedAt: "2026-11-23T15:59:00Z",
    machineId: "m1",
    decisions: [ban("D2", "Range", "10.0.0.0/24", "cscli", "manual 'ban' from 'm1'", HOUR)],
  },
  {
    tag: "A3",
    scenario: SSH_BF,
    scope: "Ip",
    value: "2001:db8::1",
    // 14:59:30Z: the offset counts
    startedAt: "2026-11-23T15:59:30+01:00",
    machineId: "ghost",
    decisions: [
      { tag: "D3", type: "captcha", scope: "Ip", value: "2001:db8::1", origin: "cscli", scenario: "manual", untilMs: -10 * MIN },
      ban("D10", "Ip", "3.3.3.3", "crowdsec", SSH_BF, -2 * HOUR),
      // the delta `deleted` window is (since - 2 s, now): D11 sits on its open bound, D12 just inside
      ban("D11", "Ip", "4.4.4.4", "crowdsec", SSH_BF, -HOUR - 2000),
      ban("D12", "Ip", "4.4.4.5", "crowdsec", SSH_BF, -HOUR - 1999),
    ],
  },
];

/** Created at NOW - 1 h: exactly the `since` of the delta tests, so not "new" (strict >). */
const BATCH_3: AlertSpec[] = [
  {
    tag: "A9",
    scenario: "crowdsecurity/http-bad-user-agent",
    scope: "Ip",
    value: "6.6.6.6",
    startedAt: "2026-11-23T16:59:00Z",
    machineId: "m1",
    decisions: [
      { tag: "D13", type: "captcha", scope: "Ip", value: "6.6.6.6", origin: "crowdsec", scenario: "crowdsecurity/http-bad-user-agent", untilMs: HOUR },
    ],
  },
];

/** Created at NOW - 30 min. */
const BATCH_2: AlertSpec[] = [
  {
    tag: "A4",
    scenario: "update : +2/-0 IPs",
    scope: "crowdsecurity/community-blocklist",
    value: "",
    startedAt: "2026-11-23T17:29:00Z",
    machineId: null,
    decisions: [
      ban("D4", "Ip", "7.7.7.7", "CAPI", "crowdsecurity/http-bf", 24 * HOUR),
      ban("D5", "Range", "2001:db8::/32", "lists", "firehol_level1", 24 * HOUR),
    ],
  },
  {
    tag: "A5",
    scenario: SSH_BF,
    scope: "Ip",
    value: "5.6.7.8",
    startedAt: "2026-11-23T17:29:00Z",
    machineId: "m1",
    simulated: true,
    decisions: [ban("D6", "Ip", "5.6.7.8", "crowdsec", SSH_BF, HOUR)],
  },
  { tag: "A6", scenario: SLOW_BF, scope: "Ip", value: "9.9.9.9", startedAt: "2026-11-23T17:29:00Z", machineId: "m1", decisions: [] },
  {
    tag: "A7",
    scenario: "crowdsecurity/geo-block",
    scope: "Country",
    value: "FR",
    startedAt: "2026-11-23T17:29:00Z",
    machineId: "m1",
    decisions: [ban("D7", "Country", "FR", "crowdsec", "crowdsecurity/geo-block", 3 * HOUR)],
  },
  {
    tag: "A8",
    scenario: SLOW_BF,
    scope: "Ip",
    value: "1.2.3.4",
    startedAt: "2026-11-23T17:29:00Z",
    machineId: "m1",
    // both share (value, type, scope) with the longer D1: stream dedup hides them
    decisions: [ban("D8", "Ip", "1.2.3.4", "crowdsec", SLOW_BF, 30 * MIN), ban("D9", "Ip", "1.2.3.4", "crowdsec", SLOW_BF, -5 * MIN)],
  },
];

async function addFixture(store: Store): Promise<Map<string, number>> {
  const added = await store.addMachine({ machineId: "m1", passwordHash: "$2a$hash", isValidated: true });
  if (!added.ok) throw new Error(added.error.message);
  const ids = new Map<string, number>();
  for (const [batch, created] of [
    [BATCH_1, at(-2 * HOUR)],
    [BATCH_3, at(-HOUR)],
    [BATCH_2, at(-30 * MIN)],
  ] as const) {
    const got = await store.insertAlerts(batch.map(newAlert), created);
    batch.forEach((a, i) => ids.set(a.tag, got[i]!));
  }
  return ids;
}

function range(text: string, contains = true): RangeQuery {
  const r = parseIpOrRange(text);
  if (!r.ok) throw new Error(text);
  return { range: r.value, contains };
}

const byTag = (a: string, b: string): number => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);
const tags = (rows: readonly { uuid: string }[]): string[] => rows.map((r) => r.uuid).sort(byTag);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const DESC_ALL = ["A8", "A7", "A6", "A5", "A4", "A9", "A3", "A2", "A1"];

const DECISION_CASES: { name: string; filter: DecisionFilter; want: string[] }[] = [
  { name: "no filter: active, not simulated", filter: {}, want: ["D1", "D2", "D4", "D5", "D7", "D8", "D13"] },
  { name: "includeSimulated", filter: { includeSimulated: true }, want: ["D1", "D2", "D4", "D5", "D6", "D7", "D8", "D13"] },
  { name: "ip 1.2.3.4 (no dedup)", filter: { range: range("1.2.3.4") }, want: ["D1", "D8"] },
  { name: "ip 10.0.0.5 inside a Range decision", filter: { range: range("10.0.0.5") }, want: ["D2"] },
  { name: "range equal to the decision", filter: { range: range("10.0.0.0/24") }, want: ["D2"] },
  { name: "wider range, contains=true", filter: { range: range("10.0.0.0/16") }, want: [] },
  { name: "wider range, contains=false", filter: { range: range("10.0.0.0/16", false) }, want: ["D2"] },
  { name: "every v4, contains=false", filter: { range: range("0.0.0.0/0", false) }, want: ["D1", "D2", "D4", "D8", "D13"] },
  { name: "v4-mapped query is v4", filter: { range: range("::ffff:1.2.3.4") }, want: ["D1", "D8"] },
  { name: "v6 ip inside a v6 range", filter: { range: range("2001:db8::1") }, want: ["D5"] },
  { name: "v6 /48 inside a v6 /32", filter: { range: range("2001:db8:1::/48") }, want: ["D5"] },
  { name: "v6 /16 holds the /32, contains=false", filter: { range: range("2001:db8::/16", false) }, want: ["D5"] },
  { name: "v6 /48 does not hold the /32", filter: { range: range("2001:db8::/48", false) }, want: [] },
  { name: "every v6, contains=false, no v4 rows", filter: { range: range("::/0", false) }, want: ["D5"] },
  { name: "v6 outside", filter: { range: range("2001:db9::1") }, want: [] },
  { name: "scopes Country", filter: { scopes: ["Country"] }, want: ["D7"] },
  { name: "scopes Ip,Range", filter: { scopes: ["Ip", "Range"] }, want: ["D1", "D2", "D4", "D5", "D8", "D13"] },
  { name: "scopes are exact (folding is the caller's)", filter: { scopes: ["ip"] }, want: [] },
  { name: "empty scope list", filter: { scopes: [] }, want: [] },
  { name: "value", filter: { value: "1.2.3.4" }, want: ["D1", "D8"] },
  { name: "type captcha", filter: { type: "captcha" }, want: ["D13"] },
  { name: "origins cscli", filter: { origins: ["cscli"] }, want: ["D2"] },
  { name: "origins CAPI,lists", filter: { origins: ["CAPI", "lists"] }, want: ["D4", "D5"] },
  { name: "origins are exact case", filter: { origins: ["capi"] }, want: [] },
  { name: "scenarios containing, any case", filter: { scenariosContaining: ["SSH"] }, want: ["D1", "D8"] },
  { name: "scenarios containing any word", filter: { scenariosContaining: ["geo", "firehol"] }, want: ["D5", "D7"] },
  { name: "scenarios not containing", filter: { scenariosNotContaining: ["ssh", "HTTP"] }, want: ["D2", "D5", "D7"] },
  { name: "ip with ip scope and type", filter: { range: range("1.2.3.4"), scopes: ["Ip"], type: "ban", value: "1.2.3.4" }, want: ["D1", "D8"] },
];

const STREAM_CASES: { name: string; filter?: DecisionFilter; dedup: boolean; since: Date | null; side: "new" | "deleted"; want: string[] }[] = [
  { name: "startup new, dedup", dedup: true, since: null, side: "new", want: ["D1", "D2", "D4", "D5", "D7", "D13"] },
  { name: "startup new, no dedup", dedup: false, since: null, side: "new", want: ["D1", "D2", "D4", "D5", "D7", "D8", "D13"] },
  { name: "startup deleted, dedup", dedup: true, since: null, side: "deleted", want: ["D3", "D10", "D11", "D12"] },
  { name: "startup deleted, no dedup", dedup: false, since: null, side: "deleted", want: ["D3", "D9", "D10", "D11", "D12"] },
  { name: "delta new, dedup over the whole table", dedup: true, since: at(-HOUR), side: "new", want: ["D4", "D5", "D7"] },
  { name: "delta new, no dedup", dedup: false, since: at(-HOUR), side: "new", want: ["D4", "D5", "D7", "D8"] },
  { name: "delta deleted, 2 s overlap", dedup: true, since: at(-HOUR), side: "deleted", want: ["D3", "D12"] },
  { name: "delta deleted, no dedup", dedup: false, since: at(-HOUR), side: "deleted", want: ["D3", "D9", "D12"] },
  { name: "startup new with simulated", filter: { includeSimulated: true }, dedup: true, since: null, side: "new", want: ["D1", "D2", "D4", "D5", "D6", "D7", "D13"] },
  { name: "startup new, scopes Ip,Range", filter: { scopes: ["Ip", "Range"] }, dedup: true, since: null, side: "new", want: ["D1", "D2", "D4", "D5", "D13"] },
  { name: "startup new, origins", filter: { origins: ["CAPI"] }, dedup: true, since: null, side: "new", want: ["D4"] },
  { name: "startup new, not containing", filter: { scenariosNotContaining: ["http"] }, dedup: true, since: null, side: "new", want: ["D1", "D2", "D5", "D7"] },
  { name: "startup deleted, ip filter", filter: { range: range("2001:db8::/32", false) }, dedup: true, since: null, side: "deleted", want: ["D3"] },
];

const ALERT_CASES: { name: string; filter: AlertFilter; want: string[] }[] = [
  { name: "no filter: created_at DESC, id DESC", filter: {}, want: DESC_ALL },
  { name: "sort ASC", filter: { sort: "ASC" }, want: [...DESC_ALL].reverse() },
  { name: "limit", filter: { limit: 2 }, want: ["A8", "A7"] },
  { name: "limit 0 = all", filter: { limit: 0 }, want: DESC_ALL },
  { name: "scope", filter: { scope: "Ip" }, want: ["A8", "A6", "A5", "A9", "A3", "A1"] },
  { name: "value", filter: { value: "1.2.3.4" }, want: ["A8", "A1"] },
  { name: "scenario of the alert or of a decision", filter: { scenario: SSH_BF }, want: ["A5", "A3", "A1"] },
  { name: "scenario only on a decision", filter: { scenario: "crowdsecurity/http-bf" }, want: ["A4"] },
  { name: "scenario only on a decision-less alert", filter: { scenario: SLOW_BF }, want: ["A8", "A6"] },
  { name: "ip matches decisions, not the source", filter: { range: range("9.9.9.9") }, want: [] },
  { name: "ip inside a Range decision", filter: { range: range("10.0.0.5") }, want: ["A2"] },
  { name: "ip, expired decisions count", filter: { range: range("2001:db8::1") }, want: ["A4", "A3"] },
  { name: "range contains=false", filter: { range: range("4.4.4.0/24", false) }, want: ["A3"] },
  { name: "since (started_at >=, nanoseconds)", filter: { since: new Date("2026-11-23T15:59:00Z") }, want: ["A8", "A7", "A6", "A5", "A4", "A9", "A2", "A1"] },
  { name: "until (started_at <=, nanoseconds, offsets)", filter: { until: new Date("2026-11-23T15:59:00Z") }, want: ["A3", "A2"] },
  { name: "createdBefore (created_at <=)", filter: { createdBefore: at(-HOUR) }, want: ["A9", "A3", "A2", "A1"] },
  { name: "simulated false", filter: { simulated: false }, want: ["A8", "A7", "A6", "A4", "A9", "A3", "A2", "A1"] },
  { name: "has active decision", filter: { hasActiveDecision: true }, want: ["A8", "A7", "A5", "A4", "A9", "A2", "A1"] },
  { name: "has_active_decision=false: no decision rows", filter: { hasActiveDecision: false }, want: ["A6"] },
  { name: "decision type", filter: { decisionType: "captcha" }, want: ["A9", "A3"] },
  { name: "origin", filter: { origin: "cscli" }, want: ["A3", "A2"] },
  { name: "include_capi=false", filter: { includeCapi: false }, want: ["A8", "A7", "A5", "A9", "A3", "A2", "A1"] },
  { name: "origin forces include_capi", filter: { includeCapi: false, origin: "CAPI" }, want: ["A4"] },
  { name: "cscli decisions list", filter: { hasActiveDecision: true, includeCapi: false, limit: 0 }, want: ["A8", "A7", "A5", "A9", "A2", "A1"] },
];

const EXPIRE_CASES: { name: string; filter: DecisionDeleteFilter; want: string[] }[] = [
  { name: "value", filter: { value: "1.2.3.4" }, want: ["D1", "D8"] },
  { name: "ip contained", filter: { range: range("10.0.0.7") }, want: ["D2"] },
  { name: "range contains=false", filter: { range: range("0.0.0.0/0", false) }, want: ["D1", "D2", "D4", "D6", "D8", "D13"] },
  { name: "scope is exact", filter: { scope: "ip" }, want: [] },
  { name: "scope", filter: { scope: "Country" }, want: ["D7"] },
  { name: "type and origin", filter: { type: "ban", origin: "CAPI" }, want: ["D4"] },
  { name: "scenario", filter: { scenario: SLOW_BF }, want: ["D8"] },
  { name: "uuid", filter: { uuid: "D5" }, want: ["D5"] },
  { name: "no filter: every active decision", filter: {}, want: ["D1", "D2", "D4", "D5", "D6", "D7", "D8", "D13"] },
];

/** Runs the Store contract; `makeStore` gives an empty store each call. */
export function runStoreContract(label: string, makeStore: () => Promise<Store>): void {
  describe(`${label}: read queries on the fixture`, () => {
    let store: Store;
    let ids: Map<string, number>;
    beforeAll(async () => {
      store = await makeStore();
      ids = await addFixture(store);
    });
    afterAll(async () => {
      await store.close();
    });

    test.each(DECISION_CASES)("findDecisions: $name", async ({ filter, want }) => {
      expect(tags(await store.findDecisions(filter, NOW))).toEqual(want);
    });

    test("findDecisions: until >= now is active (GET /decisions)", async () => {
      expect(tags(await store.findDecisions({ value: "6.6.6.6" }, at(HOUR)))).toEqual(["D13"]);
      expect(tags(await store.findDecisions({ value: "6.6.6.6" }, at(HOUR + 1)))).toEqual([]);
    });

    test.each(STREAM_CASES)("streamDecisions: $name", async ({ filter, dedup, since, side, want }) => {
      expect(tags(await collect(store.streamDecisions({ filter: filter ?? {}, dedup, since, now: NOW }, side)))).toEqual(want);
    });

    test.each(ALERT_CASES)("findAlerts: $name", async ({ filter, want }) => {
      expect((await store.findAlerts(filter, NOW)).map((a) => a.uuid)).toEqual(want);
    });

    test("getAlert: the record keeps what was pushed", async () => {
      const spec = BATCH_1[0]!;
      const { decisions, machineId, ...rest } = newAlert(spec);
      const got = await store.getAlert(ids.get("A1")!);
      expect(got).toEqual({
        ...rest,
        id: ids.get("A1")!,
        machineId,
        createdAt: at(-2 * HOUR),
        updatedAt: at(-2 * HOUR),
        decisions: decisions.map((d) => ({ ...d, id: expect.any(Number), alertId: ids.get("A1")!, createdAt: at(-2 * HOUR), updatedAt: at(-2 * HOUR) })),
      });
      expect(got?.decisions[0]?.range?.startIp).toBe(-9223372036837866747n);
    });

    test("getAlert: an owner that is not a machine gives null; v6 ranges read back", async () => {
      const got = await store.getAlert(ids.get("A3")!);
      expect(got?.machineId).toBeNull();
      expect(got?.startedAt).toBe("2026-11-23T15:59:30+01:00");
      expect(got?.decisions.map((d) => d.uuid)).toEqual(["D3", "D10", "D11", "D12"]);
      expect(got?.decisions[0]?.range).toEqual({
        size: 16,
        startIp: -6917232468739227647n,
        endIp: -6917232468739227647n,
        startSuffix: -9223372036854775806n,
        endSuffix: -9223372036854775806n,
      });
      const country = await store.getAlert(ids.get("A7")!);
      expect(country?.decisions[0]?.range).toBeNull();
    });

    test("getAlert: absent id is null", async () => {
      expect(await store.getAlert(999_999)).toBeNull();
    });

    test("decisionTimes: every decision of a value, in insertion order", async () => {
      expect(await store.decisionTimes("1.2.3.4")).toEqual([
        { createdAt: at(-2 * HOUR), until: at(2 * HOUR) },
        { createdAt: at(-30 * MIN), until: at(30 * MIN) },
        { createdAt: at(-30 * MIN), until: at(-5 * MIN) },
      ]);
      expect(await store.decisionTimes("8.8.8.8")).toEqual([]);
    });

    test("countActiveDecisions: until > now, simulated included", async () => {
      expect(await store.countActiveDecisions(NOW)).toBe(8);
      expect(await store.countActiveDecisions(at(25 * HOUR))).toBe(0);
    });
  });

  describe(`${label}: writes`, () => {
    test("include_capi=false hides imported decisions (cscli 1.4.6 decisions list without -a)", async () => {
      const extra = await makeStore();
      try {
        const [imported, local] = await extra.insertAlerts(
          [
            newAlert({ tag: "I1", scenario: "import", scope: "cscli/manual-import", value: "", startedAt: "2026-11-23T17:59:00Z", machineId: null, decisions: [ban("DI", "Ip", "3.3.3.3", "cscli-import", "manual import", HOUR)] }),
            newAlert({ tag: "I2", scenario: SSH_BF, scope: "Ip", value: "4.4.4.4", startedAt: "2026-11-23T17:59:00Z", machineId: null, decisions: [ban("DL", "Ip", "4.4.4.4", "crowdsec", SSH_BF, HOUR)] }),
          ],
          NOW,
        );
        expect(imported).toBeNumber();
        expect((await extra.findAlerts({ includeCapi: false }, NOW)).map((a) => a.id)).toEqual([local!]);
        expect((await extra.findAlerts({}, NOW)).length).toBe(2);
      } finally {
        await extra.close();
      }
    });

    test.each(EXPIRE_CASES)("expireDecisions: $name", async ({ filter, want }) => {
      const store = await makeStore();
      try {
        await addFixture(store);
        const before = await store.findDecisions({ includeSimulated: true }, NOW);
        const n = await store.expireDecisions(filter, NOW);
        expect(n).toBe(want.length);
        const after = new Set(tags(await store.findDecisions({ includeSimulated: true }, at(1))));
        expect(before.filter((d) => !after.has(d.uuid)).map((d) => d.uuid).sort(byTag)).toEqual(want);
        // soft delete: the rows stay and feed the stream's deleted side
        const deleted = tags(await collect(store.streamDecisions({ filter: { includeSimulated: true }, dedup: false, since: at(-1000), now: at(1) }, "deleted")));
        expect(deleted).toEqual(want);
        expect(await store.expireDecisions(filter, at(1))).toBe(0);
      } finally {
        await store.close();
      }
    });

    test("expireDecision: one id, also when already expired; absent id is not-found", async () => {
      const store = await makeStore();
      try {
        await addFixture(store);
        const [d3] = (await store.getAlert((await store.findAlerts({ decisionType: "captcha", origin: "cscli" }, NOW))[0]!.id))!.decisions;
        expect(d3?.uuid).toBe("D3");
        expect(await store.expireDecision(d3!.id, NOW)).toEqual({ ok: true, value: true });
        expect(await store.expireDecision(d3!.id, NOW)).toEqual({ ok: true, value: true });
        const times = await store.decisionTimes("2001:db8::1");
        expect(times[0]?.until).toEqual(NOW);
        const missing = await store.expireDecision(999_999, NOW);
        expect(missing.ok ? "" : missing.error.code).toBe("not-found");
      } finally {
        await store.close();
      }
    });

    test("deleteAlerts: filter deletes alerts with their decisions, events and meta", async () => {
      const store = await makeStore();
      try {
        await addFixture(store);
        expect(await store.deleteAlerts({ value: "1.2.3.4" }, NOW)).toBe(2);
        expect(await store.decisionTimes("1.2.3.4")).toEqual([]);
        expect((await store.findAlerts({ limit: 0 }, NOW)).map((a) => a.uuid)).toEqual(["A7", "A6", "A5", "A4", "A9", "A3", "A2"]);
        expect(await store.deleteAlerts({ hasActiveDecision: false }, NOW)).toBe(1);
        expect(await store.deleteAlerts({}, NOW)).toBe(6);
        expect(await store.countActiveDecisions(at(-3 * HOUR))).toBe(0);
        expect(await store.findAlerts({}, NOW)).toEqual([]);
      } finally {
        await store.close();
      }
    });

    test("deleteAlert: by id, then not-found", async () => {
      const store = await makeStore();
      try {
        const ids = await addFixture(store);
        expect(await store.deleteAlert(ids.get("A2")!)).toEqual({ ok: true, value: true });
        expect(await store.getAlert(ids.get("A2")!)).toBeNull();
        expect(await store.decisionTimes("10.0.0.0/24")).toEqual([]);
        const again = await store.deleteAlert(ids.get("A2")!);
        expect(again.ok ? "" : again.error.code).toBe("not-found");
      } finally {
        await store.close();
      }
    });

    test("deleteMachine keeps its alerts without an owner", async () => {
      const store = await makeStore();
      try {
        const ids = await addFixture(store);
        expect(await store.deleteMachine("m1")).toEqual({ ok: true, value: true });
        expect((await store.getAlert(ids.get("A1")!))?.machineId).toBeNull();
      } finally {
        await store.close();
      }
    });

    test("insertAlerts: ids in input order; empty batch; default limit 100", async () => {
      const store = await makeStore();
      try {
        expect(await store.insertAlerts([], NOW)).toEqual([]);
        const batch = Array.from({ length: 120 }, (_, i) =>
          newAlert({ tag: `A${i}`, scenario: SSH_BF, scope: "Ip", value: `10.1.0.${i}`, startedAt: "2026-11-23T17:00:00Z", machineId: null, decisions: [] }),
        );
        const got = await store.insertAlerts(batch, NOW);
        expect(got.length).toBe(120);
        for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
        const listed = await store.findAlerts({}, NOW);
        expect(listed.length).toBe(100);
        expect(listed[0]?.uuid).toBe("A119");
        expect((await store.getAlert(got[7]!))?.uuid).toBe("A7");
      } finally {
        await store.close();
      }
    });

    test("streamDecisions: pages through more rows than one batch, in id order", async () => {
      const store = await makeStore();
      try {
        const decisions: DecisionSpec[] = Array.from({ length: 2500 }, (_, i) =>
          ban(`D${i}`, "Ip", `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, "crowdsec", SSH_BF, HOUR),
        );
        await store.insertAlerts([newAlert({ tag: "big", scenario: SSH_BF, scope: "Ip", value: "10.0.0.1", startedAt: "2026-11-23T17:00:00Z", machineId: null, decisions })], NOW);
        const got = await collect(store.streamDecisions({ filter: {}, dedup: true, since: null, now: NOW }, "new"));
        expect(got.length).toBe(2500);
        expect(new Set(got.map((d) => d.id)).size).toBe(2500);
        for (let i = 1; i < got.length; i++) expect(got[i]!.id).toBeGreaterThan(got[i - 1]!.id);
      } finally {
        await store.close();
      }
    });

    test("streamDecisions: delta pages (created_at / until order) cover every row once", async () => {
      const store = await makeStore();
      try {
        // same created_at for all rows: the (key, id) pagination must not skip or repeat ties
        const decisions: DecisionSpec[] = Array.from({ length: 2500 }, (_, i) =>
          ban(`D${i}`, "Ip", `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, "crowdsec", SSH_BF, i % 2 === 0 ? HOUR : -MIN),
        );
        await store.insertAlerts([newAlert({ tag: "big", scenario: SSH_BF, scope: "Ip", value: "10.0.0.1", startedAt: "2026-11-23T17:00:00Z", machineId: null, decisions })], NOW);
        for (const side of ["new", "deleted"] as const) {
          const got = await collect(store.streamDecisions({ filter: {}, dedup: true, since: at(-2 * MIN), now: NOW }, side));
          expect(got.length).toBe(1250);
          expect(new Set(got.map((d) => d.id)).size).toBe(1250);
        }
      } finally {
        await store.close();
      }
    });

    test("flush: max_age then max_items, oldest first, decisions go with their alerts", async () => {
      const store = await makeStore();
      try {
        for (let i = 9; i >= 0; i--) {
          const spec: AlertSpec = {
            tag: `F${i}`,
            scenario: SSH_BF,
            scope: "Ip",
            value: `10.2.0.${i}`,
            startedAt: "2026-11-23T08:00:00Z",
            machineId: null,
            decisions: [ban(`FD${i}`, "Ip", `10.2.0.${i}`, "crowdsec", SSH_BF, 24 * HOUR)],
          };
          await store.insertAlerts([newAlert(spec)], at(-i * HOUR));
        }
        expect(await store.flush({}, NOW)).toBe(0);
        expect(await store.flush({ maxAgeMs: 5.5 * HOUR }, NOW)).toBe(4);
        expect(await store.flush({ maxItems: 3 }, NOW)).toBe(3);
        expect((await store.findAlerts({}, NOW)).map((a) => a.uuid)).toEqual(["F0", "F1", "F2"]);
        expect(await store.countActiveDecisions(NOW)).toBe(3);
        expect(await store.flush({ maxItems: 3, maxAgeMs: 10 * HOUR }, NOW)).toBe(0);
      } finally {
        await store.close();
      }
    });
  });

  describe(`${label}: machines and bouncers`, () => {
    test("machines: add, exists, force, validate, login changes, touch, delete", async () => {
      const store = await makeStore();
      try {
        const added = await store.addMachine({ machineId: "agent", passwordHash: "h1", isValidated: false, ipAddress: "127.0.0.1" });
        expect(added.ok && added.value).toMatchObject({ machineId: "agent", passwordHash: "h1", isValidated: false, ipAddress: "127.0.0.1", authType: "password", scenarios: "", lastPush: null, lastHeartbeat: null });
        const dup = await store.addMachine({ machineId: "agent", passwordHash: "h2", isValidated: true });
        expect(dup.ok ? "" : dup.error.code).toBe("exists");
        const forced = await store.addMachine({ machineId: "agent", passwordHash: "h2", isValidated: true }, { force: true });
        expect(forced.ok && forced.value).toMatchObject({ passwordHash: "h2", isValidated: true, ipAddress: "127.0.0.1" });

        await store.addMachine({ machineId: "pending", passwordHash: "h3", isValidated: false, authType: "tls", version: "v1.4.6" });
        const validated = await store.validateMachine("pending");
        expect(validated.ok && validated.value).toMatchObject({ isValidated: true, authType: "tls", version: "v1.4.6" });
        const missing = await store.validateMachine("nobody");
        expect(missing.ok ? "" : missing.error.code).toBe("not-found");

        await store.updateMachineLogin("agent", { scenarios: "a/b,c/d", version: "v1.6.0" });
        await store.touchMachine("agent", "lastPush", NOW);
        await store.touchMachine("agent", "lastHeartbeat", at(MIN));
        expect(await store.getMachine("agent")).toMatchObject({ scenarios: "a/b,c/d", version: "v1.6.0", ipAddress: "127.0.0.1", lastPush: NOW, lastHeartbeat: at(MIN) });
        expect((await store.listMachines()).map((m) => m.machineId)).toEqual(["agent", "pending"]);

        expect(await store.deleteMachine("pending")).toEqual({ ok: true, value: true });
        const gone = await store.deleteMachine("pending");
        expect(gone.ok ? "" : gone.error.code).toBe("not-found");
        expect(await store.getMachine("pending")).toBeNull();
      } finally {
        await store.close();
      }
    });

    test("bouncers: add, exists, by key hash, seen, last pull, delete", async () => {
      const store = await makeStore();
      try {
        const hash = "ab".repeat(64);
        const added = await store.addBouncer({ name: "fw", apiKeyHash: hash });
        expect(added.ok && added.value).toMatchObject({ name: "fw", apiKeyHash: hash, revoked: false, ipAddress: "", lastPull: null, authType: "api-key", type: "", version: "" });
        const dup = await store.addBouncer({ name: "fw", apiKeyHash: "cd".repeat(64) });
        expect(dup.ok ? "" : dup.error.code).toBe("exists");
        const found = await store.findBouncerByKeyHash(hash);
        expect(found?.name).toBe("fw");
        expect(await store.findBouncerByKeyHash("ef".repeat(64))).toBeNull();

        await store.updateBouncerSeen(found!.id, { ipAddress: "10.0.0.9", type: "cs-firewall-bouncer", version: "v0.0.25" });
        await store.setBouncerLastPull(found!.id, NOW);
        expect(await store.findBouncerByKeyHash(hash)).toMatchObject({ ipAddress: "10.0.0.9", type: "cs-firewall-bouncer", version: "v0.0.25", lastPull: NOW });

        await store.addBouncer({ name: "nginx", apiKeyHash: "12".repeat(64), authType: "tls", ipAddress: "10.0.0.8" });
        expect((await store.listBouncers()).map((b) => b.name)).toEqual(["fw", "nginx"]);
        expect(await store.deleteBouncer("fw")).toEqual({ ok: true, value: true });
        const gone = await store.deleteBouncer("fw");
        expect(gone.ok ? "" : gone.error.code).toBe("not-found");
        expect(await store.findBouncerByKeyHash(hash)).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}
