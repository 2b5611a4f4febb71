/**
 * What a notice sign shows, as dynamic areas (docs/protocols/onbon.md §10). Pure apart from the
 * text measuring it is given:
 *
 *   area 0  clock        top row, whole width (signs of two rows or more; `clock: true`)
 *   area 1  notices      the other rows: each notice's title and body, wrapped, cut into pages the card turns
 *   area 2  emergency    the whole sign, alone: areas 0 and 1 are deleted while an emergency plays
 *   area 3  test pattern the whole sign, alone, while a technician asked for it
 *
 * Each plan carries a key (its content); the service sends an area only when its key changed,
 * so the minute's clock costs one row and a new notice never resends the clock.
 */
import type { SignColour, SignLine } from '../../display/sign-text.js';
import { DisplayMode, RunMode } from '../../protocols/onbon/areas.js';

export const AreaId = { CLOCK: 0, NOTICES: 1, EMERGENCY: 2, TEST: 3 } as const;

export interface PagePlan {
  lines: SignLine[];
  stay10ms: number;
  displayMode: number;
  /** A test page fills the area with one colour or a checkerboard instead of text. */
  fill?: 'solid' | 'checker';
  fillColour?: SignColour;
}

export interface AreaPlan {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  runMode: number;
  pages: PagePlan[];
  key: string;
}

export interface SignMessage {
  title: string;
  body: string;
}

export interface SignContent {
  /** Candidate clock strings, longest first; the first that fits is shown. */
  clock: string[] | null;
  notices: SignMessage[];
  emergency: SignMessage[];
  /** Shown in the notice area when there is no notice (the pole's address). */
  idle: string;
  test: boolean;
}

export interface SignGeometry {
  width: number;
  height: number;
  fontPx: number;
  dualColour: boolean;
  pageSec: number;
  /** Most pages one area may carry (the card's receive buffer / page size). */
  maxPages: number;
}

export interface Wrapper {
  width(text: string): number;
  wrap(text: string, width: number): string[];
}

const key = (p: Omit<AreaPlan, 'key'>) => JSON.stringify(p);
const withKey = (p: Omit<AreaPlan, 'key'>): AreaPlan => ({ ...p, key: key(p) });

function textPages(items: readonly SignMessage[], rows: number, width: number, w: Wrapper, colours: { title: SignColour; body: SignColour }, stay10ms: number, maxPages: number): PagePlan[] {
  const pages: PagePlan[] = [];
  for (const n of items) {
    const lines: SignLine[] = [
      ...w.wrap(n.title, width).map((text) => ({ text, colour: colours.title })),
      ...w.wrap(n.body, width).map((text) => ({ text, colour: colours.body })),
    ];
    for (let i = 0; i < lines.length && pages.length < maxPages; i += rows) {
      pages.push({ lines: lines.slice(i, i + rows), stay10ms, displayMode: DisplayMode.STATIC });
    }
  }
  return pages;
}

export function planSign(c: SignContent, g: SignGeometry, w: Wrapper): AreaPlan[] {
  const rows = Math.max(1, Math.floor(g.height / g.fontPx));
  const used = rows * g.fontPx;
  const stay10ms = g.pageSec * 100;
  const whole = { x: 0, y: 0, w: g.width, h: used, runMode: RunMode.LOOP };
  if (c.test) {
    const colours: SignColour[] = g.dualColour ? [1, 2, 3] : [1];
    const pages: PagePlan[] = [
      ...colours.map((fillColour): PagePlan => ({ lines: [], stay10ms: 200, displayMode: DisplayMode.STATIC, fill: 'solid', fillColour })),
      { lines: [], stay10ms: 200, displayMode: DisplayMode.STATIC, fill: 'checker', fillColour: g.dualColour ? 3 : 1 },
    ];
    return [withKey({ id: AreaId.TEST, ...whole, pages })];
  }
  const red: SignColour = 1;
  if (c.emergency.length) {
    return [withKey({ id: AreaId.EMERGENCY, ...whole, pages: textPages(c.emergency, rows, g.width, w, { title: red, body: red }, stay10ms, g.maxPages) })];
  }
  const plans: AreaPlan[] = [];
  const clockRow = c.clock !== null && rows >= 2;
  if (clockRow) {
    const text = c.clock!.find((t) => w.width(t) <= g.width) ?? c.clock![c.clock!.length - 1]!;
    plans.push(withKey({
      id: AreaId.CLOCK, x: 0, y: 0, w: g.width, h: g.fontPx, runMode: RunMode.LOOP,
      pages: [{ lines: [{ text, colour: g.dualColour ? 2 : red, align: 'center' }], stay10ms: 6000, displayMode: DisplayMode.STATIC }],
    }));
  }
  const top = clockRow ? g.fontPx : 0;
  const noticeRows = rows - (clockRow ? 1 : 0);
  const colours = g.dualColour ? { title: 3 as const, body: 2 as const } : { title: red, body: red };
  let pages = textPages(c.notices, noticeRows, g.width, w, colours, stay10ms, g.maxPages);
  if (!pages.length) pages = textPages([{ title: c.idle, body: '' }], noticeRows, g.width, w, colours, stay10ms, 1);
  if (pages.length) plans.push(withKey({ id: AreaId.NOTICES, x: 0, y: top, w: g.width, h: noticeRows * g.fontPx, runMode: RunMode.LOOP, pages }));
  return plans;
}
