import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { openDatabase } from '../storage/database.js';
import { NoticeStore } from '../notices/notice-store.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { poleTopics } from '../../protocols/topics.js';
import { NoticePayload } from '../../protocols/notice.js';
import { isoWithOffset } from '../../protocols/time.js';
import { Renderer } from '../../display/renderer.js';
import type { Frame } from '../../display/frame.js';
import { ScreenService, type FrameSink } from './screen-service.js';
import { testLogger } from '../../test/helpers/logger.js';

class FakeSink extends EventEmitter implements FrameSink {
  shown: { frame: Frame; tag?: string | undefined }[] = [];
  show(frame: Frame, tag?: string): void {
    this.shown.push({ frame, tag });
    this.emit('presented', { tag });
  }
}

function setup() {
  let t = Date.parse('2026-11-26T10:00:00+08:00');
  const db = openDatabase(':memory:');
  const store = new NoticeStore(db);
  const outbox = new Outbox(db);
  const reporter = new Reporter({ outbox, topics: poleTopics('p', 'WH-JA-0001', []), poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger: testLogger(), now: () => t });
  const sink = new FakeSink();
  const screen = new ScreenService({
    store, renderer: new Renderer(120, 200), sink, reporter, logger: testLogger(), timeZone: 'Asia/Shanghai', language: 'zh', location: '澳门路', now: () => t, tickMs: 1_000_000,
  });
  const add = (id: string, over: Record<string, unknown> = {}) => {
    store.upsert('ops', 't', NoticePayload.parse({ type: 'notice', id, version: 1, issuedAt: isoWithOffset(t - 1000), title: { zh: id }, body: { zh: id }, durationSec: 10, ...over }), t);
    screen.refresh();
  };
  return { screen, sink, add, outbox, advance: (ms: number) => { t += ms; (screen as unknown as { tick(): void }).tick(); } };
}

describe('ScreenService', () => {
  it('puts a newly arrived notice on screen at once and reports it displayed once', () => {
    const { screen, add, outbox } = setup();
    screen.start();
    add('a');
    expect(screen.page).toMatchObject({ page: 'attract', notice: { id: 'a' } });
    add('b');
    expect(screen.page).toMatchObject({ notice: { id: 'b' } });
    const receipts = outbox.next(0, 10).map((r) => JSON.parse(r.payload.toString()) as { id: string; status: string });
    expect(receipts.filter((r) => r.status === 'displayed').map((r) => r.id)).toEqual(['a', 'b']);
    screen.stop();
  });

  it('rotates by durationSec and switches to the emergency page when one arrives', () => {
    const { screen, add, advance } = setup();
    add('a');
    add('b');
    const first = (screen.page as { notice: { id: string } }).notice.id;
    advance(10_000);
    expect((screen.page as { notice: { id: string } }).notice.id).not.toBe(first);
    add('e', { priority: 'emergency' });
    expect(screen.page).toMatchObject({ page: 'emergency', notice: { id: 'e' } });
  });

  it('drops an expired notice on the next tick', () => {
    const { screen, add, advance } = setup();
    add('x', { expiresAt: isoWithOffset(Date.parse('2026-11-26T10:00:05+08:00')) });
    expect(screen.page).toMatchObject({ notice: { id: 'x' } });
    advance(6000);
    expect(screen.page).toMatchObject({ notice: null });
  });
});
