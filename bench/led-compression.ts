/**
 * LED link compression figures: a scripted 50-change UI session rendered by the real Renderer.
 * The real pipeline (presenter → link → simulated board) gives our bytes and encode ms per frame;
 * the same diff rectangles are also coded whole by zlib level 6 (the bar to beat), raw DEFLATE 9,
 * LZ4 (lz4js), RLE16 and palette+DEFLATE, and each codec's decode cost is measured on this host
 * and modelled for a microcontroller (docs/protocols/led-link.md §4.7 has the decision).
 */
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { Renderer } from '../display/renderer.js';
import { diffFrames } from '../lib/frame-diff.js';
import { copyRect, type Frame, type Rect } from '../lib/frame.js';
import { Codec } from '../protocols/led-link/messages.js';
import { PixelEncoder, decodePixels } from '../protocols/led-link/pixel-codecs.js';
import { encodeRle16 } from '../protocols/led-link/rle16.js';
import { summarize, fmt } from './lib/stats.js';
import type { Report } from './lib/report.js';
import { sessionModels } from './led-session.js';
import { ledRig } from './led-rig.js';

const require = createRequire(import.meta.url);
const lz4 = require('lz4js') as { compressBlock(src: Uint8Array, dst: Uint8Array, s: number, n: number, ht: Uint32Array): number; decompressBlock(src: Uint8Array, dst: Uint8Array, s: number, n: number, d: number): number; compressBound(n: number): number };

/** Microcontroller decode model (ns per output byte / pixel), the same as the simulated board's (§8.3). */
const MCU_NS = { inflatePerByte: 15, lz4PerByte: 3, rlePerPixel: 3, pixelWrite: 2 };

interface CodecTotals { bytes: number; hostDecodeMs: number; mcuDecodeMs: number }

