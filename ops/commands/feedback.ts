/**
 * `smartpole ops feedback reply|status POLE TICKET …`: the department's side of a citizen's message
 * (docs/feedback.md §Operations). A status update (受理 received → 办理中 in-progress, or closed) and
 * an answer (已回复 replied, resolved, rejected) are both a signed ReplyPayload, retained on
 * `poles/{id}/replies/{ticket}` of the pole that took the message; the pole shows it on the ticket
 * page and confirms with a receipt.
 */
import { checkTicket } from '../../protocols/feedback.js';
import { ANSWERED_STATUSES, ReplyPayload, ReplyStatus } from '../../protocols/dataset.js';
import { replyTopic } from '../../protocols/topics.js';
import { isoWithOffset } from '../../protocols/time.js';
import { checkLevels } from './notice.js';
import { publishAndWait, type DataFlags } from './data.js';
import { OpsUsageError, resolveContext } from '../context.js';

export interface FeedbackFlags extends DataFlags {
  department?: string;
  'department-en'?: string;
}

const ANSWERS = ReplyStatus.options.filter((s) => ANSWERED_STATUSES.has(s));
const UPDATES = ReplyStatus.options.filter((s) => !ANSWERED_STATUSES.has(s));

export const FEEDBACK_USAGE = `usage: smartpole ops feedback reply POLE TICKET --text TEXT [--text-en TEXT] [--status ${ANSWERS.join('|')}] [--department NAME] [--department-en NAME]
       smartpole ops feedback status POLE TICKET --status ${UPDATES.join('|')} [--department NAME] [--department-en NAME]`;

/** The signed payload of a reply or status update (checked by the same schema the pole applies). */
export function feedbackPayload(kind: 'reply' | 'status', pole: string, ticket: string, f: FeedbackFlags, now: number): ReplyPayload {
  const status = ReplyStatus.safeParse(f.status ?? (kind === 'reply' ? 'replied' : undefined));
  const allowed = kind === 'reply' ? ANSWERS : UPDATES;
  if (!status.success || !allowed.includes(status.data)) throw new OpsUsageError(`--status must be one of ${allowed.join(', ')}\n${FEEDBACK_USAGE}`);
  if (kind === 'reply' && !f.text) throw new OpsUsageError(`an answer needs --text\n${FEEDBACK_USAGE}`);
  if (kind === 'status' && f.text) throw new OpsUsageError(`a status update carries no --text; answer with "feedback reply"\n${FEEDBACK_USAGE}`);
  if (f['department-en'] && !f.department) throw new OpsUsageError('--department-en needs --department (the Chinese name)');
  checkLevels('pole', pole);
  if (!checkTicket(ticket).ok) throw new OpsUsageError(`"${ticket}" is not a ticket number: the 9 digits the citizen got, with a valid check digit`);
  const parsed = ReplyPayload.safeParse({
    type: 'reply', id: ticket, audience: `pole:${pole}`, version: now, issuedAt: isoWithOffset(now), status: status.data,
    ...(f.text ? { reply: { zh: f.text, ...(f['text-en'] ? { en: f['text-en'] } : {}) } } : {}),
    ...(f.department ? { department: { zh: f.department, ...(f['department-en'] ? { en: f['department-en'] } : {}) } } : {}),
  });
  if (!parsed.success) throw new OpsUsageError(`invalid ${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export async function feedbackCommand(sub: string | undefined, rest: string[], f: FeedbackFlags, out: (s: string) => void): Promise<number> {
  const [pole, ticket] = rest;
  if ((sub !== 'reply' && sub !== 'status') || !pole || !ticket) throw new OpsUsageError(FEEDBACK_USAGE);
  const payload = feedbackPayload(sub, pole, ticket, f, Date.now());
  const ctx = resolveContext(f);
  return publishAndWait(ctx, replyTopic(ctx.prefix, pole, ticket), pole, payload, f['no-wait'], out);
}
