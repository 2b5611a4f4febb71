/**
 * The simulated modem as the simulator API shows it (/api/devices, /api/faults): its state and
 * the modem faults of docs/simulator.md §The 5G modem, each with the argument it takes.
 */
import { cableFaults, type SimDevice } from './sim-device.js';
import type { SimModem } from './modem.js';
import type { Rat } from './modem-radio.js';

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);

export function modemDevice(m: SimModem, pair: NonNullable<SimDevice['pair']>): SimDevice {
  return {
    name: 'modem',
    kind: 'Quectel RM500Q 5G modem (AT)',
    pair,
    state: () => m.snapshot(),
    faults: {
      ...cableFaults(pair),
      'no-sim': { describe: 'pull the SIM card (+CPIN: NOT READY, then +CME ERROR: 10)', run: () => m.removeSim() },
      'insert-sim': { describe: 'put the SIM card back', run: () => m.insertSim() },
      'pin-required': {
        describe: 'the SIM asks for a PIN; args {pin} (default 1234, the sim pole config\'s PIN), {attempts} left (default 3)',
        run: (a) => m.requirePin(typeof a.pin === 'string' ? a.pin : '1234', Math.min(3, Math.max(1, num(a.attempts, 3)))),
      },
      'puk-required': { describe: 'the SIM is blocked and asks for its PUK', run: () => m.requirePuk() },
      'registration-denied': { describe: 'the network refuses registration (+CEREG/+C5GREG stat 3); args {cause}', run: (a) => m.setNetwork('denied', num(a.cause, 15)) },
      'signal-loss': { describe: 'no cell in range: CSQ 99,99, QENG SEARCH, registration searching', run: () => m.setNetwork('no-signal') },
      'network-drop': { describe: 'the network deregisters the modem (URC stat 2, +QIURC "pdpdeact")', run: () => m.setNetwork('dropped') },
      'network-restore': { describe: 'the network comes back (the modem re-registers)', run: () => m.setNetwork('ok') },
      'data-failure': {
        describe: 'data context fails; args {mode: "activate" (AT+QIACT refused) | "stall" (up, no traffic), persist: bool}',
        run: (a) => m.dataFailure(a.mode === 'stall' ? 'stall' : 'activate', a.persist === true),
      },
      hang: { describe: 'the firmware stops answering (and passing data) until power-cycled', run: () => m.hang() },
      garbage: { describe: 'line noise; args {bytes: 64, everyMs: 0 (once) or a period}', run: (a) => m.garbage(num(a.bytes, 64), num(a.everyMs, 0)) },
      slow: { describe: 'every reply takes longer; args {ms: 1500}', run: (a) => m.slow(num(a.ms, 1500)) },
      reboot: { describe: 'the modem reboots on its own: port disappears, comes back, RDY', run: () => m.reboot('fault injected') },
      'power-off': { describe: 'cut the modem\'s power (as the GPIO hook does)', run: () => m.powerOff() },
      'power-on': { describe: 'restore the modem\'s power', run: () => m.powerOn() },
      rat: { describe: 'switch access technology; args {rat: "NR5G-SA" | "LTE" | "EN-DC"}', run: (a) => m.setRat((['NR5G-SA', 'LTE', 'EN-DC'].includes(a.rat as string) ? a.rat : 'NR5G-SA') as Rat) },
      urc: { describe: 'print an unsolicited line; args {line}, e.g. "RDY" or "+CEREG: 2"', run: (a) => m.sendUrc(typeof a.line === 'string' ? a.line.replace(/[\r\n]/g, '') : 'RDY') },
      clear: { describe: 'remove every fault except a hang (which needs a power cycle)', run: () => m.clear() },
    },
  };
}
