/**
 * Data files of hub items (`data:` entries): loaded once from the data directory, then read by
 * the File, RegexpInFile, FileMap and LookupFile helpers through the DataFileLookup they serve.
 */
export { createDataRegistry, type DataEntry, type DataRegistry, type DataRegistryOptions } from "./registry";
/** Maps a source_url to its file in a mirror laid out by URL path (../shared/hub-data). */
export { mirrorResolver, resolveMirrorPath } from "./mirror";
