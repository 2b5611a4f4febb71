/**
 * The 5G modem end to end through the CLI, as ops and a technician see it: `smartpole sim` with a real
 * mosquitto, the simulated modem on a socat PTY, faults through POST /api/faults. The modem's
 * health is in the retained birth; a hang is detected, recovered by reset then the GPIO power
 * cycle, and every step reaches MQTT; the screen, touch and field bus keep working meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import mqtt from 'mqtt';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { DEV_CONSOLE_PIN } from '../../simulator/pole-config.js';

type Ev = { code: string; [k: string]: unknown };

describe('modem end to end (CLI sim, mosquitto, PTY)', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let ops: mqtt.MqttClient;
  const events: Ev[] = [];
  const births: Record<string, unknown>[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url]);
    ops = await mqtt.connectAsync(broker.url);
    await ops.subscribeAsync(['smartpole/v1/poles/WH-JA-0001/events', 'smartpole/v1/poles/WH-JA-0001/state']);
    ops.on('message', (t, p) => {
      if (p.length === 0) return;
      const m = JSON.parse(p.toString());
      if (t.endsWith('/events')) events.push(m);
      else births.push(m);
    });
  });

  afterAll(async () => {
    await ops?.endAsync();
    expect(await sim?.stop()).toBe(0);
    await broker?.stop();
  });

  const fault = (fault: string, args: Record<string, unknown> = {}) =>
    sim.api('/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device: 'modem', fault, args }) });

  it('runs the modem on a real PTY and reports it in the birth', async () => {
    const devices = await sim.api<{ name: string; path: string; state: { power: string }; faults: Record<string, string> }[]>('/api/devices');
    const modem = devices.find((d) => d.name === 'modem')!;
    expect(execFileSync('readlink', ['-f', modem.path]).toString()).toMatch(/^\/dev\/pts\/\d+/);
    expect(Object.keys(modem.faults)).toEqual(expect.arrayContaining(['no-sim', 'pin-required', 'registration-denied', 'signal-loss', 'network-drop', 'data-failure', 'hang', 'garbage', 'slow', 'reboot']));
    await until(async () => (await sim.api<{ modem: { status: string } }>('/api/health')).modem.status === 'ok', 15_000, 'modem online');
    const birth = await until(() => births.find((b) => b.online === true && (b.devices as { modem?: { status: string } })?.modem?.status === 'ok'), 15_000, 'a birth with the modem online');
    expect((birth.devices as Record<string, Record<string, unknown>>).modem).toMatchObject({ state: 'online', operator: 'CHINA MOBILE', act: '5G SA' });
  });

  it('a hung modem: detected, reset, power-cycled through the hook, every step on MQTT; the screen stays up', { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    await fault('hang');
    await until(async () => (await sim.api<{ modem: { state: string } }>('/api/health')).modem.state === 'hung', 40_000, 'hung');
    const health = await sim.api<{ modem: { detail: string }; led: { status: string } }>('/api/health');
    expect(health.modem.detail).toMatch(/^modem hung · \d+ AT commands unanswered/);
    expect(health.led.status).toBe('ok');
    expect((await sim.png()).length).toBeGreaterThan(1000);
    // The rest of the pole keeps working meanwhile: taps through the touch panel's
    // PTY wake the screen and open the charging page, which shows the field bus's live status.
    const tap = (x: number, y: number) => sim.api('/api/touch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x, y, action: 'tap' }) });
    const page = () => sim.api<{ page: string; ports?: { status: string }[] | null }>('/api/page');
    await tap(240, 400);
    await until(async () => (await page()).page === 'home', 15_000, 'home page after a tap while the modem is hung');
    await tap(355, 458);
    const charging = await until(async () => { const p = await page(); return p.page === 'charging' && p.ports ? p : null; }, 15_000, 'charging page with live ports');
    expect(charging.ports![0]!.status).toBe('Available');
    await until(async () => (await sim.api<{ modem: { status: string } }>('/api/health')).modem.status === 'ok', 60_000, 'recovered');
    await until(() => events.some((e) => e.code === 'modem.recovered'), 15_000, 'the recovery on MQTT');
    const steps = events.filter((e) => e.code === 'modem.recovery').map((e) => e.step);
    expect(steps).toEqual(['reset', 'reset', 'power-cycle']);
    expect(events.find((e) => e.code === 'modem.power-cycle')).toMatchObject({ severity: 'warning', exitCode: 0 });
    expect(events.find((e) => e.code === 'modem.state' && e.to === 'hung')).toMatchObject({ severity: 'alarm', error: 'SP_MODEM_HUNG' });
    expect(events.find((e) => e.code === 'modem.recovered')!.message).toMatch(/reset → reset → power-cycle/);
    const devices = await sim.api<{ name: string; state: { powerCycles: number } }[]>('/api/devices');
    expect(devices.find((d) => d.name === 'modem')!.state.powerCycles).toBe(1);
    // (How fast: bench/modem.ts measures detection and recovery; tests assert no timings.)
    expect(Date.now()).toBeGreaterThan(t0);
  });

  it('the technician console shows the modem status line and passes AT commands to the real modem', async () => {
    const c = await ConsoleClient.open(`${sim.ptyDir}/console`);
    try {
      await c.login(DEV_CONSOLE_PIN);
      await until(async () => (await sim.api<{ modem: { status: string } }>('/api/health')).modem.status === 'ok', 60_000, 'online');
      expect(await c.run('status')).toMatch(/^modem\s+ok\s+modem online · 5G SA · CHINA MOBILE · n41 · RSRP -\d+ dBm/m);
      expect(await c.run('modem status')).toMatch(/modem online · 5G SA · CHINA MOBILE/);
      expect(await c.run('modem at AT+CSQ')).toBe('+CSQ: 99,99\nOK');
      expect(await c.run('modem at \'AT+QENG="servingcell"\'')).toMatch(/^\+QENG: "servingcell","CONNECT","NR5G-SA","TDD",460,00,1A2B3C4D5,412,5A29C0,504990,41,12,-\d+,-\d+,-?\d+,1,-\nOK$/);
      expect(await c.run('selftest')).toMatch(/^modem\s+PASS\s+\d+ ms\s+modem online/m);
    } finally {
      await c.close();
    }
  });

  it('refuses an unknown fault with a code', async () => {
    const r = await fetch(`${sim.httpUrl}/api/faults`, { method: 'POST', body: JSON.stringify({ device: 'modem', fault: 'explode' }) });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('SP_SIM_NO_FAULT');
  });
});
