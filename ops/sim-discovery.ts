/**
 * How `smartpole ops` finds a running `smartpole sim` without flags: the sim writes
 * `<dataDir>/sim.json` and a pointer to it in the user's temp dir; ops reads the first of
 * `--data-dir`, `./.smartpole`, the pointer, whose pid is alive.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

export interface SimInfo {
  pid: number;
  poleId: string;
  mqttUrl: string;
  httpUrl: string;
  topicPrefix: string;
  keyFile: string;
  dataDir: string;
  ptyDir: string;
  startedAt: string;
  /** The sim HTTP API's per-run token (header x-smartpole-token) for anything that changes state or signs. */
  token?: string;
}

export const DEFAULT_DATA_DIR = '.smartpole';

function pointerFile(): string {
  return join(tmpdir(), `smartpole-${userInfo().uid}`, 'current-sim.json');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeSimInfo(info: SimInfo): void {
  // Holds the HTTP token: readable by its owner only.
  writeFileSync(join(info.dataDir, 'sim.json'), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  chmodSync(join(info.dataDir, 'sim.json'), 0o600);
  mkdirSync(join(tmpdir(), `smartpole-${userInfo().uid}`), { recursive: true });
  writeFileSync(pointerFile(), JSON.stringify({ simJson: join(info.dataDir, 'sim.json'), pid: info.pid }) + '\n');
}

export function removeSimInfo(info: SimInfo): void {
  rmSync(join(info.dataDir, 'sim.json'), { force: true });
  try {
    const p = JSON.parse(readFileSync(pointerFile(), 'utf8')) as { pid: number };
    if (p.pid === info.pid) rmSync(pointerFile(), { force: true });
  } catch { /* no pointer */ }
}

function readInfo(file: string): SimInfo | null {
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as SimInfo;
    return alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export function findRunningSim(dataDir?: string): SimInfo | null {
  if (dataDir) return readInfo(join(resolve(dataDir), 'sim.json'));
  const local = readInfo(join(resolve(DEFAULT_DATA_DIR), 'sim.json'));
  if (local) return local;
  try {
    const p = JSON.parse(readFileSync(pointerFile(), 'utf8')) as { simJson: string };
    return readInfo(p.simJson);
  } catch {
    return null;
  }
}
