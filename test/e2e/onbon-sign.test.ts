/**
 * An Onbon notice sign end to end (docs/protocols/onbon.md §12): a pole (in process) with its
 * `devices.sign` on a socat PTY pair, the simulated BX-5E card on the other end at 9600 baud, a
 * real mosquitto, notices pushed with the ops client's signing path. Checked on the card's own
 * decoded bitmap: a notice appears, an emergency pre-empts it, a card reset is recovered, and a
 * line corrupting 1 % of its bytes still converges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { poleOutTopic } from '../../protocols/topics.js';
import { until } from '../helpers/sim-process.js';
import { testLogger } from '../helpers/logger.js';
import { requireTool } from '../helpers/tools.js';
import { startOnbonRig, type OnbonRig } from '../helpers/onbon-rig.js';
import { parseConfig } from '../../runtime/config/load.js';
import { startPole, type Pole } from '../../runtime/pole.js';
import { generateSigningKey, type SigningKey } from '../../ops/keys.js';
import { completeNotice, withdrawal } from '../../ops/sign.js';
import { publishOnNoticeTopic } from '../../ops/commands/notice.js';
import type { OpsContext } from '../../ops/context.js';
import { SignText } from '../../display/sign-text.js';
import type { SignBitmap } from '../../protocols/onbon/bitmap.js';
import { AreaId } from '../../runtime/sign/sign-plan.js';
import type { OnbonDisplay } from '../../runtime/sign/onbon-display.js';
import { signModule } from '../../runtime/console/commands/sign.js';

const W = 128;
const H = 48;
const PX = 16;

/** The rows y0…y0+h of the sign as text art, for failure messages and comparisons. */
function rows(b: SignBitmap, y0: number, h: number): string {
  const out: string[] = [];
  for (let y = y0; y < y0 + h; y++) out.push(Array.from(b.pixels.subarray(y * b.width, (y + 1) * b.width), (p) => ' rgy'[p]).join(''));
  return out.join('\n');
}

