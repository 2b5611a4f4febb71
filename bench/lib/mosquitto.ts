/** A mosquitto for benches (unless --mqtt-url names a broker): loopback, free port, stopped afterwards. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => { const c = connect(port, '127.0.0.1'); c.once('connect', () => { c.destroy(); r(true); }); c.once('error', () => r(false)); });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not open port ${port}`);
}

export interface BenchBroker { url: string; port: number; start(): Promise<void>; stop(): Promise<void>; version: string; pid(): number | null }

/** Configures (does not start) a mosquitto on `port`; `extra` lines are added to its config. */
export function mosquittoOn(port: number, extra: string[] = []): BenchBroker {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosq-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 1000000', 'set_tcp_nodelay true', `user ${userInfo().username}`, ...extra].join('\n') + '\n');
  let proc: ChildProcess | null = null;
  return {
    url: `mqtt://127.0.0.1:${port}`, port, version: 'mosquitto',
    pid: () => (proc && proc.exitCode === null && proc.signalCode === null ? proc.pid ?? null : null),
    async start() {
      proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
      await waitForPort(port);
    },
    async stop() {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      await new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); });
    },
  };
}

export async function startBenchMosquitto(extra: string[] = []): Promise<BenchBroker> {
  const b = mosquittoOn(await freePort(), extra);
  await b.start();
  return b;
}

export function mosquittoVersion(): string {
  const r = spawnSync('mosquitto', ['-h'], { encoding: 'utf8' });
  return /mosquitto version (\S+)/.exec(r.stdout ?? '')?.[1] ?? 'unknown';
}
