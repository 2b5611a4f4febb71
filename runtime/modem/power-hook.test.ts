import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPowerHook } from './power-hook.js';
import { packageRoot } from '../version.js';

describe('power-cycle hook', () => {
  it('runs the shipped GPIO script against a value file: 0, then 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sp-gpio-')), 'value');
    const r = await runPowerHook(`sh '${join(packageRoot(), 'scripts', 'modem-power-cycle.sh')}' '${file}' 0.05`, { timeoutMs: 5_000, env: {} });
    expect(r).toMatchObject({ ok: true, exitCode: 0 });
    expect(r.output).toMatch(/power cycled/);
    expect(readFileSync(file, 'utf8').trim()).toBe('1');
  });

  it('reports a failing hook with its status and output, and passes the modem path', async () => {
    const r = await runPowerHook('echo "no gpio for $SMARTPOLE_MODEM_PATH" >&2; exit 3', { timeoutMs: 5_000, env: { SMARTPOLE_MODEM_PATH: '/dev/ttyUSB2' } });
    expect(r).toMatchObject({ ok: false, exitCode: 3, error: 'exit status 3' });
    expect(r.output).toBe('no gpio for /dev/ttyUSB2');
  });

  it('kills a hook that hangs', async () => {
    const r = await runPowerHook('sleep 30', { timeoutMs: 200, env: {} });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/timed out/);
    expect(r.durationMs).toBeLessThan(10_000);
  });
});
