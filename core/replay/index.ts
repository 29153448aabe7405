/**
 * Replay: cold logs through the whole engine on their own clock — parse, merge sources in time
 * order, pour into scenarios, turn overflows into alerts — and count what could not be used.
 */
export { replaySources, type ReplayCallbacks, type ReplayInput, type ReplayStats, type SourceStats } from "./run";
