/**
 * A host ↔ simulated-board LED rig on a real PTY pair (socat) for the LED link benches; the board
 * runs in its own process (bench/led-board-process.ts), the host in this one.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { SerialLink } from '../device/serial/serial-link.js';
import { LedLink, LedLinkState } from '../device/led/led-link.js';
import { LedPresenter } from '../device/led/led-presenter.js';
import { PtyPair } from '../simulator/serial/pty-pair.js';

export interface BoardStats { stats: Record<string, number>; presents: number[]; cpuMs: number }

/** The board in its process, seen from here. `presented` times are on this thread's performance clock. */
export class BoardProxy extends EventEmitter<{ presented: [{ frameId: number; at: number }] }> {
  constructor(private readonly w: ChildProcess) {
    super();
    w.on('message', (m: { type: string; frameId: number; at: number }) => {
      if (m.type === 'presented') this.emit('presented', { frameId: m.frameId, at: m.at - performance.timeOrigin });
    });
  }
  corrupt(rate: number): void { this.w.send({ type: 'corrupt', corruptRate: rate }); }
  stats(): Promise<BoardStats> {
    return new Promise((res) => {
      const on = (m: { type: string } & BoardStats) => { if (m.type === 'stats') { this.w.off('message', on); res(m); } };
      this.w.on('message', on);
      this.w.send({ type: 'stats' });
    });
  }
}

export interface LedRig {
  board: BoardProxy;
  serial: SerialLink;
  link: LedLink;
  presenter: LedPresenter;
  stop(): Promise<void>;
}

export async function ledRig(linkRate: number, duplex: 'full' | 'half' = 'full'): Promise<LedRig> {
  const log = pino({ level: 'silent' });
  const pair = new PtyPair('led', mkdtempSync(join(tmpdir(), 'sp-bench-led-')));
  await pair.start();
  const worker = fork(fileURLToPath(new URL('./led-board-process.js', import.meta.url)), [pair.devicePath, String(linkRate), ...(duplex === 'half' ? ['half'] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const board = new BoardProxy(worker);
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 1_000_000, name: 'led', logger: log, backoff: { initialMs: 20, maxMs: 200 } });
  const link = new LedLink({ serial, logger: log, linkRate, duplex });
  const presenter = new LedPresenter(link, log);
  serial.start();
  const t0 = performance.now();
  while (link.state !== LedLinkState.Ready) {
    if (performance.now() - t0 > 10_000) throw new Error('LED rig: board did not answer HELLO');
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    board, serial, link, presenter,
    async stop() {
      link.close();
      await serial.stop();
      await new Promise<void>((res) => {
        if (worker.exitCode !== null) return res();
        worker.once('exit', () => res());
        worker.send({ type: 'stop' });
      });
      await pair.stop();
    },
  };
}

/**
 * One-way latency of `size` bytes through the same PTY pair (socat) into another process's
 * serialport reader, with no protocol: the transport floor the LED figures stand on.
 */
export async function rawPtyLatency(size: number, reps: number): Promise<number[]> {
  const log = pino({ level: 'silent' });
  const pair = new PtyPair('raw', mkdtempSync(join(tmpdir(), 'sp-bench-raw-')));
  await pair.start();
  const reader = fork(fileURLToPath(new URL('./led-board-process.js', import.meta.url)), [pair.devicePath, '0', 'raw'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 1_000_000, name: 'raw', logger: log, backoff: { initialMs: 20, maxMs: 200 } });
  const out: number[] = [];
  try {
    await new Promise<void>((res) => reader.once('message', () => res()));
    reader.send({ type: 'size', size });
    serial.start();
    while (!serial.isOpen) await new Promise((r) => setTimeout(r, 5));
    const msg = Buffer.alloc(size, 0x55);
    for (let i = 0; i < reps; i++) {
      const rx = new Promise<number>((res) => reader.once('message', (m: { at: number }) => res(m.at - performance.timeOrigin)));
      const t = performance.now();
      void serial.write(msg);
      out.push((await rx) - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await serial.stop();
    reader.send({ type: 'stop' });
    await new Promise((r) => reader.once('exit', r));
    await pair.stop();
  }
  return out;
}
