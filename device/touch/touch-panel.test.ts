import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../serial/in-process-binding.js';
import { SerialLink } from '../serial/serial-link.js';
import { encodeEgalaxPacket } from '../../protocols/touch/egalax.js';
import { defaultCalibration, invertCalibration, type Calibration } from '../../protocols/touch/calibration.js';
import { testLogger } from '../../test/helpers/logger.js';
import { TouchPanel, TouchState, type TouchEvent } from './touch-panel.js';
import { GestureRecognizer } from './gestures.js';

const CAL: Calibration = [2016, -41, -390878, 30, 3343, -1009096, 65536];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => { for (const s of stops.splice(0)) await s(); });

async function rig(calibration: Calibration = CAL, debounceMs = 15) {
  const hub = new InProcessSerialHub();
  hub.pair('/sim/touch.pole', '/sim/touch');
  const binding = hub.binding as unknown as BindingInterface;
  const host = new SerialLink({ path: '/sim/touch.pole', baudRate: 9600, name: 'touch', logger: testLogger(), binding, backoff: { initialMs: 10, maxMs: 40 } });
  const dev = new SerialLink({ path: '/sim/touch', baudRate: 9600, name: 'dev', logger: testLogger(), binding });
  const panel = new TouchPanel({ serial: host, logger: testLogger(), width: 480, height: 800, calibration, debounceMs, gestures: { pixelPitchMm: 0.5 } });
  const events: TouchEvent[] = [];
  panel.on('touch', (e) => events.push(e));
  host.start(); dev.start();
  await Promise.all([once(host, 'open'), once(dev, 'open')]);
  stops.push(async () => { panel.close(); await host.stop(); await dev.stop(); });
  /** Sends what a controller sends for a finger at screen pixel (x, y). */
  const send = async (x: number, y: number, touching: boolean, extra: { resolution?: 0 | 1 | 2 | 3; pressure?: number } = {}) => {
    const step = 1 << (3 - (extra.resolution ?? 1));
    const raw = invertCalibration(calibration, { x, y }, step)!;
    await dev.write(encodeEgalaxPacket({ ...raw, touching, resolution: extra.resolution ?? 1, ...(extra.pressure !== undefined ? { pressure: extra.pressure } : {}) }));
  };
  const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));
  return { hub, panel, events, send, settle, dev };
}

const kinds = (ev: TouchEvent[]) => ev.map((e) => e.type);

describe('TouchPanel', () => {
  it('turns packets into calibrated down/up and a tap at the pixel the finger touched', async () => {
    const { events, send, settle, panel } = await rig();
    await send(120, 640, true, { pressure: 40 });
    await send(121, 640, true);
    await send(121, 640, false);
    await settle();
    expect(kinds(events)).toEqual(['down', 'up', 'tap']);
    expect(events[0]).toMatchObject({ type: 'down', x: 120, y: 640 });
    expect(events[2]).toMatchObject({ type: 'tap', x: 120, y: 640 });
    expect(panel.state).toBe(TouchState.Idle);
    expect(panel.stats).toMatchObject({ packets: 3, contacts: 1, taps: 1 });
  });

  it('absorbs a release that bounces back within the debounce time: one contact, one tap', async () => {
    const { events, send, settle, panel } = await rig(CAL, 400);
    await send(300, 300, true);
    await send(300, 300, false);
    await send(300, 301, true);
    await send(300, 301, false);
    await settle(600);
    expect(kinds(events)).toEqual(['down', 'up', 'tap']);
    expect(panel.stats.bounces).toBe(1);
  });

  it('reports moves beyond the jitter threshold and recognises a swipe', async () => {
    const { events, send, settle } = await rig();
    for (let x = 400; x >= 100; x -= 50) await send(x, 400, true);
    await send(100, 402, false);
    await settle();
    expect(kinds(events).filter((k) => k === 'move').length).toBeGreaterThan(3);
    expect(events.at(-1)).toMatchObject({ type: 'swipe', direction: 'left' });
  });

  it('reads every resolution and 5- or 6-byte packets alike', async () => {
    const { events, send, settle } = await rig(defaultCalibration(480, 800));
    for (const resolution of [0, 1, 2, 3] as const) {
      await send(200, 500, true, { resolution, pressure: resolution % 2 ? 10 : undefined });
      await send(200, 500, false, { resolution });
      await settle(40);
    }
    const taps = events.filter((e) => e.type === 'tap');
    expect(taps).toHaveLength(4);
    for (const t of taps) expect(t).toMatchObject({ x: 200, y: 500 });
  });

  it('clamps touches on the bezel into the screen', async () => {
    const { events, dev, settle } = await rig(defaultCalibration(480, 800));
    await dev.write(encodeEgalaxPacket({ x: 0x3fff, y: 0, touching: true }));
    await dev.write(encodeEgalaxPacket({ x: 0x3fff, y: 0, touching: false }));
    await settle();
    expect(events[0]).toMatchObject({ type: 'down', x: 479, y: 0 });
  });

  it('survives garbage on the line and still decodes the next packet', async () => {
    const { events, dev, send, settle, panel } = await rig();
    await dev.write(Buffer.from([0x00, 0x13, 0x7f, 0x22]));
    await send(50, 60, true);
    await send(50, 60, false);
    await settle();
    expect(kinds(events)).toEqual(['down', 'up', 'tap']);
    expect(panel.stats.unsynchronizedBytes).toBe(4);
  });

  it('cancels the contact when the controller vanishes mid-touch', async () => {
    const { events, send, hub, settle, panel } = await rig();
    await send(10, 10, true);
    await settle(20);
    hub.unplug('/sim/touch.pole');
    await settle(40);
    expect(events.at(-1)).toMatchObject({ type: 'up', cancelled: true });
    expect(kinds(events)).not.toContain('tap');
    expect(panel.stats.cancelled).toBe(1);
  });
});

describe('GestureRecognizer', () => {
  const g = () => new GestureRecognizer({ pixelPitchMm: 0.5 });
  it('a still press is a tap; a held press is not', () => {
    const r = g();
    r.down(10, 10, 0); r.move(13, 12);
    expect(r.up(13, 12, 200)).toEqual({ type: 'tap', x: 10, y: 10 });
    r.down(10, 10, 0);
    expect(r.up(10, 10, 5000)).toBeNull();
  });
  it('swipes need distance, speed and a dominant axis', () => {
    const r = g();
    r.down(100, 400, 0);
    expect(r.up(100, 200, 300)).toMatchObject({ type: 'swipe', direction: 'up' });
    r.down(100, 400, 0);
    expect(r.up(300, 410, 300)).toMatchObject({ type: 'swipe', direction: 'right' });
    r.down(100, 400, 0);
    expect(r.up(200, 300, 300)).toBeNull(); // diagonal
    r.down(100, 400, 0);
    expect(r.up(300, 400, 2000)).toBeNull(); // a slow drag
    r.down(100, 400, 0);
    expect(r.up(120, 400, 100)).toBeNull(); // too short for a swipe, too long for a tap
  });
});
