/**
 * Outside tools the tests start, checked against the one package list (scripts/debian-packages.txt;
 * docs/development.md §Outside tools). A missing tool is a failure that names the package to
 * install — never a skipped test.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sim-process.js';

export interface PackageRow {
  pkg: string;
  mode: 'sim' | 'test';
  /** A command on PATH, `py:<module>` (for Debian's /usr/bin/python3), `font:<family>`, or '-' (a library: dpkg only). */
  probe: string;
  why: string;
}

export function packageRows(): PackageRow[] {
  const rows: PackageRow[] = [];
  for (const line of readFileSync(join(ROOT, 'scripts/debian-packages.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(sim|test)\s+(font:.+?(?=\s{2,})|\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`scripts/debian-packages.txt: cannot read ${JSON.stringify(line)}`);
    rows.push({ pkg: m[1]!, mode: m[2] as 'sim' | 'test', probe: m[3]!, why: m[4]!.trim() });
  }
  return rows;
}

/** Why a probe fails, or null when the tool is there. */
export function probeProblem(probe: string): string | null {
  if (probe === '-') return null;
  if (probe.startsWith('py:')) {
    const r = spawnSync('/usr/bin/python3', ['-c', `import ${probe.slice(3)}`], { encoding: 'utf8' });
    return r.status === 0 ? null : `Debian's /usr/bin/python3 cannot import ${probe.slice(3)}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  }
  if (probe.startsWith('font:')) {
    const family = probe.slice(5);
    const r = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    if (r.error) return `fc-list is missing (${r.error.message})`;
    return r.stdout.includes(family) ? null : `no font family "${family}" (fc-list)`;
  }
  const r = spawnSync('sh', ['-c', `command -v ${probe}`], { stdio: 'ignore' });
  return r.status === 0 ? null : `${probe} is not on PATH`;
}

/** Throws, naming the Debian package, unless the command (or py:/font: probe) is available. */
export function requireTool(probe: string): void {
  const problem = probeProblem(probe);
  if (!problem) return;
  const row = packageRows().find((r) => r.probe === probe);
  const pkg = row ? `Debian package ${row.pkg}` : 'its package (and add it to scripts/debian-packages.txt)';
  throw new Error(`${problem}: install ${pkg} — scripts/setup.sh test installs everything in scripts/debian-packages.txt`);
}
