/**
 * The modem's host network interface as Linux sees it (docs/protocols/modem.md §Host data path):
 * link and carrier from `/sys/class/net/<if>/`, its IPv4 address (the DHCP lease the host's
 * network stack took) from getifaddrs, and the routes from `/proc/net/route`. Everything here
 * reads world-readable files: the runtime needs no network privilege. One read is a few small
 * files, cheap enough to do every second.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { defaultRoute, parseProcRoute, routeFor, type Route } from '../../protocols/net/route.js';
import { errorCode } from '../../protocols/errors.js';

export interface HostLinkStatus {
  interface: string;
  /** The interface exists (the USB function is enumerated). */
  present: boolean;
  /** `operstate`: up, down, lowerlayerdown, unknown … */
  operstate: string | null;
  carrier: boolean;
  mtu: number | null;
  /** The IPv4 address on the interface (the lease), with its prefix length. */
  address: string | null;
  prefix: number | null;
  /** The default route goes through this interface (the pole's traffic leaves by the modem). */
  defaultVia: string | null;
  /** The route the broker's address takes, when it is an IPv4 literal. */
  brokerRoute: { iface: string; gateway: string } | null;
  /** Why the host is not online through this interface, or null when it is. */
  problem: string | null;
  at: number;
}

export interface HostLinkOptions {
  interface: string;
  /** The broker's IPv4 address, when known: its route must leave through the interface too. */
  brokerIp?: string | null;
  /** Roots for the two kernel trees (tests point them at a directory). */
  sysRoot?: string;
  procRoot?: string;
  addresses?: typeof networkInterfaces;
  now?: () => number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    const c = errorCode(e);
    if (c === 'ENOENT' || c === 'EINVAL' || c === 'ENODEV') return null; // carrier reads EINVAL while the link is down
    throw e;
  }
}

export function readHostLink(o: HostLinkOptions): HostLinkStatus {
  const dir = join(o.sysRoot ?? '/sys', 'class', 'net', o.interface);
  const operstate = read(join(dir, 'operstate'));
  const present = operstate !== null;
  const carrier = read(join(dir, 'carrier')) === '1';
  const mtuText = read(join(dir, 'mtu'));
  const v4 = (o.addresses ?? networkInterfaces)()[o.interface]?.find((a) => a.family === 'IPv4') ?? null;
  let routes: Route[] = [];
  let routeProblem: string | null = null;
  try {
    routes = parseProcRoute(read(join(o.procRoot ?? '/proc', 'net', 'route')) ?? '');
  } catch (e) {
    routeProblem = (e as Error).message;
  }
  const def = defaultRoute(routes);
  const defaultVia = def && def.iface === o.interface ? def.gateway : null;
  const br = o.brokerIp ? routeFor(routes, o.brokerIp) : null;
  const s: HostLinkStatus = {
    interface: o.interface, present, operstate, carrier, mtu: mtuText === null ? null : Number(mtuText),
    address: v4?.address ?? null, prefix: v4 ? Number(v4.cidr?.split('/')[1] ?? NaN) : null, defaultVia,
    brokerRoute: br ? { iface: br.iface, gateway: br.gateway } : null, problem: null, at: (o.now ?? Date.now)(),
  };
  s.problem = routeProblem ?? hostLinkProblem(s, o.brokerIp ?? null, def);
  return s;
}

/** The first thing missing for the host to be online through the interface. */
export function hostLinkProblem(s: HostLinkStatus, brokerIp: string | null, def: Route | null): string | null {
  if (!s.present) return `${s.interface} is missing (USB network function not enumerated)`;
  if (!s.carrier) return `${s.interface} has no carrier (no data call on the module)`;
  if (!s.address) return `${s.interface} has no IPv4 lease`;
  if (!def) return 'no default route';
  if (def.iface !== s.interface) return `the default route leaves by ${def.iface}, not ${s.interface}`;
  if (brokerIp && s.brokerRoute?.iface !== s.interface) return `the broker ${brokerIp} is routed by ${s.brokerRoute?.iface ?? 'nothing'}, not ${s.interface}`;
  return null;
}

/** `usb0 192.168.225.31/24 via 192.168.225.1` — one line for the status line and the viewer. */
export function describeHostLink(s: HostLinkStatus): string {
  if (s.problem) return `${s.interface}: ${s.problem}`;
  return `${s.interface} ${s.address}/${s.prefix} via ${s.defaultVia}`;
}
