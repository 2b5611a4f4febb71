import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/**
 * Errors of the AT channel and the modem state machine (docs/errors.md §Modem). Failures that
 * describe why the pole is offline are reported as `modem.state` events with these codes.
 */
export const ModemErrors = defineErrorCodes({
  SP_MODEM_AT_TIMEOUT: { message: 'the modem did not answer an AT command in time' },
  SP_MODEM_PORT_CLOSED: { message: 'the modem AT port is closed' },
  SP_MODEM_QUEUE_FULL: { message: 'too many AT commands are waiting' },
  SP_MODEM_ABORTED: { message: 'the AT command was abandoned (modem reset, re-probe or shutdown)' },
  SP_MODEM_ABSENT: { message: 'the modem AT port is missing' },
  SP_MODEM_HUNG: { message: 'the modem stopped answering AT commands' },
  SP_MODEM_RESET_DETECTED: { message: 'the modem restarted on its own' },
  SP_MODEM_RESET_FAILED: { message: 'the modem did not come back after a reset' },
  SP_MODEM_SIM_MISSING: { message: 'no SIM card inserted' },
  SP_MODEM_SIM_PIN: { message: 'the SIM needs a PIN and none is configured' },
  SP_MODEM_PIN_REJECTED: { message: 'the SIM refused the configured PIN; not retried' },
  SP_MODEM_SIM_PUK: { message: 'the SIM is blocked and needs its PUK' },
  SP_MODEM_SIM_FAILURE: { message: 'the SIM is not working' },
  SP_MODEM_NO_COVERAGE: { message: 'no mobile network found (no cell in range)' },
  SP_MODEM_NO_SERVICE: { message: 'not registered on the mobile network' },
  SP_MODEM_REG_DENIED: { message: 'the mobile network refused registration' },
  SP_MODEM_DATA_FAILED: { message: 'the data connection could not be activated' },
  SP_MODEM_DATA_LOST: { message: 'the network dropped the data connection' },
  SP_MODEM_DATA_STALL: { message: 'the data connection is up but passes no traffic' },
  SP_MODEM_HOST_LINK: { message: 'the data call is up but the host interface has no lease or default route through it' },
  SP_MODEM_USBNET: { message: 'the module did not take the configured USB network mode' },
  SP_MODEM_POWER_CYCLE_FAILED: { message: 'the modem power-cycle hook failed or is not configured' },
  SP_MODEM_BUSY: { message: 'a modem recovery step is already running' },
  SP_MODEM_AT_REFUSED: { message: 'raw AT commands are accepted from the local console only' },
});
export const modemError = errorFactory(ModemErrors);
export type ModemErrorCode = keyof typeof ModemErrors;
