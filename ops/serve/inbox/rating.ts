/**
 * The citizen's rating of an answer, as it arrives on `poles/{id}/feedback` (docs/mqtt-api.md
 * §Citizens' messages): 满意 / 基本满意 / 不满意, scored 3 / 2 / 1 for averages.
 */
import { z } from 'zod';

export const RATINGS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const RATING_NAMES: Record<Rating, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  'basically-satisfied': { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Not satisfied' },
};

export const RATING_SCORE: Record<Rating, number> = { satisfied: 3, 'basically-satisfied': 2, dissatisfied: 1 };

/** What the inbox reads of a rating record (the pole sends more; unknown fields are ignored). */
export const RatingRecord = z.object({
  type: z.literal('rating'),
  poleId: z.string(),
  ticket: z.string().regex(/^\d{9}$/),
  rating: z.enum(RATINGS),
  ratedAt: z.string(),
});
export type RatingRecord = z.infer<typeof RatingRecord>;
