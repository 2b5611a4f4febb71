/**
 * The simulated modem's host data path in Linux network namespaces (`smartpole sim --netns`;
 * docs/simulator.md §Modem, docs/protocols/modem.md §Host data path). Two namespaces per sim:
 *
 *   pole ns  sp-pole-<id>:  the runtime; its only interface is `spu<id>` (the module's USB ECM
 *                           interface); dhcpcd stands for the host's network stack (networkd):
 *                           it takes the lease on carrier, drops it (address, routes) on carrier loss
 *   net ns   sp-net-<id>:   the module's side: `spm<id>` 192.168.225.1/24 (the RM5xx ECM gateway),
 *                           dnsmasq serving DHCP as the module does, and the way to the broker
 *                           (socat → a unix socket → socat → the broker), so nothing else is reachable
 *
 * The veth pair is the USB cable: the simulated modem raises the module's side when its data call
 * is up and drops it otherwise, so the pole's side loses carrier and real packets stop. Only
 * addresses inside these two namespaces are ever used. A guard shell outside the sim process
 * deletes both namespaces (and every process in them) when the sim's end of its pipe closes —
 * after a normal stop and after a `kill -9` alike.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DataPathGate } from './modem.js';
import { SmartpoleError } from '../../protocols/errors.js';
import { SimulatorErrors } from '../errors.js';

/** SP_SIM_NETNS with what went wrong. */
export function netnsError(reason: string): SmartpoleError {
  return new SmartpoleError('SP_SIM_NETNS', `--netns: ${reason}`, { reason, summary: SimulatorErrors.SP_SIM_NETNS.message });
}

/** The RM5xx ECM defaults: the module is 192.168.225.1 and leases from the same /24. */
export const MODULE_GATEWAY = '192.168.225.1';
export const BROKER_PORT_IN_NS = 1883;

export interface HostNetnsOptions {
  /** Where dnsmasq's lease file, the broker socket and logs go (the sim's pty dir). */
  dir: string;
  brokerHost: string;
  brokerPort: number;
  logger: Logger;
}

let counter = 0;

/** Why namespaces cannot be used here, or null: root, `ip`, dnsmasq, dhcpcd and socat present. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const [tool, pkg] of [['ip', 'iproute2'], ['dnsmasq', 'dnsmasq-base'], ['dhcpcd', 'dhcpcd-base'], ['socat', 'socat']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `${tool} is missing (Debian package ${pkg})`;
  }
  return null;
}

const CLEANUP = (pole: string, net: string, iface: string) => [
  `for n in ${pole} ${net}; do ip netns pids $n 2>/dev/null | xargs -r kill -9 2>/dev/null; ip netns del $n 2>/dev/null; done`,
  `rm -f /var/lib/dhcpcd/${iface}.lease /run/dhcpcd/${iface}-4.pid /run/dhcpcd/${iface}-4.sock /run/dhcpcd/${iface}-4.unpriv.sock`,
].join('; ');

/** Long-lived helpers run like the PTY pairs' socat: killed when our end of the pipe closes. */
const TIED = 'exec 3<&0; "$@" </dev/null & s=$!; { read _ <&3; kill $s 2>/dev/null; } & wait $s';

