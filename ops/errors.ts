/** Codes of the city-operations client (docs/errors.md §Operations client). */
import { defineErrorCodes, errorFactory } from '../protocols/errors.js';

export const OpsErrors = defineErrorCodes({
  SP_OPS_TOPIC_LEVEL: { message: 'a pole id or group name cannot be a topic level on every supported broker (no ".", spaces, "*", ">", "+", "#"; docs/fleet.md §Topics)' },
  SP_OPS_NO_BROKER: { message: 'none of the brokers given accepted a connection' },
});

export const opsError = errorFactory(OpsErrors);
