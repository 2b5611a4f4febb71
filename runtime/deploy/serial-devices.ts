/**
 * The computer's serial devices as udev and sysfs describe them: USB vendor/product/interface/
 * serial, the /dev/serial/by-id, /dev/serial/by-path and /dev/smartpole names pointing at each,
 * and which config entry uses it (`smartpole devices`; docs/deployment.md §Device names).
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import { configuredDevices } from '../doctor/checks/devices.js';

export interface SerialDevice {
  /** /dev/ttyUSB2 */
  node: string;
  usb: { vendorId: string; productId: string; interface: string | null; serial: string | null; manufacturer: string | null; product: string | null } | null;
  /** Symlinks that resolve to this device (by-id, by-path, /dev/smartpole/…). */
  names: string[];
  /** Config entries (devices.<name>) whose path resolves to this device. */
  config: string[];
}

export interface ScanRoots { dev: string; sys: string }

const SERIAL_PREFIXES = ['ttyUSB', 'ttyACM', 'ttyAMA', 'ttyS', 'ttymxc', 'ttyXRUSB', 'ttyCH343USB'];

function read(p: string): string | null {
  try { return readFileSync(p, 'utf8').trim(); } catch { return null; }
}

function real(p: string): string | null {
  try { return realpathSync(p); } catch { return null; }
}

/** A legacy 8250 port without a UART behind it reports type 0; leave those out. */
function present(sysTty: string, name: string): boolean {
  if (!existsSync(join(sysTty, 'device'))) return false;
  if (name.startsWith('ttyS')) return (read(join(sysTty, 'type')) ?? '0') !== '0';
  return true;
}

function usbInfo(sysTty: string): SerialDevice['usb'] {
  let dir = real(join(sysTty, 'device'));
  let iface: string | null = null;
  while (dir && dir !== '/' && dir.length > 1) {
    iface ??= read(join(dir, 'bInterfaceNumber'));
    const vendorId = read(join(dir, 'idVendor'));
    if (vendorId) {
      return { vendorId, productId: read(join(dir, 'idProduct')) ?? '', interface: iface, serial: read(join(dir, 'serial')), manufacturer: read(join(dir, 'manufacturer')), product: read(join(dir, 'product')) };
    }
    dir = dirname(dir);
  }
  return null;
}

function links(dir: string): { path: string; target: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const path = join(dir, n);
    const target = real(path);
    return target ? [{ path, target }] : [];
  });
}

export function scanSerialDevices(config: Readonly<Config> | null, roots: ScanRoots = { dev: '/dev', sys: '/sys' }): { devices: SerialDevice[]; unmatched: { entry: string; path: string }[] } {
  const ttyDir = join(roots.sys, 'class', 'tty');
  const names = existsSync(ttyDir) ? readdirSync(ttyDir).filter((n) => SERIAL_PREFIXES.some((p) => n.startsWith(p))).sort() : [];
  const symlinks = [...links(join(roots.dev, 'serial', 'by-id')), ...links(join(roots.dev, 'serial', 'by-path')), ...links(join(roots.dev, 'smartpole'))];
  const entries = config ? configuredDevices(config).map((d) => ({ entry: `devices.${d.name}`, path: d.path, target: real(d.path) })) : [];
  const devices: SerialDevice[] = names.filter((n) => present(join(ttyDir, n), n)).map((n) => {
    const node = join(roots.dev, n);
    const target = real(node) ?? node;
    return {
      node,
      usb: usbInfo(join(ttyDir, n)),
      names: symlinks.filter((l) => l.target === target).map((l) => l.path),
      config: entries.filter((e) => e.target === target).map((e) => e.entry),
    };
  });
  const used = new Set(devices.flatMap((d) => d.config));
  return { devices, unmatched: entries.filter((e) => !used.has(e.entry)).map((e) => ({ entry: e.entry, path: e.target && e.target !== e.path ? `${e.path} → ${e.target}` : e.path })) };
}
