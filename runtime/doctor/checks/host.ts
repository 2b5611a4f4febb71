/**
 * The pole's computer: the service user, the clock, disk space, fonts. Checks about other host
 * services (e.g. something else managing the modem) belong in this table too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, pass, type DoctorCheck, type Finding } from '../finding.js';
import { checkModemCoexistence } from '../../modem/coexistence-check.js';

const MiB = 2 ** 20;
/** Below this the outbox (64 MiB by default) and the database cannot grow: do not start. */
export const DISK_ERROR_BYTES = 100 * MiB;
export const DISK_WARN_BYTES = 1024 * MiB;

/** Font files of the Debian packages the renderer uses (display/fonts.ts). */
export const CJK_FONT_FILES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
];

/** 'yes' | 'no' | null (cannot tell): timedatectl asks systemd-timedated (kernel NTP state). */
export function clockSynchronised(): 'yes' | 'no' | null {
  try {
    const v = execFileSync('timedatectl', ['show', '--property=NTPSynchronized', '--value'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    if (v === 'yes' || v === 'no') return v;
  } catch { /* no timedated (container, no D-Bus): fall back */ }
  if (existsSync('/run/systemd/timesync/synchronized')) return 'yes';
  return null;
}

export const HOST_CHECKS: DoctorCheck[] = [
  {
    id: 'host.user', needsConfig: false,
    run: (ctx): Finding[] => {
      if (!ctx.user) return [fail('host.user', 'error', `the service user ${ctx.userName} does not exist`, 'install the smartpole package (its postinst creates the user), or pass --user NAME')];
      if (!ctx.user.groupNames.includes('dialout') && ctx.user.uid !== 0) {
        return [fail('host.user', 'error', `${ctx.userName} is not in the group dialout, so it cannot open serial devices`, `adduser ${ctx.userName} dialout`)];
      }
      return [pass('host.user', ctx.user.uid === 0 ? 'the service runs as root (the package runs it as smartpole)' : `service user ${ctx.userName} (uid ${ctx.user.uid}) is in dialout`)];
    },
  },
  {
    id: 'host.clock', needsConfig: false,
    run: (): Finding[] => {
      const s = clockSynchronised();
      if (s === 'yes') return [pass('host.clock', 'the system clock is synchronised (NTP)', 'warn')];
      const why = 'signed city messages are checked against the clock (trust.clockSkewSec) and TLS certificates against the date';
      return [fail('host.clock', 'warn', s === 'no' ? `the system clock is not synchronised: ${why}` : `cannot tell whether the clock is synchronised (no timedatectl answer): ${why}`,
        'enable time sync: systemctl enable --now systemd-timesyncd (or chrony), then check with timedatectl; the runtime starts anyway and the clock may sync once the modem is online')];
    },
  },
  {
    id: 'host.disk', needsConfig: true,
    run: (ctx): Finding[] => {
      let dir = ctx.config!.storage.dataDir;
      while (!existsSync(dir) && dir !== '/') dir = dirname(dir);
      const s = statfsSync(dir);
      const free = s.bavail * s.bsize;
      const text = `${Math.round(free / MiB)} MiB free for ${ctx.config!.storage.dataDir}`;
      if (free < DISK_ERROR_BYTES) return [fail('host.disk', 'error', `${text}: too little for the database and outbox`, `free space on the file system of ${dir} (at least ${DISK_WARN_BYTES / MiB} MiB)`)];
      if (free < DISK_WARN_BYTES) return [fail('host.disk', 'warn', `${text}: the outbox may not be able to hold an outage`, `free space on the file system of ${dir} (at least ${DISK_WARN_BYTES / MiB} MiB)`)];
      return [pass('host.disk', text)];
    },
  },
  {
    id: 'host.fonts', needsConfig: false,
    run: (): Finding[] => {
      const found = CJK_FONT_FILES.find((f) => existsSync(f));
      return found ? [pass('host.fonts', `CJK font ${found}`)]
        : [fail('host.fonts', 'error', 'no CJK font: Chinese text would be drawn as boxes', 'apt-get install fonts-noto-cjk (or fonts-wqy-microhei)')];
    },
  },
  {
    // ModemManager / NetworkManager must not drive the modem the runtime owns (docs/protocols/modem.md §Coexistence with ModemManager).
    id: 'modem.coexistence', needsConfig: true,
    run: (ctx): Finding[] => {
      const m = ctx.config!.devices.modem;
      if (!m?.enabled) return [];
      return [checkModemCoexistence({ portPath: m.path, hostInterface: m.host?.interface ?? null })];
    },
  },
];
