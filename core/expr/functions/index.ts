/**
 * The CrowdSec helper registry: every hub-facing function (Upper, JsonExtract, IpInRange, File …),
 * one family per file, as upstream registers them in pkg/exprhelpers/expr_lib.go.
 */
import { FILE_HELPERS } from "./files";
import { JSON_HELPERS } from "./json";
import { KV_HELPERS } from "./kv";
import { MISC_HELPERS } from "./misc";
import { NET_HELPERS } from "./net";
import { STRING_HELPERS } from "./strings";
import { TIME_HELPERS } from "./time";
import type { HelperDef } from "./types";
import { URL_HELPERS } from "./urls";
import { XML_HELPERS } from "./xml";

export type { DataFileLookup, ExprValue, GoSignature, HelperContext, HelperDef, StashLookup } from "./types";

/** All helpers, available to every expression. */
export const HELPERS: readonly HelperDef[] = [
  ...STRING_HELPERS, ...URL_HELPERS, ...JSON_HELPERS, ...KV_HELPERS, ...XML_HELPERS,
  ...NET_HELPERS, ...FILE_HELPERS, ...TIME_HELPERS, ...MISC_HELPERS,
];
