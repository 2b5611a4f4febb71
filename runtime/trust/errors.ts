import { defineErrorCodes } from '../../protocols/errors.js';

/**
 * Why a city → pole message was refused (docs/errors.md §Trust). Each refusal is logged and
 * reported on `poles/{id}/events` (rate-limited) and, for notices, as a `rejected` receipt.
 */
export const TrustErrors = defineErrorCodes({
  SP_MSG_EMPTY: { message: 'empty message (an empty retained message never withdraws anything)' },
  SP_MSG_TOO_LARGE: { message: 'message is larger than the envelope limit' },
  SP_MSG_TOO_DEEP: { message: 'message JSON nests deeper than allowed (64 levels in a payload)' },
  SP_MSG_MALFORMED: { message: 'message is not a valid signed envelope' },
  SP_MSG_UNKNOWN_KEY: { message: 'envelope is signed with a key this pole does not trust' },
  SP_MSG_REVOKED_KEY: { message: 'envelope is signed with a revoked key' },
  SP_MSG_BAD_SIGNATURE: { message: 'envelope signature does not verify' },
  SP_MSG_NO_AUDIENCE: { message: 'signed payload names no audience (a format from before trust v2); refused' },
  SP_MSG_AUDIENCE_MISMATCH: { message: 'signed audience does not match the topic the message arrived on' },
  SP_MSG_NOT_FOR_POLE: { message: 'signed audience does not include this pole' },
  SP_MSG_KEY_POWER: { message: 'the signing key may not sign this (kind, audience, command, data set, priority or CAP sender)' },
  SP_MSG_SCHEMA: { message: 'signed payload does not match its schema' },
  SP_MSG_TOPIC_MISMATCH: { message: 'payload id or type does not match the topic it arrived on' },
  SP_MSG_NOT_YET_VALID: { message: 'issuedAt is in the future beyond the allowed clock skew' },
  SP_MSG_EXPIRED: { message: 'message has expired' },
  SP_MSG_REPLAY: { message: 'same version already accepted with different content' },
  SP_MSG_ROLLBACK: { message: 'older version than one already accepted' },
  SP_TRUST_NO_ROOT: { message: 'a trust list arrived but this pole has no root key configured (trust.root)' },
  SP_TRUST_ROLLBACK: { message: 'trust list version is not above the one in force (rollback or replay)' },
  SP_TRUST_EXPIRED: { message: 'trust list has expired' },
  SP_TRUST_LIST_EXPIRED: { message: 'the trust list in force has expired: operations must publish a fresh one' },
  SP_MSG_DUPLICATE: { message: 'exact copy of an accepted message (e.g. retained redelivery); ignored' },
});
export type TrustErrorCode = keyof typeof TrustErrors;
