/**
 * Regular expressions with Go RE2 syntax and meaning (grok patterns, `matches`, RegexpInFile, appsec),
 * compiled once and bounded in time. Owned by the grok work; this front door is the contract.
 */
export { compileRe2, type Re2Regex, type Re2Options } from "./compile";
