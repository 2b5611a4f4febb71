import { defineErrorCodes, errorFactory } from '../errors.js';

/**
 * Errors of the AT protocol itself (docs/errors.md §Modem): what a final result line or a reply
 * line means, independent of any port. Channel and state-machine codes live in device/modem/errors.ts.
 */
export const AtErrors = defineErrorCodes({
  SP_AT_ERROR: { message: 'the modem answered ERROR' },
  SP_AT_CME: { message: 'the modem reported a mobile equipment error (+CME ERROR)' },
  SP_AT_CMS: { message: 'the modem reported a message service error (+CMS ERROR)' },
  SP_AT_BAD_REPLY: { message: 'the modem reply is not in the expected format' },
});
export const atError = errorFactory(AtErrors);

/** Raises SP_AT_BAD_REPLY with the offending line (truncated: a garbage line can be long). */
export function badReply(line: string, reason: string): never {
  throw atError('SP_AT_BAD_REPLY', { line: line.length > 200 ? `${line.slice(0, 200)}…` : line, reason }, { message: `unexpected modem reply (${reason})` });
}
