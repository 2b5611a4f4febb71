/**
 * The Onbon card driver against the simulated card over a socat PTY pair (docs/protocols/onbon.md
 * §8): re-sends on ERR_BUSY, gives up on other NACKs with SP_ONBON_NACK, refuses requests larger
 * than the card's buffer, goes offline when the card falls silent and says 'ready' when it answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialLink } from '../../device/serial/serial-link.js';
import { OnbonCard } from '../../device/onbon/onbon-card.js';
import { CardState } from '../../device/onbon/card-state.js';
import { encodeWriteArea } from '../../protocols/onbon/areas.js';
import { blankBitmap, encodePage } from '../../protocols/onbon/bitmap.js';
import { encodeBrightness, OnbonErr } from '../../protocols/onbon/messages.js';
import { testLogger } from '../helpers/logger.js';
import { startOnbonRig, type OnbonRig } from '../helpers/onbon-rig.js';
import { until } from '../helpers/sim-process.js';
import { requireTool } from '../helpers/tools.js';

describe('OnbonCard over a PTY pair', () => {
  let rig: OnbonRig;
  let serial: SerialLink;
  let card: OnbonCard;
  const logger = testLogger();
  const area = (id: number, w: number) => {
    const bmp = blankBitmap(w, 16);
    bmp.pixels.fill(1, 0, w * 8);
    return encodeWriteArea(5, { id, runMode: 0, timeoutSec: 0, immediate: true, x: 0, y: 0, w, h: 16, pages: [{ displayMode: 1, clearMode: 0, speed: 1, stay10ms: 500, repeat: 1, data: encodePage(5, bmp, 0, 1) }] });
  };

  beforeAll(async () => {
    requireTool('socat');
    rig = await startOnbonRig({ logger, model: '5E1', width: 64, height: 32, colours: 'red', baudRate: 57600, bootMs: 600 });
    serial = new SerialLink({ path: rig.hostPath, baudRate: rig.baudRate, name: 'sign', logger, backoff: { initialMs: 20, maxMs: 200 } });
    card = new OnbonCard({ serial, logger, model: '5E1', address: 1, baudRate: rig.baudRate, ackTimeoutMs: 150, retries: 3, pingIntervalMs: 200, offlineAfter: 2, maxFrameBytes: 2048 });
    serial.start();
    card.start();
    await until(() => card.state === CardState.Ready, 10_000, 'card ready');
  });

  afterAll(async () => {
    card?.stop();
    await serial?.stop();
    await rig?.stop();
  });

  it('writes an area the card decodes', async () => {
    await card.request(area(0, 64), 'area 0');
    expect(rig.card!.shown().pixels.subarray(0, 64 * 8).every((p) => p === 1)).toBe(true);
    expect(rig.card!.shown().pixels[64 * 8]).toBe(0);
  });

  it('re-sends after NACK ERR_BUSY and succeeds', async () => {
    const resends = card.stats.resends;
    rig.card!.faults.nack = { error: OnbonErr.BUSY, count: 2 };
    await card.request(encodeBrightness({ mode: 'manual', level: 7 }), 'brightness');
    expect(card.stats.resends - resends).toBe(2);
    expect(rig.card!.brightness).toEqual({ mode: 'manual', level: 7 });
  });

  it('fails with SP_ONBON_NACK on a refusal it cannot cure, without re-sending', async () => {
    const resends = card.stats.resends;
    rig.card!.faults.nack = { error: OnbonErr.SCREEN_PARA, count: 1 };
    await expect(card.request(area(1, 32), 'area 1')).rejects.toMatchObject({ code: 'SP_ONBON_NACK', detail: { error: 18, name: 'ERR_SCREEN_PARA' } });
    expect(card.stats.resends).toBe(resends);
    // An area outside the sign is refused by the card itself.
    await expect(card.request(encodeWriteArea(5, { id: 1, runMode: 0, timeoutSec: 0, immediate: true, x: 0, y: 24, w: 32, h: 16, pages: [{ displayMode: 1, clearMode: 0, speed: 1, stay10ms: 500, repeat: 1, data: new Uint8Array(64) }] }), 'area 1'))
      .rejects.toMatchObject({ code: 'SP_ONBON_NACK', detail: { name: 'ERR_SCREEN_PARA' } });
  });

  it('refuses a request larger than the card\'s buffer before sending it', async () => {
    const big = blankBitmap(64, 32);
    const msg = encodeWriteArea(5, { id: 0, runMode: 0, timeoutSec: 0, immediate: true, x: 0, y: 0, w: 64, h: 32, pages: Array.from({ length: 12 }, () => ({ displayMode: 1, clearMode: 0, speed: 1, stay10ms: 100, repeat: 1, data: encodePage(5, big, 0, 1) })) });
    await expect(card.request(msg, 'area 0')).rejects.toMatchObject({ code: 'SP_ONBON_TOO_LARGE' });
  });

  it('goes offline when the card falls silent, refuses requests, and says ready when it answers again', async () => {
    let readies = 0;
    card.on('ready', () => readies++);
    rig.card!.silence(1500);
    await until(() => card.state === CardState.Offline, 5000, 'offline');
    await expect(card.request(area(0, 64), 'area 0')).rejects.toMatchObject({ code: 'SP_ONBON_OFFLINE' });
    await until(() => card.state === CardState.Ready, 5000, 'ready again');
    expect(readies).toBe(1);
  });
});
