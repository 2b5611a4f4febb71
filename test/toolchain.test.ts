/**
 * Every outside tool in the one package list (scripts/debian-packages.txt) is really there: a
 * machine that misses one fails here, naming the package, instead of skipping the tests that use it.
 */
import { describe, expect, it } from 'vitest';
import { packageRows, probeProblem, requireTool } from './helpers/tools.js';

describe('outside tools (scripts/debian-packages.txt)', () => {
  const rows = packageRows();

  it('the list parses and names each package once', () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(new Set(rows.map((r) => r.pkg)).size).toBe(rows.length);
  });

  for (const r of rows.filter((x) => x.probe !== '-')) {
    it(`${r.pkg} provides ${r.probe}`, () => {
      expect(probeProblem(r.probe), `install Debian package ${r.pkg} (${r.why})`).toBeNull();
    });
  }

  it('a missing tool is an error that names its package', () => {
    expect(() => requireTool('py:no_such_module_smartpole')).toThrow(/cannot import no_such_module_smartpole.*scripts\/debian-packages\.txt/);
    expect(() => requireTool('no-such-tool-smartpole')).toThrow(/not on PATH/);
  });
});
