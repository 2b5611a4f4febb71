/**
 * The touch panel as the technician console uses it (TouchConsolePort): raw presses averaged for
 * the 5-point calibration, the calibration cross on the public screen (touches do not reach the
 * UI meanwhile), and a new pointercal applied at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { TouchPanel } from '../../device/touch/touch-panel.js';
import { encodeEgalaxPacket } from '../../protocols/touch/egalax.js';
import { defaultCalibration } from '../../protocols/touch/calibration.js';
import { touchConsolePort } from '../../runtime/screen/touch-console-port.js';
import { screenFixture } from '../../simulator/screen-fixture.js';
import { testLogger } from '../helpers/logger.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const s of stops.splice(0)) await s(); });

async function rig() {
  const hub = new InProcessSerialHub();
  hub.pair('/sim/touch.pole', '/sim/touch');
  const binding = hub.binding as unknown as BindingInterface;
  const host = new SerialLink({ path: '/sim/touch.pole', baudRate: 9600, name: 'touch', logger: testLogger(), binding });
  const dev = new SerialLink({ path: '/sim/touch', baudRate: 9600, name: 'dev', logger: testLogger(), binding });
  const panel = new TouchPanel({ serial: host, logger: testLogger(), width: 480, height: 800, calibration: defaultCalibration(480, 800), gestures: { pixelPitchMm: 0.5 } });
  const f = screenFixture();
  f.screen.start();
  panel.on('touch', (e) => f.screen.touch(e));
  host.start(); dev.start();
  await Promise.all([once(host, 'open'), once(dev, 'open')]);
  stops.push(async () => { f.screen.stop(); panel.close(); await host.stop(); await dev.stop(); });
  return { panel, dev, f, port: touchConsolePort(panel, f.screen, { width: 480, height: 800 }) };
}

describe('TouchConsolePort', () => {
  it('averages a raw press, shows the cross instead of the UI, and applies a new calibration', async () => {
    const { dev, f, port, panel } = await rig();
    expect(port.screenSize()).toEqual({ width: 480, height: 800 });
    port.showCalibrationTarget({ x: 50, y: 50, index: 1, count: 5 });
    expect(f.page('calibration').target).toEqual({ x: 50, y: 50, index: 1, count: 5 });
    expect(f.page('calibration').hits).toEqual([]);
    const press = port.nextRawPress(new AbortController().signal);
    for (const x of [1000, 1010, 1020]) await dev.write(encodeEgalaxPacket({ x, y: 2000, touching: true }));
    await dev.write(encodeEgalaxPacket({ x: 1020, y: 2000, touching: false }));
    expect(await press).toEqual({ x: 1010, y: 2000 });
    await new Promise((r) => setTimeout(r, 60));
    expect(f.page().page).toBe('calibration'); // the press did not wake the UI
    port.showCalibrationTarget(null);
    expect(f.page().page).toBe('attract');
    port.applyCalibration([65536, 0, 0, 0, 65536, 0, 65536]);
    expect(panel.calibration).toEqual([65536, 0, 0, 0, 65536, 0, 65536]);
    expect(() => port.applyCalibration([0, 0, 0, 0, 0, 0, 65536])).toThrow(/singular/);
    expect(port.status()).toMatchObject({ state: 'idle', open: true, packets: 4 });
    expect(await port.check!(new AbortController().signal)).toMatchObject({ ok: true });
  });

  it('gives up waiting for a press when the console cancels', async () => {
    const { port } = await rig();
    const ac = new AbortController();
    const press = port.nextRawPress(ac.signal);
    ac.abort(new Error('Ctrl-C'));
    await expect(press).rejects.toThrow('Ctrl-C');
  });
});
