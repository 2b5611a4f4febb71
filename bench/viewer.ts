/**
 * bench/viewer: the web viewer's live screen. In one process: `smartpole sim` (PTYs,
 * embedded broker, runtime) and a WebSocket client standing in for the browser. Figures:
 * the board's PRESENT → the viewer has the update (latency, while touches change pages),
 * bytes per update (payload, and what permessage-deflate at level 1 makes of it), and the
 * diff + encode CPU time for a full-screen and a small change.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startSim } from '../simulator/sim.js';
import { diffRects, encodeScreenUpdate } from '../simulator/viewer/screen-diff.js';
import type { BenchOptions } from './run.js';
import { Report } from './lib/report.js';
import { fmt, summarize } from './lib/stats.js';
import { sample } from './lib/sample.js';

const W = 480;
const H = 800;

async function waitFor(f: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`bench viewer: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function cpuFigures(r: Report, n: number): void {
  const prev = new Uint16Array(W * H).map((_, i) => (i * 2654435761) & 0xffff);
  const full = prev.map((v) => v ^ 0x5555);
  const small = prev.slice();
  for (let y = 40; y < 140; y++) small.fill(0x07e0, y * W + 20, y * W + 300); // a clock-sized region
  for (const [key, label, next] of [['cpuFull', 'diff + encode, whole screen changed', full], ['cpuSmall', 'diff + encode, 280×100 region changed', small]] as const) {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      encodeScreenUpdate(i, diffRects(prev, next, W, H), next, W, false);
      t.push(performance.now() - t0);
    }
    const s = summarize(t);
    r.figure(key, label, s, fmt(s, 'ms', 2), 'report');
  }
}

export async function benchViewer(o: BenchOptions): Promise<void> {
  const r = new Report('viewer');
  cpuFigures(r, sample(o, 100, 20, 3));
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-viewer-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: pino({ level: 'silent' }) });
  try {
    const pole = sim.pole!;
    await waitFor(() => pole.health.snapshot().touch?.status === 'ok' && pole.page() !== null, 60_000, 'the runtime');
    const presentedAt = new Map<number, number>();
    sim.board.on('presented', (p) => presentedAt.set(p.frameId, performance.now()));
    const latency: number[] = [];
    const payload: number[] = [];
    const deflated: number[] = [];
    let updates = 0;
    const ws = new WebSocket(`${sim.http.url.replace('http', 'ws')}/api/ws`);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const b = data as Buffer;
      const at = presentedAt.get(b.readUInt32LE(4));
      updates++;
      if (updates === 1) { r.figure('firstBytes', 'first (whole) picture', b.length, `${b.length} B payload, ${deflateRawSync(b, { level: 1 }).length} B deflated`); return; }
      if (at !== undefined) latency.push(performance.now() - at);
      payload.push(b.length);
      deflated.push(deflateRawSync(b, { level: 1 }).length);
    });
    await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
    await waitFor(() => updates > 0, 10_000, 'the first picture');
    const touches = sample(o, 60, 10, 3);
    for (let i = 0; i < touches; i++) {
      const page = pole.page()!;
      const hit = page.page === 'home' ? page.hits.find((h) => h.id === 'tile:transit') : page.hits.find((h) => h.action.type === 'back' || h.id === 'nav:home');
      const x = hit ? hit.rect.x + (hit.rect.w >> 1) : 240;
      const y = hit ? hit.rect.y + (hit.rect.h >> 1) : 400;
      await sim.touch.touch('tap', x, y);
      await waitFor(() => pole.page()?.page !== page.page, 10_000, 'a page change').catch(() => {});
      await new Promise((res) => setTimeout(res, 150));
    }
    ws.close();
    const l = summarize(latency);
    r.figure('latency', 'board PRESENT → viewer has the rectangles (WebSocket, same host)', l, fmt(l), '≤ 100 ms p99');
    const p = summarize(payload);
    const d = summarize(deflated);
    r.figure('bytes', 'bytes per update while pages change', { payload: p, deflated: d }, `payload median ${Math.round(p.median)} B, p90 ${Math.round(p.p90)}; deflated median ${Math.round(d.median)} B, p90 ${Math.round(d.p90)} (n=${p.n}, ${updates} updates)`, 'report');
    r.save();
  } finally {
    await sim.stop();
  }
}
