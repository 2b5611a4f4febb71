/** Builders for the message board: intro, category, problem, confirm, done, ticket lookup (the ticket page: ./ticket.ts). */
import type {
  FeedbackCategoryPage, FeedbackConfirmPage, FeedbackDonePage, FeedbackPage, FeedbackProblemPage, TicketLookupPage,
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

export { buildTicketResult } from './ticket.js';
