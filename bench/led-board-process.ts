/**
 * The simulated LED board in its own process for the benches, so its decoding does not share the
 * host's event loop (a real board is a separate computer; serialport's native poller is not
 * worker-thread safe, hence a process). Times are sent as performance.timeOrigin + now(),
 * comparable across processes on one machine.
 */
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import { pino } from 'pino';
import { SimLedBoard } from '../simulator/devices/led-board.js';
import type { SerialPair } from '../simulator/serial/serial-pair.js';

const [devicePath, rate] = process.argv.slice(2) as [string, string];
const pair = { name: 'led', hostPath: '', devicePath, binding: autoDetect() as unknown as BindingInterface, plugged: true } as unknown as SerialPair;
const board = new SimLedBoard({ pair, width: 480, height: 800, logger: pino({ level: 'silent' }), linkRate: Number(rate) });
const send = (m: unknown) => process.send?.(m);
board.on('presented', (p) => send({ type: 'presented', frameId: p.frameId, at: performance.timeOrigin + p.at }));
board.start();
process.on('disconnect', () => process.exit(0));
process.on('message', async (m: { type: string; corruptRate?: number }) => {
  if (m.type === 'corrupt') { board.faults.corruptRate = m.corruptRate ?? 0; board.faults.corruptDirection = 'both'; }
  if (m.type === 'stats') send({ type: 'stats', stats: board.stats, presents: board.presents.map((p) => p.crc) });
  if (m.type === 'stop') { await board.stop(); send({ type: 'stopped' }); process.exit(0); }
});
