/**
 * Selftest checks of the pole computer itself: storage, clock, config file, trust keys, the
 * console's own PIN, and the runtime (memory, event-loop lag). Device checks live with each
 * device's commands.
 */
import { statfsSync } from 'node:fs';
import { formatBytes, formatCount, formatDuration, formatLocalTime } from '../../../protocols/console/units.js';
import { parsePinHash } from '../../../protocols/console/pin-hash.js';
import { ConfigEditor } from '../config-editor.js';
import { redactConfig } from '../../config/secrets.js';
import type { SelfCheck } from '../selftest.js';
import { CLOCK_SANE_FROM } from './time.js';

/** Below this much free space in the data directory the outbox and snapshots are at risk. */
const MIN_FREE_BYTES = 64 * 1024 * 1024;

export const storageCheck: SelfCheck = {
  name: 'storage',
  run(env) {
    const quick = env.storage.quickCheck();
    if (quick !== 'ok') return { result: 'FAIL', reason: `SQLite quick_check on ${env.dataDir}/pole.db says: ${quick}` };
    const s = statfsSync(env.dataDir);
    const free = Number(s.bavail) * Number(s.bsize);
    if (free < MIN_FREE_BYTES) return { result: 'FAIL', reason: `only ${formatBytes(free)} free in ${env.dataDir} (need ${formatBytes(MIN_FREE_BYTES)}); the outbox may start dropping records` };
    return { result: 'PASS', reason: `database intact (quick_check ok), ${formatBytes(free)} free in ${env.dataDir}` };
  },
};

export const clockCheck: SelfCheck = {
  name: 'clock',
  run(env) {
    const now = env.now();
    if (now < CLOCK_SANE_FROM) return { result: 'FAIL', reason: `the clock says ${formatLocalTime(now, env.timeZone)}: not set (no NTP yet, flat RTC battery?); notice validity and schedules will be wrong` };
    return { result: 'PASS', reason: `${formatLocalTime(now, env.timeZone)} (${env.timeZone})` };
  },
};

export const configCheck: SelfCheck = {
  name: 'config',
  run(env) {
    if (!env.configFile) return { result: 'SKIP', reason: 'the runtime was started without a config file' };
    let file;
    try {
      file = new ConfigEditor(env.configFile).readFile();
    } catch (e) {
      return { result: 'FAIL', reason: `${env.configFile} no longer loads: ${(e as Error).message}. The running config is still the old one; fix the file before a restart` };
    }
    const pending = JSON.stringify(redactConfig(file)) !== JSON.stringify(redactConfig(env.running.get()));
    return { result: 'PASS', reason: `${env.configFile} is valid${pending ? '; it has changes that take effect after a restart (config show)' : ' and matches the running config'}` };
  },
};

export const trustCheck: SelfCheck = {
  name: 'trust',
  run(env) {
    const trust = env.trustSettings();
    const revoked = new Set(trust.revokedKids);
    const usable = trust.keys.filter((k) => !revoked.has(k.kid));
    if (usable.length === 0) return { result: 'FAIL', reason: 'every issuer key is revoked: the pole accepts no notices or commands' };
    return { result: 'PASS', reason: `${formatCount(usable.length, 'issuer key')} trusted (${usable.map((k) => k.kid).join(', ')})` };
  },
};

export const consoleCheck: SelfCheck = {
  name: 'console',
  run(env) {
    const cfg = env.consoleSettings();
    const p = cfg?.pinHash ? parsePinHash(cfg.pinHash) : null;
    if (!p?.ok) return { result: 'FAIL', reason: 'no technician PIN configured (devices.console.pinHash): only guest logins possible' };
    const lock = env.lockout.snapshot;
    return { result: 'PASS', reason: `PIN set (scrypt N=${p.value.N}); lockout after ${cfg!.maxPinAttempts} wrong PINs${lock.lockouts ? `; ${lock.lockouts} lockout(s) since the last good login` : ''}` };
  },
};

export const runtimeCheck: SelfCheck = {
  name: 'runtime',
  async run() {
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 0));
    const lag = performance.now() - t0;
    const rss = process.memoryUsage().rss;
    const line = `memory ${formatBytes(rss)}, event-loop lag ${formatDuration(lag)}`;
    if (rss > 400 * 1024 * 1024) return { result: 'FAIL', reason: `${line}: memory above 400 MiB (a leak?); restart with reboot and report it` };
    if (lag > 250) return { result: 'FAIL', reason: `${line}: the runtime is overloaded; the screen and touch will feel slow` };
    return { result: 'PASS', reason: line };
  },
};

export const mqttCheck: SelfCheck = {
  name: 'mqtt',
  run(env) {
    const depth = env.outbox.depth();
    const waiting = formatCount(depth, 'record');
    if (env.mqtt.state === 'connected') return { result: 'PASS', reason: `connected for ${formatDuration(env.now() - env.mqtt.stats.connectedSince)}; ${waiting} waiting in the outbox` };
    return {
      result: 'FAIL',
      reason: `not connected (${env.mqtt.state}${env.mqtt.stats.lastError ? `: ${env.mqtt.stats.lastError}` : ''}); ${waiting} wait in the outbox and are sent when it returns. Check the modem (modem status) and mqtt.url (config show mqtt)`,
    };
  },
};
