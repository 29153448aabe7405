/**
 * The assembled engine every command shares: parser tree, postoverflow tree (and, with the
 * scenarios work, buckets), their data files, enrichers and stash — built once from a list of item
 * files, whatever named them (a CrowdSec config dir, a hub dir plus items, a hubtest config).
 */
export { buildPipeline, type Pipeline, type PipelineOptions } from "./build";
export { hubItems, installedItems, type ItemFiles } from "./items";
