/**
 * Install, upgrade, remove and purge the package in a clean Debian 12 root (`dpkg --root`, which
 * runs the maintainer scripts chrooted there): the user, owners and modes, the native addons load
 * under the packaged node, the conffile and enabled state survive an upgrade, remove keeps config
 * and state, purge leaves nothing but the system user. Prints the install time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, lstatSync, readFileSync, appendFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropRoot, freshRoot, inRoot, sh, snapshot } from './chroot.js';
import { ROOT } from '../helpers/sim-process.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const arch = sh('dpkg --print-architecture').trim();
const DEB = join(ROOT, 'dist', `smartpole_${version}_${arch}.deb`);

/** The same package with a higher version: an upgrade. */
function upgradeDeb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-upgrade-'));
  sh(`dpkg-deb -R '${DEB}' '${dir}/stage' && sed -i 's/^Version: .*/Version: ${version}+up1/' '${dir}/stage/DEBIAN/control'`);
  sh(`dpkg-deb --root-owner-group -Zxz --build '${dir}/stage' '${dir}/smartpole_up.deb'`);
  return join(dir, 'smartpole_up.deb');
}

describe('the package in a clean Debian 12 root: install, upgrade, remove, purge', () => {
  let root: string;
  let before: Map<string, string>;
  const stat = (p: string) => inRoot(root, `stat -c '%U:%G %a' ${p}`).out.trim();
  const status = () => { const r = inRoot(root, "dpkg-query -W -f='${Status}' smartpole"); return r.code === 0 ? r.out : ''; };
  /** The unit's enable link (an absolute symlink into the root: do not follow it). */
  const enabled = () => { try { return lstatSync(join(root, 'etc/systemd/system/multi-user.target.wants/smartpole.service')).isSymbolicLink(); } catch { return false; } };

  beforeAll(() => {
    if (!existsSync(DEB)) throw new Error(`${DEB} is missing: run npm run package first`);
    root = freshRoot(DEB);
    before = snapshot(root);
  }, 3_600_000);
  afterAll(() => { if (root) dropRoot(root); });

  it('installs: user in dialout, state and config owned by it, unit present but not enabled', () => {
    sh(`cp '${DEB}' '${root}/tmp/smartpole.deb'`);
    const t0 = performance.now();
    const out = sh(`dpkg --root='${root}' -i '${root}/tmp/smartpole.deb' 2>&1`);
    const ms = performance.now() - t0;
    console.log(`dpkg -i: ${(ms / 1000).toFixed(2)} s (${(readFileSync(DEB).length / 2 ** 20).toFixed(2)} MiB package; load ${loadavg()[0]!.toFixed(2)})\n${out}`);
    expect(status()).toBe('install ok installed');
    expect(inRoot(root, 'id -nG smartpole').out.split(/\s+/)).toEqual(expect.arrayContaining(['smartpole', 'dialout']));
    expect(inRoot(root, 'getent passwd smartpole').out).toMatch(/:\/var\/lib\/smartpole:\/usr\/sbin\/nologin/);
    expect(stat('/var/lib/smartpole')).toBe('smartpole:smartpole 750');
    expect(stat('/etc/smartpole')).toBe('smartpole:smartpole 750');
    expect(stat('/etc/smartpole/pole.yaml')).toBe('smartpole:smartpole 640');
    expect(enabled()).toBe(false);
    const verify = inRoot(root, 'systemd-analyze verify smartpole.service 2>&1');
    expect(verify.out.trim(), verify.out).toBe('');
  });

  it('runs under the packaged node: version, native addons, doctor on the unprovisioned config', () => {
    expect(inRoot(root, 'smartpole version').out.trim()).toBe(version);
    const addons = inRoot(root, `cd /usr/lib/smartpole && node -e "require('canvas').createCanvas(8,8).getContext('2d'); new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('@serialport/bindings-cpp'); console.log('addons ok')"`);
    expect(addons.out, addons.out).toContain('addons ok');
    const doctor = inRoot(root, 'smartpole doctor --config /etc/smartpole/pole.yaml --skip broker');
    expect(doctor.code, doctor.out).toBe(1);
    expect(doctor.out).toMatch(/FAIL\s+device\.led\s+devices\.led\.path \/dev\/smartpole\/led does not exist/);
    expect(doctor.out).toMatch(/FAIL\s+console\.pin/);
    expect(doctor.out).toMatch(/ok\s+host\.fonts/);
  });

  it('the udev rules parse and a local rule names an on-board UART (udevadm test on this machine\'s ttyS0)', () => {
    writeFileSync(join(root, 'etc/udev/rules.d/59-smartpole-local.rules'), 'KERNEL=="ttyS0", ENV{SMARTPOLE_NAME}="console", SYMLINK+="smartpole/console", ENV{ID_MM_DEVICE_IGNORE}="1"\n');
    let out: string;
    try {
      out = sh(`unshare -m sh -c "mount --bind /sys '${root}/sys' && chroot '${root}' udevadm test --action=add /sys/class/tty/ttyS0 2>&1"`);
    } finally {
      sh(`rm -f '${root}/etc/udev/rules.d/59-smartpole-local.rules'`);
    }
    expect(out).toMatch(/Reading rules file: \/(usr\/)?lib\/udev\/rules\.d\/60-smartpole\.rules/);
    expect(out).not.toMatch(/60-smartpole\.rules:\d+ .*(invalid|unknown|error)/i);
    expect(out).toMatch(/DEVLINKS=.*\/dev\/smartpole\/console/);
    expect(out).toMatch(/ID_MM_DEVICE_IGNORE=1/);
    expect(out).not.toMatch(/smartpole\/fieldbus/);
  });

  it('upgrades: the edited conffile, the enabled state and the state files stay', () => {
    appendFileSync(join(root, 'etc/smartpole/pole.yaml'), '# edited on the pole\n');
    writeFileSync(join(root, 'var/lib/smartpole/pole.db'), 'state');
    inRoot(root, 'systemctl enable smartpole.service');
    expect(enabled()).toBe(true);
    const up = upgradeDeb();
    sh(`cp '${up}' '${root}/tmp/smartpole_up.deb'`);
    sh(`dpkg --root='${root}' -i '${root}/tmp/smartpole_up.deb' 2>&1`);
    expect(inRoot(root, "dpkg-query -W -f='${Version}' smartpole").out).toBe(`${version}+up1`);
    expect(readFileSync(join(root, 'etc/smartpole/pole.yaml'), 'utf8')).toMatch(/# edited on the pole\n$/);
    expect(readFileSync(join(root, 'var/lib/smartpole/pole.db'), 'utf8')).toBe('state');
    expect(enabled()).toBe(true);
    expect(stat('/etc/smartpole/pole.yaml')).toBe('smartpole:smartpole 640');
  });

  it('removes: program gone, config and state kept', () => {
    sh(`dpkg --root='${root}' -r smartpole 2>&1`);
    expect(status()).toBe('deinstall ok config-files');
    for (const p of ['usr/bin/smartpole', 'usr/lib/smartpole', 'lib/systemd/system/smartpole.service', 'lib/udev/rules.d/60-smartpole.rules']) expect(existsSync(join(root, p)), p).toBe(false);
    expect(existsSync(join(root, 'etc/smartpole/pole.yaml'))).toBe(true);
    expect(existsSync(join(root, 'var/lib/smartpole/pole.db'))).toBe(true);
  });

  it('purges: nothing left but the smartpole system user and group (Debian keeps system users)', () => {
    sh(`dpkg --root='${root}' -P smartpole 2>&1`);
    expect(status()).toBe('');
    const after = snapshot(root);
    const added = [...after.keys()].filter((p) => !before.has(p));
    const removed = [...before.keys()].filter((p) => !after.has(p));
    const changed = [...after.keys()].filter((p) => before.has(p) && before.get(p) !== after.get(p) && !/ d /.test(` ${after.get(p)!.split(' ')[0]} `));
    console.log(`after purge: added ${JSON.stringify(added)}, removed ${JSON.stringify(removed)}, changed ${JSON.stringify(changed)}`);
    expect(added).toEqual([]);
    expect(removed).toEqual([]);
    expect(changed.filter((p) => !['./etc/passwd', './etc/group', './etc/shadow', './etc/gshadow', './etc/passwd-', './etc/group-', './etc/shadow-', './etc/gshadow-'].includes(p))).toEqual([]);
    expect(inRoot(root, 'getent passwd smartpole').code).toBe(0);
  });
});
