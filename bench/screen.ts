/**
 * Screen figures (480×800, 1 MB/s link; docs/screen.md §Performance):
 *  - render time of every page (the real Renderer over the tour of all pages), and of the pages
 *    for everyone on their own: elder mode, the bilingual emergency, the stale transit page;
 *  - touch → new page in elder mode, over the same real-PTY rig as the standard screen;
 *  - touch → visible press feedback on the board, and touch → a full new page presented, over
 *    real PTYs: eGalax packets written on the panel's PTY → TouchPanel → ScreenService → LED link
 *    → the simulated board (in its own process, as the LED-link benches) presenting the frame;
 *  - RSS of the whole `smartpole sim` process (runtime + simulated hardware + broker) under
 *    random touching for --minutes (default 10), with the trend of the second half.
 */
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { fileURLToPath } from 'node:url';
import { PtyPair } from '../simulator/serial/pty-pair.js';
import { SimTouchPanel } from '../simulator/devices/touch-panel.js';
import { SIM_TOUCH_CALIBRATION, simPoleConfig } from '../simulator/pole-config.js';
import { SAMPLE_DIR } from '../simulator/sample-data.js';
import { refreshLiveData } from '../simulator/city-feed.js';
import { startEmbeddedBroker } from '../simulator/broker.js';
import { ensureSigningKey } from '../ops/keys.js';
import { parseConfig } from '../runtime/config/load.js';
import { startPole } from '../runtime/pole.js';
import { BoardProxy } from './led-rig.js';
import { screenFixture } from '../simulator/screen-fixture.js';
import { tour } from '../simulator/screen-tour.js';
import type { Hit, PageModel } from '../display/page-model.js';
import { packageRoot } from '../runtime/version.js';
import { summarize, fmt } from './lib/stats.js';
import { Report } from './lib/report.js';
import { sample, type SampleSize } from './lib/sample.js';

/** Tour steps of the pages added for elder mode, bilingual alerts and stale data (simulator/screen-tour.ts). */
export const ACCESS_PAGES = new Set(['elder-home', 'elder-services', 'elder-places', 'elder-place', 'transit-stale', 'emergency', 'notice']);

export async function renderTimes(perPage: number): Promise<{ warm: number[]; cold: number[]; worst: { page: string; p99: number }; byPage: Map<string, number[]> }> {
  const f = screenFixture({ start: Date.parse('2026-11-27T18:40:00+08:00') });
  const byPage = new Map<string, number[]>();
  const warm: number[] = [];
  const cold: number[] = [];
  let worst = { page: '', p99: 0 };
  for await (const name of tour(f)) {
    const m = f.screen.page!;
    const t0 = performance.now();
    f.renderer.render(m);
    cold.push(performance.now() - t0);
    const mine: number[] = [];
    for (let i = 0; i < perPage; i++) {
      // A different clock each time, as the real screen re-renders when the minute turns.
      const model = { ...m, clock: { ...m.clock, time: `18:${String(i % 60).padStart(2, '0')}` } } as PageModel;
      const s = performance.now();
      f.renderer.render(model);
      mine.push(performance.now() - s);
    }
    warm.push(...mine);
    byPage.set(name, mine);
    const p = summarize(mine).p99;
    if (p > worst.p99) worst = { page: name, p99: p };
  }
  f.screen.stop();
  return { warm, cold, worst, byPage };
}

const centre = (h: Hit) => ({ x: h.rect.x + Math.floor(h.rect.w / 2), y: h.rect.y + Math.floor(h.rect.h / 2) });

/**
 * The runtime in this process, wired as on a pole: the LED board in its own process on a real PTY
 * (bench/led-board-process.ts, as the LED benches run it — a board is a separate computer),
 * the eGalax touch controller on another PTY driven from here (the finger), an embedded broker.
 */
