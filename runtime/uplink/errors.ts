import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Uplink codes (docs/errors.md §Uplink): the outbox and the MQTT session. */
export const UplinkErrors = defineErrorCodes({
  SP_OUTBOX_FULL: { message: 'the outbox is full of records that are never dropped; the new record was refused' },
  SP_OUTBOX_DROPPED: { message: 'records were dropped from the outbox to stay within its size bound' },
  SP_UPLINK_REFUSED: { message: 'the broker refused a publish (MQTT 5 reason code); the record stays queued' },
  SP_MQTT_SUBSCRIBE_REFUSED: { message: 'the broker refused a subscription (ACL?)' },
});
export type UplinkErrorCode = keyof typeof UplinkErrors;
export const uplinkError = errorFactory(UplinkErrors);
