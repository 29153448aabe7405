/**
 * Regular expressions with Go RE2 syntax and meaning (grok patterns, `matches`, RegexpInFile, appsec),
 * compiled once and bounded in time: a JavaScript RegExp where its backtracking is provably linear,
 * RE2's bit-state algorithm otherwise. Owned by the grok work; this front door is the contract.
 */
export { compileRe2, type Re2Regex, type Re2Options, type Re2Match, type Re2Engine } from "./compile";
