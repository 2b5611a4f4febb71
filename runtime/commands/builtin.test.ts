import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { parseConfig } from '../config/load.js';
import { CommandRegistry } from './registry.js';
import { registerBuiltinCommands } from './builtin.js';
import { redactConfig } from '../config/secrets.js';
import type { MqttSession } from '../uplink/mqtt-session.js';

const config = parseConfig({
  pole: { id: 'WH-JA-0001', location: { lat: 30.6, lon: 114.3 } },
  mqtt: { url: 'mqtts://pole:urlpass9@broker:8883', username: 'pole', password: 'hunter2', tls: { keyFile: '/etc/smartpole/pole.key' } },
  trust: { keys: [{ kid: 'k', issuer: 'ops', publicKey: 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' }] },
  devices: { modem: { path: '/dev/ttyUSB2', simPin: '1234', apnPassword: 'apnpass7' }, console: { path: '/dev/ttyS1', pinHash: 'scrypt$16384$8$1$AQEBAQEBAQEBAQEBAQEBAQ==$AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=' } },
}, '/tmp');

function setup(connected = true) {
  const births: number[] = [];
  const mqtt = Object.assign(new EventEmitter(), { connected, bdSeq: 7, rebirth: async () => { births.push(7); return 7; } }) as unknown as MqttSession;
  const logger = pino({ level: 'info' }, { write: () => {} });
  const reg = new CommandRegistry();
  registerBuiltinCommands(reg, { config, mqtt, logger, startedAt: 0, now: () => 65_000 });
  return { reg, births, logger };
}
const ctx = { source: 'mqtt' as const, now: 0 };

describe('built-in commands', () => {
  it('ping answers with uptime and bdSeq', async () => {
    expect(await setup().reg.execute('ping', { echo: 'hi' }, ctx)).toMatchObject({ ok: true, result: { pong: true, poleId: 'WH-JA-0001', uptimeSec: 65, bdSeq: 7, echo: 'hi' } });
  });

  it('state.rebirth publishes the birth again, or says MQTT is down', async () => {
    const s = setup();
    expect(await s.reg.execute('state.rebirth', {}, ctx)).toEqual({ ok: true, result: { bdSeq: 7 } });
    expect(s.births).toEqual([7]);
    expect(await setup(false).reg.execute('state.rebirth', {}, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_UNAVAILABLE' } });
  });

  it('config.get never shows a secret', async () => {
    const r = await setup().reg.execute('config.get', {}, ctx);
    const text = JSON.stringify(r);
    for (const secret of ['hunter2', '1234', 'scrypt$', 'apnpass7', 'urlpass9']) expect(text).not.toContain(secret);
    expect(text).not.toContain('AgICAgIC');
    expect(r).toMatchObject({ ok: true, result: { value: { mqtt: { password: '[redacted]', username: 'pole' }, devices: { modem: { simPin: '[redacted]' } } } } });
    expect(await setup().reg.execute('config.get', { path: 'mqtt.url' }, ctx)).toEqual({ ok: true, result: { path: 'mqtt.url', value: 'mqtts://pole:[redacted]@broker:8883' } });
    expect(await setup().reg.execute('config.get', { path: 'mqtt.nope' }, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    expect(redactConfig({ a: [{ password: undefined, token: 'x' }] })).toEqual({ a: [{ password: undefined, token: '[redacted]' }] });
  });

  it('log.level changes every service’s level and can revert by itself', async () => {
    const s = setup();
    const child = s.logger.child({ service: 'x' });
    expect(await s.reg.execute('log.level', { level: 'debug', revertAfterSec: 10 }, ctx)).toMatchObject({ ok: true, result: { previous: 'info', level: 'debug' } });
    expect(child.level).toBe('debug');
    expect(await s.reg.execute('log.level', { level: 'loud' }, ctx)).toMatchObject({ ok: false, error: { code: 'SP_CMD_BAD_ARGS' } });
    await s.reg.execute('log.level', { level: 'info' }, ctx);
  });
});
