/**
 * The modem's host data path measured through a real network stack (`sim --netns`): the runtime
 * in its own namespace, the simulated module (real latencies, timeScale 1) raising and dropping the
 * veth link with its data call, dnsmasq leasing, dhcpcd configuring. Each run: network drop, an
 * outage while records pile up, network back; then per step, from the moment the network returns:
 * registered (module), data call up (link raised), lease and default route (the runtime's
 * namespace, /proc/<pid>/net/route), modem online (`since` in the birth's modem health), MQTT connected (the
 * birth) and the outbox drained (the `mqtt.reconnected` event, enqueued behind the backlog at
 * reconnect, and every record before it received).
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import mqtt from 'mqtt';
import { startSim } from '../simulator/sim.js';
import { parseProcRoute } from '../protocols/net/route.js';
import { until } from './lib/until.js';

export interface NetnsSample { registered: number; callUp: number; lease: number; route: number; online: number; connected: number; drained: number; backlog: number }

type Msg = { code?: string; to?: string; at?: string; online?: boolean; bdSeq?: number; outboxDepth?: number; uplink?: { stream: string; seq: number }; devices?: { modem?: { state?: string; since?: string } } };

export async function benchNetnsReturn(runs: number, mqttUrl?: string): Promise<NetnsSample[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-bench-netns-'));
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttUrl, mqttPort: 0, httpPort: 0, logger: pino({ level: 'warn' }), logLevel: 'warn', modemTimeScale: 1, netns: true });
  const ops = await mqtt.connectAsync(sim.info.mqttUrl);
  try {
    const ns = sim.netns!;
    const rt = sim.runtime!;
    const modem = sim.modem!;
    const faults = sim.devices.get('modem')!.faults;
    const msgs: { m: Msg; t: number }[] = [];
    const seqs = new Set<number>();
    await ops.subscribeAsync(`${sim.info.topicPrefix}/poles/${sim.info.poleId}/#`);
    ops.on('message', (_t, p) => {
      if (p.length === 0) return;
      try {
        const m = JSON.parse(p.toString()) as Msg;
        if (m.uplink) seqs.add(m.uplink.seq);
        msgs.push({ m, t: performance.now() });
      } catch { /* not ours */ }
    });
    const routes = () => {
      try { return parseProcRoute(readFileSync(`/proc/${rt.pid}/net/route`, 'utf8')).filter((r) => r.iface === ns.iface); } catch { return []; }
    };
    const hasDefault = () => routes().some((r) => r.prefix === 0);
    const hasLease = () => routes().some((r) => r.prefix === 24);
    await until(() => msgs.some(({ m }) => m.online === true) && hasDefault(), 90_000, 'first online through the namespace');
    const out: NetnsSample[] = [];
    for (let i = 0; i < runs; i++) {
      await faults['network-drop']!.run({});
      await until(() => !hasDefault(), 20_000, 'route gone');
      // The outage: what a pole piles up meanwhile (modem events, telemetry, field bus).
      await new Promise((r) => setTimeout(r, 3000));
      const from = msgs.length;
      const marks: Partial<NetnsSample> = {};
      const t0 = performance.now();
      const wall0 = Date.now();
      await faults['network-restore']!.run({});
      for (;;) {
        const now = performance.now() - t0;
        if (marks.registered === undefined && modem.registered()) marks.registered = now;
        if (marks.callUp === undefined && ns.isUp) marks.callUp = now;
        if (marks.lease === undefined && hasLease()) marks.lease = now;
        if (marks.route === undefined && hasDefault()) marks.route = now;
        const recent = msgs.slice(from);
        if (marks.connected === undefined) {
          const b = recent.find(({ m }) => m.online === true && m.bdSeq !== undefined);
          if (b) marks.connected = b.t - t0;
        }
        if (marks.online === undefined) {
          // The first birth showing the modem online says since when (events may be rate-limited);
          // MQTT may connect a moment before the runtime's host poll sees the route (then a rebirth follows).
          const mod = recent.map(({ m }) => m.devices?.modem).find((x) => x?.state === 'online' && x.since);
          if (mod) marks.online = Date.parse(mod.since!) - wall0;
        }
        // Drained: every record up to the reconnect's is in. If MQTT never dropped (the outage was
        // shorter than the pole noticed), there is no reconnect: then up to the newest record 2 s
        // after the modem is back online.
        const rec = recent.find(({ m }) => m.code === 'mqtt.reconnected')
          ?? (marks.online !== undefined && now - marks.online > 2000 ? recent.filter(({ m }) => m.uplink?.seq !== undefined).at(-1) : undefined);
        if (rec && marks.drained === undefined) {
          const last = rec.m.uplink!.seq;
          const first = Math.min(...[...seqs]);
          let all = true;
          for (let s = first; s <= last && all; s++) all = seqs.has(s);
          if (all) { marks.drained = performance.now() - t0; marks.backlog = rec.m.outboxDepth ?? 0; }
        }
        if (marks.drained !== undefined && marks.route !== undefined && marks.connected !== undefined && marks.online !== undefined) break;
        if (now > 60_000) throw new Error(`network return did not complete: ${JSON.stringify(marks)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      out.push(marks as NetnsSample);
      await new Promise((r) => setTimeout(r, 500));
    }
    return out;
  } finally {
    await ops.endAsync();
    await sim.stop();
  }
}
