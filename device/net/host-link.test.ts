/** The host interface reader against a directory laid out like /sys and /proc (unit test). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { networkInterfaces } from 'node:os';
import { describeHostLink, readHostLink } from './host-link.js';

const HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n';
const USB_ROUTES = 'usb0\t00000000\t01E1A8C0\t0003\t0\t0\t1002\t00000000\t0\t0\t0\nusb0\t00E1A8C0\t00000000\t0001\t0\t0\t1002\t00FFFFFF\t0\t0\t0\n';

function tree(o: { carrier?: string | null; routes?: string; present?: boolean }) {
  const root = mkdtempSync(join(tmpdir(), 'sp-hostlink-'));
  const dev = join(root, 'sys', 'class', 'net', 'usb0');
  if (o.present !== false) {
    mkdirSync(dev, { recursive: true });
    writeFileSync(join(dev, 'operstate'), o.carrier === '1' ? 'up\n' : 'lowerlayerdown\n');
    if (o.carrier !== null) writeFileSync(join(dev, 'carrier'), `${o.carrier ?? '1'}\n`);
    writeFileSync(join(dev, 'mtu'), '1500\n');
  }
  mkdirSync(join(root, 'proc', 'net'), { recursive: true });
  writeFileSync(join(root, 'proc', 'net', 'route'), HEADER + (o.routes ?? ''));
  return { sysRoot: join(root, 'sys'), procRoot: join(root, 'proc') };
}

const leased = (() => ({ usb0: [{ address: '192.168.225.31', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '192.168.225.31/24' }] })) as unknown as typeof networkInterfaces;
const none = (() => ({})) as unknown as typeof networkInterfaces;

describe('readHostLink', () => {
  it('online: carrier, lease, default route and the broker through the interface', () => {
    const s = readHostLink({ interface: 'usb0', brokerIp: '203.0.113.5', addresses: leased, ...tree({ carrier: '1', routes: USB_ROUTES }) });
    expect(s).toMatchObject({ present: true, carrier: true, mtu: 1500, address: '192.168.225.31', prefix: 24, defaultVia: '192.168.225.1', brokerRoute: { iface: 'usb0' }, problem: null });
    expect(describeHostLink(s)).toBe('usb0 192.168.225.31/24 via 192.168.225.1');
  });
  it('names the first thing missing', () => {
    expect(readHostLink({ interface: 'usb0', addresses: none, ...tree({ present: false }) }).problem).toMatch(/missing/);
    expect(readHostLink({ interface: 'usb0', addresses: none, ...tree({ carrier: null }) }).problem).toMatch(/no carrier/);
    expect(readHostLink({ interface: 'usb0', addresses: none, ...tree({ carrier: '1' }) }).problem).toMatch(/no IPv4 lease/);
    expect(readHostLink({ interface: 'usb0', addresses: leased, ...tree({ carrier: '1' }) }).problem).toBe('no default route');
    const eth = 'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    expect(readHostLink({ interface: 'usb0', addresses: leased, ...tree({ carrier: '1', routes: USB_ROUTES + eth }) }).problem).toMatch(/leaves by eth0/);
  });
  it('a broken route table is reported, not thrown', () => {
    const t = tree({ carrier: '1' });
    writeFileSync(join(t.procRoot, 'net', 'route'), 'garbage\n');
    expect(readHostLink({ interface: 'usb0', addresses: leased, ...t }).problem).toMatch(/route/);
  });
});
