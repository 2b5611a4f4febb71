import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandRegistry } from './registry.js';
import { SmartpoleError } from '../../protocols/errors.js';

const ctx = { source: 'mqtt' as const, now: 0 };

describe('CommandRegistry', () => {
  const reg = new CommandRegistry()
    .register({ name: 'ping', description: 'answers pong', args: z.object({}), run: () => 'pong' })
    .register({ name: 'lamp.set', description: 'sets the lamp', args: z.object({ level: z.number().int().min(0).max(100) }), run: (a) => ({ level: a.level }) })
    .register({ name: 'boom', description: 'fails', args: z.object({}), run: () => { throw new SmartpoleError('SP_CMD_NOT_FITTED', 'no lamp driver'); } })
    .register({ name: 'oops', description: 'bug', args: z.object({}), run: () => { throw new TypeError('x is undefined'); } });

  it('runs a command with validated args', async () => {
    expect(await reg.execute('ping', undefined, ctx)).toEqual({ ok: true, result: 'pong' });
    expect(await reg.execute('lamp.set', { level: 40 }, ctx)).toEqual({ ok: true, result: { level: 40 } });
  });

  it('answers every failure with a code and never throws', async () => {
    expect(await reg.execute('nope', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_UNKNOWN' } });
    const bad = await reg.execute('lamp.set', { level: 400 }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(!bad.ok && bad.error.message).toMatch(/level/);
    expect(await reg.execute('boom', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_NOT_FITTED', message: 'no lamp driver' } });
    expect(await reg.execute('oops', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_FAILED' } });
  });

  it('refuses a name registered twice', () => {
    expect(() => reg.register({ name: 'ping', description: '', args: z.object({}), run: () => 1 })).toThrow(/twice/);
  });
});
