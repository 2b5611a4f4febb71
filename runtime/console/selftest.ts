/**
 * Self-test checks (`selftest`, docs/console.md §Commands): every device and service contributes
 * checks that answer PASS, FAIL or SKIP with a reason a technician can act on. A check that throws
 * FAILs with the error; one that does not answer in `timeoutMs` FAILs as a timeout; the others still
 * run.
 */
import type { ConsoleEnv } from './env.js';
import { asSmartpoleError, withCancel } from './render.js';

export type CheckResult = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckOutcome {
  result: CheckResult;
  /** What was checked and what was found, in one or two sentences. */
  reason: string;
}

export interface SelfCheck {
  name: string;
  run(env: ConsoleEnv, signal: AbortSignal): Promise<CheckOutcome> | CheckOutcome;
  /** Default 5000 ms. */
  timeoutMs?: number;
}

export interface CheckReport extends CheckOutcome {
  name: string;
  durationMs: number;
}

export async function runCheck(c: SelfCheck, env: ConsoleEnv, signal: AbortSignal): Promise<CheckReport> {
  const t0 = performance.now();
  const ms = c.timeoutMs ?? 5000;
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const o = await withCancel(Promise.resolve().then(() => c.run(env, inner.signal)), signal, ms, c.name);
    return { name: c.name, ...o, durationMs: performance.now() - t0 };
  } catch (e) {
    if (signal.aborted) throw e;
    const err = asSmartpoleError(e);
    const reason = err.code === 'SP_CONSOLE_TIMEOUT' ? `no answer within ${ms / 1000} s` : `check failed: ${err.message} (${err.code})`;
    return { name: c.name, result: 'FAIL', reason, durationMs: performance.now() - t0 };
  } finally {
    inner.abort();
    signal.removeEventListener('abort', onAbort);
  }
}
