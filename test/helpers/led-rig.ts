/**
 * The LED link end to end over a real socat PTY pair, for tests (bench/led-rig.ts is the bench's):
 * the runtime's SerialLink → LedLink → LedPresenter on one end, the simulated board on the other.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { LedLink, LedLinkState } from '../../device/led/led-link.js';
import { LedPresenter } from '../../device/led/led-presenter.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { SimLedBoard } from '../../simulator/devices/led-board.js';
import { until } from './sim-process.js';

export interface LedRigOptions {
  logger: Logger;
  width: number;
  height: number;
  /** Bytes per second on the emulated wire (board and link). */
  linkRate: number;
  /** The host port's nominal baud rate. */
  baudRate: number;
  statusIntervalMs: number;
  /** Both ends in half-duplex RS-485 mode (docs/protocols/led-link.md §5.5). */
  halfDuplex?: { turnaroundMs: number };
}

export interface LedRig {
  pair: PtyPair;
  board: SimLedBoard;
  serial: SerialLink;
  link: LedLink;
  presenter: LedPresenter;
  stop(): Promise<void>;
}

/** Starts both ends and waits for the link to be Ready (HELLO/CAPS done). */
export async function startLedRig(o: LedRigOptions): Promise<LedRig> {
  const pair = new PtyPair('led', mkdtempSync(join(tmpdir(), 'sp-led-')));
  await pair.start();
  const board = new SimLedBoard({ pair, width: o.width, height: o.height, logger: o.logger, linkRate: o.linkRate, ...(o.halfDuplex ? { halfDuplex: o.halfDuplex } : {}) });
  board.start();
  const serial = new SerialLink({ path: pair.hostPath, baudRate: o.baudRate, name: 'led', logger: o.logger, backoff: { initialMs: 20, maxMs: 200 } });
  const link = new LedLink({
    serial, logger: o.logger, linkRate: o.linkRate, statusIntervalMs: o.statusIntervalMs,
    ...(o.halfDuplex ? { duplex: 'half' as const, turnaroundMs: o.halfDuplex.turnaroundMs } : {}),
  });
  const presenter = new LedPresenter(link, o.logger);
  serial.start();
  await until(() => link.state === LedLinkState.Ready, 10_000, 'link ready');
  return {
    pair, board, serial, link, presenter,
    async stop() {
      link.close();
      await serial.stop();
      await board.stop();
      await pair.stop();
    },
  };
}