describe('Onbon sign over a PTY pair, notices over MQTT', () => {
  let broker: Mosquitto;
  let rig: OnbonRig;
  let pole: Pole;
  let key: SigningKey;
  let ops: OpsContext;
  const text = new SignText(PX, W);
  const logger = testLogger();
  const sign = () => pole.services.signs.get('sign') as OnbonDisplay;

  /** Waits until the sign service has every area on the card, then (on the sim) returns what it shows. */
  async function settled(what: string): Promise<SignBitmap | null> {
    await until(() => sign().sign.inSync && sign().card.ready, 30_000, what);
    return rig.card ? rig.card.shown() : null;
  }

  /** The bitmap a line of text must produce, rendered independently of the sign service. */
  const expectRow = (t: string, colour: 1 | 2 | 3) => text.render([{ text: t, colour }], W, PX);

  beforeAll(async () => {
    requireTool('socat');
    requireTool('mosquitto');
    requireTool('font:WenQuanYi Micro Hei');
    broker = await startMosquitto();
    rig = await startOnbonRig({ logger, model: '5E1', width: W, height: H, colours: 'red-green', baudRate: 9600 });
    key = generateSigningKey('test-ops');
    const dataDir = mkdtempSync(join(tmpdir(), 'pole-onbon-'));
    const config = parseConfig({
      pole: { id: 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6043, lon: 114.3012, address: '武汉市江岸区澳门路', areaCode: '420102' } },
      storage: { dataDir },
      mqtt: { url: broker.url, keepaliveSec: 10, reconnect: { initialSec: 0.2, maxSec: 2 } },
      trust: { keys: [{ kid: key.kid, issuer: key.issuer, publicKey: key.publicKey }] },
      devices: {
        sign: {
          path: rig.hostPath, model: rig.model, width: rig.width, height: rig.height, colours: rig.colours, baudRate: rig.baudRate,
          pingIntervalMs: 300, offlineAfter: 2, ackTimeoutMs: 400, retries: 4, clock: true, pageSec: 30,
        },
      },
    }, dataDir);
    pole = await startPole({ config, logger });
    ops = { sim: null, connection: { url: broker.url }, prefix: config.mqtt.topicPrefix, key: () => key };
    await until(() => pole.services.uplink.mqtt.connected, 10_000, 'MQTT connected');
  }, 30_000);

  afterAll(async () => {
    await pole?.stop();
    await rig?.stop();
    await broker?.stop();
  });

  it('shows the clock and the idle line, then a notice pushed over MQTT', async () => {
    const idle = await settled('first paint');
    if (idle) {
      // Notice area (rows 16…47): the pole's address in yellow while there is no notice.
      expect(rows(idle, PX, PX)).toBe(rows(expectRow('武汉市江岸区澳门路', 3), 0, PX));
      // The clock row is lit (green), whatever the minute.
      expect(idle.pixels.subarray(0, W * PX).some((p) => p === 2)).toBe(true);
    }
    const n = completeNotice({ priority: 'normal', title: { zh: '停电通知' }, body: { zh: '明日9时起检修' } });
    await publishOnNoticeTopic(ops, { scope: 'all' }, n, 0);
    await until(() => sign().sign.plans().some((p) => p.id === AreaId.NOTICES && JSON.stringify(p).includes('停电通知')), 10_000, 'notice planned');
    const shown = await settled('notice on the sign');
    if (shown) {
      expect(rows(shown, PX, PX)).toBe(rows(expectRow('停电通知', 3), 0, PX));
      expect(rows(shown, 2 * PX, PX)).toBe(rows(expectRow('明日9时起检修', 2), 0, PX));
    }
  }, 40_000);

  it('an emergency alert pre-empts the notices on the whole sign, and the notices return after it', async () => {
    const e = completeNotice({ priority: 'emergency', title: { zh: '暴雨红色预警' }, body: { zh: '请勿涉水' } });
    await publishOnNoticeTopic(ops, { scope: 'all' }, e, 0);
    await until(() => sign().sign.plans().some((p) => p.id === AreaId.EMERGENCY), 10_000, 'emergency planned');
    const shown = await settled('emergency on the sign');
    if (shown) {
      expect(rows(shown, 0, PX)).toBe(rows(expectRow('暴雨红色预警', 1), 0, PX));
      expect(rows(shown, PX, PX)).toBe(rows(expectRow('请勿涉水', 1), 0, PX));
      expect([...rig.card!.screen.areas.keys()]).toEqual([AreaId.EMERGENCY]);
    }
    await publishOnNoticeTopic(ops, { scope: 'all' }, withdrawal(e.id), 0);
    await until(() => !sign().sign.plans().some((p) => p.id === AreaId.EMERGENCY), 10_000, 'emergency withdrawn');
    const after = await settled('notices back');
    if (after) expect(rows(after, PX, PX)).toBe(rows(expectRow('停电通知', 3), 0, PX));
  }, 40_000);

  it('answers sign.status, shows the test pattern and takes a brightness override (the MQTT/console commands)', async () => {
    const run = async (name: string, args: Record<string, unknown>) => {
      const o = await pole.services.commands.execute(name, args, { source: 'mqtt', principal: 'test', now: Date.now() });
      expect(o.ok, JSON.stringify(o)).toBe(true);
      return (o as { result: Record<string, unknown> }).result;
    };
    const st = await run('sign.status', {});
    expect(st).toMatchObject({ screen: 'sign', protocol: 'onbon', card: 'ready', pending: [] });
    await run('sign.test', { on: true });
    const test = await settled('test pattern');
    if (test) {
      expect([...rig.card!.screen.areas.keys()]).toEqual([AreaId.TEST]);
      // The first page lights every LED red.
      expect(test.pixels.subarray(0, W * H).every((p) => p === 1)).toBe(true);
    }
    await run('sign.test', { on: false });
    await settled('back from the test pattern');
    const b = await run('sign.brightness', { percent: 40, durationSec: 600 });
    expect(b).toMatchObject({ percent: 40, source: 'override' });
    if (rig.card) await until(() => rig.card!.brightness.mode === 'manual' && (rig.card!.brightness as { level: number }).level === 6, 10_000, 'level 6 of 15 on the card');
    await run('sign.brightness', { auto: true });
    const health = pole.health.snapshot().sign!;
    expect(health.status).toBe('ok');
    // The console's selftest check reads the same health.
    const check = await signModule.checks![0]!.run({ health: pole.health } as never, new AbortController().signal);
    expect(check).toMatchObject({ result: 'PASS' });
  }, 40_000);

  it('recovers a card reset: areas written again once it answers', async () => {
    if (!rig.card) return; // a real card cannot be reset from here
    const before = rig.card.shown();
    const writes = rig.card.stats.areaWrites;
    rig.card.reset();
    expect(rig.card.screen.areas.size).toBe(0);
    await until(() => rig.card!.stats.areaWrites > writes && sign().sign.inSync && rig.card!.screen.areas.size === 2, 30_000, 'areas re-sent after the reset');
    expect(rows(rig.card.shown(), PX, 2 * PX)).toBe(rows(before, PX, 2 * PX));
    expect(sign().card.stats.recoveries).toBeGreaterThanOrEqual(2);
  }, 40_000);

  // 1 % of frames hit (one byte flipped) both ways, and 0.02 % of all bytes on top. A protocol
  // without forward error correction cannot carry a 1 KiB area through 1 % byte errors (0.99^1100 ≈
  // 2·10⁻⁵ per try; docs/protocols/onbon.md §8), so the per-byte rate is the one such a line can have.
  it('reports the card going silent and coming back as sign.state events over MQTT', async () => {
    if (!rig.card) return;
    const watcher = await mqtt.connectAsync(broker.url);
    const events: Record<string, unknown>[] = [];
    try {
      await watcher.subscribeAsync(poleOutTopic(ops.prefix, 'WH-JA-0001', 'events'), { qos: 1 });
      watcher.on('message', (_t, p) => events.push(JSON.parse(p.toString()) as Record<string, unknown>));
      rig.card.silence(2500);
      await until(() => sign().card.state === 'offline', 10_000, 'card offline');
      await until(() => sign().card.ready && sign().sign.inSync, 30_000, 'card back and areas rewritten');
      await until(() => events.some((e) => e.code === 'sign.state' && e.to === 'ready'), 10_000, 'the back event');
      expect(events.find((e) => e.code === 'sign.state' && e.to === 'offline')).toMatchObject({ severity: 'alarm', screen: 'sign' });
    } finally {
      await watcher.endAsync();
    }
  }, 60_000);

  it('converges on a line corrupting 1 % of its frames both ways', async () => {
    if (!rig.card) return;
    rig.card.faults.corruptFrameRate = 0.01;
    rig.card.faults.corruptRate = 0.0002;
    try {
      const n = completeNotice({ priority: 'normal', title: { zh: '道路施工' }, body: { zh: '澳门路东段封闭至周五' } });
      await publishOnNoticeTopic(ops, { scope: 'all' }, n, 0);
      await until(() => sign().sign.plans().some((p) => JSON.stringify(p).includes('道路施工')), 10_000, 'planned');
      await until(() => sign().sign.inSync && rows(rig.card!.shown(), PX, PX) === rows(expectRow('道路施工', 3), 0, PX), 60_000, 'sign converged through the noise');
      const s = sign().card.stats;
      expect(s.resends + rig.card.stats.badFrames + s.badFrames).toBeGreaterThan(0);
    } finally {
      rig.card.faults.corruptRate = 0;
      rig.card.faults.corruptFrameRate = 0;
    }
  }, 90_000);
});
