/**
 * Replay: cold logs through the whole engine on their own clock — parse, merge sources in time
 * order, pour into scenarios, turn overflows into alerts — and count what could not be used.
 */
export { replaySources, type ReplayCallbacks, type ReplayInput, type ReplayOptions, type ReplayStats, type SourceStats } from "./run";
/** Parsing on a worker thread: the worker's service and the main thread's client. */
export { createParseService, RemoteParser, type ParseReply, type ParseRequest, type ParseWorkerPort, type RemoteInput } from "./remote";
