import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ScreenStream } from './screen-stream.js';
import { applyScreenUpdate } from './screen-diff.js';

const W = 64;
const H = 48;

class FakeBoard extends EventEmitter<{ presented: [] }> {
  pic = new Uint16Array(W * H);
  id = 0;
  present(change: (p: Uint16Array) => void): void {
    change(this.pic);
    this.id++;
    this.emit('presented');
  }
}

class FakeWs extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  send(b: Buffer): void { this.sent.push(b); }
}

describe('screen stream', () => {
  let stream: ScreenStream | null = null;
  afterEach(() => stream?.stop());

  const setup = () => {
    const board = new FakeBoard();
    stream = new ScreenStream({ picture: () => board.pic.slice(), frameId: () => board.id, on: (e, cb) => board.on(e, cb), off: (e, cb) => board.off(e, cb) }, W, H);
    return { board, stream };
  };

  it('sends a new viewer the whole picture, then only what a PRESENT changed', () => {
    const { board, stream: s } = setup();
    const ws = new FakeWs();
    s.add(ws as unknown as WebSocket);
    s.flush();
    const shown = new Uint16Array(W * H);
    expect(applyScreenUpdate(ws.sent[0]!, shown, W).full).toBe(true);
    board.present((p) => p.fill(0x1234, 5 * W, 5 * W + 10));
    s.flush();
    const u = applyScreenUpdate(ws.sent[1]!, shown, W);
    expect(u).toMatchObject({ frameId: 1, full: false, rects: [{ x: 0, y: 0, w: 16, h: 16 }] });
    expect(shown).toEqual(board.pic);
    s.flush(); // nothing changed: nothing sent
    expect(ws.sent.length).toBe(2);
  });

  it('skips a backed-up viewer and catches it up with one diff', () => {
    const { board, stream: s } = setup();
    const ws = new FakeWs();
    s.add(ws as unknown as WebSocket);
    s.flush();
    const shown = new Uint16Array(W * H);
    applyScreenUpdate(ws.sent[0]!, shown, W);
    ws.bufferedAmount = 10 * 1024 * 1024;
    board.present((p) => { p[0] = 1; });
    s.flush();
    board.present((p) => { p[W * H - 1] = 2; });
    s.flush();
    expect(ws.sent.length).toBe(1);
    expect(s.stats.skippedBacklog).toBe(2);
    ws.bufferedAmount = 0;
    s.flush();
    expect(ws.sent.length).toBe(2);
    expect(applyScreenUpdate(ws.sent[1]!, shown, W).frameId).toBe(2);
    expect(shown).toEqual(board.pic);
  });

  it('forgets a viewer that closed', () => {
    const { stream: s } = setup();
    const ws = new FakeWs();
    s.add(ws as unknown as WebSocket);
    expect(s.viewerCount).toBe(1);
    ws.emit('close');
    expect(s.viewerCount).toBe(0);
  });
});
