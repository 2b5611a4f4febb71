/**
 * The Debian package as built by `npm run package` (scripts/package.ts): metadata, conffiles,
 * maintainer scripts, file modes, only run-time node_modules; lintian without errors; the unit
 * passes `systemd-analyze verify` and its exposure score (printed) is at most 2.0.
 * Needs dpkg-dev, lintian, systemd (scripts/setup.sh test installs them) and a build (dist/).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackage, type BuiltPackage } from '../../scripts/package.js';
import { ROOT, requireBuild } from '../helpers/sim-process.js';
import { requireTool } from '../helpers/tools.js';

function tool(cmd: string, args: string[], _debianPackage: string, cwd?: string): { code: number; out: string } {
  requireTool(cmd);
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('the Debian package', () => {
  let pkg: BuiltPackage;
  let root: string;
  const field = (name: string) => tool('dpkg-deb', ['-f', pkg.file, name], 'dpkg').out.trim();

  beforeAll(() => {
    requireBuild();
    for (const t of ['dpkg-shlibdeps', 'strip', 'file']) requireTool(t);
    const t0 = performance.now();
    pkg = buildPackage(ROOT);
    console.log(`package ${pkg.file}: ${(pkg.bytes / 2 ** 20).toFixed(2)} MiB, installed ${field('Installed-Size')} KiB, built in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${loadavg()[0]!.toFixed(2)}`);
    root = mkdtempSync(join(tmpdir(), 'sp-deb-'));
    execFileSync('dpkg-deb', ['-x', pkg.file, root]);
  }, 180_000);

  it('has the metadata: name, version, arch, Depends on node 20 and the addons\' libraries', () => {
    expect(field('Package')).toBe('smartpole');
    expect(field('Version')).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(field('Architecture')).toBe(execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim());
    const depends = field('Depends');
    for (const d of ['nodejs (>= 20)', 'adduser', 'systemd', 'fonts-noto-cjk | fonts-wqy-microhei', 'libcairo2', 'libpango-1.0-0', 'libc6']) expect(depends).toContain(d);
    expect(pkg.file).toMatch(new RegExp(`dist/smartpole_${pkg.version}_${pkg.arch}\\.deb$`));
  });

  it('ships the conffile, the unit, the udev rules, the command and maintainer scripts', () => {
    const control = tool('dpkg-deb', ['--ctrl-tarfile', pkg.file], 'dpkg');
    expect(control.code).toBe(0);
    const conffiles = execFileSync('sh', ['-c', `dpkg-deb -I '${pkg.file}' conffiles`], { encoding: 'utf8' });
    expect(conffiles.trim()).toBe('/etc/smartpole/pole.yaml');
    for (const s of ['postinst', 'prerm', 'postrm']) expect(execFileSync('sh', ['-c', `dpkg-deb -I '${pkg.file}' ${s}`], { encoding: 'utf8' })).toMatch(/^#!\/bin\/sh/);
    const mode = (p: string) => (statSync(join(root, p)).mode & 0o777).toString(8);
    expect(mode('usr/bin/smartpole')).toBe('755');
    expect(mode('lib/systemd/system/smartpole.service')).toBe('644');
    expect(mode('lib/udev/rules.d/60-smartpole.rules')).toBe('644');
    expect(mode('etc/smartpole/pole.yaml')).toBe('644');
    expect(readFileSync(join(root, 'usr/bin/smartpole'), 'utf8')).toContain('/usr/lib/smartpole/dist/smartpole.js');
    expect(readFileSync(join(root, 'etc/smartpole/pole.yaml'), 'utf8')).toContain('/dev/smartpole/led');
    const rules = readFileSync(join(root, 'lib/udev/rules.d/60-smartpole.rules'), 'utf8');
    for (const n of ['modem-at', 'led', 'fieldbus']) expect(rules).toContain(`SYMLINK+="smartpole/${n}"`);
    expect(rules.match(/ID_MM_DEVICE_IGNORE}="1"/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('holds only the run-time node_modules (native addons and what they load), stripped', () => {
    const list = execFileSync('dpkg-deb', ['-c', pkg.file], { encoding: 'utf8' });
    const mods = new Set([...list.matchAll(/usr\/lib\/smartpole\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]));
    for (const m of ['canvas', 'better-sqlite3', '@serialport/bindings-cpp']) expect(mods).toContain(m);
    for (const m of ['vitest', 'typescript', 'esbuild', 'mqtt', 'pino', 'prebuild-install', 'node-addon-api']) expect(mods).not.toContain(m);
    expect(list).not.toMatch(/node_modules\/(canvas|better-sqlite3)\/(src|deps)\/|\.cc$|musl/m);
    expect(list).toContain('node_modules/debug/src/index.js'); // a pure-JS package's src/ is its code
    const file = execFileSync('file', [join(root, 'usr/lib/smartpole/node_modules/better-sqlite3/build/Release/better_sqlite3.node')], { encoding: 'utf8' });
    expect(file).toMatch(/stripped/);
    expect(file).not.toMatch(/not stripped/);
  });

  it('is lintian clean of errors', () => {
    const r = tool('lintian', ['--tag-display-limit', '0', pkg.file], 'lintian');
    console.log(`lintian: ${r.out.trim() || 'no tags'}`);
    expect(r.out.split('\n').filter((l) => /^E: /.test(l))).toEqual([]);
  }, 180_000);

  it('the unit verifies and its exposure score is at most 2.0 (printed)', () => {
    // The unpacked package has no systemd of its own: lend it the host's targets and slices.
    execFileSync('sh', ['-c', `cp -n /lib/systemd/system/*.target /lib/systemd/system/*.slice '${root}/lib/systemd/system/'`]);
    const verify = tool('systemd-analyze', ['verify', `--root=${root}`, '/lib/systemd/system/smartpole.service'], 'systemd');
    expect(verify.out.trim(), verify.out).toBe('');
    expect(verify.code).toBe(0);
    const sec = tool('systemd-analyze', ['security', '--offline=true', `--root=${root}`, '--no-pager', 'smartpole.service'], 'systemd');
    const score = Number(/Overall exposure level for smartpole\.service: ([\d.]+)/.exec(sec.out)?.[1]);
    const open = sec.out.split('\n').filter((l) => l.startsWith('✗')).map((l) => l.replace(/\s{2,}/g, ' | ').trim());
    console.log(`systemd-analyze security --offline=true: exposure ${score}\n  ${open.join('\n  ')}`);
    expect(score).toBeLessThanOrEqual(2.0);
  });
});
