import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Phone-charging pad errors (docs/errors.md §Pads). */
export const PadsErrors = defineErrorCodes({
  SP_PADS_NO_PAD: { message: 'no such phone-charging pad' },
});
export const padsError = errorFactory(PadsErrors);
