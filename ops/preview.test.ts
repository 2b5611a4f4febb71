import { describe, expect, it } from 'vitest';
import { screenFixture } from '../simulator/screen-fixture.js';
import { DEMO_FIELD } from '../simulator/screen-tour.js';
import { NoticePayload } from '../protocols/notice.js';
import { isoWithOffset } from '../protocols/time.js';
import { decodePng } from '../test/helpers/png.js';
import { previewNotice } from './preview.js';

const AT = Date.parse('2026-12-07T09:30:00+08:00');
const POLE = { id: 'WH-JA-0001', address: '武汉市江岸区澳门路', lat: 30.6043, lon: 114.3012 };
const notice = (over: Record<string, unknown> = {}) => NoticePayload.parse({
  type: 'notice', id: 'road-works', audience: 'all', version: 1, issuedAt: isoWithOffset(AT - 3600_000), expiresAt: isoWithOffset(AT + 86400_000),
  title: { zh: '澳门路夜间施工通知', en: 'Night works on Aomen Road' },
  body: { zh: '12月8日至12月12日每晚22时至次日6时，澳门路（中山大道至胜利街段）进行管道施工，请绕行。', en: 'From 8 to 12 December, 22:00–06:00, pipe works on Aomen Road between Zhongshan Ave and Shengli St. Please use another route.' },
  dayparts: [{ days: [6, 7], from: '08:00', to: '09:00' }], // not now: the preview shows it anyway
  ...over,
});
const rgba = async (png: Buffer) => { const i = await decodePng(png); return { w: i.width, h: i.height, px: Buffer.from(i.data.buffer, i.data.byteOffset, i.data.length) }; };

describe('previewNotice: the pole\'s own pages, drawn by the pole\'s renderer', () => {
  it('renders the attract loop and the opened notice in zh and en, 480 × 800', async () => {
    const shots = await previewNotice(notice(), { at: AT, pole: POLE });
    expect(shots.map((s) => `${s.lang}:${s.page}:${s.index}/${s.count}`)).toEqual(['zh:attract:1/1', 'zh:notice:1/1', 'en:attract:1/1', 'en:notice:1/1']);
    for (const s of shots) {
      const img = await rgba(s.png);
      expect([img.w, img.h]).toEqual([480, 800]);
    }
    const [zhLoop, zhNotice, enLoop] = shots;
    expect(zhLoop!.model.page === 'attract' && zhLoop!.model.notice?.title).toBe('澳门路夜间施工通知');
    expect(enLoop!.model.page === 'attract' && enLoop!.model.notice?.title).toBe('Night works on Aomen Road');
    expect(zhNotice!.model.page === 'notice' && zhNotice!.model.notice.until).toBeTruthy();
    // The languages differ on screen.
    expect((await rgba(zhLoop!.png)).px.equals((await rgba(enLoop!.png)).px)).toBe(false);
  });

  it('is pixel for pixel what a pole\'s ScreenService shows for the same notice', async () => {
    const n = notice();
    const [loop] = await previewNotice(n, { at: AT, pole: POLE, languages: ['zh'], field: DEMO_FIELD });
    expect(loop!.model.page === 'attract' && loop!.model.status.lamp).toEqual({ on: true, levelPct: 80 });
    const f = screenFixture({ seed: false, start: AT });
    f.setField(DEMO_FIELD);
    f.screen.start();
    f.store.upsert('ops', 'smartpole/v1/notices/all/road-works', { ...n, dayparts: undefined }, AT);
    f.screen.refresh();
    expect(f.page('attract').notice?.title).toBe('澳门路夜间施工通知');
    expect((await rgba(f.renderer.png())).px.equals((await rgba(loop!.png)).px)).toBe(true);
    f.screen.stop();
  });

  it('pages a long notice as a reader would, and shows every screen of a long emergency takeover', async () => {
    const long = 'pipe works on Aomen Road between Zhongshan Avenue and Shengli Street; buses 30, 38 and 212 are diverted. '.repeat(14);
    const pages = await previewNotice(notice({ body: { zh: '管道施工，请绕行。'.repeat(60), en: long } }), { at: AT, languages: ['en'] });
    const opened = pages.filter((s) => s.page === 'notice');
    expect(opened.length).toBeGreaterThan(1);
    expect(opened.map((s) => s.index)).toEqual(opened.map((_s, i) => i + 1));
    const alert = await previewNotice(notice({ priority: 'emergency', body: { zh: '请立即远离江滩和低洼地带，听从现场工作人员指挥。'.repeat(12), en: long } }), { at: AT, languages: ['zh'] });
    expect(alert.every((s) => s.page === 'emergency')).toBe(true);
    expect(alert.length).toBeGreaterThan(1);
    expect(alert.map((s) => s.model.page === 'emergency' && s.model.cycle.index)).toEqual(alert.map((_s, i) => i + 1));
  });

  it('refuses what is not a notice', async () => {
    await expect(previewNotice({ type: 'notice', title: { zh: '' } })).rejects.toThrow();
  });
});
