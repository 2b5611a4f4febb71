/**
 * 5G modem figures (docs/protocols/modem.md §Budget):
 * 1. AT channel throughput on a socat PTY against the simulated modem answering at once
 *    (timeScale 0: no artificial delay, only the protocol's own round trips).
 * 2. Network returning → pole online → outbox drained, with the simulated modem at realistic
 *    latencies (timeScale 1) and the production timing table, per step.
 * 3. Hung modem: detected and recovered (reset, then the GPIO power cycle) in the simulator's
 *    default time scale (0.1).
 * 4. The host data path in network namespaces (`sim --netns`, modem at real latencies): data call
 *    up → DHCP lease → default route → MQTT connected, and network return → online → outbox
 *    drained through a real network stack (docs/protocols/modem.md §Host data path).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { BindingInterface } from '@serialport/bindings-interface';
import { PtyPair } from '../simulator/serial/pty-pair.js';
import { SimModem } from '../simulator/devices/modem.js';
import { SerialLink } from '../device/serial/serial-link.js';
import { AtChannel } from '../device/modem/at-channel.js';
import { startSim, type Sim } from '../simulator/sim.js';
import { summarize, fmt } from './lib/stats.js';
import { sample, type SampleSize } from './lib/sample.js';
import { netnsUnavailable } from '../simulator/devices/modem-netns.js';
import { benchNetnsReturn, type NetnsSample } from './modem-netns.js';
import { Report } from './lib/report.js';
import { until } from './lib/until.js';

const quiet = () => pino({ level: 'warn' });

async function throughput(commands: number): Promise<{ perSec: number; latency: number[]; mixedPerSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-at-'));
  const pair = new PtyPair('modem', dir);
  await pair.start();
  const log = quiet();
  const sim = new SimModem({ pair, logger: log, timeScale: 0 });
  sim.start();
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 115200, name: 'modem', logger: log, binding: pair.binding as BindingInterface });
  const ch = new AtChannel({ port: serial, logger: log, timeoutFor: () => 3000 });
  serial.start();
  try {
    await until(() => serial.isOpen && sim.s.power === 'on', 10_000, 'modem up');
    await ch.send('ATE0');
    const latency: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < commands; i++) {
      const a = performance.now();
      await ch.send('AT+CSQ', { prefix: '+CSQ:', expectLines: true });
      latency.push(performance.now() - a);
    }
    const perSec = commands / ((performance.now() - t0) / 1000);
    // The poll cycle's real mix, queued at once (the channel still sends one at a time).
    const mix = ['AT+QENG="servingcell"', 'AT+CSQ', 'AT+QNWINFO', 'AT+COPS?', 'AT+C5GREG?', 'AT+CEREG?', 'AT+QIACT?', 'AT+QTEMP'];
    const t1 = performance.now();
    const n = Math.floor(commands / mix.length) * mix.length;
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      all.push(ch.send(mix[i % mix.length]!));
      if (all.length >= 24) await Promise.all(all.splice(0));
    }
    await Promise.all(all);
    return { perSec, latency, mixedPerSec: n / ((performance.now() - t1) / 1000) };
  } finally {
    ch.close();
    await serial.stop();
    await sim.stop();
    await pair.stop();
  }
}

async function withSim<T>(o: { scale: number; mqttUrl?: string }, f: (sim: Sim) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-modem-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttUrl: o.mqttUrl, mqttPort: 0, httpPort: 0, logger: quiet(), logLevel: 'warn', modemTimeScale: o.scale });
  try {
    return await f(sim);
  } finally {
    await sim.stop();
  }
}

interface ReturnSample { registered: number; online: number; connected: number; drained: number; backlog: number }

async function networkReturn(runs: number, mqttUrl?: string): Promise<ReturnSample[]> {
  return withSim({ scale: 1, mqttUrl }, async (sim) => {
    const pole = sim.pole!;
    const modem = pole.services.modem.service!;
    const faults = sim.devices.get('modem')!.faults;
    await until(() => modem.state === 'online' && pole.services.uplink.mqtt.connected, 60_000, 'first online');
    const out: ReturnSample[] = [];
    for (let i = 0; i < runs; i++) {
      await faults['network-drop']!.run({});
      await until(() => modem.state === 'registering' && !pole.services.uplink.mqtt.connected, 20_000, 'offline');
      // What a pole piles up while offline: telemetry, events, receipts.
      for (let k = 0; k < 200; k++) pole.services.uplink.reporter.telemetry('bench', { k, note: '离线期间的遥测' });
      const backlog = pole.services.uplink.outbox.depth();
      const marks: Partial<ReturnSample> = {};
      const t0 = performance.now();
      const onState = (c: { to: string }) => {
        if (c.to === 'connecting') marks.registered ??= performance.now() - t0;
        if (c.to === 'online') marks.online ??= performance.now() - t0;
      };
      modem.on('state', onState);
      await faults['network-restore']!.run({});
      await until(() => modem.state === 'online', 30_000, 'modem online');
      marks.online ??= performance.now() - t0;
      await until(() => pole.services.uplink.mqtt.connected, 30_000, 'MQTT back');
      marks.connected = performance.now() - t0;
      await until(() => pole.services.uplink.outbox.depth() === 0, 30_000, 'outbox drained');
      marks.drained = performance.now() - t0;
      modem.off('state', onState);
      out.push({ ...(marks as ReturnSample), backlog });
      await new Promise((r) => setTimeout(r, 300));
    }
    return out;
  });
}

async function hungRecovery(runs: number): Promise<{ detect: number[]; recover: number[]; steps: string[] }> {
  return withSim({ scale: 0.1 }, async (sim) => {
    const pole = sim.pole!;
    const modem = pole.services.modem.service!;
    const hang = sim.devices.get('modem')!.faults.hang!;
    const detect: number[] = [];
    const recover: number[] = [];
    let steps: string[] = [];
    for (let i = 0; i < runs; i++) {
      await until(() => modem.state === 'online' && modem.ladder.level === 0, 60_000, 'stable online');
      const taken: string[] = [];
      const onStep = (p: { step: string }) => taken.push(p.step);
      modem.on('step', onStep);
      const t0 = performance.now();
      await hang.run({});
      await until(() => modem.state === 'hung', 60_000, 'hung');
      detect.push(performance.now() - t0);
      await until(() => modem.state === 'online', 120_000, 'recovered');
      recover.push(performance.now() - t0);
      modem.off('step', onStep);
      steps = taken;
    }
    return { detect, recover, steps };
  });
}

export async function benchModem(opts: SampleSize & { mqttUrl?: string }): Promise<void> {
  const r = new Report('modem');
  const t = await throughput(sample(opts, 4000, 1000, 200));
  r.figure('atCommandsPerSec', 'AT channel throughput on a PTY (AT+CSQ, one in flight)', Math.round(t.perSec), `${Math.round(t.perSec)} commands/s`, '≥ 200 commands/s');
  r.figure('atRoundTripMs', 'AT round trip on a PTY', summarize(t.latency), fmt(summarize(t.latency), 'ms', 2));
  r.figure('atMixedPerSec', 'AT channel throughput, poll-cycle mix queued', Math.round(t.mixedPerSec), `${Math.round(t.mixedPerSec)} commands/s`);

  const ret = await networkReturn(sample(opts, 20, 4, 1), opts.mqttUrl);
  const s = (k: keyof ReturnSample) => summarize(ret.map((x) => x[k]));
  r.note(`network return (modem at real latencies, production timing, ${opts.mqttUrl ? 'mosquitto' : 'embedded aedes'}, ~${ret[0]?.backlog ?? 0} records queued):`);
  r.figure('returnRegisteredMs', '  → registered (URC, the sim takes ~3 s like a module)', s('registered'), fmt(s('registered'), 'ms', 0));
  r.figure('returnOnlineMs', '  → data context up (online)', s('online'), fmt(s('online'), 'ms', 0));
  r.figure('returnMqttMs', '  → MQTT connected', s('connected'), fmt(s('connected'), 'ms', 0));
  r.figure('returnDrainedMs', 'network returns → pole online and outbox drained', s('drained'), fmt(s('drained'), 'ms', 0), '≤ 10000 ms p99');

  const h = await hungRecovery(sample(opts, 5, 2, 1));
  r.figure('hungDetectMs', 'hung modem detected (sim, time scale 0.1)', summarize(h.detect), fmt(summarize(h.detect), 'ms', 0), '≤ 15000 ms');
  r.figure('hungRecoverMs', `hung modem back online (${h.steps.join(' → ')})`, summarize(h.recover), fmt(summarize(h.recover), 'ms', 0), '≤ 60000 ms');

  const why = netnsUnavailable();
  if (why) r.note(`host data path in network namespaces: not measured (${why})`);
  else {
    const n = await benchNetnsReturn(sample(opts, 20, 4, 1), opts.mqttUrl);
    const q = (k: keyof NetnsSample) => summarize(n.map((x) => x[k]));
    r.note(`host data path (sim --netns: veth, dnsmasq, dhcpcd; modem at real latencies; ${opts.mqttUrl ? 'mosquitto' : 'embedded aedes'}; ~${Math.round(n.reduce((a, x) => a + x.backlog, 0) / Math.max(1, n.length))} records queued):`);
    r.figure('netnsRegisteredMs', '  network back → registered', q('registered'), fmt(q('registered'), 'ms', 0));
    r.figure('netnsCallUpMs', '  → data call up (the module raises the link)', q('callUp'), fmt(q('callUp'), 'ms', 0));
    r.figure('netnsLeaseMs', '  → DHCP lease on the host interface', q('lease'), fmt(q('lease'), 'ms', 0));
    r.figure('netnsRouteMs', '  → default route through it', q('route'), fmt(q('route'), 'ms', 0));
    r.figure('netnsOnlineMs', '  → modem online (the runtime saw lease + route)', q('online'), fmt(q('online'), 'ms', 0));
    r.figure('netnsMqttMs', '  → MQTT connected (birth)', q('connected'), fmt(q('connected'), 'ms', 0));
    r.figure('netnsDrainedMs', 'network returns → online → outbox drained, real network stack', q('drained'), fmt(q('drained'), 'ms', 0), '≤ 10000 ms p99');
  }
  r.save();
}
