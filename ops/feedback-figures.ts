/**
 * Figures per department for citizens' messages (docs/feedback.md §Figures): the share answered
 * within 24 h and the average rating, as a 12345 back office reports them. Pure: the console
 * passes its inbox rows and the clock.
 *
 * - **Answered within 24 h**: of the messages whose 24 hours have run out or that are answered,
 *   the share whose first answer (status replied / resolved / rejected) came within 24 h of the
 *   message. A message still inside its first 24 hours without an answer is not yet late, so it is
 *   counted as `open`, in neither part of the share.
 * - **Average rating**: 满意 3, 基本满意 2, 不满意 1 (protocols/feedback.ts RATING_SCORE) over the
 *   rated messages; `satisfiedShare` is 满意 + 基本满意 over rated, the "satisfaction rate".
 * A share or average without any message to count is null, never 0.
 */
import { RATING_SCORE, type FeedbackRating } from '../protocols/feedback.js';

/** One inbox message as the figures need it. */
export interface FeedbackFigureInput {
  /** The department it is assigned to; null: not assigned yet. */
  department: string | null;
  /** When the citizen left it (ms). */
  createdAt: number;
  /** When the department's first answer was sent (ms), or null. */
  answeredAt: number | null;
  rating: FeedbackRating | null;
}

export interface DepartmentFigures {
  /** null: messages not assigned to a department. */
  department: string | null;
  messages: number;
  answered: number;
  answeredWithin: number;
  /** Unanswered and past the window. */
  overdue: number;
  /** Unanswered, still inside the window. */
  open: number;
  /** answeredWithin / (messages − open); null when nothing is due yet. */
  withinShare: number | null;
  rated: number;
  ratings: Record<FeedbackRating, number>;
  /** Mean score 1–3; null when nothing is rated. */
  averageRating: number | null;
  /** (满意 + 基本满意) / rated; null when nothing is rated. */
  satisfiedShare: number | null;
}

export const DAY_MS = 24 * 3600_000;

function empty(department: string | null): DepartmentFigures {
  return {
    department, messages: 0, answered: 0, answeredWithin: 0, overdue: 0, open: 0, withinShare: null,
    rated: 0, ratings: { 'satisfied': 0, 'basically-satisfied': 0, 'dissatisfied': 0 }, averageRating: null, satisfiedShare: null,
  };
}

function add(f: DepartmentFigures, m: FeedbackFigureInput, now: number, windowMs: number): void {
  f.messages++;
  if (m.answeredAt !== null) {
    f.answered++;
    if (m.answeredAt - m.createdAt <= windowMs) f.answeredWithin++;
  } else if (now - m.createdAt > windowMs) {
    f.overdue++;
  } else {
    f.open++;
  }
  if (m.rating) { f.rated++; f.ratings[m.rating]++; }
}

function finish(f: DepartmentFigures): DepartmentFigures {
  const due = f.messages - f.open;
  const score = (Object.keys(f.ratings) as FeedbackRating[]).reduce((s, r) => s + RATING_SCORE[r] * f.ratings[r], 0);
  return {
    ...f,
    withinShare: due > 0 ? f.answeredWithin / due : null,
    averageRating: f.rated > 0 ? score / f.rated : null,
    satisfiedShare: f.rated > 0 ? (f.ratings.satisfied + f.ratings['basically-satisfied']) / f.rated : null,
  };
}

/**
 * Figures per department (sorted by name, unassigned last) and for all messages together.
 * `windowMs` defaults to 24 h.
 */
export function feedbackFigures(messages: Iterable<FeedbackFigureInput>, o: { now: number; windowMs?: number }): { departments: DepartmentFigures[]; total: DepartmentFigures } {
  const windowMs = o.windowMs ?? DAY_MS;
  const by = new Map<string | null, DepartmentFigures>();
  const total = empty(null);
  for (const m of messages) {
    let f = by.get(m.department);
    if (!f) by.set(m.department, f = empty(m.department));
    add(f, m, o.now, windowMs);
    add(total, m, o.now, windowMs);
  }
  const departments = [...by.values()].map(finish).sort((a, b) => {
    if (a.department === null) return 1;
    if (b.department === null) return -1;
    return a.department.localeCompare(b.department, 'zh-CN');
  });
  return { departments, total: finish(total) };
}
