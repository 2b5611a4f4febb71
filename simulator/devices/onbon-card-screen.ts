/**
 * What a simulated Onbon card shows (docs/protocols/onbon.md §9): its dynamic areas in RAM, each
 * playing its pages in turn for their stay time, composed onto the sign's pixels (later areas on
 * top, as the card draws them). Only the static and instant transitions are modelled; a page
 * with another transition is shown as it ends.
 */
import { blankBitmap, decodePage, type SignBitmap, type SignColours, planesOf } from '../../protocols/onbon/bitmap.js';
import type { AreaWrite } from '../../protocols/onbon/areas.js';
import type { OnbonGeneration } from '../../protocols/onbon/header.js';

export interface ShownArea {
  area: AreaWrite;
  pages: SignBitmap[];
  /** When the area was written (its page cycle starts there). */
  since: number;
}

export class CardScreen {
  readonly areas = new Map<number, ShownArea>();

  constructor(readonly width: number, readonly height: number, readonly colours: SignColours, readonly gen: OnbonGeneration) {}

  /** Decodes and stores an area; a reason when it does not fit the sign. */
  put(a: AreaWrite, now: number): string | null {
    if (a.w === 0 || a.h === 0 || a.x + a.w > this.width || a.y + a.h > this.height) return `area ${a.id} ${a.w}×${a.h}+${a.x}+${a.y} is outside the ${this.width}×${this.height} sign`;
    const pages: SignBitmap[] = [];
    for (const p of a.pages) {
      const bmp = decodePage(this.gen, p.data, a.x, a.w, a.h, planesOf(this.colours));
      if (!bmp) return `area ${a.id}: a page of ${p.data.length} bytes is not the size of a ${a.w}×${a.h} bitmap`;
      pages.push(bmp);
    }
    this.areas.delete(a.id);
    this.areas.set(a.id, { area: a, pages, since: now });
    return null;
  }

  delete(ids: readonly number[] | 'all'): void {
    if (ids === 'all') this.areas.clear();
    else for (const id of ids) this.areas.delete(id);
  }

  /** The page an area shows at `now`. */
  pageAt(s: ShownArea, now: number): number {
    const stays = s.area.pages.map((p) => Math.max(10, p.stay10ms * 10));
    const cycle = stays.reduce((a, b) => a + b, 0);
    let t = (now - s.since) % cycle;
    for (let i = 0; i < stays.length; i++) {
      if (t < stays[i]!) return i;
      t -= stays[i]!;
    }
    return 0;
  }

  /** The whole sign at `now`. */
  compose(now: number): SignBitmap {
    const out = blankBitmap(this.width, this.height);
    for (const s of this.areas.values()) {
      const bmp = s.pages[this.pageAt(s, now)]!;
      const { x, y, w, h } = s.area;
      for (let r = 0; r < h; r++) out.pixels.set(bmp.pixels.subarray(r * w, r * w + w), (y + r) * this.width + x);
    }
    return out;
  }
}
