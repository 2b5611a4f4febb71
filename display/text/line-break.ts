/**
 * Line breaking for mixed Chinese/English text, following W3C clreq §6.1 at the "basic" level
 * (docs/background.md §Signage and legibility; https://www.w3.org/TR/clreq/#prohibition_rules_for_line_start_end):
 *
 * - 、，。：；！？, closing brackets and quotes, 》, connectors and interpuncts never start a line;
 * - opening brackets and quotes and 《 never end a line;
 * - —— and …… are never split, nor a number from its unit ("11月", "22:00", "3.5 km", "¥2.80");
 * - Latin words break only at spaces (a word wider than the line is split as a last resort);
 * - "先挤进，后推出": a mark that may not start a line is first squeezed onto the line by
 *   compressing it to half width (only marks whose ink sits in the left half of the em box, so
 *   the ink stays inside the measure); if that fails, the character before it is pushed down
 *   with it. Mainland horizontal text does not hang punctuation, so nothing goes past the measure.
 *
 * Widths come from a caller's measuring function, so the rules are tested without a canvas.
 */

export type WidthFn = (text: string) => number;

export interface Line {
  text: string;
  /** Visual width: the measured width minus any squeezed half-width of the last mark. */
  width: number;
  /** The line starts inside a piece too wide for any line, split by force (the rules could not hold). */
  forced?: boolean;
}

/** clreq: characters not allowed at the start of a line (basic level). */
export const NO_LINE_START = new Set([
  ...'、，。．：；！？）］｝〕〉》」』】〙〗〟’”｠»',
  ...'・·‧•', // interpuncts
  ...'‐–～〜゠', // connectors (hyphen, en dash, wave dash)
  ...',.:;!?)]}%‰℃°', // Latin closers and unit symbols that follow a number
  ...'ゝゞヽヾ々〻ー',
]);

/** clreq: characters not allowed at the end of a line. */
export const NO_LINE_END = new Set([...'（［｛〔〈《「『【〘〖〝‘“｟«([{', ...'¥￥$£€#']);

/** Marks whose ink sits in the left half of the em box in mainland fonts, so they can be squeezed to half width. */
const SQUEEZABLE = new Set([...'，。、）］｝〕〉》」』】〙〗’”']);

/** Measure words and units that stay with a preceding number. Longest first. */
const CJK_UNITS = [
  '千瓦时', '平方米', '号线', '分钟', '小时', '千米', '公里', '公斤', '千克', '千瓦', '毫米', '厘米', '周岁',
  ...'元角分米克吨度秒天周年月日号时点站路层楼次人个岁级折倍期辆座条台家所处份项件名位瓦伏',
].sort((a, b) => b.length - a.length);

const CJK = /[\u2E80-\u2FFF\u3000-\u303F\u3040-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u2014\u2026“”‘’]/u;
const DIGIT = /[0-9０-９]/;
const BREAK_AFTER = new Set([...'-–/']);

type AtomKind = 'space' | 'cjk' | 'latin' | 'dash';
interface Atom { text: string; kind: AtomKind }

/** Splits a paragraph into atoms: spaces, single CJK characters, Latin words, dash/ellipsis runs, and CJK units after numbers. */
export function atoms(para: string): Atom[] {
  const out: Atom[] = [];
  const chars = [...para];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    if (c === ' ' || c === '\t' || c === '\u3000') {
      let j = i + 1;
      while (j < chars.length && (chars[j] === ' ' || chars[j] === '\t' || chars[j] === '\u3000')) j++;
      out.push({ text: chars.slice(i, j).join(''), kind: 'space' });
      i = j;
    } else if (c === '\u2014' || c === '\u2026') {
      // —— and …… (and longer runs) are one unit.
      let j = i + 1;
      while (j < chars.length && chars[j] === c) j++;
      out.push({ text: chars.slice(i, j).join(''), kind: 'dash' });
      i = j;
    } else if (CJK.test(c)) {
      const prev = out.at(-1);
      if (prev && prev.kind === 'latin' && DIGIT.test(prev.text.at(-1)!)) {
        const unit = CJK_UNITS.find((u) => chars.slice(i, i + [...u].length).join('') === u);
        if (unit) {
          out.push({ text: unit, kind: 'cjk' });
          i += [...unit].length;
          continue;
        }
      }
      out.push({ text: c, kind: 'cjk' });
      i++;
    } else {
      // A Latin word; a break may follow a hyphen, dash or slash inside it ("9:00–17:00", URLs).
      let j = i + 1;
      while (j < chars.length && !CJK.test(chars[j]!) && chars[j] !== ' ' && chars[j] !== '\t' && chars[j] !== '\u3000' && !BREAK_AFTER.has(chars[j - 1]!)) j++;
      out.push({ text: chars.slice(i, j).join(''), kind: 'latin' });
      i = j;
    }
  }
  return out;
}

const first = (s: string) => [...s][0] ?? '';
const last = (s: string) => [...s].at(-1) ?? '';
const isUnitStart = (a: Atom) => CJK_UNITS.includes(a.text) || /^(%|‰|℃|°|k?m\b|km|kg|kWh?|h\b|min\b|s\b)/.test(a.text);

