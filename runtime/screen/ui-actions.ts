/**
 * What each UiAction (the data behind a hit region) does to the session: navigation, paging,
 * typing, the two submissions (a citizen's message; a ticket lookup) and the rating of an answer. One handler per action
 * kind; errors the visitor can fix are shown on the page, never thrown at the touch path.
 */
import type { Pager, UiAction } from '../../display/page-model.js';
import { TICKET_DIGITS } from '../../display/pages/ticket.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { checkTicket, type FeedbackRating } from '../../protocols/feedback.js';
import type { FeedbackService } from '../feedback/feedback-service.js';
import { LookupBlock, type TicketLookupGuard } from '../feedback/lookup-guard.js';
import { MAX_QUERY, type UiSession } from './ui-session.js';

export interface ActionDeps {
  /** The pager of the page on screen, if it has one. */
  pager: Pager | null;
  feedback: FeedbackService;
  /** This screen's ticket lookup limit. */
  lookups: TicketLookupGuard;
  onSubmitted?: (ticket: string) => void;
}

export function applyAction(s: UiSession, a: UiAction, d: ActionDeps): void {
  switch (a.type) {
    case 'wake': s.go({ mode: 'home' }); return;
    case 'home': s.home(); return;
    case 'back': s.back(); return;
    case 'lang': s.toggleLanguage(); return;
    case 'elder': s.elder(true); return;
    case 'standard': s.elder(false); return;
    case 'elder-category': s.go({ mode: 'elder-places', categoryId: a.id }); return;
    case 'elder-place': s.go({ mode: 'elder-place', placeId: a.id }); return;
    case 'extend': return; // the touch itself was the activity
    case 'go':
      if (a.to === 'service-search') s.query = '';
      if (a.to === 'ticket-lookup') { s.ticketInput = ''; s.ticketError = null; s.feedbackError = null; }
      if (a.to === 'feedback-category') s.feedbackError = null;
      s.go({ mode: a.to });
      return;
    case 'page': if (d.pager) s.turn(a.delta, d.pager.count); return;
    case 'open-notice': s.go({ mode: 'notice', noticeId: a.id }); return;
    case 'service-category': s.go({ mode: 'service-list', categoryId: a.id }); return;
    case 'open-service': s.go({ mode: 'service', placeId: a.id }); return;
    case 'open-stop': s.go({ mode: 'transit-stop', stopId: a.id }); return;
    case 'select-port': s.selectedPort = a.id; return;
    case 'feedback-category': s.go({ mode: 'feedback-problem', fbCategory: a.id }); return;
    case 'feedback-problem': s.go({ mode: 'feedback-confirm', fbCategory: s.view.fbCategory!, fbProblem: a.id }); return;
    case 'key': return typeKey(s, a.key);
    case 'backspace':
      if (s.mode === 'service-search') s.query = s.query.slice(0, -1);
      if (s.mode === 'ticket-lookup') { s.ticketInput = s.ticketInput.slice(0, -1); s.ticketError = null; }
      return;
    case 'clear':
      if (s.mode === 'service-search') s.query = '';
      if (s.mode === 'ticket-lookup') { s.ticketInput = ''; s.ticketError = null; }
      return;
    case 'rate': return rate(s, a.rating, d);
    case 'submit': return submit(s, d);
  }
}

/** The citizen rates the answer on the ticket page: stored and sent once (FeedbackService.rate); a refusal is shown on the page. */
function rate(s: UiSession, rating: FeedbackRating, d: ActionDeps): void {
  if (s.mode !== 'ticket-result' || !s.view.ticket) return;
  try {
    d.feedback.rate(s.view.ticket, rating, s.lang);
    s.feedbackError = null;
  } catch {
    // FeedbackService logged the coded refusal (SP_FEEDBACK_NOT_RATABLE, SP_OUTBOX_FULL).
    s.feedbackError = s.lang === 'zh' ? '暂时无法提交评价，请稍后再试' : 'Cannot send your rating right now — please try later';
  }
}

function typeKey(s: UiSession, key: string): void {
  if (s.mode === 'service-search' && /^[a-z]$/.test(key) && s.query.length < MAX_QUERY) s.query += key;
  if (s.mode === 'ticket-lookup' && /^\d$/.test(key) && s.ticketInput.length < TICKET_DIGITS) {
    s.ticketInput += key;
    s.ticketError = null;
  }
}

/** A well-formed ticket: looked up if this screen's limit allows (runtime/feedback/lookup-guard.ts). */
function lookUp(s: UiSession, d: ActionDeps): void {
  const v = d.lookups.admit();
  if (!v.ok) {
    const sec = Math.max(1, Math.ceil(v.retryInMs / 1000));
    s.ticketError = v.block === LookupBlock.Lockout
      ? (s.lang === 'zh' ? `未查到的编号过多，请 ${sec} 秒后再试，或拨打 12345` : `Too many unknown numbers — try again in ${sec} s, or call 12345`)
      : (s.lang === 'zh' ? `查询过于频繁，请 ${sec} 秒后再试` : `Too many lookups just now — try again in ${sec} s`);
    return;
  }
  const r = d.feedback.lookup(s.ticketInput);
  d.lookups.result(Boolean(r.message ?? r.reply));
  s.feedbackError = null;
  s.go({ mode: 'ticket-result', ticket: s.ticketInput });
}

function submit(s: UiSession, d: ActionDeps): void {
  const zh = s.lang === 'zh';
  switch (s.mode) {
    case 'service-search':
      if (s.query) s.go({ mode: 'service-list', searchQuery: s.query });
      return;
    case 'ticket-lookup': {
      const c = checkTicket(s.ticketInput);
      if (c.ok) { lookUp(s, d); return; }
      s.ticketError = c.reason === 'check'
        ? (zh ? '编号有误，请核对后重新输入' : 'That number is not valid — please check it')
        : (zh ? `请输入完整的 ${TICKET_DIGITS} 位编号` : `Please enter all ${TICKET_DIGITS} digits`);
      return;
    }
    case 'feedback-confirm': {
      try {
        const { ticket } = d.feedback.submit({ category: s.view.fbCategory ?? '', problem: s.view.fbProblem ?? '', lang: s.lang });
        // Back from "done" goes to the message board, never to a second submission.
        s.replace({ mode: 'feedback-done', page: 1, ticket }, [{ mode: 'home', page: 1 }, { mode: 'feedback', page: 1 }]);
        s.feedbackError = null;
        d.onSubmitted?.(ticket);
      } catch (e) {
        const code = e instanceof SmartpoleError ? e.code : 'SP_INTERNAL';
        s.feedbackError = code === 'SP_FEEDBACK_RATE_LIMITED'
          ? (zh ? '提交过于频繁，请几分钟后再试，或拨打 12345' : 'Too many messages just now — try again in a few minutes, or call 12345')
          : (zh ? '暂时无法提交，请稍后再试，或拨打 12345' : 'Cannot send right now — please try later, or call 12345');
      }
      return;
    }
    default:
      return;
  }
}
