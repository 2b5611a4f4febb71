/** The ModemManager / NetworkManager check against directories laid out like /proc, /run/udev and /sys (unit test). */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModemCoexistence, udevProperties } from './coexistence-check.js';

// A real character device stands for the modem's AT port: /dev/null is c 1:3 everywhere.
const PORT = '/dev/null';

function machine(o: { procs?: string[]; ignore?: boolean; nmManaged?: boolean }) {
  const root = mkdtempSync(join(tmpdir(), 'sp-coexist-'));
  const proc = join(root, 'proc');
  (o.procs ?? []).forEach((name, i) => {
    mkdirSync(join(proc, String(100 + i)), { recursive: true });
    writeFileSync(join(proc, String(100 + i), 'comm'), `${name}\n`);
  });
  mkdirSync(join(proc, 'self'), { recursive: true });
  const udev = join(root, 'udev');
  mkdirSync(udev, { recursive: true });
  writeFileSync(join(udev, 'c1:3'), `I:1\nE:ID_VENDOR_ID=2c7c\n${o.ignore ? 'E:ID_MM_DEVICE_IGNORE=1\n' : ''}G:systemd\n`);
  const sys = join(root, 'sys');
  mkdirSync(join(sys, 'class', 'net', 'usb0'), { recursive: true });
  writeFileSync(join(sys, 'class', 'net', 'usb0', 'ifindex'), '7\n');
  const nm = join(root, 'nm');
  mkdirSync(join(nm, 'devices'), { recursive: true });
  if (o.nmManaged !== undefined) writeFileSync(join(nm, 'devices', '7'), `[device]\nmanaged=${o.nmManaged}\n`);
  return { portPath: PORT, hostInterface: 'usb0', procRoot: proc, udevDataRoot: udev, sysRoot: sys, nmRunRoot: nm };
}

describe('modem coexistence check', () => {
  it('reads the device number the way udev names its database files', () => {
    expect(statSync(PORT).isCharacterDevice()).toBe(true);
    expect(udevProperties(PORT, machine({ ignore: true }).udevDataRoot)?.get('ID_MM_DEVICE_IGNORE')).toBe('1');
    expect(udevProperties('/nonexistent/ttyUSB2')).toBeNull();
  });
  it('no ModemManager: ok', () => {
    expect(checkModemCoexistence(machine({ procs: ['systemd', 'sshd'] }))).toMatchObject({ id: 'modem.coexistence', ok: true, message: expect.stringMatching(/ModemManager is not running/) });
  });
  it('ModemManager running and not told to ignore the port: an error with the fix', () => {
    const f = checkModemCoexistence(machine({ procs: ['ModemManager', 'NetworkManager'] }));
    expect(f).toMatchObject({ ok: false, severity: 'error' });
    expect(f.message).toMatch(/fights the runtime for the AT port; NetworkManager would start its own data call/);
    expect(f.fix).toMatch(/ID_MM_DEVICE_IGNORE=1/);
  });
  it('ModemManager running but ignoring the port: ok', () => {
    expect(checkModemCoexistence(machine({ procs: ['ModemManager'], ignore: true }))).toMatchObject({ ok: true, message: expect.stringMatching(/ignores \/dev\/null/) });
  });
  it('NetworkManager managing the modem interface beside ModemManager: a warning', () => {
    expect(checkModemCoexistence(machine({ procs: ['ModemManager', 'NetworkManager'], ignore: true, nmManaged: true }))).toMatchObject({ ok: false, severity: 'warn', fix: expect.stringMatching(/managed no/) });
    expect(checkModemCoexistence(machine({ procs: ['NetworkManager'], nmManaged: true }))).toMatchObject({ ok: true, message: expect.stringMatching(/NetworkManager takes the lease on usb0/) });
  });
  it('reads this machine without privileges and without throwing', () => {
    expect(checkModemCoexistence({ portPath: '/dev/ttyUSB2', hostInterface: 'usb0' }).id).toBe('modem.coexistence');
  });
});