/** May a line break fall between atoms[i-1] and atoms[i]? */
function canBreakBefore(list: Atom[], i: number): boolean {
  const prev = list[i - 1];
  const cur = list[i]!;
  if (!prev) return false;
  if (cur.kind === 'space') return false; // break after spaces, not before
  if (NO_LINE_START.has(first(cur.text))) return false;
  const before = prev.kind === 'space' ? list[i - 2] : prev;
  if (before && NO_LINE_END.has(last(before.text))) return false;
  if (prev.kind !== 'space' && DIGIT.test(last(prev.text)) && isUnitStart(cur)) return false;
  // "3.5 km": a number and its unit stay together across a space too.
  if (prev.kind === 'space' && i >= 2 && DIGIT.test(last(list[i - 2]!.text)) && isUnitStart(cur)) return false;
  return true;
}

interface Segment { text: string; trailingSpace: string }

/** Groups atoms into unbreakable segments; each may end with spaces that vanish at a line end. */
function segments(list: Atom[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | null = null;
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    if (!cur || canBreakBefore(list, i)) {
      cur = { text: '', trailingSpace: '' };
      out.push(cur);
    }
    if (a.kind === 'space') cur.trailingSpace += a.text;
    else {
      // A space inside a segment ("3.5 km") is kept as text.
      cur.text += cur.trailingSpace + a.text;
      cur.trailingSpace = '';
    }
  }
  return out;
}

/** Width that can be squeezed out of a segment's last mark when it ends a line. */
function squeeze(text: string, width: WidthFn): number {
  const l = last(text);
  return SQUEEZABLE.has(l) ? width(l) / 2 : 0;
}

/** Splits a too-wide segment by characters (a URL or a long word): the last resort. */
function hardSplit(text: string, maxWidth: number, width: WidthFn): string[] {
  const parts: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && width(line + ch) > maxWidth) { parts.push(line); line = ch; } else line += ch;
  }
  if (line) parts.push(line);
  return parts;
}

/**
 * Breaks text into lines no wider than maxWidth. Newlines start new paragraphs; blank lines are
 * kept. Line widths are summed per segment (one measurement per distinct segment, which callers
 * cache), so a long body costs a few hundred measurements, not thousands.
 */
export function breakLines(text: string, maxWidth: number, width: WidthFn): Line[] {
  const lines: Line[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    let lineW = 0;
    let pendingSpace = '';
    let forced = false;
    const flush = () => {
      lines.push(forced ? { text: line, width: lineW - squeeze(line, width), forced } : { text: line, width: lineW - squeeze(line, width) });
      line = '';
      lineW = 0;
      pendingSpace = '';
      forced = false;
    };
    const start = (text: string) => {
      // A segment wider than a whole line (a URL, a long word) is split by characters.
      if (width(text) - squeeze(text, width) > maxWidth) {
        const parts = hardSplit(text, maxWidth, width);
        parts.slice(0, -1).forEach((p, i) => { line = p; lineW = width(p); forced = i > 0; flush(); });
        text = parts.at(-1)!;
        forced = parts.length > 1;
      }
      line = text;
      lineW = width(text);
    };
    for (const seg of segments(atoms(para.trim()))) {
      if (!seg.text) { pendingSpace += seg.trailingSpace; continue; }
      if (!line) {
        start(seg.text);
      } else {
        const segW = width(seg.text);
        const w = lineW + (pendingSpace ? width(pendingSpace) : 0) + segW;
        // 先挤进: fits as is, or fits once its last mark is compressed to half width.
        if (w <= maxWidth || w - squeeze(seg.text, width) <= maxWidth) {
          line += pendingSpace + seg.text;
          lineW = w;
        } else {
          // 后推出: the segment already carries the marks that may not start a line, so it goes down whole.
          flush();
          start(seg.text);
        }
      }
      pendingSpace = seg.trailingSpace;
    }
    flush();
  }
  return lines;
}

const TRIM_BEFORE_ELLIPSIS = new Set([...'、，。：；,.;: ', ...NO_LINE_END]);

/**
 * Breaks and fits into at most maxLines; when text remains, the last line ends with "…" (cut at
 * an atom boundary, so a number, a word or —— is never cut in half).
 */
export function fitLines(text: string, maxWidth: number, maxLines: number, width: WidthFn): { lines: Line[]; truncated: boolean } {
  const all = breakLines(text, maxWidth, width);
  if (all.length <= maxLines) return { lines: all, truncated: false };
  const kept = all.slice(0, Math.max(1, maxLines));
  const parts = atoms(kept.at(-1)!.text).map((a) => a.text);
  let t = parts.join('');
  while (parts.length > 0 && width(t + '…') > maxWidth) {
    parts.pop();
    t = parts.join('');
  }
  while (t.length > 0 && TRIM_BEFORE_ELLIPSIS.has(last(t))) t = [...t].slice(0, -1).join('');
  const text2 = t + '…';
  kept[kept.length - 1] = { text: text2, width: width(text2) };
  return { lines: kept, truncated: true };
}
