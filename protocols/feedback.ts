/**
 * Citizens' messages (城市留言板, docs/screen.md §Messages to the city): the ticket number a citizen gets and the
 * record the pole publishes on `poles/{poleId}/feedback` (docs/mqtt-api.md §Citizens' messages, schema
 * `FeedbackRecord` in protocols/uplink.ts). Pure.
 *
 * A ticket is 9 digits, typed later on a numeric keypad: 8 random digits and a Luhn check digit, so a
 * mistyped digit or two swapped neighbours are caught on the spot. The 8 digits come from a
 * cryptographic random source (runtime/feedback/feedback-service.ts), never a counter, date or pole
 * id: knowing one's own ticket tells nothing about anyone else's (docs/security.md §Hostile input).
 * It is unique per pole (a collision is drawn again); the city keys it by pole id.
 */

export const TICKET_LENGTH = 9;
/** How many different random parts there are (10^8): the space a guesser searches. */
export const TICKET_SPACE = 100_000_000;

/** Luhn check digit of a digit string. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The ticket for an 8-digit random part: the part and its Luhn check digit. */
export function makeTicket(body: string): string {
  if (!/^\d{8}$/.test(body)) throw new RangeError(`ticket body must be 8 digits, got ${JSON.stringify(body)}`);
  return body + luhnDigit(body);
}

/**
 * A fresh ticket from a random source: `randomInt(n)` returns an integer in [0, n) (node:crypto
 * randomInt in the runtime; a seeded source in tests).
 */
export function randomTicket(randomInt: (max: number) => number): string {
  const n = randomInt(TICKET_SPACE);
  if (!Number.isInteger(n) || n < 0 || n >= TICKET_SPACE) throw new RangeError(`random source returned ${n}, outside 0..${TICKET_SPACE - 1}`);
  return makeTicket(String(n).padStart(8, '0'));
}

export type TicketCheck = { ok: true } | { ok: false; reason: 'length' | 'digits' | 'check' };

export function checkTicket(t: string): TicketCheck {
  if (!/^\d*$/.test(t)) return { ok: false, reason: 'digits' };
  if (t.length !== TICKET_LENGTH) return { ok: false, reason: 'length' };
  return luhnDigit(t.slice(0, -1)) === Number(t.at(-1)) ? { ok: true } : { ok: false, reason: 'check' };
}

/**
 * The citizen's rating of the department's answer (回应很及时，办理有反馈，结果能评价; docs/feedback.md
 * §Rating): one per ticket, from the ticket page, in the words 12345 hotlines use.
 */
export const FEEDBACK_RATINGS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type FeedbackRating = (typeof FEEDBACK_RATINGS)[number];

/** The words on the buttons: Chinese as the hotlines say it, English split in lines that fit a third of the screen. */
export const RATING_LABELS: Record<FeedbackRating, { zh: string; en: string[] }> = {
  'satisfied': { zh: '满意', en: ['Satisfied'] },
  'basically-satisfied': { zh: '基本满意', en: ['Basically', 'satisfied'] },
  'dissatisfied': { zh: '不满意', en: ['Not', 'satisfied'] },
};

/** Points for averages (docs/feedback.md §Figures): 满意 3, 基本满意 2, 不满意 1. */
export const RATING_SCORE: Record<FeedbackRating, number> = { 'satisfied': 3, 'basically-satisfied': 2, 'dissatisfied': 1 };

export function isFeedbackRating(v: unknown): v is FeedbackRating {
  return typeof v === 'string' && (FEEDBACK_RATINGS as readonly string[]).includes(v);
}
