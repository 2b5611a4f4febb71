/**
 * fastify-style: every error code the code base defines (in any `errors.ts`) is documented in
 * docs/errors.md, and the document lists no code that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..');
const DIRS = ['bin', 'runtime', 'device', 'protocols', 'display', 'simulator', 'ops'];

function errorFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return errorFiles(p);
    return n === 'errors.ts' ? [p] : [];
  });
}

describe('error codes', () => {
  it('are all documented in docs/errors.md and none documented is missing', async () => {
    const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    const defined = new Map<string, string>();
    for (const f of DIRS.flatMap((d) => errorFiles(join(ROOT, d)))) {
      const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
      for (const v of Object.values(mod)) {
        if (!v || typeof v !== 'object' || !Object.isFrozen(v)) continue;
        for (const [code, info] of Object.entries(v)) {
          if (/^SP_[A-Z0-9_]+$/.test(code) && typeof (info as { message?: unknown }).message === 'string') defined.set(code, relative(ROOT, f));
        }
      }
    }
    expect(defined.size).toBeGreaterThan(10);
    const undocumented = [...defined.keys()].filter((c) => !new RegExp(`\\b${c}\\b`).test(doc));
    expect(undocumented, 'codes missing from docs/errors.md').toEqual([]);
    const documented = new Set(doc.match(/`SP_[A-Z0-9_]+`/g)?.map((s) => s.slice(1, -1)));
    const stale = [...documented].filter((c) => !defined.has(c));
    expect(stale, 'codes in docs/errors.md that no errors.ts defines').toEqual([]);
  });
});
