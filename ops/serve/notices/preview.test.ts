import { describe, expect, it } from 'vitest';
import { NoticePreviewer } from './preview.js';
import { completeNotice } from '../../sign.js';
import { decodePng } from '../../../test/helpers/png.js';

describe('notice preview (the pole\'s own renderer)', () => {
  it('draws a 480×800 PNG per language; the text changes the pixels', async () => {
    const p = new NoticePreviewer();
    const now = Date.parse('2026-12-07T10:00:00+08:00');
    const n = completeNotice({ title: { zh: '道路施工', en: 'Road works' }, body: { zh: '澳门路夜间施工，请绕行。', en: 'Night works on Aomen Rd; please detour.' } }, now);
    const zh = await p.render(n, 'zh', now);
    const en = await p.render(n, 'en', now);
    const img = await decodePng(zh);
    expect([img.width, img.height]).toEqual([480, 800]);
    expect(zh.equals(en)).toBe(false);
    const other = await p.render({ ...n, title: { zh: '停水通知', en: 'Water cut' } }, 'zh', now);
    expect(other.equals(zh)).toBe(false);
    expect((await p.render(n, 'zh', now)).equals(zh)).toBe(true); // same notice, same pixels
  });
});