export class HostNetns implements DataPathGate {
  readonly id: string;
  readonly poleNs: string;
  readonly netNs: string;
  /** The pole's interface (the module's USB network interface as the host names it). */
  readonly iface: string;
  readonly moduleIface: string;
  readonly stats = { linkUps: 0, linkDowns: 0 };
  private guard: ChildProcess | null = null;
  private readonly children: ChildProcess[] = [];
  private wanted = false;
  private applied: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly o: HostNetnsOptions) {
    this.id = `${process.pid}x${counter++}`;
    this.poleNs = `sp-pole-${this.id}`;
    this.netNs = `sp-net-${this.id}`;
    this.iface = `spu${this.id}`.slice(0, 15);
    this.moduleIface = `spm${this.id}`.slice(0, 15);
    this.log = o.logger.child({ device: 'sim-netns' });
  }

  /** mqtt://192.168.225.1:1883 — the broker as the pole sees it, through the modem. */
  get mqttUrl(): string {
    return `mqtt://${MODULE_GATEWAY}:${BROKER_PORT_IN_NS}`;
  }

  get isUp(): boolean {
    return this.wanted;
  }

  /** The command prefix that runs a program in the pole's namespace. */
  inPole(argv: string[]): string[] {
    return ['ip', 'netns', 'exec', this.poleNs, ...argv];
  }

  async start(): Promise<void> {
    const why = netnsUnavailable();
    if (why) throw netnsError(why);
    // The guard first, so a crash anywhere below still cleans up.
    const cleanup = CLEANUP(this.poleNs, this.netNs, this.iface);
    this.guard = spawn('sh', ['-c', `read _; ${cleanup}`], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    this.guard.unref();
    const sh = (cmd: string) => {
      const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
      if (r.status !== 0) throw netnsError(`\`${cmd}\` failed: ${r.stderr.trim()}`);
    };
    const { poleNs: P, netNs: N, iface: U, moduleIface: M } = this;
    sh(`ip netns add ${P} && ip netns add ${N}`);
    sh(`ip link add ${M} netns ${N} type veth peer name ${U} netns ${P}`);
    sh(`ip -n ${N} addr add ${MODULE_GATEWAY}/24 dev ${M} && ip -n ${N} link set lo up && ip -n ${P} link set lo up && ip -n ${P} link set ${U} up`);
    const leases = join(this.o.dir, `${U}.leases`);
    rmSync(leases, { force: true });
    // The module's DHCP server (the module hands out 192.168.225.x and routes/NATs behind it).
    this.tied('dnsmasq', ['ip', 'netns', 'exec', N, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts',
      `--interface=${M}`, '--bind-dynamic', '--no-ping', '--dhcp-authoritative', '--port=0', '--pid-file=',
      '--dhcp-range=192.168.225.20,192.168.225.60,255.255.255.0,1h', `--dhcp-option=option:router,${MODULE_GATEWAY}`,
      '--dhcp-option=option:mtu,1500', `--dhcp-leasefile=${leases}`, '--log-facility=-']);
    // The host's network stack: lease on carrier, addresses and routes dropped on carrier loss.
    this.tied('dhcpcd', ['ip', 'netns', 'exec', P, 'dhcpcd', '-B', '-4', '-f', '/dev/null', '-c', '/bin/true', '--noipv4ll', '--noarp', '-L', '-t', '0', U]);
    // Behind the module: the broker, reached from the module's namespace over a unix socket.
    const sock = join(this.o.dir, `broker-${this.id}.sock`);
    rmSync(sock, { force: true });
    this.tied('socat-broker', ['socat', `UNIX-LISTEN:${sock},fork,unlink-early`, `TCP:${this.o.brokerHost}:${this.o.brokerPort}`]);
    this.tied('socat-module', ['ip', 'netns', 'exec', N, 'socat', `TCP-LISTEN:${BROKER_PORT_IN_NS},bind=${MODULE_GATEWAY},reuseaddr,fork`, `UNIX-CONNECT:${sock}`]);
    await this.applied;
    this.log.info({ poleNs: P, netNs: N, iface: U }, 'namespaces up; the pole reaches the broker only through the modem');
  }

  /** The simulated modem's data call: the module's side of the cable up or down. */
  setUp(up: boolean): void {
    if (up === this.wanted) return;
    this.wanted = up;
    if (up) this.stats.linkUps++;
    else this.stats.linkDowns++;
    this.applied = this.applied.then(() => new Promise<void>((resolve) => {
      const p = spawn('ip', ['-n', this.netNs, 'link', 'set', this.moduleIface, up ? 'up' : 'down'], { stdio: 'ignore' });
      p.on('exit', () => resolve());
      p.on('error', () => resolve());
    }));
  }

  /** Waits until the last link change is applied. */
  settled(): Promise<void> {
    return this.applied;
  }

  /** The pole's current lease, from the module's DHCP server. */
  lease(): string | null {
    try {
      const rows = readFileSync(join(this.o.dir, `${this.iface}.leases`), 'utf8').trim().split('\n').filter(Boolean);
      return rows.at(-1)?.split(' ')[2] ?? null;
    } catch {
      return null;
    }
  }

  /** Runs `ip` in the pole's namespace (tests: withdraw a route behind the modem's back). */
  poleIp(args: string[]): string {
    const r = spawnSync('ip', ['-n', this.poleNs, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip -n ${this.poleNs} ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async stop(): Promise<void> {
    this.wanted = false;
    await this.applied;
    for (const c of this.children) c.stdin?.end();
    spawnSync('sh', ['-c', CLEANUP(this.poleNs, this.netNs, this.iface)], { stdio: 'ignore' });
    this.guard?.stdin?.end();
    this.guard = null;
  }

  private tied(name: string, argv: string[]): void {
    const c = spawn('sh', ['-c', TIED, `smartpole-${name}`, ...argv], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    c.on('exit', (code) => { if (this.guard) this.log.warn({ name, code, stderr: err.trim() }, `${name} exited`); });
    this.children.push(c);
  }
}
