import { defineErrorCodes } from '../protocols/errors.js';

/** Runtime-wide codes (docs/errors.md §Runtime). */
export const RuntimeErrors = defineErrorCodes({
  SP_INTERNAL: { message: 'an unexpected internal error (a bug): logged with its stack' },
  SP_STORAGE_CORRUPT: { message: 'the database was corrupt at start: moved aside, the pole started clean' },
  SP_STORAGE_FULL: { message: 'a database write failed because the disk is full; storage health is down until a write succeeds' },
  SP_CLOCK_JUMP: { message: 'the wall clock jumped (set by NTP, an operator, a bad fix); pruning pauses a day after a forward jump' },
  SP_FATAL: { message: 'an uncaught exception or unhandled rejection: logged, and the process exits 70 for the supervisor' },
  SP_MQTT_INBOUND_TOO_LARGE: { message: 'an inbound MQTT message over the size cap was dropped before parsing' },
  SP_MQTT_INBOUND_SHED: { message: 'the inbound queue was full: messages were shed (retained ones come back on reconnect)' },
  SP_EVENTS_SUPPRESSED: { message: 'events of one code were rate-limited; this event says how many' },
});
