/**
 * Figures per department (docs/ops-console.md §Citizens' messages): messages, answered, the share
 * answered within 24 h of the citizen leaving the message, the median time to the first answer,
 * ratings and their average (满意 3, 基本满意 2, 不满意 1). A message younger than 24 h that is
 * not answered yet is not counted against the department. Pure.
 */
import { FEEDBACK_RATINGS as RATINGS, RATING_SCORE, type FeedbackRating as Rating } from '../../../protocols/feedback.js';

export const DAY_MS = 24 * 3_600_000;

export interface FigureRow { department: string | null; createdAt: number; firstReplyAt: number | null; rating: Rating | null }

export interface DepartmentFigures {
  department: string | null;
  messages: number;
  replied: number;
  /** Messages whose 24 h have passed or that were answered: the base of the within-24 h share. */
  due: number;
  repliedWithin24h: number;
  /** repliedWithin24h / due, or null when nothing is due yet. */
  within24hShare: number | null;
  medianReplyMs: number | null;
  ratings: Record<Rating, number>;
  /** Average score 1–3, or null without ratings. */
  averageRating: number | null;
}

export function departmentFigures(rows: readonly FigureRow[], now: number): DepartmentFigures[] {
  const by = new Map<string | null, FigureRow[]>();
  for (const r of rows) by.set(r.department, [...(by.get(r.department) ?? []), r]);
  const out: DepartmentFigures[] = [];
  for (const [department, rs] of by) {
    const replyTimes = rs.filter((r) => r.firstReplyAt !== null).map((r) => r.firstReplyAt! - r.createdAt).sort((a, b) => a - b);
    const due = rs.filter((r) => r.firstReplyAt !== null || now - r.createdAt >= DAY_MS).length;
    const within = replyTimes.filter((t) => t <= DAY_MS).length;
    const ratings = Object.fromEntries(RATINGS.map((k) => [k, 0])) as Record<Rating, number>;
    for (const r of rs) if (r.rating) ratings[r.rating]++;
    const rated = RATINGS.reduce((a, k) => a + ratings[k], 0);
    const score = RATINGS.reduce((a, k) => a + ratings[k] * RATING_SCORE[k], 0);
    out.push({
      department, messages: rs.length, replied: replyTimes.length, due, repliedWithin24h: within,
      within24hShare: due ? within / due : null,
      medianReplyMs: replyTimes.length ? replyTimes[Math.floor((replyTimes.length - 1) / 2)]! : null,
      ratings, averageRating: rated ? score / rated : null,
    });
  }
  return out.sort((a, b) => b.messages - a.messages || String(a.department).localeCompare(String(b.department)));
}
