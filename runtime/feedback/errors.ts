import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Citizens' message submission (docs/errors.md §Messages to the city). */
export const FeedbackErrors = defineErrorCodes({
  SP_FEEDBACK_RATE_LIMITED: { message: 'too many messages from this pole in a short time; try again in a few minutes' },
  SP_FEEDBACK_NO_FREE_TICKET: { message: 'no unused ticket number found in 16 random draws (the ticket store is implausibly full)' },
  SP_TICKET_RATE_LIMIT: { message: 'too many ticket lookups on this screen (over 5 a minute, or 5 unknown tickets in a row); lookups paused' },
  SP_FEEDBACK_NOT_RATABLE: { message: 'this ticket has no answer from the city to rate yet' },
  SP_FEEDBACK_UNKNOWN_PROBLEM: { message: 'the category or problem is not in the current list' },
});
export const feedbackError = errorFactory(FeedbackErrors);
