/**
 * The replay parse worker: builds the same engine as the main thread (from the same options),
 * then parses the batches of lines it is sent and posts back the events that reach the buckets
 * (core/replay/remote.ts). package.json's build script adds this file as an entry point.
 */
import { createParseService, type ParseReply, type ParseRequest } from "../core/replay";
import { loadEngine, type EngineSourceOptions } from "./engine-source";

/** The first message: which items to load. */
export interface ReplayWorkerLoad {
  readonly kind: "load";
  readonly engine: EngineSourceOptions;
}

declare const self: Worker;

let service: ((req: ParseRequest) => ParseReply | undefined) | undefined;

self.onmessage = (message: MessageEvent<ReplayWorkerLoad | ParseRequest>) => {
  const req = message.data;
  if (req.kind === "load") {
    const { pipeline } = loadEngine(req.engine);
    if (pipeline) service = createParseService(pipeline);
    postMessage({ kind: "ready", error: pipeline ? undefined : "the items could not be loaded" } satisfies ParseReply);
    return;
  }
  if (!service) {
    if (req.kind === "lines") postMessage({ kind: "failed", seq: req.seq, message: "not loaded" } satisfies ParseReply);
    return;
  }
  const reply = service(req);
  if (reply) postMessage(reply);
  // Parsing leaves only garbage behind (the pipeline is all that lives here): collecting it now
  // and then keeps this thread's heap near its live size, for a few ms each time.
  if (req.kind === "lines" && (linesSinceGc += req.lines.length) >= GC_EVERY_LINES) {
    linesSinceGc = 0;
    Bun.gc(true);
  }
};

const GC_EVERY_LINES = 16384;
let linesSinceGc = 0;
