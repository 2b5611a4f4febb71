/**
 * USB network mode and data-call replies (docs/protocols/modem.md §Host data path). Lines are the
 * formats quoted in that section; the test reply of AT+QNETDEVCTL is the RM500U capture.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseQnetdevctl, parseQnetdevstatus, parseUsbnet, UsbNetMode } from './usbnet.js';
import { parseUrc } from './urc.js';

const bad = { code: 'SP_AT_BAD_REPLY' };

describe('+QCFG: "usbnet"', () => {
  it.each([
    ['+QCFG: "usbnet",0', UsbNetMode.RmNet],
    ['+QCFG: "usbnet",1', UsbNetMode.Ecm],
    ['+QCFG: "usbnet",2', UsbNetMode.Mbim],
    ['+QCFG: "usbnet",3', UsbNetMode.Rndis],
    ['+QCFG: "USBNET",1', UsbNetMode.Ecm],
  ])('%s', (line, mode) => expect(parseUsbnet([line])).toBe(mode));
  it.each([['+QCFG: "usbnet",7'], ['+QCFG: "nat",1'], ['+QCFG: "usbnet"'], ['+QCFG: "usbnet",x']])('refuses %s', (line) => {
    expect(() => parseUsbnet([line])).toThrow(expect.objectContaining(bad));
  });
  it('an OK without the line is a bad reply', () => expect(() => parseUsbnet([])).toThrow(expect.objectContaining(bad)));
});

describe('+QNETDEVCTL', () => {
  it('reads the call of a context', () => {
    expect(parseQnetdevctl(['+QNETDEVCTL: 1,1,1,1'])).toEqual({ op: 1, cid: 1, urc: true, connected: true });
    expect(parseQnetdevctl(['+QNETDEVCTL: 3,2,0,0'])).toEqual({ op: 3, cid: 2, urc: false, connected: false });
    expect(parseQnetdevctl(['+QNETDEVCTL: 0,1,1'])).toEqual({ op: 0, cid: 1, urc: true, connected: false });
  });
  it('a bare OK means no call', () => expect(parseQnetdevctl([])).toBeNull());
  it.each([['+QNETDEVCTL: 5,1,1,1'], ['+QNETDEVCTL: 1,17,1,1'], ['+QNETDEVCTL: 1'], ['+QNETDEVCTL: (1-8),(0-3),(0,1)']])('refuses %s', (line) => {
    expect(() => parseQnetdevctl([line])).toThrow(expect.objectContaining(bad));
  });
});

describe('+QNETDEVSTATUS', () => {
  it('reads the addresses the module hands out (bare and quoted)', () => {
    const v = { ipv4: '192.168.225.31', mask: '255.255.255.0', gateway: '192.168.225.1', dhcpServer: '192.168.225.1', dns: ['192.168.225.1'], rxBytes: 1200, txBytes: 800 };
    expect(parseQnetdevstatus(['+QNETDEVSTATUS: 192.168.225.31,255.255.255.0,192.168.225.1,192.168.225.1,192.168.225.1,,1200,800'])).toEqual(v);
    expect(parseQnetdevstatus(['+QNETDEVSTATUS: "192.168.225.31","255.255.255.0","192.168.225.1","192.168.225.1","192.168.225.1","",1200,800'])).toEqual(v);
  });
  it('no line → no call', () => expect(parseQnetdevstatus([])).toBeNull());
  it.each([['+QNETDEVSTATUS: 300.1.1.1,255.255.255.0,1.1.1.1'], ['+QNETDEVSTATUS: ,255.255.255.0,1.1.1.1'], ['+QNETDEVSTATUS: 1.2.3.4']])('refuses %s', (line) => {
    expect(() => parseQnetdevstatus([line])).toThrow(expect.objectContaining(bad));
  });
  it('the URC form says up or down', () => {
    expect(parseUrc('+QNETDEVSTATUS: 1,1')).toEqual({ kind: 'netdev', connected: true, cid: 1 });
    expect(parseUrc('+QNETDEVSTATUS: 0')).toEqual({ kind: 'netdev', connected: false, cid: null });
  });
});

// Random input for these parsers: protocols/at/parsers.fuzz.test.ts (one table of every AT reply parser).
describe('a data call', () => {
  it('a valid data call survives a round trip', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 16 }), fc.boolean(), fc.boolean(), (op, cid, urc, up) => {
      expect(parseQnetdevctl([`+QNETDEVCTL: ${op},${cid},${urc ? 1 : 0},${up ? 1 : 0}`])).toEqual({ op, cid, urc, connected: up });
    }));
  });
});
