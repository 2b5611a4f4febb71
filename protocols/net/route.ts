/**
 * Linux's IPv4 routing table as `/proc/net/route` prints it (proc(5), "route"): a header line,
 * then one tab-separated row per route with `Iface Destination Gateway Flags RefCnt Use Metric
 * Mask MTU Window IRTT`; addresses are 32-bit hex in the host's byte order (little-endian on
 * every machine a pole runs on: x86-64, ARM). Pure: the text in, routes out; the caller reads
 * the file. Used to tell whether the pole's default route goes through the modem
 * (docs/protocols/modem.md §Host data path).
 */
import { netError } from './errors.js';

export const RTF_UP = 0x1;
export const RTF_GATEWAY = 0x2;

export interface Route {
  iface: string;
  /** Dotted quads. */
  destination: string;
  gateway: string;
  mask: string;
  flags: number;
  metric: number;
  /** Prefix length of `mask`. */
  prefix: number;
}

function bad(line: string, reason: string): never {
  throw netError('SP_NET_BAD_ROUTE_TABLE', { line: line.slice(0, 200), reason }, { message: `unexpected /proc/net/route line (${reason})` });
}

/** `0100A8C0` (little-endian) → `192.168.0.1`. */
export function hexToIpv4(hex: string): string {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) bad(hex, 'address is not 8 hex digits');
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

export function ipv4ToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

function prefixOf(mask: string): number {
  let n = ipv4ToInt(mask);
  let bits = 0;
  while (n & 0x80000000) { bits++; n = (n << 1) >>> 0; }
  return bits;
}

/** Parses the whole file; rows that are not routes raise SP_NET_BAD_ROUTE_TABLE. */
export function parseProcRoute(text: string): Route[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return [];
  if (!lines[0]!.startsWith('Iface')) bad(lines[0]!, 'header missing');
  return lines.slice(1).map((line) => {
    const f = line.split(/\s+/);
    if (f.length < 8) bad(line, 'fewer than 8 columns');
    const flags = parseInt(f[3]!, 16);
    const metric = Number(f[6]);
    if (!/^[0-9A-Fa-f]{1,4}$/.test(f[3]!) || !Number.isInteger(metric)) bad(line, 'flags or metric not a number');
    const mask = hexToIpv4(f[7]!);
    return { iface: f[0]!, destination: hexToIpv4(f[1]!), gateway: hexToIpv4(f[2]!), mask, flags, metric, prefix: prefixOf(mask) };
  });
}

/** The default route the kernel would use (lowest metric among up routes to 0.0.0.0/0). */
export function defaultRoute(routes: readonly Route[]): Route | null {
  return routeFor(routes, '0.0.0.0', true);
}

/**
 * The route the kernel picks for `ip` (longest prefix, then lowest metric); with `defaultOnly`
 * only /0 routes count.
 */
export function routeFor(routes: readonly Route[], ip: string, defaultOnly = false): Route | null {
  const a = ipv4ToInt(ip);
  let best: Route | null = null;
  for (const r of routes) {
    if (!(r.flags & RTF_UP)) continue;
    if (defaultOnly && r.prefix !== 0) continue;
    const m = ipv4ToInt(r.mask);
    if ((a & m) >>> 0 !== (ipv4ToInt(r.destination) & m) >>> 0) continue;
    if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && r.metric < best.metric)) best = r;
  }
  return best;
}
