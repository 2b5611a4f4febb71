import { defineErrorCodes } from '../protocols/errors.js';

/** Runtime-wide codes (docs/errors.md §Runtime). */
export const RuntimeErrors = defineErrorCodes({
  SP_INTERNAL: { message: 'an unexpected internal error (a bug): logged with its stack' },
  SP_EVENTS_SUPPRESSED: { message: 'events of one code were rate-limited; this event says how many' },
});
