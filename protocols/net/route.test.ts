/** /proc/net/route (proc(5)): rows captured from a Linux host whose lease came over a veth. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SmartpoleError } from '../errors.js';
import { defaultRoute, hexToIpv4, parseProcRoute, routeFor } from './route.js';

const CAPTURE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
usb0\t00000000\t01E1A8C0\t0003\t0\t0\t1002\t00000000\t0\t0\t0
usb0\t00E1A8C0\t00000000\t0001\t0\t0\t1002\t00FFFFFF\t0\t0\t0
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

describe('/proc/net/route', () => {
  it('reads the rows of a real table', () => {
    const r = parseProcRoute(CAPTURE);
    expect(r).toHaveLength(4);
    expect(r[0]).toEqual({ iface: 'usb0', destination: '0.0.0.0', gateway: '192.168.225.1', mask: '0.0.0.0', flags: 3, metric: 1002, prefix: 0 });
    expect(r[1]!.prefix).toBe(24);
  });
  it('the default route is the lowest metric /0', () => {
    expect(defaultRoute(parseProcRoute(CAPTURE))?.iface).toBe('eth0');
    expect(defaultRoute(parseProcRoute(CAPTURE).filter((x) => x.iface === 'usb0'))?.gateway).toBe('192.168.225.1');
    expect(defaultRoute(parseProcRoute(CAPTURE.split('\n').slice(0, 1).join('\n')))).toBeNull();
  });
  it('longest prefix wins for one address', () => {
    const r = parseProcRoute(CAPTURE);
    expect(routeFor(r, '192.168.225.9')?.prefix).toBe(24);
    expect(routeFor(r, '192.168.225.9')?.iface).toBe('usb0');
    expect(routeFor(r, '10.1.2.3')?.iface).toBe('eth0');
  });
  it('an empty file has no routes; a header-less one is refused', () => {
    expect(parseProcRoute('')).toEqual([]);
    expect(() => parseProcRoute('usb0\t00000000')).toThrow(expect.objectContaining({ code: 'SP_NET_BAD_ROUTE_TABLE' }));
  });
  it('hex is little-endian', () => expect(hexToIpv4('0100A8C0')).toBe('192.168.0.1'));

  it('random rows: routes or SP_NET_BAD_ROUTE_TABLE, never another exception', () => {
    const cell = fc.oneof(fc.stringMatching(/^[0-9A-F]{8}$/), fc.stringMatching(/^[0-9A-Fa-f]{0,9}$/), fc.string({ maxLength: 6 }));
    const row = fc.array(cell, { maxLength: 12 }).map((c) => c.join('\t'));
    fc.assert(fc.property(fc.array(row, { maxLength: 5 }), fc.boolean(), (rows, header) => {
      try {
        const r = parseProcRoute([header ? 'Iface\tDestination' : '', ...rows].join('\n'));
        for (const x of r) expect(x.prefix).toBeGreaterThanOrEqual(0);
        defaultRoute(r);
      } catch (e) {
        expect(e).toBeInstanceOf(SmartpoleError);
        expect((e as SmartpoleError).code).toBe('SP_NET_BAD_ROUTE_TABLE');
      }
    }), { numRuns: 500 });
  });
  it('any address round-trips through the kernel encoding', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      const p = ip.split('.').map(Number);
      const hex = ((p[3]! << 24 | p[2]! << 16 | p[1]! << 8 | p[0]!) >>> 0).toString(16).padStart(8, '0');
      expect(hexToIpv4(hex)).toBe(ip);
    }));
  });
});
