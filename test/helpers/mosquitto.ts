/** Starts a real mosquitto broker on a free loopback port for a test, with an optional extra config. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); r(true); });
      c.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}

export interface Mosquitto {
  port: number;
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
  /** Stop and start again on the same port (a broker outage). */
  restart(): Promise<void>;
  output(): string;
}

export async function startMosquitto(extraConfig = '', portArg?: number): Promise<Mosquitto> {
  const port = portArg ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mosq-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, extraConfig || `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  let out = '';
  const launch = async () => {
    const p = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const failed = new Promise<never>((_, rej) => {
      p.once('error', (e) => rej(new Error(`mosquitto did not start (${e.message}): install Debian package mosquitto`)));
      p.once('exit', (c) => rej(new Error(`mosquitto exited ${c} at start; its output:\n${out}`)));
    });
    try {
      await Promise.race([waitForPort(port), failed]);
    } catch (e) {
      p.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\nmosquitto's output:\n${out}`);
    }
    p.removeAllListeners('exit');
    p.removeAllListeners('error');
    p.on('error', () => {});
    return p;
  };
  let proc = await launch();
  const stop = () => new Promise<void>((r) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return r();
    proc.once('exit', () => r());
    proc.kill('SIGTERM');
  });
  return {
    port, url: `mqtt://127.0.0.1:${port}`, get proc() { return proc; },
    stop,
    async restart() { await stop(); proc = await launch(); },
    output: () => out,
  };
}
