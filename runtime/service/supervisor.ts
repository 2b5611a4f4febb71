/**
 * The runtime's side of systemd supervision (docs/deployment.md §Watchdog): READY=1 once the
 * runtime is really up, STATUS= with its health summary, WATCHDOG=1 at half of WatchdogSec only
 * while the event loop is responsive and core health passes, RELOADING=1 around an in-process
 * restart and STOPPING=1 on an orderly stop. Outside systemd (no `$NOTIFY_SOCKET`) it only logs.
 *
 * What "up" and "healthy" mean comes from a `ServiceSubject` (pole-subject.ts builds one from a
 * running pole), so this module knows nothing of LED boards or MQTT.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { createNotifier, type Notifier } from './notifier.js';

export enum ServiceState {
  /** Started; READY=1 not sent yet. */
  Starting = 'starting',
  Ready = 'ready',
  /** RELOADING=1 sent (the console's `reboot` restarts the runtime in-process); READY=1 again when up. */
  Reloading = 'reloading',
  Stopping = 'stopping',
}

export interface ServiceSubject {
  /** What start-up still waits for (e.g. "the first frame on the LED board"), or null when up. */
  awaiting(): string | null;
  /** One line for `systemctl status`. */
  status(): string;
  /** Failing core checks; any entry withholds the watchdog ping. */
  coreProblems(): string[];
}

export interface ServiceSupervisor {
  readonly state: ServiceState;
  readonly stats: SupervisorStats;
  /** Watches a freshly started runtime: READY=1 when it is up. */
  watch(subject: ServiceSubject): void;
  /** The runtime is about to restart in-process. */
  reloading(reason: string): void;
  /** An orderly stop began: STOPPING=1, no more pings. */
  stopping(): void;
  close(): void;
}

export interface SupervisorStats {
  pings: number;
  /** Ticks without a ping because the loop lagged or core health failed. */
  withheld: number;
  lastLagMs: number;
  lastWithheld: string | null;
  readyAfterMs: number | null;
}

export interface SupervisorOptions {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  notifier?: Notifier;
  /** READY=1 is sent after this long even if the subject still waits (STATUS says for what). */
  readyDeadlineMs?: number;
  /** How often readiness and STATUS are checked. */
  pollMs?: number;
  pid?: number;
}

/** The watchdog period asked by systemd: WATCHDOG_USEC (for this PID), or null. */
export function watchdogUsec(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return usec;
}

function monotonicUsec(): string {
  return (process.hrtime.bigint() / 1000n).toString();
}

export function createServiceSupervisor(o: SupervisorOptions): ServiceSupervisor {
  const log = o.logger.child({ service: 'systemd' });
  const notifier = o.notifier ?? createNotifier({ env: o.env, logger: o.logger });
  const readyDeadlineMs = o.readyDeadlineMs ?? 60_000;
  const pollMs = o.pollMs ?? 100;
  const usec = watchdogUsec(o.env, o.pid);
  const periodMs = usec === null ? null : usec / 2000;
  /** A ping is withheld when the loop stalled longer than this since the last tick. */
  const lagLimitMs = periodMs === null ? Infinity : periodMs / 2;
  const stats: SupervisorStats = { pings: 0, withheld: 0, lastLagMs: 0, lastWithheld: null, readyAfterMs: null };

  let state = ServiceState.Starting;
  let subject: ServiceSubject | null = null;
  let watchedAt = 0;
  let lastStatus = '';
  let poll: NodeJS.Timeout | null = null;
  let dog: NodeJS.Timeout | null = null;
  let lag: IntervalHistogram | null = null;

  const sendStatus = (status: string, extra: Record<string, string> = {}) => {
    lastStatus = status;
    void notifier.send({ ...extra, STATUS: status });
  };

  const tickPoll = () => {
    if (!subject || state === ServiceState.Stopping) return;
    if (state !== ServiceState.Ready) {
      const waiting = subject.awaiting();
      const late = Date.now() - watchedAt >= readyDeadlineMs;
      if (waiting === null || late) {
        state = ServiceState.Ready;
        stats.readyAfterMs = Date.now() - watchedAt;
        const status = waiting === null ? subject.status() : `up, still waiting for ${waiting}; ${subject.status()}`;
        if (waiting !== null) log.warn({ waiting }, 'ready deadline passed: telling systemd the runtime is up anyway');
        log.info({ afterMs: stats.readyAfterMs, watchdogMs: usec === null ? null : usec / 1000 }, 'ready');
        sendStatus(status, { READY: '1' });
      }
      return;
    }
    const status = subject.status();
    if (status !== lastStatus) sendStatus(status);
  };

  const tickDog = () => {
    if (state === ServiceState.Stopping) return;
    const lagMs = lag ? lag.max / 1e6 : 0;
    lag?.reset();
    stats.lastLagMs = lagMs;
    let why: string | null = null;
    if (lagMs > lagLimitMs) why = `event loop stalled ${Math.round(lagMs)} ms`;
    else if (subject) {
      const problems = subject.coreProblems();
      if (problems.length) why = `core health: ${problems.join('; ')}`;
    }
    if (why) {
      stats.withheld++;
      if (why !== stats.lastWithheld) {
        log.error({ reason: why }, 'watchdog ping withheld; systemd restarts the service if this lasts WatchdogSec');
        sendStatus(`unhealthy: ${why}`);
      }
      stats.lastWithheld = why;
      return;
    }
    if (stats.lastWithheld) {
      log.warn({ was: stats.lastWithheld }, 'healthy again: watchdog pings resume');
      stats.lastWithheld = null;
      lastStatus = '';
    }
    stats.pings++;
    void notifier.send({ WATCHDOG: '1' });
  };

  if (periodMs !== null) {
    lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    dog = setInterval(tickDog, periodMs);
    dog.unref();
  }
  if (notifier.enabled) log.info({ watchdogMs: usec === null ? null : usec / 1000 }, 'started by systemd');

  return {
    get state() { return state; },
    stats,
    watch(s: ServiceSubject): void {
      subject = s;
      watchedAt = Date.now();
      if (state === ServiceState.Stopping) return;
      if (!poll) {
        poll = setInterval(tickPoll, pollMs);
        poll.unref();
      }
      tickPoll();
    },
    reloading(reason: string): void {
      if (state === ServiceState.Stopping) return;
      state = ServiceState.Reloading;
      subject = null;
      sendStatus(`restarting: ${reason}`, { RELOADING: '1', MONOTONIC_USEC: monotonicUsec() });
    },
    stopping(): void {
      if (state === ServiceState.Stopping) return;
      state = ServiceState.Stopping;
      sendStatus('stopping', { STOPPING: '1' });
    },
    close(): void {
      if (poll) clearInterval(poll);
      if (dog) clearInterval(dog);
      lag?.disable();
      poll = dog = null;
    },
  };
}
