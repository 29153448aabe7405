/**
 * `explain`: what the parsers did with one line, stage by stage and node by node, the fields each
 * node added or changed, and the scenarios the event would be poured into.
 */
export { explainLine, type ExplainContext, type FieldChange, type LineTrace, type NodeTrace, type StageTrace } from "./trace";
export { ExplainBuckets, type BucketPour, type WhyNotReport } from "./buckets";
