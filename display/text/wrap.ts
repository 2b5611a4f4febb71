/**
 * Line breaking for mixed Chinese/English text at a given width. Breaks between CJK characters
 * and at spaces in Latin text; keeps closing punctuation off the start of a line.
 */
export interface Measurer {
  measureText(text: string): { width: number };
}

const NO_LINE_START = new Set([...'、，。：；！？）》」』】〕〉’”…,.:;!?)]}%']);

function tokens(text: string): string[] {
  // A token is one CJK character (with trailing closing punctuation) or a run of non-CJK non-space.
  const out: string[] = [];
  const re = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef][\u3001\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff09\u300b\u300d\u300f\u3011]*|\s+|[^\s\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+/gu;
  for (const m of text.matchAll(re)) out.push(m[0]);
  return out;
}

export function wrapText(ctx: Measurer, text: string, maxWidth: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const tok of tokens(para)) {
      const candidate = line + tok;
      if (line !== '' && ctx.measureText(candidate.trimEnd()).width > maxWidth && !NO_LINE_START.has(tok[0]!)) {
        lines.push(line.trimEnd());
        line = tok.trimStart();
      } else {
        line = candidate;
      }
    }
    lines.push(line.trimEnd());
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1]!;
  while (last.length > 0 && ctx.measureText(last + '…').width > maxWidth) last = last.slice(0, -1);
  kept[maxLines - 1] = last + '…';
  return kept;
}
