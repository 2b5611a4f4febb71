import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Lamp errors (docs/errors.md §Lamp): answered to lamp.* commands. */
export const LampErrors = defineErrorCodes({
  SP_LAMP_UNTIL_PAST: { message: 'the override would already have expired' },
});
export const lampError = errorFactory(LampErrors);
