/** Runs the doctor's checks and tells whether it is safe to start the service. */
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { lookupUser } from './access.js';
import { DOCTOR_CHECKS } from './checks/index.js';
import { fail, pass, type DoctorCheck, type DoctorContext, type Finding } from './finding.js';

export interface DoctorOptions {
  configFile: string;
  /** The service user (the unit's User=). */
  user?: string;
  /** Check ids (or id prefixes) not to run, e.g. `broker` on a bench without network. */
  skip?: string[];
  timeoutMs?: number;
  checks?: readonly DoctorCheck[];
  now?: number;
}

export interface DoctorReport {
  findings: Finding[];
  /** No finding of severity error. */
  safeToStart: boolean;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const findings: Finding[] = [];
  let config: Readonly<Config> | null = null;
  try {
    config = loadConfigFile(o.configFile);
    findings.push(pass('config', `${o.configFile} is valid (pole ${config.pole.id})`));
  } catch (e) {
    findings.push(fail('config', 'error', (e as Error).message, 'fix the field named (docs/configuration.md); the service would exit with status 78'));
  }
  const userName = o.user ?? 'smartpole';
  const ctx: DoctorContext = { configFile: o.configFile, config, user: lookupUser(userName), userName, now: o.now ?? Date.now(), timeoutMs: o.timeoutMs ?? 8000 };
  const skipped = (id: string) => (o.skip ?? []).some((s) => id === s || id.startsWith(`${s}.`));
  for (const check of o.checks ?? DOCTOR_CHECKS) {
    if (skipped(check.id) || (check.needsConfig && !config)) continue;
    try {
      findings.push(...(await check.run(ctx)).filter((f) => !skipped(f.id)));
    } catch (e) {
      findings.push(fail(check.id, 'error', `the check failed: ${(e as Error).message}`, 'report this as a bug; check by hand meanwhile'));
    }
  }
  return { findings, safeToStart: !findings.some((f) => !f.ok && f.severity === 'error') };
}

/** A table for a terminal: one line per finding, the fix under each failure. */
export function formatReport(r: DoctorReport): string {
  const w = Math.max(...r.findings.map((f) => f.id.length));
  const lines = r.findings.map((f) => {
    const mark = f.ok ? 'ok  ' : f.severity === 'error' ? 'FAIL' : 'warn';
    return `${mark}  ${f.id.padEnd(w)}  ${f.message}${f.ok ? '' : `\n      ${' '.repeat(w)}  → ${f.fix}`}`;
  });
  const errors = r.findings.filter((f) => !f.ok && f.severity === 'error').length;
  const warns = r.findings.filter((f) => !f.ok && f.severity === 'warn').length;
  lines.push('', r.safeToStart ? `safe to start (${warns} warning(s))` : `NOT safe to start: ${errors} error(s), ${warns} warning(s)`);
  return lines.join('\n');
}
