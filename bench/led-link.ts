/**
 * LED link figures (480×800 RGB565, real PTYs, simulated board with its microcontroller decode
 * model): compression over a scripted 50-change session, present latency after render for a
 * full-page change and a clock change at 1 MB/s and 921600 baud, its ratio to the physical
 * floor, and throughput with 1 % of bytes corrupted.
 */
import { Renderer } from '../display/renderer.js';
import type { Frame } from '../lib/frame.js';
import type { PageModel } from '../display/page-model.js';
import { crc32 } from '../protocols/crc32.js';
import { Report } from './lib/report.js';
import { summarize, fmt } from './lib/stats.js';
import { benchLedCompression, renderSession } from './led-compression.js';
import { sessionModels } from './led-session.js';
import { ledRig, rawPtyLatency } from './led-rig.js';
import { IdleProbe, type IdleDelay } from './lib/idle-probe.js';
import { sample, type SampleSize } from './lib/sample.js';

const RATES = [{ rate: 1_000_000, label: '1 MB/s (USB CDC)' }, { rate: 92_160, label: '921600 baud (92,160 B/s)' }];

interface Sample { afterRenderMs: number; ratio: number; bytes: number; renderMs: number; hostMs: number; gcMs: number }

/**
 * Renders each model, shows it, and times the board's PRESENT of that frame (matched by frameId);
 * the floor is render + bytes ÷ rate. `hostMs` is this process's share: show() until the last
 * byte was handed to the OS; `gcMs` the garbage-collection pauses of this process meanwhile.
 */
/** `events`: the link's recovery actions during the series (non-zero = a protocol stall, not load). */
async function latency(rate: number, models: PageModel[], reps: number): Promise<{ samples: Sample[]; events: string }> {
  const rig = await ledRig(rate);
  const renderer = new Renderer(480, 800);
  const out: Sample[] = [];
  const boardAt = new Map<number, number>();
  rig.board.on('presented', (p) => boardAt.set(p.frameId, p.at));
  const writes: number[] = [];
  const write = rig.serial.write.bind(rig.serial);
  rig.serial.write = (b) => write(b).then(() => { writes.push(performance.now()); });
  const gc: { start: number; end: number }[] = [];
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) gc.push({ start: e.startTime, end: e.startTime + e.duration }); });
  obs.observe({ entryTypes: ['gc'] });
  try {
    // Start from the first page so the first sample is a change, not a full repaint.
    const first = renderer.render(models[0]!);
    await new Promise<void>((res) => { rig.presenter.once('presented', () => res()); rig.presenter.show(first); });
    for (let i = 0; i < reps; i++) {
      const m = models[(1 + i) % models.length]!;
      const t0 = performance.now();
      const f = renderer.render(m);
      const t1 = performance.now();
      const acked = new Promise<{ frameId: number; bytes: number }>((res) => rig.presenter.once('presented', (p) => res(p)));
      rig.presenter.show(f);
      const p = await acked;
      // The board's IPC report may trail its ACK on the serial line.
      for (let w = 0; !boardAt.has(p.frameId) && w < 200; w++) await new Promise((r) => setTimeout(r, 1));
      const at = boardAt.get(p.frameId) ?? performance.now();
      await new Promise((r) => setTimeout(r, 20));
      const floor = t1 - t0 + (p.bytes / rate) * 1000;
      const gcMs = gc.filter((g) => g.end > t1 && g.start < at).reduce((a, g) => a + Math.min(g.end, at) - Math.max(g.start, t1), 0);
      // The host's share ends with the last write of this frame that reached the OS before the board presented.
      const hostEnd = writes.filter((w) => w > t1 && w <= at).at(-1) ?? writes.find((w) => w > t1) ?? at;
      out.push({ afterRenderMs: at - t1, ratio: (at - t0) / floor, bytes: p.bytes, renderMs: t1 - t0, hostMs: Math.min(hostEnd, at) - t1, gcMs });
      gc.length = 0;
      writes.length = 0;
    }
  } finally {
    obs.disconnect();
    await rig.stop();
  }
  const st = rig.link.stats;
  return { samples: out, events: `${st.retransmits} retransmits, ${st.timeouts} timeouts, ${st.probes} probes, ${st.resyncs} resyncs` };
}

interface Throughput { ms: number; goodput: number; exact: boolean; parity: number; corrupted: number; retransmits: string; wireBytes: number; utilisation: number; hostCpuMs: number; boardCpuMs: number }

