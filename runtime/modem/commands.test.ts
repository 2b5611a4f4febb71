import { describe, expect, it } from 'vitest';
import { CommandRegistry } from '../commands/registry.js';
import { registerModemCommands } from './commands.js';

describe('modem commands', () => {
  it('are registered on a pole without a modem and answer SP_CMD_NOT_FITTED', async () => {
    const reg = new CommandRegistry();
    registerModemCommands(reg, null);
    expect(reg.list().map((c) => c.name)).toEqual(['modem.at', 'modem.info', 'modem.recover', 'modem.signal', 'modem.status']);
    expect(await reg.execute('modem.status', {}, { source: 'console', now: 0 })).toMatchObject({ ok: false, error: { code: 'SP_CMD_NOT_FITTED' } });
    expect(await reg.execute('modem.recover', { step: 'explode' }, { source: 'mqtt', now: 0 })).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(await reg.execute('modem.at', { command: 'AT\r\nAT+CFUN=0' }, { source: 'console', now: 0 })).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
  });
});
