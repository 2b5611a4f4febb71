/**
 * Technician console figures: what a technician feels on the console and what the console costs the
 * rest of the pole. PIN check time (scrypt) and the event-loop lag during it; command round trip over a
 * real PTY (Enter → next prompt); key decoding + line editing throughput; and emergency-notice
 * push → board presents while the console is flooded with random input.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import { SerialPortStream } from '@serialport/stream';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { KeyDecoder } from '../protocols/console/key-decoder.js';
import { LineEditor } from '../protocols/console/line-editor.js';
import { sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { loadSigningKey } from '../ops/keys.js';
import { verifyPin } from '../runtime/console/pin.js';
import { DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH } from '../simulator/pole-config.js';
import { startSim, type Sim } from '../simulator/sim.js';
import { Report } from './lib/report.js';
import { poleReady } from './lib/ready.js';
import { sample, type SampleSize } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';
import type { NoticeRef } from '../runtime/notices/notice-ref.js';

const PROMPT = /tech@[A-Z0-9-]+> $/;
/** 115200 baud, 8N1: 10 bits a byte. */
const LINE_BYTES_PER_S = 11_520;

class Term {
  out = '';
  private wake: (() => void) | null = null;
  private constructor(private readonly port: SerialPortStream) {
    port.on('data', (d: Buffer) => {
      this.out += d.toString();
      if (this.out.length > 1e6) this.out = this.out.slice(-1e5);
      this.wake?.();
    });
  }
  static async open(path: string): Promise<Term> {
    const port = new SerialPortStream({ binding: autoDetect() as unknown as BindingInterface, path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    return new Term(port);
  }
  send(s: string | Buffer): Promise<void> {
    return new Promise((res) => this.port.write(s, () => this.port.drain(() => res())));
  }
  /** Waits (on data events, not by polling) until the output matches. */
  async waitFor(re: RegExp, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(this.out)) {
      if (Date.now() > end) throw new Error(`no ${re} in ${JSON.stringify(this.out.slice(-300))}`);
      await new Promise<void>((r) => { this.wake = r; setTimeout(r, 50); });
      this.wake = null;
    }
  }
  close(): Promise<void> {
    return new Promise((r) => this.port.close(() => r()));
  }
}

/** Event-loop delay of this process doing nothing: the machine's own noise, for comparison. */
async function baselineLag(r: Report, ms: number): Promise<void> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await new Promise((res) => setTimeout(res, ms));
  h.disable();
  r.figure('idleLoopLagP99Ms', 'event-loop delay with nothing running (machine noise)', h.percentile(99) / 1e6, `p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
}

async function pinCheck(runs: number, r: Report): Promise<void> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  const samples: number[] = [];
  h.enable();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    if (!(await verifyPin(DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH))) throw new Error('dev PIN did not verify');
    samples.push(performance.now() - t0);
  }
  h.disable();
  const s = summarize(samples);
  r.figure('pinCheckMs', 'PIN check (scrypt N=32768 r=8 p=1, thread pool)', s, fmt(s, 'ms', 0), '≤ 500 ms p99');
  r.figure('pinCheckLoopLagP99Ms', 'event-loop delay while PINs are checked', h.percentile(99) / 1e6, `p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms`, '≤ 20 ms p99');
}

function editorThroughput(r: Report): void {
  const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `led status --json ${i}\x1b[D\x7f\x1b[C\r`).join(''));
  const d = new KeyDecoder();
  const e = new LineEditor();
  const spec = { prompt: '> ', history: true, completer: () => ({ token: '', candidates: [] }) };
  e.begin(spec);
  const t0 = performance.now();
  let lines = 0;
  for (let off = 0; off < text.length; off += 64) {
    for (const k of d.push(text.subarray(off, off + 64))) {
      const res = e.key(k);
      if (res.event) { lines++; e.begin(spec); }
    }
  }
  const ms = performance.now() - t0;
  const mbs = text.length / 1e6 / (ms / 1000);
  r.figure('editorMBps', 'key decoding + line editing (pure, 64-byte reads)', mbs, `${mbs.toFixed(1)} MB/s (${lines} lines, ${(text.length / 1024).toFixed(0)} KiB in ${ms.toFixed(0)} ms; the line is 11.5 KB/s)`, '≥ 1.2 MB/s (100× 115200 baud)');
}

async function roundTrips(sim: Sim, t: Term, r: Report, runs: number): Promise<void> {
  for (const cmd of ['time', 'status --json']) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      t.out = '';
      const t0 = performance.now();
      await t.send(`${cmd}\r`);
      await t.waitFor(PROMPT);
      samples.push(performance.now() - t0);
    }
    const s = summarize(samples);
    r.figure(`roundTrip_${cmd.split(' ')[0]}Ms`, `console round trip over the PTY, "${cmd}" (Enter → next prompt)`, s, fmt(s), '≤ 100 ms p99');
  }
  void sim;
}

async function pushesDuringFlood(sim: Sim, t: Term, r: Report, pushes: number, withFlood: boolean): Promise<void> {
  const pole = sim.pole!;
  const key = loadSigningKey(sim.info.keyFile);
  const client = await mqtt.connectAsync(sim.info.mqttUrl);
  const boardPresents: number[] = [];
  sim.board.on('presented', (p) => boardPresents.push(p.at));
  let flooding = withFlood;
  let floodBytes = 0;
  const flood = (async () => {
    let seed = 8;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    // As fast as a 115200-baud line can carry (11,520 bytes/s), as a real service port would: a
    // pasted file or a babbling device, continuously. (test/e2e/console-fuzz.test.ts floods at PTY speed.)
    const started = performance.now();
    while (flooding) {
      const lines = Array.from({ length: 8 }, () => Buffer.from(Array.from({ length: rnd() % 40 }, () => rnd() & 0xff).filter((b) => b !== 0x03)));
      const chunk = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r')]));
      floodBytes += chunk.length;
      await t.send(chunk);
      const due = started + (floodBytes / LINE_BYTES_PER_S) * 1000;
      await new Promise((res) => setTimeout(res, Math.max(0, due - performance.now())));
    }
  })();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const samples: number[] = [];
  for (let i = 0; i < pushes; i++) {
    const id = `bench-console-${withFlood ? 'f' : 'q'}-${i}`;
    const payload = { type: 'notice', audience: 'all', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'emergency', title: { zh: `紧急通知 第${i + 1}次` }, body: { zh: `请注意安全。编号 ${i}` }, expiresAt: isoWithOffset(Date.now() + 3_600_000) };
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { pole.off('presented', onP); reject(new Error(`push ${id} not presented in 10 s`)); }, 10_000);
      const onP = (info: { tag?: NoticeRef | undefined }) => { if (info.tag?.id === id) { clearTimeout(timer); pole.off('presented', onP); resolve(); } };
      pole.on('presented', onP);
    });
    const t0 = performance.now();
    await client.publishAsync(`smartpole/v1/notices/all/${id}`, JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey)), { qos: 1 });
    await done;
    samples.push((boardPresents.filter((x) => x >= t0).at(-1) ?? performance.now()) - t0);
    await new Promise((res) => setTimeout(res, 30));
  }
  lag.disable();
  flooding = false;
  await flood;
  await client.endAsync();
  const s = summarize(samples);
  const lagText = `event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`;
  const value = { ...s, loopLagP99Ms: lag.percentile(99) / 1e6 };
  if (withFlood) {
    r.figure('pushToPixelsDuringFloodMs', `emergency push → board presents while random input arrives at the full 115200-baud line rate (${(floodBytes / 1024).toFixed(0)} KiB)`, value, `${fmt(s)}; ${lagText}`, '≤ 300 ms p99, no worse than with the console idle');
  } else {
    r.figure('pushToPixelsQuietMs', 'the same emergency pushes with the console idle (reference)', value, `${fmt(s)}; ${lagText}`);
  }
}

export async function benchConsole(opts: SampleSize): Promise<void> {
  const r = new Report('console');
  await baselineLag(r, sample(opts, 3000, 3000, 300));
  await pinCheck(sample(opts, 20, 5, 2), r);
  editorThroughput(r);
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-console-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: pino({ level: 'warn' }), logLevel: 'warn' });
  let t: Term | null = null;
  try {
    await poleReady(sim.pole!);
    t = await Term.open(sim.console.path);
    await t.send('\r');
    await t.waitFor(/PIN: $/);
    await t.send(`${DEV_CONSOLE_PIN}\r`);
    await t.waitFor(PROMPT);
    await roundTrips(sim, t, r, sample(opts, 200, 40, 5));
    await pushesDuringFlood(sim, t, r, sample(opts, 60, 20, 3), false);
    await pushesDuringFlood(sim, t, r, sample(opts, 60, 20, 3), true);
  } finally {
    await t?.close();
    await sim.stop();
  }
  r.save();
}
