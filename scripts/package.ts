/**
 * `npm run package`: builds dist/smartpole_<version>_<arch>.deb with Debian's own tools
 * (docs/deployment.md §Building the package). Run after `npm run build`.
 *
 * What goes in: the one-file CLI (dist/smartpole.js), only the node_modules the bundle loads at run
 * time (the native addons and what they require: scripts/bundle.ts BUNDLE_EXTERNAL) with their
 * .node files as built on this machine — so the package's architecture is this machine's (build an
 * arm64 package on an arm64 machine or chroot) — the systemd unit, the udev rules, the example
 * config as the conffile /etc/smartpole/pole.yaml, maintainer scripts from packaging/debian/.
 * Depends: nodejs (>= 20), the shared libraries the addons link (dpkg-shlibdeps), a CJK font.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUNDLE_EXTERNAL } from './bundle.js';
import { packageRoot } from '../runtime/version.js';

/** Needed only to build or download the addons, never at run time. */
const BUILD_ONLY = new Set(['prebuild-install', 'node-addon-api', 'node-gyp', 'nan']);
const LIB = 'usr/lib/smartpole';

interface PackageJson { name: string; version: string; description?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }

function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The run-time closure of `roots` in node_modules (hoisted layout; nested node_modules come along). */
export function runtimeModules(nodeModules: string, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || BUILD_ONLY.has(name) || !existsSync(join(nodeModules, name, 'package.json'))) return;
    seen.add(name);
    const j = readJson(join(nodeModules, name, 'package.json'));
    for (const d of Object.keys({ ...j.dependencies, ...j.optionalDependencies })) visit(d);
  };
  for (const r of roots) visit(r);
  return [...seen].sort();
}

/** Copies one package without sources, build intermediates, docs or other platforms' prebuilds. */
function copyModule(from: string, to: string, arch: string): void {
  const hasBuilt = existsSync(join(from, 'build', 'Release'));
  // A native addon's C/C++ sources (src/, deps/) are only for building it; other packages' src/ is their code.
  const native = existsSync(join(from, 'binding.gyp'));
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(from, src);
      if (rel === '') return true;
      const parts = rel.split('/');
      const top = parts[0]!;
      if (parts.at(-1)!.startsWith('.')) return false;
      const nested = parts.lastIndexOf('node_modules');
      if (nested >= 0 && BUILD_ONLY.has(parts[nested + 1] ?? '')) return false;
      if (native && ['src', 'deps', 'binding.gyp'].includes(top)) return false;
      if (['test', 'tests', 'docs', 'benchmark', '.github'].includes(top)) return false;
      if (top === 'build') {
        if (rel === 'build' || rel === 'build/Release') return true;
        return rel.startsWith('build/Release/') && rel.split('/').length === 3 && src.endsWith('.node') && !/(test_extension|postbuild)\.node$/.test(src);
      }
      if (top === 'prebuilds') return !hasBuilt && !rel.includes('.musl.') && (rel === 'prebuilds' || rel.startsWith(`prebuilds/linux-${arch}`));
      if (/\.(md|markdown|ts|map|gyp|gypi|cc|cpp|h|hpp|c)$/i.test(src) && !src.endsWith('.d.ts')) return /LICEN[CS]E/i.test(src);
      return true;
    },
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** Depends on the shared libraries of the .node files, as dpkg-shlibdeps (dpkg-dev) computes them. */
function sharedLibraryDepends(stage: string, nodes: string[]): string {
  const tmp = join(stage, '..', 'shlibdeps');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'debian'), { recursive: true });
  writeFileSync(join(tmp, 'debian', 'control'), 'Source: smartpole\n\nPackage: smartpole\nArchitecture: any\n');
  const out = sh('dpkg-shlibdeps', ['-O', ...nodes.map((n) => `-e${n}`)], tmp);
  rmSync(tmp, { recursive: true, force: true });
  return out.replace(/^shlibs:Depends=/, '');
}

/** The Node.js major version the .node files were built for must be the one the pole runs. */
function nodeAbiNote(): string {
  return `built with Node.js ${process.versions.node} (ABI ${process.versions.modules})`;
}

export interface BuiltPackage { file: string; stage: string; version: string; arch: string; bytes: number }

