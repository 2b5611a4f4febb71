/**
 * A real AF_UNIX datagram socket standing in for systemd's `$NOTIFY_SOCKET` (sd_notify(3)), served
 * by test/helpers/notify-receiver.py (Debian package python3). Each datagram is kept with its
 * arrival time; BARRIER=1 datagrams (systemd-notify's synchronisation) are answered and dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './sim-process.js';
import { requireTool } from './tools.js';

export interface NotifyMessage {
  /** Arrival, ms since the epoch (comparable with Date.now()). */
  t: number;
  fields: Record<string, string>;
}

export interface NotifySocket {
  path: string;
  messages: NotifyMessage[];
  /** Messages that carry `key` (e.g. 'WATCHDOG'). */
  with(key: string): NotifyMessage[];
  close(): Promise<void>;
}

export async function startNotifySocket(): Promise<NotifySocket> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-notify-'));
  const path = join(dir, 'notify.sock');
  requireTool('python3');
  requireTool('systemd-notify');
  const proc: ChildProcess = spawn('/usr/bin/python3', [join(import.meta.dirname, 'notify-receiver.py'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const messages: NotifyMessage[] = [];
  let buf = '';
  let err = '';
  let listening = false;
  proc.once('error', (e) => { err += `python3 (Debian package python3) did not start: ${e.message}`; });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const j = JSON.parse(line) as { listening?: string; t?: number; text?: string };
      if (j.listening) { listening = true; continue; }
      const fields = Object.fromEntries(j.text!.split('\n').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      if (fields.BARRIER === '1') continue;
      messages.push({ t: j.t!, fields });
    }
  });
  await until(() => listening || (err && Promise.reject(new Error(err))), 10_000, 'the notify socket');
  return {
    path,
    messages,
    with: (key) => messages.filter((m) => key in m.fields),
    close: async () => {
      if (proc.exitCode === null) {
        await new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
