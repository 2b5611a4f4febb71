/** Runs `smartpole sim` (the built CLI) as a child process, the way a user would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/smartpole.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (scripts/setup.sh test does it)');
}

export interface SimProcess {
  proc: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
  dataDir: string;
  ptyDir: string;
  output(): string;
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  png(): Promise<Buffer>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startSimProcess(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SimProcess> {
  requireBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-sim-'));
  const ptyDir = join(dataDir, 'pty');
  const proc = spawn(process.execPath, [CLI, 'sim', '--http-port', '0', '--mqtt-port', '0', '--data-dir', dataDir, '--pty-dir', ptyDir, ...args], {
    cwd: dataDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const urls = await new Promise<{ http: string; mqtt: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`sim did not start:\n${out}`)), 20_000);
    const check = () => {
      const http = /web viewer\s+(http:\/\/\S+)/.exec(out)?.[1];
      const mqtt = /MQTT broker\s+(mqtts?:\/\/\S+)/.exec(out)?.[1];
      if (http && mqtt) { clearTimeout(timer); res({ http, mqtt }); }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (c) => { clearTimeout(timer); rej(new Error(`sim exited ${c}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const r = await fetch(urls.http + path, init);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return {
    proc, httpUrl: urls.http, mqttUrl: urls.mqtt, dataDir, ptyDir,
    output: () => out,
    api,
    png: async () => Buffer.from(await (await fetch(urls.http + '/api/screen.png')).arrayBuffer()),
    stop: (signal = 'SIGINT') => new Promise((r) => {
      if (proc.exitCode !== null) return r(proc.exitCode);
      proc.once('exit', (code) => r(code));
      proc.kill(signal);
    }),
  };
}

export function runCli(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Polls `f` until it returns something truthy; `what` may be a function so that a helper's output is read at failure time. */
export async function until<T>(f: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, what: string | (() => string) = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}${last ? `: ${(last as Error).message}` : ''}`);
}
