/**
 * The far end of an Onbon sign line for tests: a socat PTY pair with the simulated card on it, or
 * — with ONBON_DEVICE=/dev/ttyUSB0 (and ONBON_MODEL, ONBON_SIZE=WxH, ONBON_COLOURS, ONBON_BAUD) —
 * a real card on that port, in which case there is no decoded bitmap to look at and the tests
 * check the card's answers only (docs/protocols/onbon.md §12).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { SimOnbonCard } from '../../simulator/devices/onbon-card.js';
import type { OnbonModel } from '../../protocols/onbon/header.js';
import type { SignColours } from '../../protocols/onbon/bitmap.js';

export interface OnbonRigOptions {
  logger: Logger;
  model: OnbonModel;
  width: number;
  height: number;
  colours: SignColours;
  baudRate: 9600 | 19200 | 38400 | 57600 | 115200;
  processingMs?: number;
  bootMs?: number;
}

export interface OnbonRig {
  /** What the pole opens. */
  hostPath: string;
  model: OnbonModel;
  width: number;
  height: number;
  colours: SignColours;
  baudRate: OnbonRigOptions['baudRate'];
  /** The simulated card, or null on a real one. */
  card: SimOnbonCard | null;
  stop(): Promise<void>;
}

export async function startOnbonRig(o: OnbonRigOptions): Promise<OnbonRig> {
  const device = process.env.ONBON_DEVICE;
  if (device) {
    const [w, h] = (process.env.ONBON_SIZE ?? `${o.width}x${o.height}`).split('x').map(Number);
    return {
      hostPath: device, model: (process.env.ONBON_MODEL as OnbonModel | undefined) ?? o.model, width: w!, height: h!,
      colours: (process.env.ONBON_COLOURS as SignColours | undefined) ?? o.colours,
      baudRate: Number(process.env.ONBON_BAUD ?? o.baudRate) as OnbonRigOptions['baudRate'], card: null, stop: async () => {},
    };
  }
  const pair = new PtyPair('sign', mkdtempSync(join(tmpdir(), 'sp-onbon-')));
  await pair.start();
  const card = new SimOnbonCard({ pair, logger: o.logger, model: o.model, address: 1, width: o.width, height: o.height, colours: o.colours, baudRate: o.baudRate, processingMs: o.processingMs ?? 5, bootMs: o.bootMs ?? 800 });
  card.start();
  return {
    hostPath: pair.hostPath, model: o.model, width: o.width, height: o.height, colours: o.colours, baudRate: o.baudRate, card,
    async stop() {
      await card.stop();
      await pair.stop();
    },
  };
}
