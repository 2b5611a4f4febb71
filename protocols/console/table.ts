/**
 * Aligned text tables and field lists that fit the terminal (docs/console.md §Output conventions: 80
 * columns). Layout is done on plain text; colour is applied afterwards per cell, so escape codes never
 * upset widths.
 */
import type { Painter, Style } from './ansi.js';
import { displayWidth, padEnd, padStart, truncate, wrapText } from './text-width.js';

export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Narrowest this column is squeezed to before others give way. Default min(natural, 8). */
  min?: number;
  /** Wrap long cells onto more lines instead of cutting them with "…". */
  wrap?: boolean;
  /** Colour of a cell (after layout). */
  style?: (cell: string) => Style | null;
}

export interface TableOptions {
  /** Terminal width. Default 80. */
  width?: number;
  /** Spaces between columns. Default 2. */
  gap?: number;
  paint?: Painter;
  /** Leading spaces on every line. Default 0. */
  indent?: number;
}

/** Returns the table's lines (no trailing newline). Header titles are shown as given. */
export function formatTable(columns: Column[], rows: string[][], o: TableOptions = {}): string[] {
  const total = (o.width ?? 80) - (o.indent ?? 0);
  const gap = o.gap ?? 2;
  const paint = o.paint ?? ((t: string) => t);
  const natural = columns.map((c, i) => Math.max(displayWidth(c.title), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const widths = [...natural];
  const budget = total - gap * (columns.length - 1);
  // Squeeze the widest column a column at a time until the table fits (or nothing can give).
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const min = columns[i]!.min ?? Math.min(natural[i]!, 8);
      if (widths[i]! > min && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
  }
  const pad = ' '.repeat(o.indent ?? 0);
  const line = (cells: string[][], styleOf: (i: number, s: string) => Style | null | undefined): string[] => {
    const height = Math.max(...cells.map((c) => c.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      const parts = columns.map((c, i) => {
        const text = cells[i]![k] ?? '';
        const last = i === columns.length - 1;
        const fitted = c.align === 'right' ? padStart(text, widths[i]!) : last ? text : padEnd(text, widths[i]!);
        return paint(fitted, styleOf(i, text.trim()));
      });
      out.push((pad + parts.join(' '.repeat(gap))).trimEnd());
    }
    return out;
  };
  const cellLines = (text: string, i: number): string[] =>
    columns[i]!.wrap ? wrapText(text, widths[i]!) : [truncate(text.replace(/\s*\n\s*/g, ' '), widths[i]!)];
  const out = line(columns.map((c, i) => [truncate(c.title, widths[i]!)]), () => 'bold');
  for (const r of rows) out.push(...line(columns.map((_, i) => cellLines(r[i] ?? '', i)), (i, s) => columns[i]!.style?.(s)));
  return out;
}

/**
 * "label   value" lines with the labels aligned, for one-screen summaries (`status`, `mqtt status`).
 * Long values wrap under the value column.
 */
export function formatFields(fields: [label: string, value: string, style?: Style | null][], o: TableOptions = {}): string[] {
  const width = (o.width ?? 80) - (o.indent ?? 0);
  const paint = o.paint ?? ((t: string) => t);
  const labelW = Math.min(18, Math.max(0, ...fields.map(([l]) => displayWidth(l))));
  const valueW = Math.max(20, width - labelW - 2);
  const pad = ' '.repeat(o.indent ?? 0);
  const out: string[] = [];
  for (const [label, value, style] of fields) {
    const lines = wrapText(value, valueW);
    lines.forEach((v, k) => {
      const l = k === 0 ? padEnd(truncate(label, labelW), labelW) : ' '.repeat(labelW);
      out.push((pad + paint(l, 'bold') + '  ' + paint(v, style)).trimEnd());
    });
  }
  return out;
}
