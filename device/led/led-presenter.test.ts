/**
 * LedPresenter over a real LedLink on a FakeBytePort with a scripted board, on fake timers
 * (docs/protocols/led-link.md §7): the first frame repaints everything, later ones send only the
 * changed tiles merged into a few rectangles, a frame shown while another is being sent
 * coalesces (newest wins), an unchanged frame costs nothing, a board reset repaints.
 * The test applies the BLITs it receives to its own back buffer and checks PRESENT's CRC-32, so
 * "the board shows exactly the frame" is checked on the bytes, not on the presenter's word.
 */
import { describe, expect, it, vi } from 'vitest';
import { MsgType, decodeBlit, decodePresent, type Blit } from '../../protocols/led-link/messages.js';
import { decodePixels } from '../../protocols/led-link/pixel-codecs.js';
import { crc32 } from '../../protocols/crc32.js';
import type { Frame, Rect } from '../../lib/frame.js';
import { FakeBytePort } from '../../test/helpers/byte-port.js';
import { ScriptedLedBoard } from '../../test/helpers/led-script.js';
import { testLogger } from '../../test/helpers/logger.js';
import { LedLink } from './led-link.js';
import { LedPresenter, type PresentedInfo } from './led-presenter.js';
import { fakeTimersClosing } from '../../test/helpers/fake-timers.js';

const W = 64;
const H = 32;
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const links = fakeTimersClosing((l: LedLink) => l.close());

function frame(fill: number, paint: (px: Uint16Array) => void = () => {}): Frame {
  const pixels = new Uint16Array(W * H).fill(fill);
  paint(pixels);
  return { width: W, height: H, pixels };
}

/** A frame with a noisy (hard to compress) background, so bands are real work. */
function noisy(seed: number): Frame {
  let s = seed;
  return frame(0, (px) => { for (let i = 0; i < px.length; i++) { s = (s * 1103515245 + 12345) >>> 0; px[i] = s >>> 16; } });
}

/** The board's side: applies BLITs to a back buffer; a PRESENT must carry that buffer's CRC. */
class BoardModel {
  readonly back = new Uint16Array(W * H);
  shown: Uint16Array | null = null;
  readonly presents: { frameId: number; blits: Blit[] }[] = [];
  private seen = 0;
  private blits: Blit[] = [];

  constructor(private readonly board: ScriptedLedBoard) {}

  /** Power cycle: a blank back buffer, the transfer in progress forgotten (after sync()). */
  reboot(): void {
    this.back.fill(0);
    this.shown = null;
    this.blits = [];
  }

  /** Applies what arrived since the last call. */
  sync(): void {
    for (const f of this.board.frames.slice(this.seen)) {
      if (f.type === MsgType.BLIT) {
        const b = decodeBlit(f.payload)!;
        const out = new Uint16Array(b.w * b.h);
        expect(decodePixels(b.codec, b.data, b.w, b.h, out)).toBe(true);
        for (let row = 0; row < b.h; row++) this.back.set(out.subarray(row * b.w, (row + 1) * b.w), (b.y + row) * W + b.x);
        this.blits.push(b);
      } else if (f.type === MsgType.PRESENT) {
        const p = decodePresent(f.payload)!;
        expect(p.crc).toBe(crc32(new Uint8Array(this.back.buffer)));
        expect(p.blits).toBe(this.blits.length);
        this.shown = this.back.slice();
        this.presents.push({ frameId: p.frameId, blits: this.blits });
        this.blits = [];
      }
    }
    this.seen = this.board.frames.length;
  }
}

async function rig() {
  const port = new FakeBytePort('/fake/led');
  const board = new ScriptedLedBoard(port, { width: W, height: H, rxWindow: 8 });
  board.autoAck = true;
  const link = new LedLink({ serial: port.asSerial(), logger: testLogger(), fec: 0, statusIntervalMs: 0 });
  links.push(link);
  const presenter = new LedPresenter(link, testLogger());
  const presented: PresentedInfo[] = [];
  presenter.on('presented', (p) => presented.push(p));
  const model = new BoardModel(board);
  await advance(5);
  /** Lets the link and the board run, then applies what the board received. */
  const run = async (ms = 50) => { await advance(ms); model.sync(); };
  return { port, board, link, presenter, presented, model, run };
}

const area = (rs: Rect[]) => rs.reduce((n, r) => n + r.w * r.h, 0);

