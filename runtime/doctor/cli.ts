/**
 * `smartpole doctor --config FILE [--json] [--user NAME] [--skip ID,…]`: the preflight before
 * starting the service (docs/deployment.md §Doctor). Exit 0: safe to start; 1: an error finding;
 * 2: bad usage.
 */
import { parseArgs } from 'node:util';
import { formatReport, runDoctor } from './doctor.js';

const USAGE = `usage: smartpole doctor --config FILE [--json] [--user NAME] [--skip ID,...]
  Checks the config, devices, fonts, clock, disk, TLS files, trust keys, broker and console PIN
  before the service starts. Exit status 0 = safe to start, 1 = not.
  --user NAME   the service user to check access for (default smartpole)
  --skip IDS    check ids to leave out, e.g. broker,host.clock`;

export async function doctorMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  let v;
  try {
    v = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, user: { type: 'string' }, skip: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (e) {
    err(`smartpole doctor: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (v.help) { out(USAGE); return 0; }
  if (!v.config) { err(USAGE); return 2; }
  const report = await runDoctor({ configFile: v.config, user: v.user, skip: v.skip?.split(',').map((s) => s.trim()).filter(Boolean) });
  out(v.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.safeToStart ? 0 : 1;
}