async function touchRig() {
  const log = pino({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-touch-'));
  mkdirSync(join(dir, 'pty'), { recursive: true });
  const ledPair = new PtyPair('led', join(dir, 'pty'));
  const touchPair = new PtyPair('touch', join(dir, 'pty'));
  await ledPair.start();
  await touchPair.start();
  const boardProc = fork(fileURLToPath(new URL('./led-board-process.js', import.meta.url)), [ledPair.devicePath, '1000000'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const board = new BoardProxy(boardProc);
  const broker = await startEmbeddedBroker({ port: 0, logger: log, say: () => {} });
  const { key } = ensureSigningKey(join(dir, 'keys', 'dev.key.json'), 'dev-ops');
  const config = parseConfig(simPoleConfig({
    poleId: 'WH-JA-0001', mqttUrl: broker.url, dataDir: join(dir, 'pole'), devKey: key, linkRate: 1_000_000, logLevel: 'warn',
    paths: { led: ledPair.hostPath, touch: touchPair.hostPath }, seedDataDir: SAMPLE_DIR,
  }), dir);
  const pole = await startPole({ config, logger: log });
  const finger = new SimTouchPanel({ pair: touchPair, width: 480, height: 800, calibration: SIM_TOUCH_CALIBRATION, logger: log });
  finger.start();
  refreshLiveData(pole.services.data.datasets, Date.now());
  while (!(pole.health.snapshot().led?.status === 'ok' && finger.isOpen && pole.services.screen.touch?.serial.isOpen)) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  return {
    pole, board, finger,
    async stop() {
      await finger.stop();
      await pole.stop();
      await broker.close();
      await new Promise<void>((res) => { if (boardProc.exitCode !== null) return res(); boardProc.once('exit', () => res()); boardProc.send({ type: 'stop' }); });
      await ledPair.stop();
      await touchPair.stop();
    },
  };
}

type Rig = Awaited<ReturnType<typeof touchRig>>;

/**
 * The board's present time of the first frame presented after the pole emitted a page meeting
 * `cond`; `handed` gets the time the runtime handed that frame to the LED presenter.
 */
function boardAfter(rig: Rig, cond: (m: PageModel) => boolean, timeoutMs = 5000, handed?: (t: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let seenAt: number | null = null;
    const timer = setTimeout(() => { cleanup(); reject(new Error('timed out waiting for the board')); }, timeoutMs);
    const onPage = (m: PageModel) => { if (seenAt === null && cond(m)) { seenAt = performance.now(); handed?.(seenAt); } };
    const onPresent = (p: { at: number }) => { if (seenAt !== null && p.at >= seenAt) { cleanup(); resolve(p.at); } };
    const cleanup = () => { clearTimeout(timer); rig.pole.off('page', onPage); rig.board.off('presented', onPresent); };
    rig.pole.on('page', onPage);
    rig.board.on('presented', onPresent);
  });
}

/**
 * Random taps on the screen's controls. `elder`: the visit starts with the attract loop's
 * 长者模式 button and stays in elder mode (its 普通模式 button is not pressed).
 */
export async function touchLatency(samples: number, elder = false): Promise<{ press: number[]; page: number[]; pressRuntime: number[]; pageRuntime: number[] }> {
  const rig = await touchRig();
  const press: number[] = [];
  const pageTimes: number[] = [];
  const pressRuntime: number[] = [];
  const pageRuntime: number[] = [];
  try {
    const screen = rig.pole.services.screen.service;
    let rnd = 42;
    const random = () => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32);
    while (press.length < samples) {
      const m = screen.page!;
      if (m.page === 'attract') {
        const p = boardAfter(rig, (x) => x.page === (elder ? 'elder-home' : 'home'));
        const { x, y } = centre(m.hits.find((h) => h.id === (elder ? 'elder' : 'wake'))!);
        await rig.finger.touch('tap', x, y);
        await p;
        continue;
      }
      // A random control, but not the language switch (it keeps the page), the idle banner, or a way out of the mode measured.
      const skip = new Set(['nav:lang', 'tile:lang', 'idle:extend', 'nav:standard', ...(elder ? [] : ['elder'])]);
      if (m.page === 'elder-home') skip.add('nav:home'); // already there: nothing would change
      const hits = m.hits.filter((h) => !skip.has(h.id));
      const h = hits[Math.floor(random() * hits.length)]!;
      const { x, y } = centre(h);
      const strip = (n: PageModel) => JSON.stringify({ ...n, clock: null, pressed: null, hits: null });
      const before = strip(m);
      const t0 = performance.now();
      const pressed = boardAfter(rig, (n) => n.pressed === h.id, 5000, (t) => pressRuntime.push(t - t0));
      await rig.finger.touch('down', x, y);
      press.push((await pressed) - t0);
      let t1 = 0;
      const changed = boardAfter(rig, (n) => n.pressed === null && strip(n) !== before, 5000, (t) => pageRuntime.push(t - t1));
      const released = boardAfter(rig, (n) => n.pressed === null);
      t1 = performance.now();
      await rig.finger.touch('up', x, y);
      // Actions that leave the page as it was (e.g. a key that types nothing) present only the release.
      const first = await Promise.race([changed.then((t) => ({ t, kind: 'page' as const })), released.then((t) => ({ t, kind: 'release' as const }))]);
      if (first.kind === 'page') pageTimes.push(first.t - t1);
      else {
        const t = await changed.catch(() => null);
        if (t !== null) pageTimes.push(t - t1);
      }
      await new Promise((r) => setTimeout(r, 30));
      if (screen.session.history.length > 6) screen.reset();
    }
  } finally {
    await rig.stop();
  }
  return { press, page: pageTimes, pressRuntime, pageRuntime };
}

/** As in bin/smartpole.ts's shebang. */
export const RUNTIME_FLAGS = readFileSync(join(packageRoot(), 'dist', 'bin', 'smartpole.js'), 'utf8').split('\n')[0]!.split(' ').filter((a) => a.startsWith('--'));

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) { num += (xs[i]! - mx) * (ys[i]! - my); den += (xs[i]! - mx) ** 2; }
  return den ? num / den : 0;
}


