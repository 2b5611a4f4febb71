/**
 * The modem's host data path (docs/protocols/modem.md §Host data path): Quectel's USB network
 * mode and data-call commands.
 *   `AT+QCFG="usbnet"`     → `+QCFG: "usbnet",1`   (0 RmNet/QMI, 1 ECM, 2 MBIM, 3 RNDIS)
 *   `AT+QNETDEVCTL?`       → `+QNETDEVCTL: <op>,<cid>,<urc>,<state>`   (state 1 = call up; inferred
 *                            from the set form `AT+QNETDEVCTL=<op>,<cid>[,<urc>]`: op 0 disconnect,
 *                            1 connect once, 3 auto-connect), or a bare OK when no call was made
 *   `AT+QNETDEVSTATUS=<cid>` → `+QNETDEVSTATUS: <ip>,<mask>,<gw>,<dhcp>,<dns1>,<dns2>,<rx>,<tx>`
 *                            (the addresses the module hands out on the USB interface; quoted
 *                            or bare depending on firmware)
 * The `+QNETDEVSTATUS: <cid>,<state>` URC is parsed in urc.ts.
 */
import { badReply } from './errors.js';
import { afterPrefix, intField, requireInt, splitFields, textField } from './params.js';

/** `AT+QCFG="usbnet",<mode>` values (RM5xxQ/RM520N). */
export enum UsbNetMode {
  RmNet = 0,
  Ecm = 1,
  Mbim = 2,
  Rndis = 3,
}

export const USBNET_NAMES: Record<UsbNetMode, string> = { 0: 'rmnet', 1: 'ecm', 2: 'mbim', 3: 'rndis' };

/** `+QCFG: "usbnet",1` → 1. */
export function parseUsbnet(lines: readonly string[]): UsbNetMode {
  const line = lines.find((l) => l.startsWith('+QCFG:'));
  if (line === undefined) return badReply(lines[0] ?? '', '+QCFG: "usbnet" missing');
  const f = splitFields(afterPrefix(line, '+QCFG:'), line);
  if (f[0]?.value.toLowerCase() !== 'usbnet') badReply(line, 'not the usbnet setting');
  const mode = requireInt(f[1], line, 'usbnet mode');
  if (!(mode in USBNET_NAMES)) badReply(line, 'unknown usbnet mode');
  return mode as UsbNetMode;
}

export interface DataCall {
  /** The last operation asked: 0 disconnect, 1 connect once, 3 auto-connect. */
  op: number;
  cid: number;
  urc: boolean;
  /** The call is up (state 1). */
  connected: boolean;
}

/** `+QNETDEVCTL: 1,1,1,1` → the call of context 1, up. A bare OK (no line) → null. */
export function parseQnetdevctl(lines: readonly string[]): DataCall | null {
  const line = lines.find((l) => l.startsWith('+QNETDEVCTL:'));
  if (line === undefined) return null;
  const f = splitFields(afterPrefix(line, '+QNETDEVCTL:'), line);
  if (f.length < 3) badReply(line, '+QNETDEVCTL needs op, cid, urc');
  const op = requireInt(f[0], line, 'op');
  const cid = requireInt(f[1], line, 'cid');
  if (op < 0 || op > 3) badReply(line, 'op out of range');
  if (cid < 1 || cid > 16) badReply(line, 'cid out of range');
  const urc = requireInt(f[2], line, 'urc') === 1;
  const state = intField(f[3], line, 'state', true);
  return { op, cid, urc, connected: state === 1 };
}

export interface NetdevStatus {
  ipv4: string;
  mask: string | null;
  gateway: string | null;
  dhcpServer: string | null;
  dns: string[];
  rxBytes: number | null;
  txBytes: number | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function isIpv4(s: string): boolean {
  return IPV4.test(s);
}

/** `+QNETDEVSTATUS: 192.168.225.31,255.255.255.0,192.168.225.1,…` → the host side's addresses. */
export function parseQnetdevstatus(lines: readonly string[]): NetdevStatus | null {
  const line = lines.find((l) => l.startsWith('+QNETDEVSTATUS:'));
  if (line === undefined) return null;
  const f = splitFields(afterPrefix(line, '+QNETDEVSTATUS:'), line);
  if (f.length < 3) badReply(line, '+QNETDEVSTATUS needs address, mask, gateway');
  const ip = (i: number, name: string): string | null => {
    const v = textField(f[i]);
    if (v === null || v === '') return null;
    if (!isIpv4(v)) badReply(line, `${name} is not an IPv4 address`);
    return v;
  };
  const ipv4 = ip(0, 'address');
  if (ipv4 === null) badReply(line, 'address missing');
  return {
    ipv4, mask: ip(1, 'mask'), gateway: ip(2, 'gateway'), dhcpServer: ip(3, 'dhcp server'),
    dns: [ip(4, 'dns1'), ip(5, 'dns2')].filter((x): x is string => x !== null),
    rxBytes: intField(f[6], line, 'rx', true), txBytes: intField(f[7], line, 'tx', true),
  };
}
