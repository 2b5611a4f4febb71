/**
 * End to end under a real systemd: the package installed in a clean Debian 12 root, booted with
 * `systemd-nspawn -b`, the service started against `smartpole sim --hardware-only` devices (the
 * sim's PTYs bound into the container as /dev/smartpole/*, its broker on the shared network).
 * systemd sees READY; a stopped (SIGSTOP) runtime is killed by the watchdog and restarted.
 * Prints start → READY and the watchdog's detection time.
 *
 * Test-only drop-in: WatchdogSec=6 (shorter wait) and DeviceAllow=char-pts (the sim's devices are
 * PTYs, not the USB/UART classes the unit allows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { dropRoot, freshRoot, sh } from './chroot.js';
import { requireTool } from '../helpers/tools.js';
import { ROOT, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const DEB = join(ROOT, 'dist', `smartpole_${version}_${sh('dpkg --print-architecture').trim()}.deb`);
const WATCHDOG_SEC = 6;
const DEVICES: Record<string, string> = { led: 'led', touch: 'touch', modem: 'modem', fieldBus: 'fieldbus', console: 'console' };

describe('smartpole.service under systemd (systemd-nspawn -b)', () => {
  let root: string;
  let sim: SimProcess;
  let nspawn: ChildProcess;
  let leader = 0;
  let bootLog = '';
  const inside = (cmd: string) => execFileSync('nsenter', ['-t', String(leader), '-m', '-u', '-i', '-p', '--', '/bin/sh', '-c', cmd], { encoding: 'utf8', timeout: 120_000 });
  const show = (props: string[]) => Object.fromEntries(inside(`systemctl show smartpole -p ${props.join(',')}`).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  beforeAll(async () => {
    if (!existsSync(DEB)) throw new Error(`${DEB} is missing: run npm run package first`);
    requireTool('systemd-nspawn');
    root = freshRoot(DEB);
    sh(`cp '${DEB}' '${root}/tmp/smartpole.deb' && dpkg --root='${root}' -i '${root}/tmp/smartpole.deb'`);
    sim = await startSimProcess(['--hardware-only']);
    // The sim's config, moved into the container: its devices at /dev/smartpole/*, state in /var/lib.
    const cfg = parse(readFileSync(join(sim.dataDir, 'pole.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    cfg.storage = { dataDir: '/var/lib/smartpole' };
    delete cfg.screen?.seedDataDir;
    if (cfg.devices?.modem) delete cfg.devices.modem.powerCycleCommand;
    const binds: string[] = [];
    for (const [key, name] of Object.entries(DEVICES)) {
      if (!cfg.devices?.[key]) continue;
      const pts = realpathSync(cfg.devices[key].path);
      chownSync(pts, 0, 20); // dialout on Debian
      chmodSync(pts, 0o660);
      binds.push(`--bind=${pts}:/dev/smartpole/${name}`);
      cfg.devices[key].path = `/dev/smartpole/${name}`;
    }
    writeFileSync(join(root, 'etc/smartpole/pole.yaml'), stringify(cfg));
    mkdirSync(join(root, 'etc/systemd/system/smartpole.service.d'), { recursive: true });
    writeFileSync(join(root, 'etc/systemd/system/smartpole.service.d/test.conf'), `[Service]\nWatchdogSec=${WATCHDOG_SEC}\nDeviceAllow=char-pts rw\n`);
    nspawn = spawn('systemd-nspawn', ['-D', root, '-b', '--register=no', '--keep-unit', '--console=pipe', ...binds], { stdio: ['ignore', 'pipe', 'pipe'] });
    nspawn.stdout!.on('data', (d: Buffer) => { bootLog += d.toString(); });
    nspawn.stderr!.on('data', (d: Buffer) => { bootLog += d.toString(); });
    leader = await until(() => {
      const kids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(nspawn.pid)], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
      return kids[0];
    }, 30_000, 'the container');
    await until(() => /running|degraded/.test((() => { try { return inside('systemctl is-system-running'); } catch (e) { return String((e as { stdout?: string }).stdout ?? ''); } })()), 120_000, 'the container booted');
  }, 3_600_000);

  afterAll(async () => {
    if (nspawn && nspawn.exitCode === null) {
      await new Promise((r) => { nspawn.once('exit', r); nspawn.kill('SIGTERM'); setTimeout(() => nspawn.kill('SIGKILL'), 30_000).unref(); });
    }
    await sim?.stop();
    if (root) dropRoot(root);
  }, 120_000);

  it('starts: systemd waits for READY (first frame, MQTT tried) and shows the health STATUS', async () => {
    inside('systemctl start smartpole'); // Type=notify: returns when READY=1 arrived (or it failed)
    const s = show(['ActiveState', 'SubState', 'StatusText', 'ExecMainStartTimestampMonotonic', 'ActiveEnterTimestampMonotonic', 'MainPID']);
    expect(s.ActiveState, `${inside('journalctl -u smartpole -n 40 --no-pager -o cat')}\n${bootLog}`).toBe('active');
    const readyMs = (Number(s.ActiveEnterTimestampMonotonic) - Number(s.ExecMainStartTimestampMonotonic)) / 1000;
    console.log(`start → READY: ${readyMs.toFixed(0)} ms; STATUS "${s.StatusText}"; load ${loadavg()[0]!.toFixed(2)}`);
    expect(s.StatusText).toMatch(/led ok/);
    const board = await sim.api<{ presents?: number }>('/api/led').catch(() => null);
    if (board) console.log(`LED board: ${JSON.stringify(board).slice(0, 200)}`);
  });

  it('a stopped runtime misses its pings: systemd kills it after WatchdogSec and restarts it', async () => {
    const before = show(['MainPID', 'NRestarts']);
    const t0 = Date.now();
    inside(`kill -STOP ${before.MainPID}`);
    await until(() => show(['ActiveState']).ActiveState !== 'active', (WATCHDOG_SEC + 20) * 1000, 'the watchdog to fire');
    const detectMs = Date.now() - t0;
    await until(() => {
      const s = show(['ActiveState', 'NRestarts', 'MainPID']);
      return s.ActiveState === 'active' && Number(s.NRestarts) === Number(before.NRestarts) + 1 && s.MainPID !== before.MainPID;
    }, 120_000, 'the restart');
    const restartMs = Date.now() - t0;
    const journal = inside('journalctl -u smartpole --no-pager -o cat | grep -i -E "watchdog|Scheduled restart" || true');
    console.log(`watchdog: detected ${(detectMs / 1000).toFixed(1)} s after SIGSTOP (WatchdogSec ${WATCHDOG_SEC}); active again after ${(restartMs / 1000).toFixed(1)} s\n${journal}`);
    expect(journal).toMatch(/[Ww]atchdog timeout/);
  });

  it('stops in order: STOPPING, exit 0', () => {
    inside('systemctl stop smartpole');
    const s = show(['ActiveState', 'ExecMainStatus', 'Result']);
    expect(s).toMatchObject({ ActiveState: 'inactive', ExecMainStatus: '0', Result: 'success' });
  });
});
