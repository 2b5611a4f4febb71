/**
 * Which problem the modem has right now, if any, from its state, failure and timing
 * (docs/protocols/modem.md §Recovery). Pure. A problem counts only if it showed itself after the
 * last recovery step started, so one lingering symptom never climbs two rungs at once.
 */
import { ModemState } from '../../device/modem/modem-state.js';
import type { Failure } from '../../device/modem/modem-machine.js';
import type { ModemTiming } from '../../device/modem/timing.js';
import { commandTimeout } from '../../device/modem/timing.js';
import type { Problem } from './recovery.js';

export interface ProblemInput {
  state: ModemState;
  since: number;
  failure: Failure | null;
  /** A cell is in sight (valid RSRP or CSQ). */
  signal: boolean;
  now: number;
  /** When the last recovery step started (0 if none). */
  lastStepAt: number;
  timing: ModemTiming;
}

export interface Detected {
  problem: Problem;
  reason: string;
  code: string | null;
}

export function detectProblem(i: ProblemInput): Detected | null {
  const t0 = Math.max(i.since, i.lastStepAt);
  const fresh = i.since >= i.lastStepAt;
  const freshFailure = i.failure !== null && i.failure.at >= i.lastStepAt;
  const waited = i.now - t0;
  const why = (fallback: string) => i.failure?.message ?? fallback;
  const code = i.failure?.code ?? null;
  const t = i.timing;
  switch (i.state) {
    case ModemState.Hung:
      return fresh || freshFailure ? { problem: 'hung', reason: why('not answering'), code } : null;
    case ModemState.Absent:
      return waited >= t.absentTimeoutMs ? { problem: 'absent', reason: why('AT port missing'), code: code ?? 'SP_MODEM_ABSENT' } : null;
    case ModemState.Probing:
    case ModemState.SimCheck:
      return waited >= t.bootTimeoutMs + t.simReadyTimeoutMs ? { problem: 'stuck', reason: `${i.state} for ${Math.round(waited / 1000)} s${i.failure ? `: ${i.failure.message}` : ''}`, code } : null;
    case ModemState.SimMissing:
    case ModemState.SimFailure:
      return fresh ? { problem: 'sim', reason: why('SIM problem'), code } : null;
    case ModemState.SimPin:
    case ModemState.SimPuk:
      return fresh ? { problem: 'sim-locked', reason: why('SIM locked'), code } : null;
    case ModemState.Denied:
      return fresh || freshFailure ? { problem: 'denied', reason: why('registration denied'), code } : null;
    case ModemState.Registering:
      if (waited < t.registrationTimeoutMs) return null;
      return i.signal
        ? { problem: 'no-service', reason: `not registered after ${Math.round(waited / 1000)} s with a cell in sight`, code: 'SP_MODEM_NO_SERVICE' }
        : { problem: 'no-coverage', reason: `no cell found for ${Math.round(waited / 1000)} s`, code: 'SP_MODEM_NO_COVERAGE' };
    case ModemState.Connecting:
      if (freshFailure && (i.failure!.code === 'SP_MODEM_DATA_FAILED' || i.failure!.code === 'SP_MODEM_HOST_LINK')) return { problem: 'data', reason: i.failure!.message, code: i.failure!.code };
      // Activation may legitimately take up to the AT+QIACT timeout.
      return waited >= commandTimeout(t.commandTimeoutsMs, 'AT+QIACT=1') + t.retryMs * 2 ? { problem: 'data', reason: `connecting for ${Math.round(waited / 1000)} s`, code: 'SP_MODEM_DATA_FAILED' } : null;
    case ModemState.Online:
      return freshFailure && i.failure!.code === 'SP_MODEM_DATA_STALL' ? { problem: 'data', reason: i.failure!.message, code: i.failure!.code } : null;
    default:
      return null;
  }
}
