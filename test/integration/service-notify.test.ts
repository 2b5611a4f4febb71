/**
 * The systemd supervisor against a real AF_UNIX datagram socket standing in for systemd's
 * `$NOTIFY_SOCKET`, through the real `systemd-notify` (docs/deployment.md §Watchdog): READY only when
 * the subject is up; pings at half of WatchdogSec; no ping within WatchdogSec while the event loop
 * is blocked or core health fails; STOPPING on stop. Prints what one notification costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadavg } from 'node:os';
import { createServiceSupervisor, ServiceState, type ServiceSubject, type ServiceSupervisor } from '../../runtime/service/supervisor.js';
import { createNotifier } from '../../runtime/service/notifier.js';
import { startNotifySocket, type NotifySocket } from '../helpers/notify-socket.js';
import { testLogger } from '../helpers/logger.js';
import { until } from '../helpers/sim-process.js';

const WATCHDOG_MS = 1000;
const PERIOD_MS = WATCHDOG_MS / 2;

class Subject implements ServiceSubject {
  waiting: string | null = 'the first frame on the LED board';
  problems: string[] = [];
  line = 'led ok · mqtt ok';
  awaiting() { return this.waiting; }
  status() { return this.line; }
  coreProblems() { return this.problems; }
}

function blockLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const pingsBetween = (sock: NotifySocket, from: number, to: number) => sock.with('WATCHDOG').filter((m) => m.t > from && m.t <= to);

describe('systemd notify protocol (real AF_UNIX socket, real systemd-notify)', () => {
  let sock: NotifySocket;
  let sup: ServiceSupervisor;
  const subject = new Subject();

  beforeAll(async () => {
    sock = await startNotifySocket();
    sup = createServiceSupervisor({
      env: { ...process.env, NOTIFY_SOCKET: sock.path, WATCHDOG_USEC: String(WATCHDOG_MS * 1000), WATCHDOG_PID: String(process.pid) },
      logger: testLogger(), pollMs: 50,
    });
  });
  afterAll(async () => {
    sup?.close();
    await sock?.close();
  });

  it('sends READY only once the subject is up, with the health summary as STATUS', async () => {
    sup.watch(subject);
    await new Promise((r) => setTimeout(r, 400));
    expect(sock.with('READY')).toEqual([]);
    expect(sup.state).toBe(ServiceState.Starting);
    const upAt = Date.now();
    subject.waiting = null;
    const ready = await until(() => sock.with('READY')[0], 5000, 'READY=1');
    expect(ready.t).toBeGreaterThanOrEqual(upAt);
    expect(ready.fields).toMatchObject({ READY: '1', STATUS: 'led ok · mqtt ok' });
    expect(sup.state).toBe(ServiceState.Ready);
  });

  it('pings WATCHDOG=1 at half of WatchdogSec', async () => {
    const from = Date.now();
    await until(() => pingsBetween(sock, from, Infinity).length >= 6, 8000, 'six pings');
    const t = pingsBetween(sock, from, Infinity).map((m) => m.t);
    const gaps = t.slice(1).map((x, i) => x - t[i]!).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)]!;
    console.log(`watchdog ping gaps (ms) for WatchdogSec=${WATCHDOG_MS} ms: ${gaps.map((g) => g.toFixed(0)).join(' ')}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    expect(median).toBeGreaterThan(PERIOD_MS * 0.6);
    expect(median).toBeLessThan(PERIOD_MS * 1.4);
  });

  it('sends a STATUS line when the health summary changes', async () => {
    subject.line = 'led down (serial device /dev/smartpole/led unavailable) · mqtt ok';
    await until(() => sock.with('STATUS').find((m) => m.fields.STATUS === subject.line), 3000, 'new STATUS');
  });

  it('stops pinging within WatchdogSec while the event loop is blocked, and resumes after', async () => {
    await until(() => pingsBetween(sock, Date.now() - PERIOD_MS * 1.5, Infinity).length > 0, 3000, 'a recent ping');
    const withheld = sup.stats.withheld;
    const start = Date.now();
    blockLoop(WATCHDOG_MS * 1.5);
    const end = Date.now();
    // A systemd-notify started just before the block may still land a moment after it began.
    expect(pingsBetween(sock, start + 150, start + WATCHDOG_MS)).toEqual([]);
    await until(() => pingsBetween(sock, end, Infinity).length > 0, 5000, 'pings after the block');
    expect(sup.stats.withheld).toBeGreaterThan(withheld);
    const lastBefore = Math.max(...sock.with('WATCHDOG').filter((m) => m.t <= start + 150).map((m) => m.t));
    const firstAfter = pingsBetween(sock, end, Infinity)[0]!.t;
    console.log(`blocked loop: no ping for ${(firstAfter - lastBefore).toFixed(0)} ms (WatchdogSec ${WATCHDOG_MS} ms, block ${end - start} ms)`);
  });

  it('stops pinging within WatchdogSec when core health fails, says why in STATUS, resumes when it passes', async () => {
    const failAt = Date.now();
    subject.problems = ['database: SQLITE_IOERR'];
    const status = await until(() => sock.with('STATUS').find((m) => m.t >= failAt && m.fields.STATUS!.startsWith('unhealthy')), 3000, 'unhealthy STATUS');
    expect(status.fields.STATUS).toBe('unhealthy: core health: database: SQLITE_IOERR');
    await new Promise((r) => setTimeout(r, WATCHDOG_MS * 1.5));
    // The tick that was due when the check failed is the last that may still ping.
    expect(pingsBetween(sock, failAt + PERIOD_MS + 150, Date.now())).toEqual([]);
    const lastPing = Math.max(...sock.with('WATCHDOG').map((m) => m.t));
    console.log(`core failure: last ping ${(lastPing - failAt).toFixed(0)} ms after the check failed (WatchdogSec ${WATCHDOG_MS} ms)`);
    const okAt = Date.now();
    subject.problems = [];
    await until(() => pingsBetween(sock, okAt, Infinity).length > 0, 3000, 'pings again');
  });

  it('sends STOPPING=1 on stop and no ping after it', async () => {
    const at = Date.now();
    sup.stopping();
    const stop = await until(() => sock.with('STOPPING')[0], 3000, 'STOPPING=1');
    expect(stop.fields).toMatchObject({ STOPPING: '1', STATUS: 'stopping' });
    await new Promise((r) => setTimeout(r, WATCHDOG_MS));
    expect(pingsBetween(sock, at + 150, Infinity)).toEqual([]);
    expect(sup.state).toBe(ServiceState.Stopping);
  });

  it('costs one short systemd-notify run per message (printed), merging what is sent meanwhile', async () => {
    const n = createNotifier({ env: { ...process.env, NOTIFY_SOCKET: sock.path }, logger: testLogger() });
    const before = sock.messages.length;
    const runs: number[] = [];
    for (let i = 0; i < 20; i++) {
      await n.send({ STATUS: `probe ${i}` });
      runs.push(n.stats.lastMs);
    }
    await Promise.all([n.send({ STATUS: 'a' }), n.send({ STATUS: 'b' }), n.send({ STATUS: 'c', WATCHDOG: '1' })]);
    await until(() => sock.messages.length >= before + 22, 3000, 'messages');
    expect(sock.messages.slice(-1)[0]!.fields).toEqual({ STATUS: 'c', WATCHDOG: '1' });
    expect(n.stats).toMatchObject({ sent: 22, failed: 0, merged: 1 });
    runs.sort((a, b) => a - b);
    console.log(`systemd-notify per message: median ${runs[10]!.toFixed(1)} ms, max ${runs[19]!.toFixed(1)} ms (spawn → barrier → exit); load ${loadavg()[0]!.toFixed(2)}`);
  });

  it('does nothing outside systemd (no NOTIFY_SOCKET)', async () => {
    const n = createNotifier({ env: {}, logger: testLogger() });
    expect(n.enabled).toBe(false);
    await n.send({ READY: '1' });
    expect(n.stats.sent).toBe(0);
  });
});
