/**
 * Field-bus errors (docs/errors.md §Field bus). Modbus exception replies become typed errors, one
 * code per exception (zigbee-herdsman's enum-keyed status errors): `ModbusExceptionError` carries
 * the ExceptionCode, so callers can switch on it without parsing messages.
 */
import { SmartpoleError, defineErrorCodes, errorFactory } from '../../protocols/errors.js';
import { EXCEPTION_NAMES, ExceptionCode } from '../../protocols/modbus/pdu.js';

export const FieldBusErrors = defineErrorCodes({
  SP_MODBUS_TIMEOUT: { message: 'Modbus unit did not answer in time' },
  SP_MODBUS_CRC: { message: 'Modbus reply failed its CRC check' },
  SP_MODBUS_BAD_RESPONSE: { message: 'Modbus reply does not answer the request' },
  SP_MODBUS_ILLEGAL_FUNCTION: { message: 'Modbus exception 01: illegal function' },
  SP_MODBUS_ILLEGAL_ADDRESS: { message: 'Modbus exception 02: illegal data address' },
  SP_MODBUS_ILLEGAL_VALUE: { message: 'Modbus exception 03: illegal data value' },
  SP_MODBUS_DEVICE_FAILURE: { message: 'Modbus exception 04: server device failure' },
  SP_MODBUS_BUSY: { message: 'Modbus exception 05/06: acknowledge or server busy' },
  SP_MODBUS_GATEWAY: { message: 'Modbus exception 0A/0B: gateway path or target failed' },
  SP_MODBUS_EXCEPTION: { message: 'Modbus exception with an unlisted code' },
  SP_MODBUS_UNIT_OFFLINE: { message: 'Modbus unit is offline; request not sent' },
  SP_MODBUS_BUS_DOWN: { message: 'field-bus serial device is not open' },
  SP_MODBUS_QUEUE_FULL: { message: 'field-bus request queue is full' },
  SP_MODBUS_STOPPED: { message: 'field bus stopped' },
});
export type FieldBusErrorCode = keyof typeof FieldBusErrors;
export const fieldBusError = errorFactory(FieldBusErrors);

const EXCEPTION_CODES: Partial<Record<ExceptionCode, FieldBusErrorCode>> = {
  [ExceptionCode.IllegalFunction]: 'SP_MODBUS_ILLEGAL_FUNCTION',
  [ExceptionCode.IllegalDataAddress]: 'SP_MODBUS_ILLEGAL_ADDRESS',
  [ExceptionCode.IllegalDataValue]: 'SP_MODBUS_ILLEGAL_VALUE',
  [ExceptionCode.ServerDeviceFailure]: 'SP_MODBUS_DEVICE_FAILURE',
  [ExceptionCode.Acknowledge]: 'SP_MODBUS_BUSY',
  [ExceptionCode.ServerDeviceBusy]: 'SP_MODBUS_BUSY',
  [ExceptionCode.GatewayPathUnavailable]: 'SP_MODBUS_GATEWAY',
  [ExceptionCode.GatewayTargetFailedToRespond]: 'SP_MODBUS_GATEWAY',
};

/** An exception reply: the unit is alive and refused the request. */
export class ModbusExceptionError extends SmartpoleError {
  constructor(readonly exception: ExceptionCode, readonly unit: number, readonly fc: number) {
    const code = EXCEPTION_CODES[exception] ?? 'SP_MODBUS_EXCEPTION';
    super(code, `unit ${unit} fc ${fc}: exception ${exception} (${EXCEPTION_NAMES[exception] ?? 'unknown'})`, { unit, fc, exception });
    this.name = 'ModbusExceptionError';
  }
}
