/**
 * The ChargingService's own states (docs/architecture.md §State machines): its evaluation loop, a
 * stop operations asked for, and what a stopping session carries until it closes (its detail is
 * saved with the session: SessionRow.stopDetail).
 */
import type { SessionRow, StopReason } from './session-ledger.js';

/** How long charger.stop waits for the session to close before answering with the state it is in. */
export const STOP_ANSWER_MS = 7000;

/** The evaluation loop (kick → evaluate → …, one round at a time, never two at once). */
export enum EvalState {
  /** No evaluation runs; the next kick starts one. */
  Idle = 'idle',
  /** An evaluation is asked for and has not started (the loop runs it after the current one). */
  Queued = 'queued',
  /** An evaluation runs; nothing else asked. */
  Running = 'running',
  /** The pole is stopping: no more evaluations (its database closes). */
  Shut = 'shut',
}

/** A stop asked by operations, acted on by the next evaluation. */
export type StopAsk =
  /** Stop the active session (RemoteStopTransaction). */
  | { kind: 'stop'; reason: StopReason }
  /** Close a stopping session on the last known meter reading (charger.stop with force). */
  | { kind: 'force' };

/** What a stopping session carries until it closes. */
export interface Stopping {
  /** charger.finalMeterOverdue was sent for it. */
  overdueReported: boolean;
}

/** Resolves when session `s` has closed (`closed()` true after its `session` event), or after `ms`. */
interface SessionEvents {
  on(event: 'session', cb: (row: SessionRow) => void): unknown;
  off(event: 'session', cb: (row: SessionRow) => void): unknown;
}

export function sessionClosed(svc: SessionEvents, s: SessionRow, closed: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); svc.off('session', onSession); resolve(); };
    const onSession = (row: SessionRow) => { if (row === s && closed()) done(); };
    const timer = setTimeout(done, ms);
    timer.unref?.();
    svc.on('session', onSession);
    if (closed()) done();
  });
}
