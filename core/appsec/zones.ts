/** YAML zones → Coraza variables (upstream appsec_rule/modsecurity.go zonesMap). */
import type { VariableName } from "./variables";

export const ZONES: Readonly<Record<string, VariableName>> = Object.assign(Object.create(null) as Record<string, VariableName>, {
  ARGS: "ARGS_GET",
  ARGS_NAMES: "ARGS_GET_NAMES",
  BODY_ARGS: "ARGS_POST",
  BODY_ARGS_NAMES: "ARGS_POST_NAMES",
  COOKIES: "REQUEST_COOKIES",
  COOKIES_NAMES: "REQUEST_COOKIES_NAMES",
  FILES: "FILES",
  FILES_NAMES: "FILES_NAMES",
  FILES_TOTAL_SIZE: "FILES_COMBINED_SIZE",
  HEADERS_NAMES: "REQUEST_HEADERS_NAMES",
  HEADERS: "REQUEST_HEADERS",
  METHOD: "REQUEST_METHOD",
  PROTOCOL: "REQUEST_PROTOCOL",
  URI: "REQUEST_FILENAME",
  URI_FULL: "REQUEST_URI",
  RAW_BODY: "RAW_REQUEST_BODY",
  FILENAMES: "FILES",
});

/** SecLang names of the transforms, for the compiled rule text. */
export const TRANSFORM_SECLANG: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  lowercase: "t:lowercase", uppercase: "t:uppercase", length: "t:length", trim: "t:trim", trim_left: "t:trimLeft", trim_right: "t:trimRight",
  htmlentitydecode: "t:htmlEntityDecode", html_entity_decode: "t:htmlEntityDecode", js_decode: "t:jsDecode", css_decode: "t:cssDecode",
  urldecode: "t:urlDecode", hexdecode: "t:hexDecode", cmdline: "t:cmdLine", b64decode: "t:base64Decode", b64decode_lenient: "t:base64DecodeExt",
  b64encode: "t:base64Encode", normalize_path: "t:normalizePath", normalizepath: "t:normalizePath", normalize_path_win: "t:normalizePathWin",
  normalizepathwin: "t:normalizePathWin", remove_whitespaces: "t:removeWhitespace", compress_whitespaces: "t:compressWhitespace",
  remove_nulls: "t:removeNulls", replace_nulls: "t:replaceNulls", remove_comments: "t:removeComments", replace_comments: "t:replaceComments",
});

export const MATCH_SECLANG: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  regex: "@rx", equals: "@streq", startsWith: "@beginsWith", endsWith: "@endsWith", contains: "@contains", libinjectionSQL: "@detectSQLi",
  libinjectionXSS: "@detectXSS", gt: "@gt", lt: "@lt", gte: "@ge", lte: "@le", eq: "@eq", fromFile: "@pmFromFile",
});

export const BODY_TYPES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  json: "JSON", xml: "XML", multipart: "MULTIPART", urlencoded: "URLENCODED",
});

/** Coraza severities, by their Int(). */
export const SEVERITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const;
