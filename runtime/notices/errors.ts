import { defineErrorCodes } from '../../protocols/errors.js';

/**
 * CAP alert outcomes (docs/errors.md §Notices and CAP). SP_CAP_MALFORMED is a refusal (event +
 * `rejected` receipt); the others are normal outcomes answered with an `ignored` receipt.
 */
export const NoticeErrors = defineErrorCodes({
  SP_CAP_MALFORMED: { message: 'the signed payload carries no valid CAP 1.2 alert' },
  SP_CAP_NOT_ACTUAL: { message: 'CAP status is not Actual (Test, Exercise, Draft, System) and the pole is not in test mode' },
  SP_CAP_NOT_PUBLIC: { message: 'CAP scope is not Public, or msgType is Ack/Error: not for a public screen' },
  SP_CAP_OUT_OF_AREA: { message: 'the CAP alert area does not cover this pole' },
  SP_CAP_EXPIRED: { message: 'the CAP alert expired before it arrived' },
  SP_CAP_SUPERSEDED: { message: 'a later Update or Cancel already replaced this CAP alert' },
});
export type NoticeErrorCode = keyof typeof NoticeErrors;
