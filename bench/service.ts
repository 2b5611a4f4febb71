/**
 * What talking to systemd costs (docs/deployment.md §How the runtime talks to systemd): one
 * `systemd-notify` run per message (spawn → BARRIER=1 answered → exit) against a real AF_UNIX
 * datagram socket standing in for systemd, and the event-loop time the sending takes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { createNotifier } from '../runtime/service/notifier.js';
import { packageRoot } from '../runtime/version.js';
import type { BenchOptions } from './run.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';

export async function benchService(o: BenchOptions): Promise<void> {
  const r = new Report('service');
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-notify-'));
  const path = join(dir, 'notify.sock');
  const receiver = spawn('/usr/bin/python3', [join(packageRoot(), 'test', 'helpers', 'notify-receiver.py'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let received = 0;
  await new Promise<void>((res, rej) => {
    receiver.once('error', rej);
    receiver.stdout!.on('data', (d: Buffer) => {
      received += (d.toString().match(/"text"/g) ?? []).length;
      if (d.toString().includes('listening')) res();
    });
  });
  try {
    const n = createNotifier({ env: { ...process.env, NOTIFY_SOCKET: path }, logger: pino({ level: 'silent' }) });
    const count = sample(o, 300, 60, 5);
    const runs: number[] = [];
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    for (let i = 0; i < count; i++) {
      await n.send({ WATCHDOG: '1' });
      runs.push(n.stats.lastMs);
    }
    lag.disable();
    // The same time doing nothing: the machine's own noise, for comparison.
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((res) => setTimeout(res, Math.min(10_000, Math.max(200, runs.reduce((a, b) => a + b, 0)))));
    idle.disable();
    const s = summarize(runs);
    r.figure('notifyMs', 'systemd-notify per message (spawn → barrier → exit)', s, fmt(s));
    r.figure('loopLagMs', 'event-loop delay while sending (idle for comparison)', { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6, idleP99: idle.percentile(99) / 1e6, idleMax: idle.max / 1e6 },
      `p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms (idle: p99 ${(idle.percentile(99) / 1e6).toFixed(1)} ms, max ${(idle.max / 1e6).toFixed(1)} ms)`);
    const burst = sample(o, 200, 50, 10);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => n.send({ STATUS: `burst ${i}` })));
    const ms = performance.now() - t0;
    r.figure('burst', `${burst} STATUS updates at once (merged while one is in flight)`, { ms, runs: n.stats.sent - count, merged: n.stats.merged },
      `${ms.toFixed(0)} ms, ${n.stats.sent - count} systemd-notify runs, ${n.stats.merged} merged`);
    r.note(`datagrams received by the stand-in socket: ${received} (barriers included)`);
  } finally {
    receiver.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  r.save();
}
