/**
 * `smartpole doctor`: a preflight run before starting the service (docs/deployment.md §Doctor).
 * Each check is an entry in a table (checks/*.ts, assembled in checks/index.ts) that returns
 * findings; adding a check is adding an entry to the table of its area.
 */
import type { Config } from '../config/schema.js';
import type { ServiceUser } from './access.js';

export type Severity = 'error' | 'warn';

export interface Finding {
  /** Stable id, e.g. `device.led`, `tls.cert-expiry`. */
  id: string;
  ok: boolean;
  /** What a failure means: `error` = do not start the service; `warn` = it starts, but look. */
  severity: Severity;
  message: string;
  /** What to do (empty when ok). */
  fix: string;
}

export interface DoctorContext {
  configFile: string;
  /** Null when the config does not load (then checks that need it do not run). */
  config: Readonly<Config> | null;
  /** The account the service runs as (the unit's User=), or null if it does not exist. */
  user: ServiceUser | null;
  userName: string;
  now: number;
  /** Network checks give up after this long. */
  timeoutMs: number;
}

export interface DoctorCheck {
  /** Id prefix of its findings. */
  id: string;
  /** Runs only with a loaded config. */
  needsConfig: boolean;
  run(ctx: DoctorContext): Promise<Finding[]> | Finding[];
}

export const pass = (id: string, message: string, severity: Severity = 'error'): Finding => ({ id, ok: true, severity, message, fix: '' });
export const fail = (id: string, severity: Severity, message: string, fix: string): Finding => ({ id, ok: false, severity, message, fix });
