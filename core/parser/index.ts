/**
 * The parser stages: node documents read strictly, compiled once (filters, groks, statics,
 * whitelists, stash, data), and the per-event node algorithm and stage loop of CrowdSec.
 */
export { compileNode, compileExprAt, type CompiledNode, type CompiledStatic, type CompiledWhitelist } from "./compile";
export { checkParserFormat } from "./format-version";
export { listInstalledParsers, loadParserTree, sortByInstallPath, type LoadedParsers, type LoadParsersOptions, type ParserFile } from "./load";
export { readDataFiles, readNodeDocument, readStatics, type DataFileSpec, type NodeConfig, type StaticConfig } from "./node-config";
export { buildParserTree, parseEvent, type ParseObserver, type ParseOutcome, type ParserRuntime, type ParserTree } from "./runtime";
export { StashStore } from "./stash";
