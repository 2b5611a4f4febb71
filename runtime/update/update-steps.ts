/**
 * How each update step is reported (docs/updates.md §Reports): an event `update.<step>` through the
 * Reporter, so it waits in the outbox like every record and reaches the city after any outage.
 */
import type { Logger } from 'pino';
import type { UpdateStep } from '../../protocols/update.js';
import type { Reporter } from '../uplink/reporter.js';

const SEVERITY: Record<UpdateStep, 'info' | 'warning' | 'alarm' | 'security'> = {
  available: 'info', waiting: 'info', downloading: 'info', verified: 'info', installed: 'info', switching: 'info',
  healthy: 'info', 'rolled-back': 'alarm', refused: 'warning',
};

export interface StepFields { release?: string | undefined; reason?: string | undefined; code?: string | undefined; [k: string]: unknown }

export function reportStep(reporter: Reporter, log: Logger, step: UpdateStep, message: string, f: StepFields = {}): void {
  const severity = f.code?.startsWith('SP_MSG_') && step === 'refused' ? 'security' : SEVERITY[step];
  const fields = { ...f, step, updateCode: f.code };
  delete fields.code;
  if (severity === 'info') log.info(fields, message); else log.warn(fields, message);
  // Refusals can be provoked by anyone who can publish: rate-limited. The other steps follow an accepted manifest.
  if (step === 'refused') reporter.event({ code: `update.${step}`, severity, message, ...fields });
  else reporter.step({ code: `update.${step}`, severity, message, ...fields });
}
