/**
 * The Prometheus text exposition format, version 0.0.4: what `/metrics` answers and what
 * `picket metrics` reads back. Written per scrape, never per event.
 */
import { formatGoFloat } from "./go-float";
import type { MetricFamilySnapshot, MetricSample } from "./snapshot";

/** The Content-Type of a text exposition. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Families as text: `# HELP`, `# TYPE`, then one line per sample; families without samples are skipped. */
export function writeExposition(families: readonly MetricFamilySnapshot[]): string {
  let out = "";
  for (const family of families) {
    if (family.samples.length === 0) continue;
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n`;
    out += `# TYPE ${family.name} ${family.type}\n`;
    const countsAreIntegers = family.type === "histogram" || family.type === "summary";
    for (const sample of family.samples) out += sampleLine(sample, countsAreIntegers) + "\n";
  }
  return out;
}

function sampleLine(sample: MetricSample, countsAreIntegers: boolean): string {
  let line = sample.name;
  let first = true;
  for (const name in sample.labels) {
    line += `${first ? "{" : ","}${name}="${escapeLabelValue(sample.labels[name]!)}"`;
    first = false;
  }
  if (!first) line += "}";
  // As the Go client: bucket and observation counts are unsigned integers, everything else a float.
  const isCount = countsAreIntegers && (sample.name.endsWith("_bucket") || sample.name.endsWith("_count"));
  line += " " + (isCount && Number.isFinite(sample.value) ? BigInt(Math.trunc(sample.value)).toString() : formatGoFloat(sample.value));
  if (sample.timestampMs !== undefined) line += ` ${sample.timestampMs}`;
  return line;
}

/** `\` and newline escaped, as the format wants in `# HELP` text. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** `\`, `"` and newline escaped, as the format wants in label values. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
