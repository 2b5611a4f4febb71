import { describe, expect, it } from 'vitest';
import { screenFixture } from '../../simulator/screen-fixture.js';

describe('ScreenService (attract loop and receipts)', () => {
  it('puts a newly arrived notice on screen at once and reports it displayed once', () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('a');
    expect(f.page('attract').notice).toMatchObject({ id: 'a' });
    f.addNotice('b');
    expect(f.page('attract').notice).toMatchObject({ id: 'b' });
    const receipts = f.outbox.next(0, 10).map((r) => JSON.parse(r.payload.toString()) as { id: string; status: string });
    expect(receipts.filter((r) => r.status === 'displayed').map((r) => r.id)).toEqual(['a', 'b']);
    f.screen.stop();
  });

  it('rotates by durationSec and switches to the emergency page when one arrives', () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('a', { durationSec: 10 });
    f.addNotice('b', { durationSec: 10 });
    const first = f.page('attract').notice!.id;
    f.advance(10_000);
    expect(f.page('attract').notice!.id).not.toBe(first);
    f.addNotice('e', { priority: 'emergency' });
    expect(f.page('emergency').notice).toMatchObject({ id: 'e' });
    f.screen.stop();
  });

  it('drops an expired notice on the next tick', () => {
    const f = screenFixture();
    f.screen.start();
    f.addNotice('x', { expiresAt: new Date(f.now() + 5000).toISOString() });
    expect(f.page('attract').notice).toMatchObject({ id: 'x' });
    f.advance(6000);
    expect(f.page('attract').notice).toBeNull();
    f.screen.stop();
  });
});
