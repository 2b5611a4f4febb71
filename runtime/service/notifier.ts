/**
 * Sends sd_notify(3) messages to the service manager through `systemd-notify` (docs/deployment.md
 * §How the runtime talks to systemd). Node has no AF_UNIX datagram sockets; `systemd-notify` ships
 * with systemd itself, and since systemd 246 it waits (BARRIER=1) until the manager has read the
 * message, so the message is attributed to the unit even though the sender is a short-lived child.
 * The unit therefore needs `NotifyAccess=all`.
 *
 * At most one `systemd-notify` runs at a time: messages sent meanwhile are merged into the next
 * one (later values of a field win; READY/STOPPING/WATCHDOG flags are kept).
 */
import { spawn } from 'node:child_process';
import type { Logger } from 'pino';

/** Fields of one sd_notify message, e.g. `{ READY: '1', STATUS: 'led ok' }`. */
export type NotifyFields = Record<string, string>;

export interface Notifier {
  /** False when not started by systemd (no `$NOTIFY_SOCKET`): send() does nothing. */
  readonly enabled: boolean;
  readonly stats: NotifierStats;
  /** Queues the fields; resolves when they reached the socket (or failed, which is logged). */
  send(fields: NotifyFields): Promise<void>;
}

export interface NotifierStats {
  sent: number;
  failed: number;
  merged: number;
  /** Wall time of the last `systemd-notify` run, ms (spawn → exit, barrier included). */
  lastMs: number;
}

export interface NotifierOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The program; default `systemd-notify` from PATH (Debian package `systemd`). */
  command?: string;
}

/** STATUS= is one line for `systemctl status`; newlines would end the field. */
function clean(v: string): string {
  return v.replace(/[\r\n]+/g, ' ').slice(0, 500);
}

export function createNotifier(o: NotifierOptions): Notifier {
  const socket = o.env.NOTIFY_SOCKET;
  const command = o.command ?? 'systemd-notify';
  const log = o.logger.child({ service: 'systemd' });
  const stats: NotifierStats = { sent: 0, failed: 0, merged: 0, lastMs: 0 };
  let running: Promise<void> | null = null;
  let pending: { fields: NotifyFields; waiters: (() => void)[] } | null = null;
  let warned = false;

  const run = (fields: NotifyFields): Promise<void> => new Promise((resolve) => {
    const args = Object.entries(fields).map(([k, v]) => `${k}=${clean(v)}`);
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...o.env, NOTIFY_SOCKET: socket } });
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    let finished = false;
    const done = (ok: boolean, why?: string) => {
      if (finished) return;
      finished = true;
      stats.lastMs = performance.now() - t0;
      if (ok) stats.sent++;
      else {
        stats.failed++;
        if (!warned) log.warn({ err: why, fields: Object.keys(fields) }, 'systemd-notify failed (Debian package systemd); the service manager did not get the message');
        warned = true;
      }
      resolve();
    };
    child.once('error', (e) => done(false, e.message));
    child.once('close', (code, signal) => done(code === 0, err.trim() || `exit ${code ?? signal}`));
  });

  const pump = (): void => {
    if (running || !pending) return;
    const { fields, waiters } = pending;
    pending = null;
    running = run(fields).then(() => {
      running = null;
      for (const w of waiters) w();
      pump();
    });
  };

  return {
    enabled: !!socket,
    stats,
    send(fields: NotifyFields): Promise<void> {
      if (!socket) return Promise.resolve();
      return new Promise((resolve) => {
        if (pending) {
          stats.merged++;
          Object.assign(pending.fields, fields);
          pending.waiters.push(resolve);
        } else {
          pending = { fields: { ...fields }, waiters: [resolve] };
        }
        pump();
      });
    },
  };
}
