/**
 * The ticket page's model (docs/feedback.md §On the pole): what a ticket lookup shows — the status
 * steps 受理 → 办理中 → 已回复, the department's answer in the session's language, and the rating
 * row once there is an answer to rate. Anyone at the screen may type any number: never the problem
 * chosen, the message's text or place (docs/screen.md §Messages to the city).
 */
import type { Language, TicketRatingView, TicketResultPage, TicketStepView } from '../../../display/page-model.js';
import { groupTicket } from '../../../display/pages/ticket.js';
import { answerLayout, answerLines } from '../../../display/pages/ticket-result.js';
import { FEEDBACK_RATINGS, RATING_LABELS } from '../../../protocols/feedback.js';
import type { TicketLookup } from '../../feedback/feedback-service.js';
import type { BuildContext, Fields } from './context.js';
import { formatDate, loc, paginate } from './context.js';

type Tone = TicketResultPage['tone'];

/** Reply statuses the city sends, in words, and the step (0 受理, 1 办理中, 2 已回复) each stands at. */
export const REPLY_STATUS: Record<string, { zh: string; en: string; tone: Tone; step: 0 | 1 | 2 }> = {
  'received': { zh: '已受理', en: 'Received', tone: 'busy', step: 0 },
  'in-progress': { zh: '办理中', en: 'In progress', tone: 'busy', step: 1 },
  'replied': { zh: '已回复', en: 'Replied', tone: 'ok', step: 2 },
  'resolved': { zh: '已办结', en: 'Resolved', tone: 'ok', step: 2 },
  'rejected': { zh: '不予受理', en: 'Not accepted', tone: 'fault', step: 2 },
  'closed': { zh: '已关闭', en: 'Closed', tone: 'idle', step: 2 },
};

const STEP_LABELS: { zh: string; en: string }[] = [{ zh: '受理', en: 'Received' }, { zh: '办理中', en: 'In progress' }, { zh: '已回复', en: 'Replied' }];

function steps(c: BuildContext, r: TicketLookup, lang: Language): TicketStepView[] {
  const st = REPLY_STATUS[r.reply!.status];
  const current = st?.step ?? 0;
  const firstAt = (step: number) => r.steps.find((s) => REPLY_STATUS[s.status]?.step === step)?.at;
  return STEP_LABELS.map((l, i) => {
    const at = i <= current ? firstAt(i) : undefined;
    // The last step is named by how the case ended (已回复 / 已办结 / 不予受理 / 已关闭).
    const label = i === 2 && i === current && st ? st[lang] : l[lang];
    return { label, reached: i <= current, current: i === current, at: at === undefined ? null : formatDate(at, c.timeZone, lang, true) };
  });
}

/** When the answer first came: the first answering status this pole heard of. */
function answeredAt(r: TicketLookup): number | undefined {
  return r.steps.find((s) => REPLY_STATUS[s.status]?.step === 2)?.at;
}

function rating(r: TicketLookup, lang: Language, error: string | null): TicketRatingView | null {
  if (!r.ratable && !r.rating) return null;
  const zh = lang === 'zh';
  const chosen = r.rating?.rating ?? null;
  return {
    prompt: chosen
      ? (zh ? `感谢您的评价：${RATING_LABELS[chosen].zh}` : `Thank you for rating: ${RATING_LABELS[chosen].en.join(' ').toLowerCase()}`)
      : (zh ? '您对这次答复满意吗？' : 'Are you satisfied with this answer?'),
    options: FEEDBACK_RATINGS.map((id) => ({ id, label: zh ? [RATING_LABELS[id].zh] : RATING_LABELS[id].en })),
    chosen,
    error: chosen ? null : error,
  };
}

function content(c: BuildContext): Omit<Fields<TicketResultPage>, 'replyLines' | 'pager'> | null {
  const ticket = c.session.view.ticket;
  if (!ticket) return null;
  const lang = c.session.lang;
  const zh = lang === 'zh';
  const r = c.feedback.lookup(ticket);
  const base = { page: 'ticket-result' as const, ticketDisplay: groupTicket(ticket), steps: null, department: null, rating: null };
  if (!r.message && !r.reply) {
    return {
      ...base, found: false, summary: null, tone: 'idle', status: zh ? '本灯杆未查到' : 'Not found on this pole',
      reply: zh ? '该编号不是在本灯杆提交的。请在提交留言的灯杆查询，或拨打 12345 咨询。' : 'This ticket was not submitted at this pole. Look it up at the pole where you submitted it, or call 12345.',
      replyAt: null,
    };
  }
  const category = r.message ? c.feedbackCategories().categories.find((x) => x.id === r.message!.category) : undefined;
  const summary = r.message
    ? `${category ? loc(category.name, lang) : (zh ? '留言' : 'Message')} · ${formatDate(r.message.createdAt, c.timeZone, lang, true)}`
    : null;
  if (!r.reply) {
    return {
      ...base, found: true, summary, tone: 'busy', status: zh ? '已提交，等待受理' : 'Sent, awaiting reply',
      reply: zh ? '您的留言已转交相关部门，答复后可在此查看。' : 'Your message has been passed on; the reply will show here.', replyAt: null,
    };
  }
  const st = REPLY_STATUS[r.reply.status] ?? { zh: r.reply.status, en: r.reply.status, tone: 'busy' as const, step: 0 };
  const answer = r.reply.reply
    ? loc(r.reply.reply, lang)
    : (zh ? '相关部门正在办理您的留言，答复后可在此查看。' : 'The department is working on your message; the answer will show here.');
  return {
    ...base, found: true, summary, tone: st.tone, status: st[lang], steps: steps(c, r, lang),
    department: r.reply.department ? loc(r.reply.department, lang) : null,
    reply: answer, replyAt: r.reply.reply ? formatDate(answeredAt(r) ?? r.reply.receivedAt, c.timeZone, lang, true) : null,
    rating: rating(r, lang, c.session.feedbackError),
  };
}

/** The ticket page: its content, with the answer broken into lines and paged to fit its box. */
export function buildTicketResult(c: BuildContext): Fields<TicketResultPage> | null {
  const f = content(c);
  if (!f) return null;
  const o = { rating: f.rating !== null, department: f.department !== null };
  const lines = f.reply ? answerLines(c.g, c.tm, f.reply, o) : [];
  const { items, pager } = paginate(lines, answerLayout(c.g, o).linesPerPage, c.session.view.page);
  return { ...f, replyLines: items, pager };
}
