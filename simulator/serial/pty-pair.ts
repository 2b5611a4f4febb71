/**
 * A socat PTY pair with stable symlinks (docs/background.md §Field bus devices:
 * `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`).
 * socat runs under a tiny shell guard that kills it when our stdin closes, so even a `kill -9`
 * of the simulator leaves no socat behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { SerialPair } from './serial-pair.js';

const GUARD = 'exec 3<&0; socat -d -d "$1" "$2" </dev/null & s=$!; { read _ <&3; kill $s 2>/dev/null; } & wait $s';

export class PtyPair implements SerialPair {
  readonly hostPath: string;
  readonly devicePath: string;
  readonly binding: BindingInterface = autoDetect() as unknown as BindingInterface;
  private child: ChildProcess | null = null;

  constructor(readonly name: string, dir: string) {
    this.hostPath = join(dir, `${name}.pole`);
    this.devicePath = join(dir, name);
  }

  get plugged(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    for (const p of [this.hostPath, this.devicePath]) rmSync(p, { force: true });
    const child = spawn('sh', ['-c', GUARD, 'smartpole-pty',
      `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`], {
      stdio: ['pipe', 'ignore', 'pipe'], detached: true,
    });
    this.child = child;
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socat for ${this.name} did not start: ${stderr.trim()}`)), 5000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('starting data transfer loop') && existsSync(this.hostPath) && existsSync(this.devicePath)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run socat (is it installed?): ${e.message}`)); });
      child.on('exit', (code) => {
        clearTimeout(timer);
        // Unplugged while starting (a power-off racing a power-on): the cable is out, not an error.
        if (this.child !== child) return resolve();
        reject(new Error(code === 127 ? `socat is not installed (install Debian package socat): ${stderr.trim()}` : `socat exited (${code}): ${stderr.trim()}`));
      });
    });
    if (this.child !== child) return;
    child.stderr!.removeAllListeners('data');
    child.stderr!.resume();
    child.removeAllListeners('exit');
    child.on('exit', () => { if (this.child === child) this.child = null; });
  }

  async unplug(): Promise<void> {
    const c = this.child;
    if (!c) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      try { process.kill(-c.pid!, 'SIGTERM'); } catch { resolve(); }
    });
    for (const p of [this.hostPath, this.devicePath]) rmSync(p, { force: true });
  }

  async replug(): Promise<void> {
    await this.start();
  }

  stop(): Promise<void> {
    return this.unplug();
  }
}
