/** The serial devices of the config: present, a character device, openable by the service user. */
import { closeSync, constants, openSync, statSync } from 'node:fs';
import type { Config } from '../../config/schema.js';
import { allowed, reachable } from '../access.js';
import { fail, pass, type DoctorCheck, type DoctorContext, type Finding } from '../finding.js';

export type DeviceName = 'led' | 'touch' | 'modem' | 'fieldBus' | 'console' | 'sign';
export const DEVICE_NAMES: DeviceName[] = ['led', 'touch', 'modem', 'fieldBus', 'console', 'sign'];

/** Enabled device entries of a config: name → path. */
export function configuredDevices(config: Readonly<Config>): { name: DeviceName; path: string }[] {
  return DEVICE_NAMES.flatMap((name) => {
    const d = config.devices[name] as { enabled?: boolean; path: string } | undefined;
    return d && d.enabled !== false ? [{ name, path: d.path }] : [];
  });
}

function checkDevice(ctx: DoctorContext, name: DeviceName, path: string): Finding {
  const id = `device.${name}`;
  let st;
  try {
    st = statSync(path);
  } catch {
    return fail(id, 'error', `devices.${name}.path ${path} does not exist`,
      `plug the device in and check \`smartpole devices\`; names under /dev/smartpole come from the udev rules (docs/deployment.md §Device names), or set devices.${name}.enabled: false if it is not fitted`);
  }
  if (!st.isCharacterDevice()) return fail(id, 'error', `devices.${name}.path ${path} is not a character device`, 'point it at the serial device (see `smartpole devices`)');
  if (ctx.user) {
    const blocked = reachable(ctx.user, path);
    if (blocked || !allowed(ctx.user, st, 'rw')) {
      return fail(id, 'error', `${ctx.userName} cannot open ${path} (mode ${(st.mode & 0o777).toString(8)}, uid ${st.uid}, gid ${st.gid}${blocked ? `; ${blocked} not searchable` : ''})`,
        `the udev rules give GROUP=dialout MODE=0660; check ${ctx.userName} is in dialout and the rule matched (udevadm info ${path})`);
    }
  }
  try {
    closeSync(openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EBUSY') return fail(id, 'warn', `${path} is in use (exclusive)`, 'is smartpole.service already running? (systemctl status smartpole)');
    return fail(id, 'error', `${path} does not open: ${(e as Error).message}`, 'replug the device; check dmesg for USB errors');
  }
  return pass(id, `devices.${name}: ${path} opens for ${ctx.userName}`);
}

export const DEVICE_CHECKS: DoctorCheck[] = [
  {
    id: 'device', needsConfig: true,
    run: (ctx): Finding[] => {
      const list = configuredDevices(ctx.config!);
      if (list.length === 0) return [fail('device', 'warn', 'no devices are configured', 'add the pole\'s devices under devices: (docs/configuration.md)')];
      return list.map((d) => checkDevice(ctx, d.name, d.path));
    },
  },
];