/**
 * The runtime as a pole runs it: `smartpole sim --hardware-only` provides the simulated board,
 * touch panel and broker in one process; `smartpole run --config` is the runtime, in its own
 * process, whose RSS is sampled (the sim process's RSS is reported too).
 */
export async function rssUnderTouch(minutes: number): Promise<{ samples: { min: number; mb: number; simMb: number }[]; taps: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-rss-'));
  const cli = join(packageRoot(), 'dist/smartpole.js');
  const hw = spawn(process.execPath, [cli, 'sim', '--hardware-only', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dir, '--pty-dir', join(dir, 'pty')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  hw.stdout.on('data', (d: Buffer) => { text += d.toString(); });
  let url: string | undefined;
  while (!(url = /web viewer\s+(\S+)/.exec(text)?.[1])) await new Promise((r) => setTimeout(r, 20));
  // The V8 flags the `smartpole` command's shebang passes (bin/smartpole.ts).
  const p = spawn(process.execPath, [...RUNTIME_FLAGS, cli, 'run', '--config', join(dir, 'pole.yaml')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // Wait until the runtime drives the board (it presents its first frame).
  while (!((await (await fetch(`${url}/api/devices`)).json()) as { name: string; state: { presents?: number } }[]).find((d) => d.name === 'led')?.state.presents) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // The sim's per-run HTTP token (simulator/http/guard.ts) for the touch POSTs.
  const token = (JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')) as { token: string }).token;
  const samples: { min: number; mb: number; simMb: number }[] = [];
  let taps = 0;
  const t0 = Date.now();
  let nextSample = 0;
  let rnd = 7;
  const random = () => ((rnd = (Math.imul(rnd, 1103515245) + 12345) >>> 0) / 2 ** 32);
  try {
    while (Date.now() - t0 < minutes * 60_000) {
      const x = Math.floor(random() * 480);
      const y = Math.floor(random() * 800);
      const r = random();
      const body = r < 0.9 ? { x, y, action: 'tap' } : { x, y, action: r < 0.95 ? 'down' : 'up' };
      await fetch(`${url}/api/touch`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-smartpole-token': token }, body: JSON.stringify(body) }).catch(() => {});
      taps++;
      if (Date.now() - t0 >= nextSample) {
        samples.push({ min: (Date.now() - t0) / 60_000, mb: rssOf(p.pid!), simMb: rssOf(hw.pid!) });
        nextSample += 5000;
      }
      await new Promise((res) => setTimeout(res, 150));
    }
    samples.push({ min: (Date.now() - t0) / 60_000, mb: rssOf(p.pid!), simMb: rssOf(hw.pid!) });
  } finally {
    await new Promise<void>((r) => { p.once('exit', () => r()); p.kill('SIGINT'); });
    await new Promise<void>((r) => { hw.once('exit', () => r()); hw.kill('SIGINT'); });
  }
  return { samples, taps };
}

export async function benchScreen(opts: SampleSize & { minutes?: number }): Promise<void> {
  const r = new Report('screen');
  const rt = await renderTimes(sample(opts, 40, 10, 2));
  const warm = summarize(rt.warm);
  r.figure('renderMs', 'render of any page, 480×800 (all pages, warm text cache)', warm, fmt(warm), '≤ 25 ms p99');
  r.note(`slowest page by p99: ${rt.worst.page} ${rt.worst.p99.toFixed(1)} ms; first render of a page (cold cache) max ${Math.max(...rt.cold).toFixed(1)} ms`);
  const access = [...rt.byPage].filter(([name]) => ACCESS_PAGES.has(name));
  const acc = summarize(access.flatMap(([, v]) => v));
  r.figure('renderAccessPagesMs', 'render of the elder-mode, bilingual-emergency, bilingual-notice and stale-transit pages (warm)', acc, fmt(acc), '≤ 25 ms p99');
  r.note(`  p99 by page: ${access.map(([n, v]) => `${n} ${summarize(v).p99.toFixed(1)}`).join(', ')} ms`);

  const lat = await touchLatency(sample(opts, 200, 40, 5));
  const press = summarize(lat.press);
  r.figure('touchToPressFeedbackMs', 'touch (down packet on the PTY) → press feedback presented on the board', press, fmt(press), '≤ 50 ms p99');
  const pr = summarize(lat.pressRuntime);
  r.note(`  of which the runtime (packet → frame handed to the LED presenter): ${fmt(pr)}`);
  const pg = summarize(lat.page);
  r.figure('touchToNewPageMs', 'touch release (up packet) → the new page presented on the board', pg, fmt(pg), '≤ 150 ms p99');
  const pgr = summarize(lat.pageRuntime);
  r.note(`  of which the runtime (packet → 15 ms release debounce → action → frame handed to the LED presenter): ${fmt(pgr)}`);

  const el = await touchLatency(sample(opts, 200, 40, 5), true);
  const elPress = summarize(el.press);
  r.figure('elderTouchToPressFeedbackMs', 'elder mode: touch (down packet) → press feedback presented on the board', elPress, fmt(elPress), '≤ 50 ms p99');
  const elPage = summarize(el.page);
  r.figure('elderTouchToNewPageMs', 'elder mode: touch release (up packet) → the new page presented on the board', elPage, fmt(elPage), '≤ 150 ms p99');

  const minutes = opts.minutes ?? sample(opts, 10, 1, 0.1);
  const rss = await rssUnderTouch(minutes);
  const mbs = rss.samples.map((s) => s.mb);
  const half = rss.samples.slice(Math.floor(rss.samples.length / 2));
  const trend = slope(half.map((s) => s.min), half.map((s) => s.mb));
  r.figure('rssMb', `RSS of the runtime (smartpole run) after ${minutes} min of random touching (${rss.taps} touches)`,
    { start: mbs[0], max: Math.max(...mbs), end: mbs.at(-1), trendMbPerMinSecondHalf: trend, samples: rss.samples },
    `start ${mbs[0]!.toFixed(0)} MB, max ${Math.max(...mbs).toFixed(0)} MB, end ${mbs.at(-1)!.toFixed(0)} MB; second-half trend ${trend >= 0 ? '+' : ''}${trend.toFixed(2)} MB/min`, '≤ 200 MB, no upward trend');
  const sims = rss.samples.map((s) => s.simMb);
  r.note(`(the simulated hardware + broker process alongside: max ${Math.max(...sims).toFixed(0)} MB)`);
  r.save();
}
