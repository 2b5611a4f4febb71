/**
 * Onbon sign figures (docs/protocols/onbon.md; real socat PTYs, the simulated card with its wire
 * time): bytes on the wire and time to update a whole sign and to change one line (the clock row)
 * at 9600 and 57600 baud, for the sim's 160×32 red/green BX-5E2 and a 256×64 red/green BX-6E2;
 * and the time from an MQTT push (mosquitto, ops signing) to the card showing the notice (one
 * notice, replaced by a new version each time: its title and body, two pages of the 32-row area).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SerialLink } from '../device/serial/serial-link.js';
import { OnbonCard } from '../device/onbon/onbon-card.js';
import { SignText } from '../display/sign-text.js';
import { generationOf, type OnbonModel } from '../protocols/onbon/header.js';
import { SignService } from '../runtime/sign/sign-service.js';
import type { SignContent } from '../runtime/sign/sign-plan.js';
import { PtyPair } from '../simulator/serial/pty-pair.js';
import { SimOnbonCard } from '../simulator/devices/onbon-card.js';
import { parseConfig } from '../runtime/config/load.js';
import { startPole } from '../runtime/pole.js';
import type { OnbonDisplay } from '../runtime/sign/onbon-display.js';
import { generateSigningKey } from '../ops/keys.js';
import { completeNotice } from '../ops/sign.js';
import { publishOnNoticeTopic } from '../ops/commands/notice.js';
import type { BenchOptions } from './run.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';
import { startBenchMosquitto } from './lib/mosquitto.js';
import { uplinkReady } from './lib/ready.js';

const logger = pino({ level: 'silent' });
type Baud = 9600 | 57600;
const SIGNS: { label: string; model: OnbonModel; width: number; height: number }[] = [
  { label: '160×32 red/green BX-5E2', model: '5E2', width: 160, height: 32 },
  { label: '256×64 red/green BX-6E2', model: '6E2', width: 256, height: 64 },
];

const NOTICE = { title: '停电通知', body: '澳门路10号至30号明日9时至17时停电检修，请提前做好准备。' };

async function until(f: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!f()) {
    if (performance.now() > end) throw new Error(`bench onbon: ${what} not done in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Full sign and one-line updates on one sign at one baud rate. */
async function updates(sign: (typeof SIGNS)[number], baud: Baud, reps: number) {
  const pair = new PtyPair('sign', mkdtempSync(join(tmpdir(), 'sp-onbon-bench-')));
  await pair.start();
  const sim = new SimOnbonCard({ pair, logger, model: sign.model, address: 1, width: sign.width, height: sign.height, colours: 'red-green', baudRate: baud });
  sim.start();
  const serial = new SerialLink({ path: pair.hostPath, baudRate: baud, name: 'sign', logger, backoff: { initialMs: 20, maxMs: 200 } });
  const card = new OnbonCard({ serial, logger, model: sign.model, address: 1, baudRate: baud, ackTimeoutMs: 500, retries: 3, pingIntervalMs: 60_000, offlineAfter: 2, maxFrameBytes: 64 * 1024 });
  let clock = '12月7日星期一 19:45';
  const content = (): Omit<SignContent, 'test'> => ({ clock: [clock], notices: [NOTICE], emergency: [], idle: '武汉市江岸区澳门路' });
  const service = new SignService({
    card, text: new SignText(16, sign.width), generation: generationOf(sign.model), logger, refreshMs: 0, tickMs: 3_600_000, content,
    geometry: { width: sign.width, height: sign.height, fontPx: 16, dualColour: true, pageSec: 6, maxPages: 32 },
  });
  const full: { ms: number; bytes: number }[] = [];
  const line: { ms: number; bytes: number }[] = [];
  try {
    serial.start();
    card.start();
    service.start();
    await until(() => card.ready && service.inSync, 60_000, 'first paint');
    for (let i = 0; i < reps; i++) {
      // Whole sign: what a card restart costs — delete all, then every area.
      let b0 = card.stats.bytesOut;
      let t0 = performance.now();
      card.emit('ready');
      await until(() => service.inSync, 60_000, 'full update');
      full.push({ ms: performance.now() - t0, bytes: card.stats.bytesOut - b0 });
      // One line: the clock row's minute.
      clock = `12月7日星期一 19:${String(46 + (i % 13)).padStart(2, '0')}`;
      b0 = card.stats.bytesOut;
      t0 = performance.now();
      service.refresh();
      await until(() => service.inSync, 60_000, 'one-line update');
      line.push({ ms: performance.now() - t0, bytes: card.stats.bytesOut - b0 });
    }
  } finally {
    service.stop();
    card.stop();
    await serial.stop();
    await sim.stop();
    await pair.stop();
  }
  return { full, line };
}

