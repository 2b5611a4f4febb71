/**
 * The console's command paths that reach other areas' services, on an in-process serial pair:
 * device commands through the CommandRegistry (as the modem and field-bus services register them), the
 * modem AT passthrough rules, touch calibration through a TouchConsolePort, reboot, Ctrl-C, guest
 * level. The end-to-end behaviour on real PTYs is in test/e2e/console*.test.ts.
 */
import type { LampStatusSnapshot } from '../../runtime/lamp/lamp-service.js';
import { PhotocellState } from '../../runtime/lamp/photocell.js';
import type { ChargingStatus } from '../../runtime/charging/charging-status.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import { loadConfigFile } from '../../runtime/config/load.js';
import { startPole, type Pole } from '../../runtime/pole.js';
import { SmartpoleError } from '../../protocols/errors.js';
import type { TouchConsolePort } from '../../runtime/console/device-ports.js';
import { DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH } from '../../simulator/pole-config.js';
import { ConsoleClient, PROMPT, screenOf } from '../helpers/console-client.js';
import { testIssuer } from '../helpers/keys.js';
import { testLogger } from '../helpers/logger.js';

describe('console commands through the registry and device ports (in-process serial)', () => {
  let pole: Pole;
  let c: ConsoleClient;
  let configFile: string;
  const restarts: string[] = [];
  const calls: { name: string; args: unknown }[] = [];
  let recovering = false;
  let hang: Promise<void> | null = null;

  beforeAll(async () => {
    const hub = new InProcessSerialHub();
    hub.pair('/sim/console.pole', '/sim/console');
    const dir = mkdtempSync(join(tmpdir(), 'sp-console-int-'));
    const issuer = testIssuer();
    configFile = join(dir, 'pole.yaml');
    writeFileSync(configFile, '# test pole\n' + toYaml({
      pole: { id: 'WH-JA-0099', location: { lat: 30.6, lon: 114.3, address: '武汉市江岸区' } },
      storage: { dataDir: join(dir, 'data') },
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      trust: { keys: [{ kid: issuer.kid, issuer: issuer.issuer, publicKey: issuer.publicKey }] },
      devices: {
        console: { path: '/sim/console.pole', pinHash: DEV_CONSOLE_PIN_HASH },
        touch: { path: '/sim/touch.pole' },
        fieldBus: { path: '/sim/bus.pole' },
        // The modem service is replaced by the stubs below: fitted in spirit, not started.
        modem: { path: '/sim/modem.pole', enabled: false },
      },
    }));
    pole = await startPole({ config: loadConfigFile(configFile), logger: testLogger(), binding: hub.binding as unknown as BindingInterface, configFile, restart: (r) => restarts.push(r) });
    const reg = pole.services.commands;
    const rec = (name: string, args: z.ZodType, result: (a: unknown) => unknown) => reg.register({ name, description: name, args, run: (a) => { calls.push({ name, args: a }); return result(a); } });
    // The fakes answer with the field-bus services' real snapshot types, so the console's views are
    // tested on what the services send.
    const lamp: LampStatusSnapshot = {
      online: true, level: 70, actualLevel: 69.5, reason: 'program', program: 'standard', rule: 'weekend-nights', point: '23:00', nextChangeAt: '2026-11-28T01:00:00.000+08:00',
      override: null, photocell: { state: PhotocellState.Dark, lux: 3 }, powerW: 61.5, energyWh: 1_234_500, operatingHours: 812, starts: 1204, supplyV: 229.6,
      alarms: [{ alarm: 'dimmingFailure', since: '2026-11-27T23:02:10.000+08:00', detail: 'commanded 60 %, drawing 118 W' }],
    };
    const charging: ChargingStatus = {
      connectors: [{
        id: 1, status: 'Charging', errorCode: 'NoError', iec: 'C2', plugged: true, plugIn: 7, operative: true, faults: [], authorizedUntil: null,
        session: { transactionId: 'WH-JA-0099-c1-20261127193205-42', state: 'active', source: 'payment', startedAt: '2026-11-27T19:32:05.000+08:00', durationSec: 3900, energyWh: 3200, powerW: 3641, cost: 4.48, limitWh: null, paymentAmount: 20 },
      }],
      tariff: { currency: 'CNY', pricePerKwh: 1.4, energyPerKwh: 0.6, servicePerKwh: 0.8 }, available: false, meter: { importWh: 1_241_230, powerW: 3641, voltageV: 229.8 },
    };
    rec('lamp.status', z.object({}), () => lamp);
    rec('lamp.set', z.object({ level: z.number().int().min(0).max(100), until: z.string().optional() }), () => ({ accepted: true }));
    rec('lamp.resume', z.object({}), () => ({ resumed: true }));
    rec('charger.status', z.object({}), () => charging);
    rec('charger.stop', z.object({ connector: z.number().int() }), (a) => {
      if ((a as { connector: number }).connector === 2) throw new SmartpoleError('SP_CHARGER_NO_SESSION', 'no session on connector 2');
      return { stopped: true };
    });
    rec('charger.enable', z.object({ connector: z.number().int().optional() }), () => ({}));
    rec('charger.disable', z.object({ connector: z.number().int().optional() }), () => ({}));
    rec('pads.set', z.object({ pad: z.number().int(), on: z.boolean() }), () => ({}));
    rec('modem.status', z.object({}), () => hang ?? { state: 'online', operator: 'CHINA MOBILE', uptimeSec: 7380 });
    rec('modem.signal', z.object({}), () => ({ act: 'NR5G-SA', band: 78, rsrpDbm: -98, rsrqDb: -11, sinrDb: 13 }));
    rec('modem.at', z.object({ command: z.string(), timeoutMs: z.number() }), (a) => ({ lines: [`+CSQ: 28,99 (${(a as { command: string }).command})`], final: 'OK' }));
    pole.health.register('modem', () => ({ status: recovering ? 'degraded' : 'ok', state: recovering ? 'recovering' : 'online' }));
    c = await ConsoleClient.open('/sim/console', hub.binding as unknown as BindingInterface);
    await c.login(DEV_CONSOLE_PIN);
  });

  afterAll(async () => {
    await c?.close();
    await pole?.stop();
  });

  it('lamp commands reach lamp.* with the right arguments, and numbers show units', async () => {
    const out = await c.run('lamp status');
    expect(out).toMatch(/Level\s+70% commanded · 69\.5% actual/);
    expect(out).toMatch(/Because\s+program "standard", rule "weekend-nights", since 23:00/);
    expect(out).toMatch(/Next change\s+2026-11-28 01:00:00 \+08:00/);
    expect(out).toMatch(/Power\s+61\.5 W · supply 229\.6 V/);
    expect(out).toMatch(/Counters\s+1234\.50 kWh · 812 h burning · 1204 starts/);
    expect(out).toMatch(/dimmingFailure\s+2026-11-27 23:02:10 \+08:00\s+commanded 60 %/);
    expect(out).not.toMatch(/[{}]/);
    const before = Date.now();
    expect(await c.run('lamp set 40 30')).toMatch(/Lamp set to 40% until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00/);
    const set = calls.find((x) => x.name === 'lamp.set')!.args as { level: number; until: string };
    expect(set.level).toBe(40);
    expect(Date.parse(set.until) - before).toBeGreaterThan(29 * 60_000);
    expect(set.until).toMatch(/\+08:00$/);
    expect(await c.run('lamp set 140')).toMatch(/^ERR SP_CONSOLE_BAD_ARGS the level is a whole percent/);
    expect(await c.json('lamp resume')).toMatchObject({ ok: true, status: 0, command: 'lamp resume', result: { resumed: true } });
  });

  it('charger and pads commands, and a service error keeps its code', async () => {
    const table = await c.run('charger');
    expect(table).toMatch(/CONNECTOR\s+STATUS \(OCPP\)\s+IEC 61851\s+PLUGGED/);
    expect(table).toMatch(/^1\s+Charging\s+C2\s+yes\s+yes\s+none$/m);
    expect(table).toMatch(/Session\s+connector 1 · WH-JA-0099-c1-20261127193205-42 · active · payment\n\s*Started\s+2026-11-27 19:32:05 \+08:00 \(1 h 05 min ago\)/);
    expect(table).toMatch(/Energy\s+3\.20 kWh · 3,641 W · cost ¥4\.48/);
    expect(table).toMatch(/Tariff\s+¥1\.40\/kWh \(energy 0\.60 \+ service 0\.80\)/);
    expect(table).not.toMatch(/[{}]/);
    expect(await c.run('charger stop 1')).toBe('Charging on connector 1 stopped.');
    expect(await c.run('charger stop 2')).toBe('ERR SP_CHARGER_NO_SESSION no session on connector 2');
    expect(await c.json('charger stop 2')).toMatchObject({ ok: false, status: 1, error: { code: 'SP_CHARGER_NO_SESSION' } });
    expect(await c.run('pads set 2 off')).toBe('Pad 2 switched off.');
    expect(calls.find((x) => x.name === 'pads.set')!.args).toEqual({ pad: 2, on: false });
    // pads.status is not registered and pads report no health: not fitted, by code.
    expect(await c.run('pads status')).toMatch(/^ERR SP_CMD_NOT_FITTED pads: not fitted/);
  });

  it('modem AT passthrough: reads pass, dangerous commands need --force, refused during recovery', async () => {
    expect(await c.run('modem at AT+CSQ')).toBe('+CSQ: 28,99 (AT+CSQ)\nOK');
    expect(await c.run('modem at AT+CFUN=1,1')).toMatch(/^ERR SP_CONSOLE_NEEDS_FORCE AT\+CFUN changes the radio function/);
    expect(await c.run('modem at AT+CFUN=1,1 --force')).toMatch(/OK$/);
    expect(await c.run('modem at reboot')).toMatch(/^ERR SP_CONSOLE_BAD_ARGS modem at: an AT command starts with AT/);
    recovering = true;
    expect(await c.json('modem at AT+CSQ')).toMatchObject({ ok: false, status: 3, error: { code: 'SP_CONSOLE_BUSY' } });
    recovering = false;
    expect(await c.run('modem signal')).toMatch(/rsrpDbm\s+-98 dBm/);
  });

  it('Ctrl-C cancels a command that hangs and the prompt comes back', async () => {
    let release!: () => void;
    hang = new Promise<void>((r) => { release = r; });
    c.skip();
    await c.send('modem status\r');
    await new Promise((r) => setTimeout(r, 200));
    await c.send('\x03');
    const shown = await c.expect(PROMPT);
    expect(shown).toMatch(/ERR SP_CONSOLE_CANCELLED cancelled \(Ctrl-C\)/);
    hang = null;
    release();
    expect(await c.run('time')).toMatch(/^Local time/);
  });

  it('Ctrl-C in the same read as Enter cancels the command before it runs (and its late failure is not unhandled)', async () => {
    c.skip();
    await c.send('touch status\r\x03');
    expect(await c.expect(PROMPT)).toMatch(/ERR SP_CONSOLE_CANCELLED cancelled \(Ctrl-C\)/);
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.run('time')).toMatch(/^Local time/);
  });

  it('guides a 5-point touch calibration, saves it to the config file and applies it', async () => {
    let target: { x: number; y: number } | null = null;
    const applied: number[][] = [];
    const toRaw = (p: { x: number; y: number }) => ({ x: Math.round(150 + p.x * 7.9), y: Math.round(3950 - p.y * 4.8) });
    const touch: TouchConsolePort = {
      status: () => ({ state: 'ok', touches: 12 }),
      screenSize: () => ({ width: 480, height: 800 }),
      nextRawPress: async () => { await new Promise((r) => setTimeout(r, 20)); return toRaw(target!); },
      showCalibrationTarget: (t) => { target = t; },
      applyCalibration: (p) => { applied.push([...p]); },
    };
    pole.services.console.service!.env.touch = touch;
    c.skip();
    await c.send('touch calibrate\r');
    let out = await c.expect('Save and use it? (yes/no) ');
    await c.send('yes\r');
    out += await c.expect(PROMPT);
    expect(out).toMatch(/1\/5 {2}press the cross at the top left \(50, 50 px\)/);
    expect(out).toMatch(/5\/5 {2}press the cross at the centre \(240, 400 px\)/);
    expect(screenOf(out).join(' ').replace(/\s+/g, ' ')).toMatch(/Saved \S*pole\.yaml \(devices\.touch\.calibration\), in use now/);
    expect(applied).toHaveLength(1);
    expect(target).toBeNull(); // the screen is back to normal
    const saved = loadConfigFile(configFile).devices.touch!.calibration!;
    expect(saved).toEqual(applied[0]);
    expect(readFileSync(configFile, 'utf8')).toContain('# test pole');
    pole.services.console.service!.env.touch = null;
    expect(await c.run('touch calibrate')).toMatch(/^ERR SP_CMD_NOT_FITTED touch: not fitted — the touch panel service is not running/);
  });

  it('reboot asks first, and restarts through the supervisor when confirmed', async () => {
    expect(await c.json('reboot')).toMatchObject({ ok: false, status: 3, error: { code: 'SP_CONSOLE_CONFIRM' } });
    c.skip();
    await c.send('reboot\r');
    await c.expect('Type yes to restart: ');
    await c.send('no\r');
    expect(await c.expect(PROMPT)).toMatch(/ERR SP_CONSOLE_CANCELLED not restarted/);
    expect(restarts).toEqual([]);
    c.skip();
    await c.send('reboot\r');
    await c.expect('Type yes to restart: ');
    await c.send('yes\r');
    await c.expect('Restarting the runtime');
    await new Promise((r) => setTimeout(r, 100));
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatch(/^console reboot \(session WH-JA-0099-/);
  });

  it('a guest sees status but no device commands; login raises the session', async () => {
    c.skip();
    await c.send('logout\r');
    await c.expect('Press Enter to log in.');
    await c.login('');
    expect(await c.run('lamp status')).toBe('ERR SP_CONSOLE_FORBIDDEN lamp status needs the tech level; type login and enter the technician PIN');
    expect(await c.run('status')).toMatch(/^Pole\s+WH-JA-0099/);
    expect(await c.run('help')).not.toMatch(/^lamp/m);
    c.skip();
    await c.send('login\r');
    await c.expect('PIN: ');
    await c.send(`${DEV_CONSOLE_PIN}\r`);
    expect(await c.expect(PROMPT)).toMatch(/Now at the tech level/);
    expect(await c.run('lamp status')).toMatch(/Level\s+70%/);
  });

  it('colour only when asked for', async () => {
    expect(await c.json('charger status')).toMatchObject({ ok: true });
    c.skip();
    await c.send('status\r');
    expect(await c.expect(PROMPT)).not.toContain('\x1b[');
    expect(await c.run('color on')).toBe('Colour is on for this session.');
    c.skip();
    await c.send('status\r');
    expect(await c.expect(PROMPT)).toContain('\x1b[32m');
    await c.run('color off');
  });
});
