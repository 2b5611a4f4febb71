/**
 * The modem's host data path against a real network stack (docs/protocols/modem.md §Host data
 * path): `smartpole sim --netns` with a real mosquitto. The runtime runs in its own network
 * namespace whose only way out is a veth pair standing for the modem's USB ECM interface; the
 * simulated module serves DHCP (dnsmasq) and raises/drops the link with its data call; dhcpcd
 * takes the lease. Only addresses inside the test's own namespaces are used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import mqtt from 'mqtt';
import { WebSocket } from 'ws';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';
import { requireTool } from '../helpers/tools.js';

type Msg = { code?: string; uplink?: { stream: string; seq: number }; [k: string]: unknown };
type Host = { interface: string; address: string | null; gateway: string | null; route: string | null; problem: string | null; usbnet: string };


describe('modem host data path in a network namespace (CLI sim --netns, mosquitto, dnsmasq, dhcpcd)', () => {
  let broker: Mosquitto;
  let sim: SimProcess;
  let ops: mqtt.MqttClient;
  let ns = '';
  const events: Msg[] = [];
  const births: Msg[] = [];
  const seqs = new Map<string, Set<number>>();

  beforeAll(async () => {
    for (const tool of ['ip', 'dnsmasq', 'dhcpcd', 'socat']) requireTool(tool);
    if (process.getuid?.() !== 0) throw new Error('the network-namespace test needs root (CI runs as root)');
    broker = await startMosquitto();
    sim = await startSimProcess(['--mqtt-url', broker.url, '--netns']);
    ns = /network namespace (sp-pole-\S+):/.exec(sim.output())![1]!;
    ops = await mqtt.connectAsync(broker.url);
    await ops.subscribeAsync('smartpole/v1/poles/WH-JA-0001/#');
    ops.on('message', (t, p) => {
      if (p.length === 0) return;
      let m: Msg;
      try { m = JSON.parse(p.toString()) as Msg; } catch { return; }
      if (m.uplink) {
        const s = seqs.get(m.uplink.stream) ?? new Set<number>();
        s.add(m.uplink.seq);
        seqs.set(m.uplink.stream, s);
      }
      if (t.endsWith('/events')) events.push(m);
      else if (t.endsWith('/state')) births.push(m);
    });
  }, 60_000);

  afterAll(async () => {
    await ops?.endAsync();
    expect(await sim?.stop()).toBe(0);
    await broker?.stop();
    // Every exit path removes the namespaces.
    expect(execFileSync('ip', ['netns', 'list']).toString()).not.toContain(ns || 'sp-pole-none');
  });

  const fault = (f: string, args: Record<string, unknown> = {}) =>
    sim.api('/api/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ device: 'modem', fault: f, args }) });
  const defaultRoute = () => execFileSync('ip', ['-n', ns, 'route', 'show', 'default']).toString().trim();
  const hostOf = (b: Msg) => (b.devices as { modem?: { state: string; host: Host } } | undefined)?.modem;
  const onlineBirth = (after = 0) => births.slice(after).find((b) => b.online === true && hostOf(b)?.state === 'online' && hostOf(b)?.host?.address);
  const noGaps = () => {
    for (const [stream, s] of seqs) {
      const v = [...s].sort((a, b) => a - b);
      const missing = v.length ? v[v.length - 1]! - v[0]! + 1 - v.length : 0;
      if (missing !== 0) return `${stream}: ${missing} records missing between ${v[0]} and ${v.at(-1)}`;
    }
    return null;
  };

  it('gets online through DHCP on the veth: lease, default route through it, MQTT over it; the birth names them', { timeout: 60_000 }, async () => {
    const birth = await until(() => onlineBirth(), 45_000, 'a birth with the modem online over the host interface');
    const host = hostOf(birth)!.host;
    expect(host).toMatchObject({ usbnet: 'ecm', gateway: '192.168.225.1', problem: null });
    expect(host.address).toMatch(/^192\.168\.225\.\d+$/);
    expect(host.route).toBe(`default via 192.168.225.1 dev ${host.interface}`);
    expect(defaultRoute()).toMatch(new RegExp(`^default via 192\\.168\\.225\\.1 dev ${host.interface}`));
    // The runtime's namespace has no other way out: only lo and the modem's interface.
    const links = execFileSync('ip', ['-n', ns, '-o', 'link', 'show']).toString().trim().split('\n').map((l) => l.split(': ')[1]!.split('@')[0]);
    expect(links.sort()).toEqual([host.interface, 'lo'].sort());
    const modem = (await sim.api<{ name: string; state: { hostLease: string; usbnet: number } }[]>('/api/devices')).find((d) => d.name === 'modem')!;
    expect(modem.state).toMatchObject({ hostLease: host.address, usbnet: 1 });
    // The module came up in RmNet mode and was switched to ECM once, with the reboot it needs.
    expect(events.some((e) => e.code === 'modem.state' && e.to === 'resetting')).toBe(true);
    // The viewer's modem card: the runtime is another process, so its health comes from the birth.
    const ws = new WebSocket(sim.httpUrl.replace(/^http/, 'ws') + '/api/ws');
    try {
      const status = await new Promise<{ health: { modem?: { host?: Host } } | null }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no viewer status with the modem\'s host link')), 15_000);
        ws.on('message', (d: Buffer, binary: boolean) => {
          if (binary) return; // screen frames
          const m = JSON.parse(d.toString()) as { type: string; health: { modem?: { host?: Host } } | null };
          if (m.type === 'status' && m.health?.modem?.host?.address) { clearTimeout(t); resolve(m); }
        });
        ws.on('error', reject);
      });
      expect(status.health!.modem!.host).toMatchObject({ interface: host.interface, address: host.address, route: host.route });
    } finally {
      ws.close();
    }
  });

  it('a network drop removes the route and cuts MQTT; recovery brings it back, the outbox drained, nothing lost', { timeout: 90_000 }, async () => {
    const before = births.length;
    await fault('network-drop');
    await until(() => defaultRoute() === '', 15_000, 'the default route gone with the carrier');
    await until(() => births.slice(before).some((b) => b.online === false), 30_000, 'the will: pole offline on MQTT');
    await new Promise((r) => setTimeout(r, 1500));
    const afterDrop = births.length;
    await fault('network-restore');
    await until(() => onlineBirth(afterDrop), 45_000, 'online again over the host interface');
    expect(defaultRoute()).toMatch(/^default via 192\.168\.225\.1/);
    // What happened while offline was queued and arrives now, in order and without gaps.
    await until(() => events.some((e) => e.code === 'modem.state' && e.to === 'registering' && e.error === 'SP_MODEM_NO_SERVICE'), 20_000, 'the offline events delivered');
    await until(() => noGaps() === null, 20_000, 'no gaps in the uplink sequence');
    expect([...seqs.values()].reduce((n, s) => n + s.size, 0)).toBeGreaterThan(10);
  });

  it('a default route withdrawn behind the modem\'s back is a data stall: detected and recovered', { timeout: 90_000 }, async () => {
    await until(() => defaultRoute() !== '', 15_000, 'route present');
    const from = events.length;
    execFileSync('ip', ['-n', ns, 'route', 'del', 'default']);
    const stall = await until(() => events.slice(from).find((e) => e.code === 'modem.failure' && e.error === 'SP_MODEM_DATA_STALL'), 30_000, 'the stall reported');
    expect(String(stall.message)).toMatch(/says attached but no default route/);
    await until(() => events.slice(from).some((e) => e.code === 'modem.recovery'), 20_000, 'a recovery step');
    await until(() => events.slice(from).some((e) => e.code === 'modem.recovered'), 60_000, 'recovered');
    expect(defaultRoute()).toMatch(/^default via 192\.168\.225\.1/);
    await until(() => noGaps() === null, 20_000, 'no gaps in the uplink sequence');
  });

  it('kill -9 of the sim leaves no namespace, no DHCP server or client, no bridge and no runtime behind', { timeout: 60_000 }, async () => {
    const other = await startSimProcess(['--mqtt-url', broker.url, '--netns', '--pole-id', 'WH-JA-0002']);
    const ns2 = /network namespace (sp-pole-\S+):/.exec(other.output())![1]!;
    const id = ns2.slice('sp-pole-'.length);
    const mine = () => execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(`spu${id}`) || l.includes(`spm${id}`) || l.includes(`broker-${id}.sock`) || l.includes(`${other.dataDir}/pole.yaml`));
    await until(() => mine().length >= 5, 20_000, 'dnsmasq, dhcpcd, the broker bridges and the runtime running');
    expect(execFileSync('ip', ['netns', 'list']).toString()).toContain(ns2);
    other.proc.kill('SIGKILL');
    await until(() => !execFileSync('ip', ['netns', 'list']).toString().includes(id), 15_000, 'namespaces removed by the guard');
    await until(() => mine().length === 0, 15_000, `helpers gone (left: ${mine().join(' | ')})`);
  });
});