export async function benchLedCompression(r: Report, frames: Frame[], renderMs: number[]): Promise<{ presentedBytes: number[] }> {
  const n = frames.length;
  const raw = n * frames[0]!.pixels.length * 2;
  // 1. Our pipeline, for real: bytes per frame and encode time.
  const rig = await ledRig(50_000_000);
  const ours: { bytes: number; encodeMs: number; blits: number }[] = [];
  const wire0 = rig.link.stats.bytesSent;
  try {
    for (const f of frames) {
      const done = new Promise<void>((res) => rig.presenter.once('presented', (p) => { ours.push({ bytes: p.bytes, encodeMs: p.encodeMs, blits: p.blits }); res(); }));
      rig.presenter.show(f);
      await done;
    }
  } finally {
    await rig.stop();
  }
  const wire = rig.link.stats.bytesSent - wire0;
  const oursBytes = ours.reduce((a, b) => a + b.bytes, 0);
  const blitHeaders = ours.reduce((a, b) => a + b.blits * 13, 0);

  // 2. The same rectangles, each coded whole by every candidate.
  const rects: { frame: Frame; rect: Rect }[] = [];
  frames.forEach((f, i) => { for (const rect of diffFrames(i ? frames[i - 1]! : null, f)) rects.push({ frame: f, rect }); });
  const totals: Record<string, CodecTotals> = {};
  const add = (k: string, bytes: number, hostMs: number, mcuMs: number) => {
    const t = (totals[k] ??= { bytes: 0, hostDecodeMs: 0, mcuDecodeMs: 0 });
    t.bytes += bytes; t.hostDecodeMs += hostMs; t.mcuDecodeMs += mcuMs;
  };
  const enc = new PixelEncoder({ level: 6 });
  for (const { frame, rect } of rects) {
    const px = copyRect(frame, rect);
    const bytes = new Uint8Array(px.buffer);
    const npx = px.length;
    add('raw', bytes.length, 0, (npx * MCU_NS.pixelWrite) / 1e6);
    const z6 = zlib.deflateSync(bytes, { level: 6 });
    let t = performance.now();
    zlib.inflateSync(z6);
    add('zlib level 6', z6.length, performance.now() - t, (npx * (2 * MCU_NS.inflatePerByte + MCU_NS.pixelWrite)) / 1e6);
    const d9 = zlib.deflateRawSync(bytes, { level: 9, memLevel: 9 });
    add('raw DEFLATE level 9', d9.length, 0, (npx * (2 * MCU_NS.inflatePerByte + MCU_NS.pixelWrite)) / 1e6);
    const lzOut = new Uint8Array(lz4.compressBound(bytes.length));
    const lzLen = lz4.compressBlock(bytes, lzOut, 0, bytes.length, new Uint32Array(1 << 16));
    const back = new Uint8Array(bytes.length);
    t = performance.now();
    lz4.decompressBlock(lzOut, back, 0, lzLen, 0);
    add('LZ4 (lz4js block)', lzLen || bytes.length, performance.now() - t, (npx * (2 * MCU_NS.lz4PerByte + MCU_NS.pixelWrite)) / 1e6);
    const rle = encodeRle16(px);
    const out = new Uint16Array(npx);
    t = performance.now();
    decodePixels(Codec.RLE16, rle, rect.w, rect.h, out);
    add('RLE16', rle.length, performance.now() - t, (npx * (MCU_NS.rlePerPixel + MCU_NS.pixelWrite)) / 1e6);
    // Palette+DEFLATE where the rectangle has ≤ 256 colours, else DEFLATE (what our encoder does per band).
    const best = enc.encode(px, rect.w, rect.h, (1 << Codec.DEFLATE) | (1 << Codec.PALETTE_DEFLATE) | (1 << Codec.SOLID));
    t = performance.now();
    decodePixels(best.codec, best.data, rect.w, rect.h, out);
    const perPx = best.codec === Codec.PALETTE_DEFLATE ? MCU_NS.inflatePerByte : best.codec === Codec.DEFLATE ? 2 * MCU_NS.inflatePerByte : 0;
    add('palette+DEFLATE 6 (whole rects)', best.data.length, performance.now() - t, (npx * (perPx + MCU_NS.pixelWrite)) / 1e6);
  }
  const z6 = totals['zlib level 6']!.bytes;
  r.note(`session: ${n} frames (1 full + ${n - 1} changes), ${rects.length} diff rectangles, raw full frames ${(raw / 1e6).toFixed(2)} MB`);
  r.note('codec on the same rectangles        bytes    ×raw   vs zlib6  host decode  MCU model  MCU+wire@92160  bytes×MCU');
  for (const [k, t] of Object.entries(totals)) {
    const wireMs = (t.bytes / 92_160) * 1000;
    r.note(`  ${k.padEnd(33)} ${String(t.bytes).padStart(8)} ${(raw / t.bytes).toFixed(1).padStart(6)}× ${(t.bytes / z6).toFixed(3).padStart(7)} ${t.hostDecodeMs.toFixed(1).padStart(9)} ms ${t.mcuDecodeMs.toFixed(0).padStart(7)} ms ${(t.mcuDecodeMs + wireMs).toFixed(0).padStart(11)} ms ${((t.bytes / 1e6) * t.mcuDecodeMs).toFixed(1).padStart(9)}`);
  }
  r.figure('sessionRawBytes', 'raw full frames', raw, `${raw} B`);
  r.figure('sessionZlib6Bytes', 'zlib level 6 of the same rectangles', z6, `${z6} B`);
  r.figure('sessionOurBytes', 'our pipeline: BLIT pixel data (banded, palette+DEFLATE/SOLID/DEFLATE)', oursBytes, `${oursBytes} B = ${(raw / oursBytes).toFixed(1)}× fewer than raw, ${(oursBytes / z6).toFixed(3)} × zlib-6`, '≥ 12× fewer than raw, ≤ 1.0 × zlib-6');
  r.figure('sessionOurWireBytes', 'our pipeline: all bytes on the wire (BLIT/PRESENT headers, framing, CRC; FEC off on a clean link)', wire, `${wire} B = ${(raw / wire).toFixed(1)}× fewer than raw, ${(wire / z6).toFixed(3)} × zlib-6 (BLIT headers ${blitHeaders} B)`);
  const e = summarize(ours.map((o) => o.encodeMs));
  r.figure('sessionEncodeMsPerFrame', 'encode ms per frame (diff + band + palette + DEFLATE, main thread)', e, fmt(e));
  const changes = summarize(ours.slice(1).map((o) => o.encodeMs));
  r.note(`  changes only: ${fmt(changes)}; full first frame ${ours[0]!.encodeMs.toFixed(1)} ms; render ${fmt(summarize(renderMs))}`);
  return { presentedBytes: ours.map((o) => o.bytes) };
}

export function renderSession(): { frames: Frame[]; renderMs: number[] } {
  const renderer = new Renderer(480, 800);
  const renderMs: number[] = [];
  const frames = sessionModels().map((m) => {
    const t = performance.now();
    const f = renderer.render(m);
    renderMs.push(performance.now() - t);
    return f;
  });
  return { frames, renderMs };
}
