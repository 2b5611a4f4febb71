/**
 * Spine figures: startup to first frame on the board, and push-to-pixels for emergency notices
 * (publish → the simulated board presenting the frame), over real PTYs and a real broker.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import mqtt from 'mqtt';
import { startSim } from '../simulator/sim.js';
import { loadSigningKey } from '../ops/keys.js';
import { sealEnvelope } from '../protocols/envelope.js';
import { isoWithOffset } from '../protocols/time.js';
import { packageRoot } from '../runtime/version.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { poleReady } from './lib/ready.js';
import { sample, type SampleSize } from './lib/sample.js';
import type { NoticeRef } from '../runtime/notices/notice-ref.js';

async function startupToFirstFrame(runs: number): Promise<number[]> {
  const cli = join(packageRoot(), 'dist/smartpole.js');
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
    const t0 = performance.now();
    const p = spawn(process.execPath, [cli, 'sim', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dir, '--pty-dir', join(dir, 'pty')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    let url: string | undefined;
    while (!(url = /web viewer\s+(\S+)/.exec(text)?.[1])) await new Promise((r) => setTimeout(r, 5));
    // The board records when it presented its first frame on its own process clock.
    let first: number | null = null;
    while (first === null) {
      const devs = (await (await fetch(`${url}/api/devices`)).json()) as { name: string; state: { firstPresentMs: number | null } }[];
      first = devs.find((d) => d.name === 'led')!.state.firstPresentMs;
      if (first === null) await new Promise((r) => setTimeout(r, 5));
    }
    const wall = performance.now() - t0;
    out.push(first);
    if (i === 0) console.log(`  (first run: process clock ${first.toFixed(0)} ms, wall clock incl. polling ${wall.toFixed(0)} ms)`);
    await new Promise<void>((r) => { p.once('exit', () => r()); p.kill('SIGINT'); });
  }
  return out;
}

async function pushToPixels(pushes: number, mqttUrl?: string): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttUrl, mqttPort: 0, httpPort: 0, logger: pino({ level: 'warn' }), logLevel: 'warn' });
  try {
    const pole = sim.pole!;
    // The sim's MQTT runs through the simulated modem: wait until the pole is actually subscribed.
    await poleReady(pole);
    const key = loadSigningKey(sim.info.keyFile);
    const client = await mqtt.connectAsync(sim.info.mqttUrl);
    const boardPresents: number[] = [];
    sim.board.on('presented', (p) => boardPresents.push(p.at));
    const samples: number[] = [];
    for (let i = 0; i < pushes; i++) {
      const id = `bench-${i}`;
      const payload = {
        type: 'notice', audience: 'all', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'emergency',
        title: { zh: `紧急疏散演练 第${i + 1}次` }, body: { zh: `请沿指示方向有序撤离至江滩公园。编号 ${i} ${'注意安全。'.repeat(i % 5)}` },
        expiresAt: isoWithOffset(Date.now() + 3_600_000),
      };
      const env = JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey));
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          pole.off('presented', onP);
          reject(new Error(`push ${id} not presented within 10 s; page=${JSON.stringify(pole.page())} health=${JSON.stringify(pole.health.snapshot().led)}`));
        }, 10_000);
        const onP = (info: { tag?: NoticeRef | undefined }) => {
          if (info.tag?.id === id) { clearTimeout(timer); pole.off('presented', onP); resolve(); }
        };
        pole.on('presented', onP);
      });
      const t0 = performance.now();
      await client.publishAsync(`smartpole/v1/notices/all/${id}`, env, { qos: 1 });
      await done;
      const presentedAt = boardPresents.filter((t) => t >= t0).at(-1) ?? performance.now();
      samples.push(presentedAt - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.endAsync();
    return samples;
  } finally {
    await sim.stop();
  }
}

export async function benchSpine(opts: SampleSize & { mqttUrl?: string }): Promise<void> {
  const r = new Report('spine');
  const startups = await startupToFirstFrame(sample(opts, 5, 2, 1));
  const s = summarize(startups);
  r.figure('startupToFirstFrameMs', 'startup → first frame on the board (PTY, embedded broker)', s, fmt(s, 'ms', 0), '≤ 2000 ms');
  const pushes = await pushToPixels(sample(opts, 120, 30, 3), opts.mqttUrl);
  const p = summarize(pushes);
  r.figure('emergencyPushToPixelsMs', `emergency push → board presents, 480×800 @1 MB/s (${opts.mqttUrl ? 'mosquitto' : 'embedded aedes'})`, p, fmt(p), '≤ 300 ms p99');
  r.save();
}