/** The same frames back to back; `utilisation` = wire time of the bytes sent ÷ elapsed. */
async function throughput(rate: number, frames: Frame[], corruptRate: number, duplex: 'full' | 'half' = 'full'): Promise<Throughput> {
  const rig = await ledRig(rate, duplex);
  try {
    if (corruptRate > 0) rig.board.corrupt(corruptRate);
    // The next frame is shown as soon as the previous one starts streaming, so every frame is sent
    // (none coalesced) and the link never waits for a round trip between frames.
    const run = (list: Frame[]) => new Promise<{ bytes: number; ms: number }>((res) => {
      let bytes = 0;
      let next = 1;
      let landed = 0;
      const t0 = performance.now();
      const onTransfer = () => { if (next < list.length) rig.presenter.show(list[next++]!); };
      const onPresented = (p: { bytes: number }) => {
        bytes += p.bytes;
        if (++landed < list.length) return;
        rig.presenter.off('transfer', onTransfer);
        rig.presenter.off('presented', onPresented);
        res({ bytes, ms: performance.now() - t0 });
      };
      rig.presenter.on('transfer', onTransfer);
      rig.presenter.on('presented', onPresented);
      rig.presenter.show(list[0]!);
    });
    await run(frames.slice(0, 4)); // warm-up: the first full frame, and FEC switching on
    const before = await rig.board.stats();
    const sent0 = rig.link.stats.bytesSent;
    const st0 = { ...rig.link.stats, naks: { ...rig.link.stats.naks } };
    const cpu0 = process.cpuUsage();
    const m = await run(frames.slice(4));
    const cpu = process.cpuUsage(cpu0);
    const want = frames.slice(4).map((f) => crc32(new Uint8Array(f.pixels.buffer)));
    const after = await rig.board.stats();
    const got = after.presents.slice(before.presents.length);
    const exact = got.length === want.length && got.every((c, i) => c === want[i]);
    const st = rig.link.stats;
    const naks = Object.fromEntries(Object.entries(st.naks).map(([k, v]) => [k, v - (st0.naks[k] ?? 0)]).filter(([, v]) => v));
    const wireBytes = st.bytesSent - sent0;
    return {
      ms: m.ms, goodput: m.bytes / (m.ms / 1000), exact, parity: rig.link.fecState()?.parity ?? 0, corrupted: after.stats.corruptedBytes! - before.stats.corruptedBytes!,
      retransmits: `${st.retransmits - st0.retransmits} (${st.timeouts - st0.timeouts} timeouts, ${st.fastRetransmits - st0.fastRetransmits} fast, NAKs ${JSON.stringify(naks)})`,
      wireBytes, utilisation: wireBytes / rate / (m.ms / 1000), hostCpuMs: (cpu.user + cpu.system) / 1000, boardCpuMs: after.cpuMs - before.cpuMs,
    };
  } finally {
    await rig.stop();
  }
}

const idleText = (d: IdleDelay) => `load ${d.load1.toFixed(1)}; idle process's event-loop delay p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)}`;

