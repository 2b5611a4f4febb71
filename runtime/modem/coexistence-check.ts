/**
 * Does anything else on this machine drive the modem? (docs/protocols/modem.md §Coexistence with ModemManager)
 * ModemManager probes every ttyUSB port it is not told to ignore and would fight the runtime for
 * the AT port; NetworkManager, with ModemManager, would bring its own data call up and down. The
 * runtime owns the modem, so ModemManager must either not run or ignore the modem's ports
 * (`ID_MM_DEVICE_IGNORE=1` from the smartpole udev rules). Read-only and unprivileged: process
 * names from /proc, the udev database under /run/udev/data, NetworkManager's device state under
 * /run/NetworkManager/devices. A self-contained check for `smartpole doctor`.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../doctor/finding.js';

export type { Finding };

export interface CoexistenceInput {
  /** The modem's AT port as configured (devices.modem.path); symlinks are followed. */
  portPath: string;
  /** devices.modem.host.interface, when the host data path is used. */
  hostInterface?: string | null;
  procRoot?: string;
  udevDataRoot?: string;
  sysRoot?: string;
  nmRunRoot?: string;
}

export const COEXISTENCE_CHECK_ID = 'modem.coexistence';

/** Names of running processes (comm), from /proc/<pid>/comm. */
export function runningProcesses(procRoot = '/proc'): Set<string> {
  const names = new Set<string>();
  let entries: string[] = [];
  try { entries = readdirSync(procRoot); } catch { return names; }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try { names.add(readFileSync(join(procRoot, e, 'comm'), 'utf8').trim()); } catch { /* exited meanwhile */ }
  }
  return names;
}

/** The udev properties of a character device node (E: lines of /run/udev/data/c<major>:<minor>). */
export function udevProperties(devicePath: string, udevDataRoot = '/run/udev/data'): Map<string, string> | null {
  let rdev: number;
  try {
    const st = statSync(realpathSync(devicePath));
    if (!st.isCharacterDevice()) return null;
    rdev = st.rdev;
  } catch {
    return null;
  }
  // Linux dev_t (glibc encoding): major = bits 8–19 (and 32–43), minor = bits 0–7 and 20–31.
  const major = ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  try {
    const text = readFileSync(join(udevDataRoot, `c${major}:${minor}`), 'utf8');
    return new Map(text.split('\n').filter((l) => l.startsWith('E:')).map((l) => {
      const [k, ...v] = l.slice(2).split('=');
      return [k!, v.join('=')] as [string, string];
    }));
  } catch {
    return new Map();
  }
}

/** NetworkManager's view of an interface: true managed, false unmanaged, null unknown / not running. */
export function nmManages(iface: string, sysRoot = '/sys', nmRunRoot = '/run/NetworkManager'): boolean | null {
  try {
    const ifindex = readFileSync(join(sysRoot, 'class', 'net', iface, 'ifindex'), 'utf8').trim();
    const m = /^managed=(true|false)$/m.exec(readFileSync(join(nmRunRoot, 'devices', ifindex), 'utf8'));
    return m ? m[1] === 'true' : null;
  } catch {
    return null;
  }
}

export function checkModemCoexistence(i: CoexistenceInput): Finding {
  const procs = runningProcesses(i.procRoot);
  const mm = procs.has('ModemManager');
  const nm = procs.has('NetworkManager');
  const props = udevProperties(i.portPath, i.udevDataRoot);
  const ignored = props?.get('ID_MM_DEVICE_IGNORE') === '1';
  const iface = i.hostInterface ?? null;
  const nmOwnsIface = nm && iface ? nmManages(iface, i.sysRoot, i.nmRunRoot) : null;
  const base = { id: COEXISTENCE_CHECK_ID };
  if (mm && !ignored) {
    return {
      ...base, ok: false, severity: 'error',
      message: `ModemManager is running and does not ignore ${i.portPath}${props === null ? ' (the port is missing or not a device)' : ''}: it probes the modem's ports and fights the runtime for the AT port${nm ? '; NetworkManager would start its own data call through it' : ''}`,
      fix: 'install the smartpole udev rules (ID_MM_DEVICE_IGNORE=1 on the modem\'s USB ports), then `udevadm control --reload && udevadm trigger`; or `systemctl disable --now ModemManager` on a pole that needs it for nothing else',
    };
  }
  if (nmOwnsIface === true && mm) {
    return {
      ...base, ok: false, severity: 'warn',
      message: `NetworkManager manages ${iface} while ModemManager runs: a "gsm" connection could take the modem's data call`,
      fix: `let NetworkManager only take the DHCP lease (an ethernet connection on ${iface}, no gsm connection), or mark it unmanaged: \`nmcli device set ${iface} managed no\` and use systemd-networkd`,
    };
  }
  const parts = [mm ? `ModemManager runs and ignores ${i.portPath}` : 'ModemManager is not running'];
  if (iface) parts.push(nmOwnsIface === true ? `NetworkManager takes the lease on ${iface}` : `${iface} is left to the host's network stack`);
  return { ...base, ok: true, severity: 'warn', message: `the runtime owns the modem: ${parts.join('; ')}`, fix: '' };
}
