/**
 * Turns the LED board's FAULT reports into pole events (poles/{id}/events, rate-limited by the
 * Reporter): a failed module, over-temperature, supply or sensor trouble reach operations.
 */
import type { Logger } from 'pino';
import { FaultCode, type Fault } from '../../protocols/led-link/messages.js';
import type { LedLink } from '../../device/led/led-link.js';
import type { Reporter } from '../uplink/reporter.js';

const NAMES: Record<number, string> = {
  [FaultCode.OVER_TEMPERATURE]: 'over-temperature', [FaultCode.SUPPLY]: 'supply voltage out of range', [FaultCode.MODULE]: 'panel module failed',
  [FaultCode.LIGHT_SENSOR]: 'light sensor failed', [FaultCode.DECODER]: 'decoder error',
};

export function reportLedFaults(link: LedLink, reporter: Reporter, logger: Logger): void {
  const log = logger.child({ device: 'led' });
  link.on('fault', (f: Fault) => {
    const what = NAMES[f.code] ?? `fault ${f.code}`;
    const message = `LED board: ${what}${f.code === FaultCode.MODULE ? ` (module ${f.module})` : ''} ${f.active ? 'raised' : 'cleared'}`;
    log[f.active ? 'warn' : 'info']({ fault: f }, message);
    reporter.event({ code: 'led.fault', severity: f.active ? 'alarm' : 'info', message, fault: f.code, active: f.active, module: f.module === 0xff ? null : f.module, value: f.value });
  });
}