export async function benchLedLink(opts: SampleSize): Promise<void> {
  const r = new Report('led-link');
  const { frames, renderMs } = renderSession();
  await benchLedCompression(r, frames, renderMs);

  // Full-page changes: alternate between pages that differ almost everywhere.
  const all = sessionModels();
  // Each consecutive pair is attract ↔ emergency: a change of nearly every pixel.
  const attract = all.filter((m) => m.page === 'attract');
  const emergency = all.filter((m) => m.page === 'emergency');
  const fullPages = [attract[0]!, emergency[0]!, attract[Math.floor(attract.length / 2)]!, emergency.at(-1)!, attract.at(-1)!];
  const clockOnly = Array.from({ length: 60 }, (_, i) => ({ ...all[1]!, clock: { ...all[1]!.clock, time: `14:${String(i).padStart(2, '0')}` } }));
  const idle = IdleProbe.start();
  await idle.read();
  for (const { rate, label } of RATES) {
    const slow = rate < 200_000;
    const { samples: full, events: fullEvents } = await latency(rate, fullPages, sample(opts, slow ? 30 : 60, 8, 2));
    const fullIdle = await idle.read();
    const fs = summarize(full.map((s) => s.afterRenderMs));
    r.figure(`fullPageMs@${rate}`, `full-page change presented after render, ${label}`, { ...fs, idle: fullIdle }, `${fmt(fs)}; ${Math.round(summarize(full.map((s) => s.bytes)).median)} B median; link: ${fullEvents}; ${idleText(fullIdle)}`, slow ? '≤ 700 ms p99' : '≤ 100 ms p99');
    const fr = summarize(full.map((s) => s.ratio));
    r.figure(`fullPageFloorRatio@${rate}`, `  ratio to floor (render + bytes ÷ rate), ${label}`, fr, fmt(fr, '×', 2), 'aim ≤ 1.3');
    const { samples: clock, events: clockEvents } = await latency(rate, clockOnly, sample(opts, 100, 15, 3));
    const clockIdle = await idle.read();
    const cs = summarize(clock.map((s) => s.afterRenderMs));
    r.figure(`clockMs@${rate}`, `clock change presented after render, ${label}`, { ...cs, idle: clockIdle }, `${fmt(cs)}; ${Math.round(summarize(clock.map((s) => s.bytes)).median)} B median; link: ${clockEvents}; ${idleText(clockIdle)}`, slow ? undefined : '≤ 15 ms p99');
    const hs = summarize(clock.map((s) => s.hostMs));
    const noGc = clock.filter((s) => s.gcMs < 1);
    const ngs = summarize(noGc.map((s) => s.afterRenderMs));
    r.figure(`clockHostMs@${rate}`, `  host share (show → last byte to the OS), ${label}`, { host: hs, withoutGc: ngs }, `${fmt(hs)}; samples without a GC pause in this process: ${fmt(ngs)}`);
    const cr = summarize(clock.map((s) => s.ratio));
    r.figure(`clockFloorRatio@${rate}`, `  ratio to floor, ${label}`, cr, fmt(cr, '×', 2), 'aim ≤ 1.3');
    if (!slow) {
      // The same bytes through the same PTY pair into another process, with no LED code at all.
      const raw = summarize(await rawPtyLatency(Math.round(summarize(clock.map((s) => s.bytes)).median) + 60, sample(opts, 100, 15, 3)));
      const rawIdle = await idle.read();
      r.figure('rawPtyMs', `  transport alone: a clock change's bytes through the PTY pair to a reader process, no protocol`, { ...raw, idle: rawIdle }, `${fmt(raw)}; ${idleText(rawIdle)}`);
    }
  }

  // Throughput with 1 % of bytes corrupted in both directions: clean and noisy runs alternate
  // (5 pairs at 1 MB/s; 1 with --quick) so that the machine's load hits both alike; the median pair counts.
  const work = Array.from({ length: sample(opts, 28, 12, 6) }, (_, i) => frames[(i * 7) % frames.length]!);
  for (const { rate, label } of sample(opts, RATES, RATES.slice(0, 1), RATES.slice(0, 1))) {
    const pairs: { clean: Throughput; noisy: Throughput; loss: number; wireLoss: number }[] = [];
    for (let i = 0; i < (opts.quick || opts.smoke || rate < 200_000 ? 1 : 5); i++) {
      const clean = await throughput(rate, work, 0);
      const noisy = await throughput(rate, work, 0.01);
      pairs.push({ clean, noisy, loss: 1 - clean.ms / noisy.ms, wireLoss: 1 - clean.wireBytes / noisy.wireBytes });
    }
    const d = await idle.read();
    pairs.sort((a, b) => a.loss - b.loss);
    const { clean, noisy, loss, wireLoss } = pairs[pairs.length >> 1]!;
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    r.figure(`corruptThroughputLoss@${rate}`, `throughput loss with 1 % of bytes corrupted, ${label}`, { clean, noisy, loss, wireLoss, pairs: pairs.map((p) => p.loss), idle: d },
      `${pct(loss)}${pairs.length > 1 ? ` (median of ${pairs.length} pairs: ${pairs.map((p) => pct(p.loss)).join(', ')})` : ''}; extra wire bytes ${pct(wireLoss)}. ${work.length - 4} frames: clean ${clean.ms.toFixed(0)} ms = ${(clean.goodput / 1000).toFixed(0)} kB/s of pixel data, wire busy ${pct(clean.utilisation)}, CPU host ${clean.hostCpuMs.toFixed(0)} + board ${clean.boardCpuMs.toFixed(0)} ms; 1 %: ${noisy.ms.toFixed(0)} ms, wire busy ${pct(noisy.utilisation)}, CPU host ${noisy.hostCpuMs.toFixed(0)} + board ${noisy.boardCpuMs.toFixed(0)} ms, FEC ${noisy.parity}/255, ${noisy.corrupted} bytes corrupted, ${noisy.retransmits} retransmits; every frame exact: ${noisy.exact && clean.exact}; ${idleText(d)}`,
      '≤ 10 %, every frame exact');
  }
  // Half-duplex RS-485 (§5.5): the same frames, clean, with the board answering only in the gaps.
  {
    const rate = 92_160;
    const full = await throughput(rate, work, 0);
    const half = await throughput(rate, work, 0, 'half');
    const d = await idle.read();
    const cost = 1 - full.ms / half.ms;
    r.figure('halfDuplexCost@92160', 'half-duplex RS-485 at 921600 baud: throughput cost of the turnarounds', { full, half, cost, idle: d },
      `${(cost * 100).toFixed(1)} % (${work.length - 4} frames: full duplex ${full.ms.toFixed(0)} ms, half duplex ${half.ms.toFixed(0)} ms, wire busy ${(half.utilisation * 100).toFixed(1)} %; every frame exact: ${half.exact}); ${idleText(d)}`);
  }
  idle.stop();
  r.save();
}
