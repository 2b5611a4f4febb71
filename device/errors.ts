import { defineErrorCodes, errorFactory } from '../protocols/errors.js';

/** Errors raised by device drivers (docs/errors.md §Devices). */
export const DeviceErrors = defineErrorCodes({
  SP_SERIAL_NOT_OPEN: { message: 'serial device is not open' },
  SP_SERIAL_QUEUE_FULL: { message: 'serial write queue is full' },
  SP_SERIAL_CLOSED: { message: 'serial device closed before the write completed' },
  SP_LED_TIMEOUT: { message: 'LED board did not acknowledge in time' },
  SP_LED_NAK: { message: 'LED board refused a frame' },
  SP_LED_NOT_READY: { message: 'LED board has not said HELLO yet' },
  SP_LED_REFUSED: { message: 'LED board took a message and refused it (bad payload, decode error, incomplete or mismatched frame)' },
  SP_LED_BUSY: { message: 'too many LED control messages waiting' },
  SP_ONBON_TIMEOUT: { message: 'Onbon screen card did not answer in time' },
  SP_ONBON_NACK: { message: 'Onbon screen card refused a request (NACK)' },
  SP_ONBON_OFFLINE: { message: 'Onbon screen card is offline' },
  SP_ONBON_TOO_LARGE: { message: 'request is larger than the Onbon card accepts' },
  SP_ONBON_BUSY: { message: 'too many requests waiting for the Onbon card' },
});
export const deviceError = errorFactory(DeviceErrors);
