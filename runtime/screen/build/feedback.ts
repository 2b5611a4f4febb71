/** Builders for the message board: intro, category, problem, confirm, done, ticket lookup/result. */
import type {
  FeedbackCategoryPage, FeedbackConfirmPage, FeedbackDonePage, FeedbackPage, FeedbackProblemPage, TicketLookupPage, TicketResultPage, Tone,
} from '../../../display/page-model.js';
import { KEYPAD, groupTicket } from '../../../display/pages/ticket.js';
import type { BuildContext, Fields } from './context.js';
import { fill, formatDate, loc } from './context.js';

export function buildFeedback(c: BuildContext): Fields<FeedbackPage> {
  return {
    page: 'feedback',
    intro: c.session.lang === 'zh'
      ? '发现身边的问题？告诉我们。留言将转交市民服务热线 12345 和相关部门处理，位置由本灯杆自动填写。'
      : 'Seen a problem nearby? Tell the city. Your message goes to the 12345 hotline and the department in charge; this pole fills in the location.',
  };
}

export function buildFeedbackCategory(c: BuildContext): Fields<FeedbackCategoryPage> {
  return { page: 'feedback-category', categories: c.feedbackCategories().categories.map((x) => ({ id: x.id, name: loc(x.name, c.session.lang) })) };
}

export function buildFeedbackProblem(c: BuildContext): Fields<FeedbackProblemPage> | null {
  const cat = c.feedbackCategories().categories.find((x) => x.id === c.session.view.fbCategory);
  if (!cat) return null;
  return { page: 'feedback-problem', category: loc(cat.name, c.session.lang), problems: cat.problems.map((p) => ({ id: p.id, name: loc(p.name, c.session.lang) })) };
}

export function buildFeedbackConfirm(c: BuildContext): Fields<FeedbackConfirmPage> | null {
  const v = c.session.view;
  const names = c.feedback.names(v.fbCategory ?? '', v.fbProblem ?? '');
  if (!names) return null;
  const lang = c.session.lang;
  return {
    page: 'feedback-confirm', category: loc(names.category, lang), problem: loc(names.problem, lang),
    location: `${c.pole.address} · ${formatDate(c.now, c.timeZone, lang, true)}`, poleId: c.pole.id, error: c.session.feedbackError,
  };
}

export function buildFeedbackDone(c: BuildContext): Fields<FeedbackDonePage> | null {
  const ticket = c.session.view.ticket;
  if (!ticket) return null;
  return { page: 'feedback-done', ticket, ticketDisplay: groupTicket(ticket), qr: fill(c.links.feedbackUrl, { ticket, poleId: c.pole.id }) };
}

export function buildTicketLookup(c: BuildContext): Fields<TicketLookupPage> {
  return { page: 'ticket-lookup', input: c.session.ticketInput, error: c.session.ticketError, keys: KEYPAD };
}

/** Reply statuses the city sends, in words. */
const REPLY_STATUS: Record<string, { zh: string; en: string; tone: Tone }> = {
  'received': { zh: '已受理', en: 'Received', tone: 'busy' },
  'in-progress': { zh: '处理中', en: 'In progress', tone: 'busy' },
  'resolved': { zh: '已办结', en: 'Resolved', tone: 'ok' },
  'rejected': { zh: '不予受理', en: 'Not accepted', tone: 'fault' },
  'closed': { zh: '已关闭', en: 'Closed', tone: 'idle' },
};

export function buildTicketResult(c: BuildContext): Fields<TicketResultPage> | null {
  const ticket = c.session.view.ticket;
  if (!ticket) return null;
  const lang = c.session.lang;
  const r = c.feedback.lookup(ticket);
  const base = { page: 'ticket-result' as const, ticketDisplay: groupTicket(ticket) };
  if (!r.message && !r.reply) {
    return {
      ...base, found: false, summary: null, tone: 'idle', status: lang === 'zh' ? '本灯杆未查到' : 'Not found on this pole',
      reply: lang === 'zh' ? '该编号不是在本灯杆提交的。请在提交留言的灯杆查询，或拨打 12345 咨询。' : 'This ticket was not submitted at this pole. Look it up at the pole where you submitted it, or call 12345.',
      replyAt: null,
    };
  }
  // Anyone at the screen may type any number: show the status, the city's reply, the category and
  // when — never the problem chosen or the message's text or place (docs/screen.md §Messages to the city).
  const category = r.message ? c.feedbackCategories().categories.find((x) => x.id === r.message!.category) : undefined;
  const summary = r.message
    ? `${category ? loc(category.name, lang) : (lang === 'zh' ? '留言' : 'Message')} · ${formatDate(r.message.createdAt, c.timeZone, lang, true)}`
    : null;
  if (!r.reply) {
    return {
      ...base, found: true, summary, tone: 'busy', status: lang === 'zh' ? '已提交，等待受理' : 'Sent, awaiting reply',
      reply: lang === 'zh' ? '您的留言已转交相关部门，答复后可在此查看。' : 'Your message has been passed on; the reply will show here.', replyAt: null,
    };
  }
  const st = REPLY_STATUS[r.reply.status] ?? { zh: r.reply.status, en: r.reply.status, tone: 'busy' as const };
  return { ...base, found: true, summary, tone: st.tone, status: lang === 'zh' ? st.zh : st.en, reply: loc(r.reply.reply, lang), replyAt: formatDate(r.reply.receivedAt, c.timeZone, lang, true) };
}
