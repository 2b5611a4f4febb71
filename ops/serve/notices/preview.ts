/**
 * The notice preview (docs/ops-console.md §Notices): the exact pixels a pole's screen shows for a
 * notice, drawn by the pole's own code — the ScreenService page builders and the node-canvas
 * Renderer on a 480×800 panel — in a throw-away in-memory pole with the sample data sets. The
 * notice is shown as when it is on screen: now, inside its first daypart. One rig per language,
 * reused; previews are serialised (one canvas each).
 */
import { screenFixture } from '../../../simulator/screen-fixture.js';
import { NoticePayload } from '../../../protocols/notice.js';
import { isoWithOffset } from '../../../protocols/time.js';

export type PreviewLanguage = 'zh' | 'en';
type Rig = ReturnType<typeof screenFixture>;

export class NoticePreviewer {
  private readonly rigs = new Map<PreviewLanguage, Rig>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly size = { width: 480, height: 800 }) {}

  private rig(lang: PreviewLanguage, now: number): Rig {
    let r = this.rigs.get(lang);
    if (!r) {
      r = screenFixture({ language: lang, start: now, width: this.size.width, height: this.size.height, ticketRandom: () => 0 });
      this.rigs.set(lang, r);
    }
    r.set(now);
    return r;
  }

  /** PNG of the screen showing `notice` (a complete, valid NoticePayload) in `lang`. */
  render(notice: NoticePayload, lang: PreviewLanguage, now = Date.now()): Promise<Buffer> {
    const job = this.chain.then(() => this.draw(notice, lang, now));
    this.chain = job.catch(() => {});
    return job;
  }

  private async draw(notice: NoticePayload, lang: PreviewLanguage, now: number): Promise<Buffer> {
    const r = this.rig(lang, now);
    const shown = NoticePayload.parse({ ...notice, id: 'preview', version: 1, issuedAt: isoWithOffset(now - 1000), validFrom: undefined, expiresAt: undefined, dayparts: undefined });
    r.store.upsert('preview', 'smartpole/v1/notices/all/preview', shown, now);
    r.screen.refresh();
    await r.flush();
    await r.flush();
    return r.renderer.png();
  }
}
