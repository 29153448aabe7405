/**
 * Tables as cscli 1.4.6 draws them (github.com/aquasecurity/table): a boxed table for decisions and
 * alerts (ASCII `+-|` without colour, rounded Unicode lines with it; headers centred, cells
 * left-aligned) and a light one for machines and bouncers (no side borders, dash rules, three
 * spaces between columns). Widths count terminal columns, so emoji line up.
 */
import type { Colors } from "../../cli/io";

export interface TableOptions {
  /** Draw a rule between every row (cscli's event tables). */
  rowLines?: boolean;
}

const BOX_ASCII = { tl: "+", tm: "+", tr: "+", ml: "+", mm: "+", mr: "+", bl: "+", bm: "+", br: "+", h: "-", v: "|" };
const BOX_ROUND = { tl: "╭", tm: "┬", tr: "╮", ml: "├", mm: "┼", mr: "┤", bl: "╰", bm: "┴", br: "╯", h: "─", v: "│" };

const width = (s: string): number => Bun.stringWidth(s);
const padEnd = (s: string, w: number): string => s + " ".repeat(Math.max(0, w - width(s)));
function center(s: string, w: number): string {
  const room = Math.max(0, w - width(s));
  const left = Math.floor(room / 2);
  return " ".repeat(left) + s + " ".repeat(room - left);
}

function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
}

/** The boxed table of `decisions list`, `alerts list` and `alerts inspect`, as lines. */
export function boxTable(headers: readonly string[], rows: readonly (readonly string[])[], color: Colors, options: TableOptions = {}): string[] {
  const b = color.isColorSupported ? BOX_ROUND : BOX_ASCII;
  const dim = (s: string) => color.gray(s);
  const widths = columnWidths(headers, rows);
  const rule = (l: string, m: string, r: string) => dim(l + widths.map((w) => b.h.repeat(w + 2)).join(m) + r);
  const line = (cells: readonly string[], head: boolean) =>
    dim(b.v) + cells.map((c, i) => ` ${head ? color.italic(center(c, widths[i]!)) : padEnd(c, widths[i]!)} `).join(dim(b.v)) + dim(b.v);
  const out = [rule(b.tl, b.tm, b.tr), line(headers, true), rule(b.ml, b.mm, b.mr)];
  rows.forEach((row, i) => {
    if (options.rowLines && i > 0) out.push(rule(b.ml, b.mm, b.mr));
    out.push(line(headers.map((_, j) => row[j] ?? ""), false));
  });
  out.push(rule(b.bl, b.bm, b.br));
  return out;
}

/** The light table of `machines list` and `bouncers list`, as lines. */
export function lightTable(headers: readonly string[], rows: readonly (readonly string[])[], color: Colors): string[] {
  const h = color.isColorSupported ? "─" : "-";
  const widths = columnWidths(headers, rows);
  // pflag-era cscli: one space of padding each side and an invisible column border between
  const total = widths.reduce((sum, w) => sum + w + 2, 0) + (widths.length - 1);
  const rule = color.gray(h.repeat(total));
  const line = (cells: readonly string[], head: boolean) =>
    cells.map((c, i) => ` ${head ? color.italic(padEnd(c, widths[i]!)) : padEnd(c, widths[i]!)} `).join(" ").trimEnd();
  return [rule, line(headers, true), rule, ...rows.map((r) => line(headers.map((_, j) => r[j] ?? ""), false)), rule];
}

/** One CSV record as Go's encoding/csv writes it: quotes only when needed, `"` doubled. */
export function csvLine(fields: readonly string[]): string {
  return fields
    .map((f) => (f === "" ? f : /[",\r\n]/.test(f) || f.startsWith(" ") || f.startsWith("\t") ? `"${f.replace(/"/g, '""')}"` : f))
    .join(",");
}
