/** Builders for the notices list (by priority, then newest) and one notice in full, paged. */
import type { NoticeLine, NoticePage, NoticesPage } from '../../../display/page-model.js';
import { NOTICES_PER_PAGE, noticeBodyLines, noticeDetailLayout, noticeTitleLines } from '../../../display/pages/notices.js';
import { PRIORITY_RANK } from '../../../protocols/notice.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import { inDaypart } from '../../notices/scheduler.js';
import type { BuildContext, Fields } from './context.js';
import { otherTitle } from './home.js';
import { formatDate, loc, paginate } from './context.js';

export const noticeKey = (n: StoredNotice): string => `${n.issuer}:${n.id}`;

/** Notices in force now (validity and dayparts), by priority then newest. */
export function noticesInForce(c: BuildContext): StoredNotice[] {
  return c.notices()
    .filter((n) => inDaypart(n, c.now, c.timeZone))
    .sort((a, b) => PRIORITY_RANK[b.payload.priority] - PRIORITY_RANK[a.payload.priority] || Date.parse(b.payload.issuedAt) - Date.parse(a.payload.issuedAt));
}

export function buildNotices(c: BuildContext): Fields<NoticesPage> {
  const lang = c.session.lang;
  const all = noticesInForce(c);
  const { items, pager } = paginate(all, NOTICES_PER_PAGE, c.session.view.page);
  return {
    page: 'notices', total: all.length, pager,
    items: items.map((n) => ({ id: noticeKey(n), priority: n.payload.priority, title: loc(n.payload.title, lang), otherTitle: otherTitle(n, lang), excerpt: loc(n.payload.body, lang).slice(0, 80), date: formatDate(Date.parse(n.payload.issuedAt), c.timeZone, lang) })),
  };
}

/** null when the notice is gone (withdrawn or expired while someone was reading it). */
export function buildNotice(c: BuildContext): Fields<NoticePage> | null {
  const lang = c.session.lang;
  const n = c.notices().find((x) => noticeKey(x) === c.session.view.noticeId);
  if (!n) return null;
  const title = loc(n.payload.title, lang);
  const L = noticeDetailLayout(c.g, c.tm, title);
  const lines: NoticeLine[] = noticeBodyLines(c.g, c.tm, loc(n.payload.body, lang)).map((text) => ({ text, kind: 'body' }));
  // A bilingual notice continues in the other language, as the emergency page shows both (docs/screen.md).
  const { title: t2, body: b2 } = n.payload;
  if (t2.en || b2.en) {
    const other = lang === 'zh' ? { title: t2.en ?? t2.zh, body: b2.en ?? '' } : { title: t2.zh, body: b2.zh };
    lines.push({ text: '', kind: 'rule' }, ...noticeTitleLines(c.g, c.tm, other.title).map((text) => ({ text, kind: 'title' as const })));
    if (other.body) lines.push(...noticeBodyLines(c.g, c.tm, other.body).map((text) => ({ text, kind: 'body' as const })));
  }
  const { items, pager } = paginate(lines, L.linesPerPage, c.session.view.page);
  return {
    page: 'notice', lines: items, pager,
    notice: {
      id: noticeKey(n), priority: n.payload.priority, title,
      issued: formatDate(Date.parse(n.payload.issuedAt), c.timeZone, lang),
      until: n.expiresAt ? formatDate(n.expiresAt, c.timeZone, lang) : null,
    },
  };
}
