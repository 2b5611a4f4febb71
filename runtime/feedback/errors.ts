import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Citizens' message submission (docs/errors.md §Messages to the city). */
export const FeedbackErrors = defineErrorCodes({
  SP_FEEDBACK_RATE_LIMITED: { message: 'too many messages from this pole in a short time; try again in a few minutes' },
  SP_FEEDBACK_DAILY_LIMIT: { message: 'this pole has issued the most tickets a day allows (999)' },
  SP_FEEDBACK_UNKNOWN_PROBLEM: { message: 'the category or problem is not in the current list' },
});
export const feedbackError = errorFactory(FeedbackErrors);