/** MQTT push (signed, published retained like `ops notice push`) → the card has the notice area. */
async function pushToSign(baud: Baud, reps: number): Promise<number[]> {
  const broker = await startBenchMosquitto();
  const pair = new PtyPair('sign', mkdtempSync(join(tmpdir(), 'sp-onbon-bench-')));
  await pair.start();
  const sim = new SimOnbonCard({ pair, logger, model: '5E2', address: 1, width: 160, height: 32, colours: 'red-green', baudRate: baud });
  sim.start();
  const key = generateSigningKey('bench-ops');
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-onbon-pole-'));
  const config = parseConfig({
    pole: { id: 'WH-JA-0001', groups: ['district/jiangan'], location: { lat: 30.6043, lon: 114.3012, address: '武汉市江岸区澳门路', areaCode: '420102' } },
    storage: { dataDir }, mqtt: { url: broker.url, keepaliveSec: 10 },
    trust: { keys: [{ kid: key.kid, issuer: key.issuer, publicKey: key.publicKey }] },
    devices: { sign: { path: pair.hostPath, model: '5E2', width: 160, height: 32, colours: 'red-green', baudRate: baud, clock: false, pingIntervalMs: 60_000 } },
  }, dataDir);
  const pole = await startPole({ config, logger });
  const display = pole.services.signs.get('sign') as OnbonDisplay;
  const ops = { sim: null, connection: { url: broker.url }, prefix: config.mqtt.topicPrefix, key: () => key };
  const out: number[] = [];
  try {
    await uplinkReady(pole);
    await until(() => display.card.ready && display.sign.inSync, 60_000, 'sign ready');
    for (let i = 0; i < reps; i++) {
      // The same notice id each time, a new version: one notice on the sign, replaced (its area rewritten).
      const n = completeNotice({ id: 'bench-sign', version: Date.now(), priority: 'normal', title: { zh: `通知 ${i + 1}` }, body: { zh: NOTICE.body } });
      let shownAt = 0;
      const onChange = () => { if ([...sim.screen.areas.values()].some((a) => a.area.pages.length > 0 && a.since > t0)) shownAt = performance.now(); };
      sim.on('changed', onChange);
      const t0 = performance.now();
      await publishOnNoticeTopic(ops, { scope: 'all' }, n, 0);
      await until(() => shownAt > 0 && display.sign.inSync && display.sign.plans().some((p) => JSON.stringify(p).includes(`通知 ${i + 1}`)), 60_000, 'notice on the sign');
      sim.off('changed', onChange);
      out.push(shownAt - t0);
    }
  } finally {
    await pole.stop();
    await sim.stop();
    await pair.stop();
    await broker.stop();
  }
  return out;
}

export async function benchOnbon(o: BenchOptions): Promise<void> {
  const r = new Report('onbon');
  const reps = sample(o, 10, 3, 1);
  const signs = sample(o, SIGNS, SIGNS, SIGNS.slice(0, 1));
  for (const sign of signs) {
    for (const baud of [9600, 57600] as const) {
      const { full, line } = await updates(sign, baud, reps);
      const key = `${sign.model}_${baud}`;
      const fb = summarize(full.map((x) => x.bytes));
      const lb = summarize(line.map((x) => x.bytes));
      r.figure(`full_${key}`, `whole sign, ${sign.label}, ${baud} baud`, { ms: summarize(full.map((x) => x.ms)), bytes: fb.median },
        `${fb.median} bytes; ${fmt(summarize(full.map((x) => x.ms)))}; wire floor ${((fb.median * 10 * 1000) / baud).toFixed(0)} ms`);
      r.figure(`line_${key}`, `one line (clock row), ${sign.label}, ${baud} baud`, { ms: summarize(line.map((x) => x.ms)), bytes: lb.median },
        `${lb.median} bytes; ${fmt(summarize(line.map((x) => x.ms)))}; wire floor ${((lb.median * 10 * 1000) / baud).toFixed(0)} ms`);
    }
  }
  for (const baud of sample(o, [9600, 57600] as const, [9600, 57600] as const, [57600] as const)) {
    const ms = await pushToSign(baud, sample(o, 8, 3, 1));
    r.figure(`push_${baud}`, `MQTT push → sign showing the notice, 160×32 BX-5E2, ${baud} baud`, summarize(ms), fmt(summarize(ms)));
  }
  r.save();
}
