import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** EV charging errors (docs/errors.md §Charging): answered to charger.* commands. */
export const ChargingErrors = defineErrorCodes({
  SP_CHARGER_UNKNOWN_CONNECTOR: { message: 'no such connector on this pole' },
  SP_CHARGER_UNAVAILABLE: { message: 'the connector is set inoperative (charger.disable)' },
  SP_CHARGER_FAULTED: { message: 'the connector is faulted' },
  SP_CHARGER_BUSY: { message: 'a session or another authorization is already on this connector' },
  SP_CHARGER_NO_SESSION: { message: 'no session or authorization to stop on this connector' },
  SP_CHARGER_PAYMENT_USED: { message: 'this payment reference already paid for a finished session' },
  SP_CHARGER_PLUG_CHANGED: { message: 'the car this payment was made for is no longer plugged in' },
});
export const chargingError = errorFactory(ChargingErrors);
