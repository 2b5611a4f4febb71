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
import { SerialLink } from '../device/serial/serial-link.js';

const [devicePath, rate, mode] = process.argv.slice(2) as [string, string, string | undefined];
if (mode === 'raw') rawReader(devicePath);
else runBoard(devicePath, rate, mode === 'half');

/**
 * No protocol at all: report when each message's bytes have arrived (the bench writes
 * fixed-size messages). The PTY + socat + serialport path alone, for the load evidence.
 */
function rawReader(path: string): void {
  const serial = new SerialLink({ path, baudRate: 1_000_000, name: 'raw', logger: pino({ level: 'silent' }), binding: autoDetect() as unknown as BindingInterface, backoff: { initialMs: 20, maxMs: 200 } });
  let got = 0;
  let size = 0;
  serial.on('data', (c: Buffer) => {
    got += c.length;
    if (size && got >= size) { got -= size; process.send?.({ type: 'rx', at: performance.timeOrigin + performance.now() }); }
  });
  serial.on('open', () => process.send?.({ type: 'open' }));
  process.on('message', (m: { type: string; size?: number }) => {
    if (m.type === 'size') size = m.size ?? 0;
    if (m.type === 'stop') void serial.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  serial.start();
}

function runBoard(devicePath: string, rate: string, half: boolean): void {
const pair = { name: 'led', hostPath: '', devicePath, binding: autoDetect() as unknown as BindingInterface, plugged: true } as unknown as SerialPair;
const board = new SimLedBoard({ pair, width: 480, height: 800, logger: pino({ level: 'silent' }), linkRate: Number(rate), ...(half ? { halfDuplex: {} } : {}) });
const send = (m: unknown) => process.send?.(m);
board.on('presented', (p) => send({ type: 'presented', frameId: p.frameId, at: performance.timeOrigin + p.at }));
board.start();
process.on('disconnect', () => process.exit(0));
process.on('message', async (m: { type: string; corruptRate?: number }) => {
  if (m.type === 'corrupt') { board.faults.corruptRate = m.corruptRate ?? 0; board.faults.corruptDirection = 'both'; }
  if (m.type === 'stats') { const u = process.cpuUsage(); send({ type: 'stats', stats: board.stats, presents: board.presents.map((p) => p.crc), cpuMs: (u.user + u.system) / 1000 }); }
  if (m.type === 'stop') { await board.stop(); send({ type: 'stopped' }); process.exit(0); }
});
}
