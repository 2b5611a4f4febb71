import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FEEDBACK_RATINGS } from '../protocols/feedback.js';
import { DAY_MS, feedbackFigures, type FeedbackFigureInput } from './feedback-figures.js';

const H = 3600_000;
const NOW = Date.parse('2026-12-07T12:00:00+08:00');
const msg = (department: string | null, ageH: number, answeredAfterH: number | null, rating: FeedbackFigureInput['rating'] = null): FeedbackFigureInput =>
  ({ department, createdAt: NOW - ageH * H, answeredAt: answeredAfterH === null ? null : NOW - ageH * H + answeredAfterH * H, rating });

describe('feedbackFigures: per department, answered within 24 h and the average rating', () => {
  it('counts answered-in-time over what is due, leaves young unanswered messages out, and averages 3/2/1', () => {
    const { departments, total } = feedbackFigures([
      msg('城管局', 50, 2, 'satisfied'),
      msg('城管局', 50, 30, 'dissatisfied'),     // answered late
      msg('城管局', 30, null),                    // overdue
      msg('城管局', 5, null),                     // open: not late yet
      msg('城管局', 10, 24, 'basically-satisfied'), // exactly 24 h counts as within
      msg('水务局', 40, 1),
      msg(null, 3, null),
    ], { now: NOW });
    expect(departments.map((d) => d.department)).toEqual(['城管局', '水务局', null]);
    const c = departments[0]!;
    expect(c).toMatchObject({ messages: 5, answered: 3, answeredWithin: 2, overdue: 1, open: 1, rated: 3, ratings: { 'satisfied': 1, 'basically-satisfied': 1, 'dissatisfied': 1 } });
    expect(c.withinShare).toBeCloseTo(2 / 4);
    expect(c.averageRating).toBeCloseTo(2);
    expect(c.satisfiedShare).toBeCloseTo(2 / 3);
    expect(departments[1]).toMatchObject({ withinShare: 1, averageRating: null, satisfiedShare: null });
    expect(departments[2]).toMatchObject({ messages: 1, open: 1, withinShare: null });
    expect(total).toMatchObject({ department: null, messages: 7, answered: 4, answeredWithin: 3, overdue: 1, open: 2, rated: 3 });
    expect(total.withinShare).toBeCloseTo(3 / 5);
  });

  it('is empty without messages, and takes another window', () => {
    expect(feedbackFigures([], { now: NOW })).toMatchObject({ departments: [], total: { messages: 0, withinShare: null, averageRating: null } });
    const { total } = feedbackFigures([msg('A', 10, 3)], { now: NOW, windowMs: 2 * H });
    expect(total).toMatchObject({ answeredWithin: 0, withinShare: 0 });
  });

  it('keeps its invariants for any inbox (property)', () => {
    const input = fc.record({
      department: fc.option(fc.constantFrom('城管局', '水务局', '交管局'), { nil: null }),
      createdAt: fc.integer({ min: NOW - 30 * DAY_MS, max: NOW }),
      answeredAt: fc.option(fc.integer({ min: 0, max: 3 * DAY_MS }), { nil: null }),
      rating: fc.option(fc.constantFrom(...FEEDBACK_RATINGS), { nil: null }),
    }).map((m) => ({ ...m, answeredAt: m.answeredAt === null ? null : m.createdAt + m.answeredAt }));
    fc.assert(fc.property(fc.array(input, { maxLength: 60 }), (ms) => {
      const { departments, total } = feedbackFigures(ms, { now: NOW });
      expect(departments.reduce((s, d) => s + d.messages, 0)).toBe(ms.length);
      for (const d of [...departments, total]) {
        expect(d.answered + d.overdue + d.open).toBe(d.messages);
        expect(d.withinShare === null || (d.withinShare >= 0 && d.withinShare <= 1)).toBe(true);
        expect(d.averageRating === null || (d.averageRating >= 1 && d.averageRating <= 3)).toBe(true);
      }
    }));
  });
});