describe('LedPresenter', () => {
  it('paints the first frame whole and the board shows exactly it', async () => {
    const { presenter, presented, model, run } = await rig();
    const f = noisy(1);
    presenter.show(f, 'first');
    await run();
    expect(model.shown).toEqual(f.pixels);
    expect(presented).toHaveLength(1);
    expect(presented[0]).toMatchObject({ tag: 'first', rects: 1 });
    expect(area(model.presents[0]!.blits)).toBe(W * H);
    expect(presenter.stats).toMatchObject({ shown: 1, presented: 1, fullRepaints: 1, coalesced: 0 });
    expect(presenter.shown).toBe(f);
  });

  it('sends only the changed tiles, merged: a changed line across three tiles is one rectangle, a distant dot another', async () => {
    const { presenter, presented, model, run } = await rig();
    const base = noisy(2);
    presenter.show(base);
    await run();
    const next = frame(0, (px) => {
      px.set(base.pixels);
      for (let x = 3; x < 40; x++) px[5 * W + x] = 0xffff; // a line through tiles 0, 1 and 2 of tile row 0
      px[20 * W + 60] = 0x1234; // one pixel in tile (3, 1)
    });
    presenter.show(next, 'delta');
    await run();
    expect(model.shown).toEqual(next.pixels);
    const info = presented.at(-1)!;
    expect(info).toMatchObject({ tag: 'delta', rects: 2 });
    const blits = model.presents.at(-1)!.blits;
    // Everything sent lies inside the two dirty regions: tiles x 0..47 × y 0..15, and x 48..63 × y 16..31.
    for (const b of blits) {
      const inLine = b.x + b.w <= 48 && b.y + b.h <= 16;
      const inDot = b.x >= 48 && b.y >= 16;
      expect(inLine || inDot).toBe(true);
    }
    expect(area(blits)).toBe(48 * 16 + 16 * 16);
    expect(presenter.stats.fullRepaints).toBe(1);
  });

  it('coalesces: frames shown while one is being sent are replaced by the newest, which is the one presented next', async () => {
    const { board, presenter, presented, model, run } = await rig();
    board.autoAck = false; // the board holds its answers: the first transfer stays in flight
    presenter.show(noisy(3), 'A');
    await run(0);
    presenter.show(noisy(4), 'B');
    presenter.show(noisy(5), 'C');
    const newest = noisy(6);
    presenter.show(newest, 'D');
    expect(presenter.stats.coalesced).toBe(2);
    board.autoAck = true;
    board.ack({ cumSeq: (board.seqs().at(-1)! + 1) & 0xffff });
    await run();
    expect(presented.map((p) => p.tag)).toEqual(['A', 'D']);
    expect(model.shown).toEqual(newest.pixels);
    expect(presenter.stats).toMatchObject({ shown: 4, presented: 2, coalesced: 2, failed: 0 });
  });

  it('sends nothing for a frame the board already shows, and still reports it presented', async () => {
    const { board, presenter, presented, run } = await rig();
    const f = noisy(7);
    presenter.show(f, 'one');
    await run();
    const sent = board.frames.length;
    presenter.show(frame(0, (px) => px.set(f.pixels)), 'same');
    await run();
    expect(board.frames.length).toBe(sent);
    expect(presented.at(-1)).toMatchObject({ tag: 'same', rects: 0, blits: 0, bytes: 0 });
  });

  it('forgets the board on a reset mid-transfer and repaints the newest frame whole on the new session', async () => {
    const { board, presenter, presented, model, run } = await rig();
    presenter.show(noisy(8), 'before');
    await run();
    board.autoAck = false;
    const f = noisy(9);
    presenter.show(f, 'during');
    await run(0);
    expect(board.seqs(MsgType.BLIT).length).toBeGreaterThan(0);
    model.reboot();
    board.bootAnnouncement(0xbeef); // the board rebooted: blank, no session
    board.autoAck = true;
    await run(100);
    expect(presenter.stats.failed).toBe(1);
    expect(presenter.stats.fullRepaints).toBe(2);
    expect(presented.at(-1)).toMatchObject({ tag: 'during', rects: 1 });
    expect(area(model.presents.at(-1)!.blits)).toBe(W * H);
    expect(model.shown).toEqual(f.pixels);
  });

  it('drops a frame whose size does not match the panel', async () => {
    const { board, presenter, presented, run } = await rig();
    presenter.show({ width: W * 2, height: H, pixels: new Uint16Array(W * 2 * H) });
    await run();
    expect(board.seqs(MsgType.BLIT)).toEqual([]);
    expect(presented).toEqual([]);
  });
});
