/**
 * Decision routes (LAPI.md §6–§8): the bouncers' point query and stream, and the machines' soft
 * delete. The stream body is written while it is read from the store, a batch at a time, so a
 * startup pull of hundreds of thousands of decisions keeps memory flat.
 */
import type { BouncerRecord, DecisionRecord, StreamQuery } from "../db";
import { parsePathId } from "./alerts";
import { authenticateBouncer, authenticateMachine } from "./auth";
import type { LapiContext, LapiRequest } from "./context";
import { parseDecisionDeleteFilter, parseDecisionFilter, parseStreamParams, streamQuery } from "./filters";
import { decisionJson } from "./format";
import { empty, json, JSON_TYPE, jsonText, message } from "./respond";

const LAST_PULL_EVERY_MS = 60_000;
/** A chunk of the stream body is flushed once it holds this many characters. */
const CHUNK_CHARS = 64 * 1024;

/** GET/HEAD /v1/decisions: active decisions, no dedup, `null` when none. */
export async function getDecisions(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = await authenticateBouncer(ctx, r);
  if (!auth.ok) return auth.response;
  const filter = parseDecisionFilter(r.url.searchParams);
  if (!filter.ok) return message(500, filter.error);
  const now = ctx.now();
  const found = await ctx.store.findDecisions(filter.value, now);
  if (r.method === "HEAD") return empty(200);
  const last = auth.bouncer.lastPull;
  if (last === null || now.getTime() - last.getTime() >= LAST_PULL_EVERY_MS) {
    await ctx.store.setBouncerLastPull(auth.bouncer.id, now).catch((e: unknown) => ctx.log(`failed to update bouncer last pull: ${String(e)}`));
  }
  if (found.length === 0) return jsonText(200, "null");
  let text = "[";
  for (let i = 0; i < found.length; i++) text += (i > 0 ? "," : "") + decisionJson(found[i]!, now);
  return jsonText(200, `${text}]`);
}

/**
 * GET/HEAD /v1/decisions/stream. 1.4.6's body: `{"deleted":[…]|null,"new":[…]|null}`. In delta
 * mode `since` is the bouncer's last pull (its creation time before the first pull, as 1.4.6).
 */
export async function streamDecisions(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = await authenticateBouncer(ctx, r);
  if (!auth.ok) return auth.response;
  const parsed = parseStreamParams(r.url.searchParams);
  if (!parsed.ok) return message(500, parsed.error);
  if (r.method === "HEAD") return empty(200);
  const now = ctx.now();
  const query = streamQuery(parsed.value, auth.bouncer.lastPull ?? auth.bouncer.createdAt, now);
  const deleted = ctx.store.streamDecisions(query, "deleted")[Symbol.asyncIterator]();
  let first: IteratorResult<DecisionRecord>;
  try {
    // the first read happens before the status is sent, so a failing query is still a 500
    first = await deleted.next();
  } catch (e) {
    ctx.log(`stream query for bouncer ${auth.bouncer.name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return message(500, "unable to query: get all decisions with filters");
  }
  const chunks = streamChunks(ctx, query, first, deleted);
  // Bun's direct stream: each chunk is written to the socket and flush() waits for it to drain,
  // so a slow bouncer holds back the database reads instead of filling memory
  const body = new ReadableStream({
    type: "direct",
    async pull(controller: ReadableStreamDirectController) {
      try {
        for await (const chunk of chunks) {
          controller.write(chunk);
          await controller.flush();
        }
        await finishPull(ctx, auth.bouncer, now);
      } catch (e) {
        ctx.log(`stream for bouncer ${auth.bouncer.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        controller.close();
      }
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": JSON_TYPE } });
}

/** last_pull = the stream's start time, once the whole answer was produced. */
async function finishPull(ctx: LapiContext, bouncer: BouncerRecord, startedAt: Date): Promise<void> {
  await ctx.store.setBouncerLastPull(bouncer.id, startedAt).catch((e: unknown) => ctx.log(`unable to update bouncer '${bouncer.name}' pull: ${String(e)}`));
}

/** The body text in chunks of about CHUNK_CHARS: deleted side first, then new (Go's sorted map keys). */
async function* streamChunks(ctx: LapiContext, query: StreamQuery, firstDeleted: IteratorResult<DecisionRecord>, deleted: AsyncIterator<DecisionRecord>): AsyncGenerator<string> {
  let buf = '{"deleted":';
  const sides: [IteratorResult<DecisionRecord>, AsyncIterator<DecisionRecord>][] = [[firstDeleted, deleted]];
  for (let s = 0; s < 2; s++) {
    if (s === 1) {
      buf += ',"new":';
      const created = ctx.store.streamDecisions(query, "new")[Symbol.asyncIterator]();
      sides.push([await created.next(), created]);
    }
    let [item, it] = sides[s]!;
    if (item.done) {
      buf += "null";
      continue;
    }
    buf += "[";
    let firstItem = true;
    while (!item.done) {
      buf += (firstItem ? "" : ",") + decisionJson(item.value, query.now);
      firstItem = false;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = "";
      }
      item = await it.next();
    }
    buf += "]";
  }
  yield `${buf}}`;
}

/** DELETE /v1/decisions?filters: soft delete of the active matches; `{"nbDeleted":"N"}`. */
export async function deleteDecisions(ctx: LapiContext, r: LapiRequest): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const filter = parseDecisionDeleteFilter(r.url.searchParams);
  if (!filter.ok) return message(500, filter.error);
  const n = await ctx.store.expireDecisions(filter.value, ctx.now());
  ctx.log(`${n} decision(s) deleted by ${auth.machineId}`);
  return json(200, { nbDeleted: String(n) });
}

/** DELETE /v1/decisions/{id}: expires it even when already expired; an absent id is a 500. */
export async function deleteDecision(ctx: LapiContext, r: LapiRequest, idText: string): Promise<Response> {
  const auth = authenticateMachine(ctx, r);
  if (!auth.ok) return auth.response;
  const id = parsePathId(idText);
  if (id === undefined) return message(400, "decision_id must be valid integer");
  const done = await ctx.store.expireDecision(id, ctx.now());
  if (!done.ok) return message(500, done.error.code === "not-found" ? `decision with id '${id}' doesn't exist: unable to delete` : done.error.message);
  return json(200, { nbDeleted: "1" });
}
