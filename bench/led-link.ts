/**
 * Issue 3 figures (480×800 RGB565, real PTYs, simulated board with its microcontroller decode
 * model): compression over a scripted 50-change session, present latency after render for a
 * full-page change and a clock change at 1 MB/s and 921600 baud, its ratio to the physical
 * floor, and throughput with 1 % of bytes corrupted.
 */
import { Renderer } from '../display/renderer.js';
import type { Frame } from '../display/frame.js';
import type { PageModel } from '../display/page-model.js';
import { crc32 } from '../protocols/crc32.js';
import { Report } from './lib/report.js';
import { summarize, fmt } from './lib/stats.js';
import { benchLedCompression, renderSession } from './led-compression.js';
import { sessionModels } from './led-session.js';
import { ledRig } from './led-rig.js';

const RATES = [{ rate: 1_000_000, label: '1 MB/s (USB CDC)' }, { rate: 92_160, label: '921600 baud (92,160 B/s)' }];

interface Sample { afterRenderMs: number; ratio: number; bytes: number; renderMs: number }

/** Renders each model, shows it, and times the board's PRESENT; the floor is render + bytes ÷ rate. */
async function latency(rate: number, models: PageModel[], reps: number): Promise<Sample[]> {
  const rig = await ledRig(rate);
  const renderer = new Renderer(480, 800);
  const out: Sample[] = [];
  try {
    // Start from the first page so the first sample is a change, not a full repaint.
    const first = renderer.render(models[0]!);
    await new Promise<void>((res) => { rig.presenter.once('presented', () => res()); rig.presenter.show(first); });
    for (let i = 0; i < reps; i++) {
      const m = models[(1 + i) % models.length]!;
      const t0 = performance.now();
      const f = renderer.render(m);
      const t1 = performance.now();
      const presented = new Promise<{ at: number; bytes: number }>((res) => {
        let at = 0;
        const onBoard = (p: { at: number }) => { at = p.at; };
        rig.board.on('presented', onBoard);
        rig.presenter.once('presented', (p) => { rig.board.off('presented', onBoard); res({ at: at || performance.now(), bytes: p.bytes }); });
      });
      rig.presenter.show(f);
      const p = await presented;
      const floor = t1 - t0 + (p.bytes / rate) * 1000;
      out.push({ afterRenderMs: p.at - t1, ratio: (p.at - t0) / floor, bytes: p.bytes, renderMs: t1 - t0 });
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await rig.stop();
  }
  return out;
}

/** The same frames back to back on a clean and a noisy line; the loss is 1 − clean time ÷ noisy time. */
async function throughput(rate: number, frames: Frame[], corruptRate: number): Promise<{ ms: number; goodput: number; exact: boolean; parity: number; corrupted: number; retransmits: string }> {
  const rig = await ledRig(rate);
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
    const presents0 = (await rig.board.stats()).presents.length;
    const m = await run(frames.slice(4));
    const want = frames.slice(4).map((f) => crc32(new Uint8Array(f.pixels.buffer)));
    const after = await rig.board.stats();
    const got = after.presents.slice(presents0);
    const exact = got.length === want.length && got.every((c, i) => c === want[i]);
    const st = rig.link.stats;
    return { ms: m.ms, goodput: m.bytes / (m.ms / 1000), exact, parity: rig.link.fecState()?.parity ?? 0, corrupted: after.stats.corruptedBytes!, retransmits: `${st.retransmits} (${st.timeouts} timeouts, ${st.fastRetransmits} fast, NAKs ${JSON.stringify(st.naks)})` };
  } finally {
    await rig.stop();
  }
}

export async function benchLedLink(opts: { quick?: boolean }): Promise<void> {
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
  for (const { rate, label } of RATES) {
    const slow = rate < 200_000;
    const full = await latency(rate, fullPages, opts.quick ? 8 : slow ? 30 : 60);
    const fs = summarize(full.map((s) => s.afterRenderMs));
    r.figure(`fullPageMs@${rate}`, `full-page change presented after render, ${label}`, fs, `${fmt(fs)}; ${Math.round(summarize(full.map((s) => s.bytes)).median)} B median`, slow ? '≤ 700 ms p99' : '≤ 100 ms p99');
    const fr = summarize(full.map((s) => s.ratio));
    r.figure(`fullPageFloorRatio@${rate}`, `  ratio to floor (render + bytes ÷ rate), ${label}`, fr, fmt(fr, '×', 2), 'aim ≤ 1.3');
    const clock = await latency(rate, clockOnly, opts.quick ? 15 : 100);
    const cs = summarize(clock.map((s) => s.afterRenderMs));
    r.figure(`clockMs@${rate}`, `clock change presented after render, ${label}`, cs, `${fmt(cs)}; ${Math.round(summarize(clock.map((s) => s.bytes)).median)} B median`, slow ? undefined : '≤ 15 ms p99');
    const cr = summarize(clock.map((s) => s.ratio));
    r.figure(`clockFloorRatio@${rate}`, `  ratio to floor, ${label}`, cr, fmt(cr, '×', 2), 'aim ≤ 1.3');
  }

  // Throughput with 1 % of bytes corrupted in both directions.
  const work = Array.from({ length: opts.quick ? 12 : 28 }, (_, i) => frames[(i * 7) % frames.length]!);
  for (const { rate, label } of opts.quick ? RATES.slice(0, 1) : RATES) {
    const clean = await throughput(rate, work, 0);
    const noisy = await throughput(rate, work, 0.01);
    const loss = 1 - clean.ms / noisy.ms;
    r.figure(`corruptThroughputLoss@${rate}`, `throughput loss with 1 % of bytes corrupted, ${label}`, { clean, noisy, loss },
      `${(loss * 100).toFixed(1)} % (${work.length - 4} frames: clean ${clean.ms.toFixed(0)} ms = ${(clean.goodput / 1000).toFixed(0)} kB/s of pixel data, 1 %: ${noisy.ms.toFixed(0)} ms at FEC ${noisy.parity}/255, ${noisy.corrupted} bytes corrupted, ${noisy.retransmits} retransmits); every frame exact: ${noisy.exact && clean.exact}`,
      '≤ 10 %, every frame exact');
  }
  r.save();
}
