/** A host ↔ simulated-board LED rig on a real PTY pair (socat) for the LED link benches. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SerialLink } from '../device/serial/serial-link.js';
import { LedLink, LedLinkState } from '../device/led/led-link.js';
import { LedPresenter } from '../device/led/led-presenter.js';
import { PtyPair } from '../simulator/serial/pty-pair.js';
import { SimLedBoard } from '../simulator/devices/led-board.js';

export interface LedRig {
  board: SimLedBoard;
  link: LedLink;
  presenter: LedPresenter;
  stop(): Promise<void>;
}

export async function ledRig(linkRate: number): Promise<LedRig> {
  const log = pino({ level: 'silent' });
  const pair = new PtyPair('led', mkdtempSync(join(tmpdir(), 'sp-bench-led-')));
  await pair.start();
  const board = new SimLedBoard({ pair, width: 480, height: 800, logger: log, linkRate });
  board.start();
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 1_000_000, name: 'led', logger: log, backoff: { initialMs: 20, maxMs: 200 } });
  const link = new LedLink({ serial, logger: log, linkRate });
  const presenter = new LedPresenter(link, log);
  serial.start();
  const t0 = performance.now();
  while (link.state !== LedLinkState.Ready) {
    if (performance.now() - t0 > 10_000) throw new Error('LED rig: board did not answer HELLO');
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    board, link, presenter,
    async stop() { link.close(); await serial.stop(); await board.stop(); await pair.stop(); },
  };
}
