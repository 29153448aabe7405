/**
 * Configuration files: YAML documents with source positions (every problem names file, line and
 * field), and CrowdSec's config.yaml (overlay, environment expansion, paths).
 */
export { DocReader, formatPath, nearest, parseYamlStream, type ParseYamlOptions, type Position, type SourceDoc, type YamlPath } from "./yaml-doc";
export { crowdsecPaths, expandEnv, loadCrowdsecPaths, mergeOverlay, readCrowdsecConfig, type CrowdsecPaths } from "./crowdsec-config";
