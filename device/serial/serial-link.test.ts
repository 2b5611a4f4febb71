import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from './in-process-binding.js';
import { LinkState, SerialLink } from './serial-link.js';
import { testLogger } from '../../test/helpers/logger.js';

function pair() {
  const hub = new InProcessSerialHub();
  hub.pair('/sim/a', '/sim/b');
  const mk = (path: string, extra: Partial<ConstructorParameters<typeof SerialLink>[0]> = {}) =>
    new SerialLink({ path, baudRate: 115200, name: path, logger: testLogger(), binding: hub.binding as unknown as BindingInterface, backoff: { initialMs: 10, maxMs: 40 }, ...extra });
  return { hub, mk };
}

describe('SerialLink', () => {
  it('carries bytes both ways and counts them', async () => {
    const { mk } = pair();
    const a = mk('/sim/a');
    const b = mk('/sim/b');
    a.start(); b.start();
    await Promise.all([once(a, 'open'), once(b, 'open')]);
    const got = once(b, 'data');
    await a.write(Buffer.from('hello'));
    expect(((await got)[0] as Buffer).toString()).toBe('hello');
    expect(a.stats.bytesOut).toBe(5);
    expect(b.stats.bytesIn).toBe(5);
    await a.stop(); await b.stop();
  });

  it('reopens with backoff after the device disappears, and reports it', async () => {
    const { hub, mk } = pair();
    const a = mk('/sim/a');
    a.start();
    await once(a, 'open');
    const closed = once(a, 'close');
    hub.unplug('/sim/a');
    await closed;
    expect(a.state).toBe(LinkState.Waiting);
    await expect(a.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'SP_SERIAL_NOT_OPEN' });
    await new Promise((r) => setTimeout(r, 100)); // a few failed reopen attempts
    expect(a.stats.openFailures).toBeGreaterThan(0);
    hub.plug('/sim/a');
    await once(a, 'open');
    expect(a.stats.opens).toBe(2);
    expect(a.stats.disconnects).toBe(1);
    await a.stop();
  });

  it('bounds its write queue', async () => {
    const { mk } = pair();
    const a = mk('/sim/a', { maxQueuedBytes: 10 });
    a.start();
    await once(a, 'open');
    const first = a.write(Buffer.alloc(8));
    await expect(a.write(Buffer.alloc(8))).rejects.toMatchObject({ code: 'SP_SERIAL_QUEUE_FULL' });
    await first;
    expect(a.stats.refusedWrites).toBe(1);
    await a.stop();
  });

  it('stays quiet and retries when the path does not exist at start', async () => {
    const { mk } = pair();
    const c = mk('/sim/missing');
    c.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(c.state).toBe(LinkState.Waiting);
    expect(c.stats.openFailures).toBeGreaterThan(1);
    await c.stop();
    expect(c.state).toBe(LinkState.Stopped);
  });
});
