import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../serial/in-process-binding.js';
import { SerialLink } from '../serial/serial-link.js';
import { ConsoleTerminal } from './console-terminal.js';
import { testLogger } from '../../test/helpers/logger.js';

async function setup(maxQueuedKeys = 1024) {
  const hub = new InProcessSerialHub();
  hub.pair('/t/pole', '/t/tech');
  const mk = (path: string) => new SerialLink({ path, baudRate: 115200, name: path, logger: testLogger(), binding: hub.binding as unknown as BindingInterface });
  const pole = mk('/t/pole');
  const tech = mk('/t/tech');
  pole.start(); tech.start();
  await Promise.all([once(pole, 'open'), once(tech, 'open')]);
  const term = new ConsoleTerminal({ serial: pole, logger: testLogger(), maxQueuedKeys });
  let seen = '';
  tech.on('data', (d) => { seen += d.toString(); });
  const type = async (s: string) => { await tech.write(Buffer.from(s)); await new Promise((r) => setTimeout(r, 10)); };
  return { term, tech, pole, type, seen: () => seen, stop: async () => { await pole.stop(); await tech.stop(); } };
}

describe('ConsoleTerminal', () => {
  it('reads a line with echo and sends output with CRLF line ends', async () => {
    const t = await setup();
    const line = t.term.readLine({ prompt: '> ' });
    await t.type('ab\x7fc\r');
    expect(await line).toEqual({ kind: 'line', text: 'ac' });
    t.term.write('one\ntwo\n');
    await t.term.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(t.seen()).toBe('> ab\b \bc\r\none\r\ntwo\r\n');
    await t.stop();
  });

  it('keeps type-ahead for the next read, bounded, and Ctrl-C while no read is active flushes it and interrupts', async () => {
    const t = await setup(4);
    await t.type('abcdefg');
    expect(t.term.stats.keysDropped).toBe(3);
    const line = t.term.readLine({ prompt: '' });
    await t.type('\r');
    expect(await line).toEqual({ kind: 'line', text: 'abcd' });
    const interrupted = once(t.term, 'interrupt');
    await t.type('xyz\x03');
    await interrupted;
    const next = t.term.readLine({ prompt: '' });
    await t.type('ok\r');
    expect(await next).toEqual({ kind: 'line', text: 'ok' });
    await t.stop();
  });

  it('a cancelled read resolves at once and output to a closed port is dropped and counted', async () => {
    const t = await setup();
    const line = t.term.readLine({ prompt: '' });
    t.term.cancelRead('idle');
    expect(await line).toEqual({ kind: 'cancelled', reason: 'idle' });
    await t.pole.stop();
    t.term.write('nobody hears this');
    await t.term.flush();
    expect(t.term.stats.outputDroppedBytes).toBe(17);
    await t.stop();
  });
});