export function buildPackage(root = packageRoot()): BuiltPackage {
  const pkg = readJson(join(root, 'package.json'));
  // SMARTPOLE_PACKAGE_VERSION: the same tree under another release number (update tests, a hotfix build).
  const version = process.env.SMARTPOLE_PACKAGE_VERSION ?? pkg.version;
  const arch = sh('dpkg', ['--print-architecture']);
  const nodeArch = process.arch;
  if (!existsSync(join(root, 'dist', 'smartpole.js'))) throw new Error('dist/smartpole.js is missing: run `npm run build` first');
  const stage = join(root, 'dist', 'deb', `smartpole_${version}_${arch}`);
  rmSync(stage, { recursive: true, force: true });
  const at = (p: string) => join(stage, p);
  const put = (p: string, text: string | Buffer, mode = 0o644) => {
    mkdirSync(join(at(p), '..'), { recursive: true });
    writeFileSync(at(p), text);
    chmodSync(at(p), mode);
  };

  // The program.
  put(`${LIB}/package.json`, `${JSON.stringify({ name: 'smartpole', version, type: 'module', private: true, description: pkg.description }, null, 2)}\n`);
  // Started by /usr/bin/smartpole through node, so not a script itself: no shebang.
  put(`${LIB}/dist/smartpole.js`, readFileSync(join(root, 'dist', 'smartpole.js'), 'utf8').replace(/^#!.*\n/, ''));
  put(`${LIB}/dist/smartpole-launcher.js`, readFileSync(join(root, 'dist', 'smartpole-launcher.js')));
  // The unit's ExecStart: the update launcher (docs/updates.md §The launcher) with the pole's V8 sizing for the runtime.
  put(`${LIB}/smartpole-service`, '#!/bin/sh\n# ExecStart of smartpole.service: the update launcher starts the release the boot state names (docs/updates.md).\n'
    + `exec /usr/bin/node /${LIB}/dist/smartpole-launcher.js --dir /var/lib/smartpole/update --base /${LIB} --max-semi-space-size=4 --max-old-space-size=128 -- "$@"\n`, 0o755);
  put(`${LIB}/scripts/modem-power-cycle.sh`, readFileSync(join(root, 'scripts', 'modem-power-cycle.sh')), 0o755);
  const modules = runtimeModules(join(root, 'node_modules'), BUNDLE_EXTERNAL);
  for (const m of modules) copyModule(join(root, 'node_modules', m), at(`${LIB}/node_modules/${m}`), nodeArch);
  // The V8 sizing of bin/smartpole.ts's shebang, without relying on `env -S`.
  put('usr/bin/smartpole', '#!/bin/sh\n# smartpole command (docs/deployment.md). V8 sized for a pole: docs/screen.md §Memory.\n'
    + `exec /usr/bin/node --max-semi-space-size=4 --max-old-space-size=128 /${LIB}/dist/smartpole.js "$@"\n`, 0o755);

  // systemd, udev, config, docs.
  put('lib/systemd/system/smartpole.service', readFileSync(join(root, 'packaging', 'smartpole.service')));
  put('lib/udev/rules.d/60-smartpole.rules', readFileSync(join(root, 'packaging', '60-smartpole.rules')));
  // 0644 in the archive; postinst gives it to the service user, 0640 (it will hold the PIN hash).
  put('etc/smartpole/pole.yaml', readFileSync(join(root, 'config', 'example.yaml')));
  put('usr/share/man/man1/smartpole.1.gz', gzipSync(readFileSync(join(root, 'packaging', 'smartpole.1')), { level: 9 }));
  put('usr/share/doc/smartpole/copyright', readFileSync(join(root, 'packaging', 'debian', 'copyright')));
  put('usr/share/doc/smartpole/deployment.md', readFileSync(join(root, 'docs', 'deployment.md')));
  put('usr/share/doc/smartpole/pole.yaml.example', readFileSync(join(root, 'config', 'example.yaml')));
  const date = new Date().toUTCString().replace('GMT', '+0000');
  put('usr/share/doc/smartpole/changelog.gz', gzipSync(Buffer.from(
    `smartpole (${version}) unstable; urgency=medium\n\n  * Release ${version}; ${nodeAbiNote()}.\n\n -- smartpole maintainers <maintainers@smartpole.invalid>  ${date}\n`), { level: 9 }));

  // Control files.
  const nodes = walk(at(`${LIB}/node_modules`)).filter((f) => f.endsWith('.node'));
  for (const n of nodes) {
    sh('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', n]);
    chmodSync(n, 0o644);
  }
  const libs = sharedLibraryDepends(stage, nodes);
  const installedKb = Math.ceil(walk(stage).reduce((s, f) => s + statSync(f).size, 0) / 1024);
  put('DEBIAN/control', [
    'Package: smartpole',
    `Version: ${version}`,
    `Architecture: ${arch}`,
    'Maintainer: smartpole maintainers <maintainers@smartpole.invalid>',
    `Installed-Size: ${installedKb}`,
    `Depends: nodejs (>= 20), adduser, systemd, init-system-helpers (>= 1.52), fonts-noto-cjk | fonts-wqy-microhei, ${libs}`,
    'Recommends: udev',
    'Section: misc',
    'Priority: optional',
    'Description: runtime for a smart streetlight pole',
    ' Drives the pole\'s LED/touch screen, 5G modem, RS-485 field bus (EV charger,',
    ' meter, charging pads, lamp) and technician console, and talks to city',
    ' operations over MQTT with signed messages. Runs as the systemd service',
    ' smartpole.service under the unprivileged user smartpole.',
    '',
  ].join('\n'));
  put('DEBIAN/conffiles', '/etc/smartpole/pole.yaml\n');
  for (const s of ['postinst', 'prerm', 'postrm']) put(`DEBIAN/${s}`, readFileSync(join(root, 'packaging', 'debian', s)), 0o755);
  const sums = walk(stage).filter((f) => !relative(stage, f).startsWith('DEBIAN/'))
    .map((f) => `${createHash('md5').update(readFileSync(f)).digest('hex')}  ${relative(stage, f)}`).sort().join('\n');
  put('DEBIAN/md5sums', `${sums}\n`);

  const file = join(root, 'dist', `smartpole_${version}_${arch}.deb`);
  // SMARTPOLE_PACKAGE_COMPRESS=gzip: a faster build for tests (xz is what ships: smaller over the modem).
  sh('dpkg-deb', ['--root-owner-group', `-Z${process.env.SMARTPOLE_PACKAGE_COMPRESS ?? 'xz'}`, '--build', stage, file]);
  return { file, stage, version, arch, bytes: statSync(file).size };
}

/**
 * A variant of a built package: the staged tree of buildPackage() under another version, the start
 * of its bundle optionally replaced by `prefix` — the update tests' and bench's faulty releases
 * (docs/updates.md §Tests). gzip, for speed; md5sums recomputed.
 */
export function packageVariant(stage: string, version: string, prefix: string | null, outDir: string): string {
  const dir = join(outDir, `stage-${version}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(stage, dir, { recursive: true });
  const control = join(dir, 'DEBIAN', 'control');
  writeFileSync(control, readFileSync(control, 'utf8').replace(/^Version: .*$/m, `Version: ${version}`));
  const pj = join(dir, LIB, 'package.json');
  writeFileSync(pj, readFileSync(pj, 'utf8').replace(/"version": "[^"]+"/, `"version": "${version}"`));
  if (prefix) {
    const js = join(dir, LIB, 'dist', 'smartpole.js');
    writeFileSync(js, `${prefix}\n${readFileSync(js, 'utf8')}`);
  }
  const sums = walk(dir).filter((f) => !relative(dir, f).startsWith('DEBIAN/'))
    .map((f) => `${createHash('md5').update(readFileSync(f)).digest('hex')}  ${relative(dir, f)}`).sort().join('\n');
  writeFileSync(join(dir, 'DEBIAN', 'md5sums'), `${sums}\n`);
  const out = join(outDir, `smartpole_${version}.deb`);
  sh('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', dir, out]);
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Faulty releases for the update tests and bench: the bundle's first line replaced. */
export const FAULTY_START = {
  /** exits at once, before anything: a crash loop */
  exit: 'process.exit(1);',
  /** alive (a timer), but the bundle never runs: no frame, no birth */
  neverHealthy: 'setInterval(() => {}, 60_000); await new Promise(() => {});',
  /** the main thread blocked for good, without burning CPU */
  hang: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
} as const;

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  const b = buildPackage();
  console.log(`built ${b.file} (${(b.bytes / 2 ** 20).toFixed(1)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
